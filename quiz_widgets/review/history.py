"""Session and results files as a review history: who answered which question, when, and how well.

One review is a row ``[exam title, question id, rating, when (UTC ISO), seconds or None, attempt]``.
``attempt`` names the attempt a review belongs to, so the session file and the results file of one attempt
count its answers once. A file's reviews share their time and attempt (and, but in a review quiz, their
title), so reviews_of gives them as groups, columns of the rows that share those three:
``[title, when, attempt, [ids], [ratings], [seconds]]``, plain JSON that the deck's state file holds as it
is, and that the replay (schedule.py) and the columns' checks (state.py) take a column at a time.
rows_of and groups_of turn one into the other where a few rows are edited (keep_times, Deck.record).

What each kind of file knows:
- ours (the ``"quiz_widgets"`` key): every answer, right or wrong, and the seconds it was on screen;
- the original app's: only the wrong answers (``wrong_answers`` / ``incorrect_answers``). Its count of
  answered questions does not say which were right, so a question missed there is an "Again" and a
  question answered right there is not a review at all (nothing is made up).

The files keep no time per answer: an attempt's answers are dated by the attempt (a session's start plus its
time taken, a results file's completion date). FSRS counts whole days, so this is off by at most the hours
of one sitting.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import repeat
from typing import Any

from fsrs import Rating

from quiz_widgets.quiz.results import STUDY_SUFFIX
from quiz_widgets.store.results_files import incorrect_answers

__all__ = [
    "CONFIDENCE_CAPS",
    "EASY_SECONDS",
    "HARD_SECONDS",
    "REVIEW_TITLE",
    "IdTexts",
    "card_of",
    "group_keeping",
    "groups_of",
    "in_no_file",
    "is_review",
    "parse_when",
    "rating_for",
    "review_id",
    "reviews_of",
    "rows_of",
]

# The title of deck.quiz()'s exam; its question ids name the card they review (review_id).
REVIEW_TITLE = "Spaced review"
# The original app's "Review Mode" and our study quizzes ask the questions of the exam they name.
_SAME_EXAM_SUFFIXES = (STUDY_SUFFIX, " - Review Mode")
# A study quiz of several exams renumbers its ids when they clash: its answers cannot be traced back.
_MIXED_STUDY_PREFIX = "Study Wrong Answers ("

# A right answer given this fast was known at sight (Easy); one that took this long was hard won (Hard).
EASY_SECONDS = 10.0
HARD_SECONDS = 60.0


# How sure the learner said they were (QuizWidget(confidence=True): 1 guessing, 2 fairly sure, 3 sure) caps
# a right answer's rating: a right guess is Hard at most, a fairly sure one Good at most, a sure one keeps
# the rating its time gives. A wrong answer is Again at any level; no level (not asked) changes nothing.
CONFIDENCE_CAPS = {1: int(Rating.Hard), 2: int(Rating.Good), 3: int(Rating.Easy)}
_INF = math.inf
_FLOAT, _NONE = frozenset((float,)), frozenset((type(None),))
_ID_TYPES = frozenset((int, str))
# dict first: isinstance() tells a dict (what JSON gives) at once, a Mapping through the abc machinery (6x).
_MAPPING = (dict, Mapping)
# The last time a review can have: fsrs's longest interval (100 years) later is still a date.
_LAST_DATE = datetime.max.replace(tzinfo=timezone.utc) - timedelta(days=36_500 + 1)
# A session's time on the clock up to this (100 years), from a start up to this far before _LAST_DATE, ends
# at a date the schedule can hold: told by two comparisons, where the exact test makes a timedelta and its
# total_seconds() (a tenth of a file's dates).
_SURE_SECONDS = 3_153_600_000.0
_SURE_START = _LAST_DATE - timedelta(seconds=_SURE_SECONDS)
# A month's, day's, hour's, minute's or second's two digits, for _stamp.
_TWO_DIGITS = tuple(f"{n:02}" for n in range(60))


class IdTexts(dict[Any, str]):
    """Question ids' str(), each worked out once: the seconds of an answer are kept by the text of its id,
    and ``map(texts.__getitem__, ids)`` looks them up in C where str() of every id of every file was a
    tenth of reading the answers."""

    def __missing__(self, qid: Any) -> str:
        text = self[qid] = str(qid)
        return text


def rows_of(groups: Iterable[list[Any]]) -> list[list[Any]]:
    """The review rows of groups (``[title, when, attempt, [ids], [ratings], [seconds]]``), in order."""
    return [
        [title, qid, rating, when, took, attempt]
        for title, when, attempt, qids, ratings, seconds in groups
        for qid, rating, took in zip(qids, ratings, seconds, strict=True)
    ]


def groups_of(rows: Iterable[list[Any]]) -> list[list[Any]]:
    """Review rows as groups: each run of rows that share a title, a time and an attempt (a file's answers
    share all three) is one group ``[title, when, attempt, [ids], [ratings], [seconds]]``."""
    groups: list[list[Any]] = []
    head: tuple[Any, ...] = ()
    for row in rows:
        if (row[0], row[3], row[5]) != head:
            head = (row[0], row[3], row[5])
            groups.append([row[0], row[3], row[5], [], [], []])
        group = groups[-1]
        group[3].append(row[1])
        group[4].append(row[2])
        group[5].append(row[4])
    return groups


def group_keeping(group: list[Any], indexes: list[int]) -> list[Any]:
    """A new review group with only the answers of ``group`` at ``indexes`` (in that order)."""
    title, when, attempt, qids, ratings, seconds = group
    return [
        title,
        when,
        attempt,
        list(map(qids.__getitem__, indexes)),
        list(map(ratings.__getitem__, indexes)),
        list(map(seconds.__getitem__, indexes)),
    ]


def rating_for(correct: bool, seconds: float | None, confidence: int | None = None) -> Rating:
    """FSRS's rating of one answer: wrong is Again; right is Easy under EASY_SECONDS, Hard over
    HARD_SECONDS, else Good (also when the time is unknown); then capped by the confidence level when one
    was given (CONFIDENCE_CAPS: a right guess is Hard, a fairly sure Easy is Good)."""
    took = None if seconds is None or not math.isfinite(seconds) else seconds
    return Rating(_rating(correct, took, _confidence(confidence)))


def _confidence(value: object) -> int | None:
    return value if type(value) is int and value in CONFIDENCE_CAPS else None


def review_id(exam_title: str, qid: Any) -> str:
    """The id a question gets in deck.quiz()'s exam: its exam and id, so the answer finds its card."""
    return json.dumps([exam_title, qid], ensure_ascii=False)


# Cached: a build asks it of every file (three times) and a deck's files name a few exams.
@lru_cache(maxsize=1024)
def _base_title(exam_title: str) -> str | None:
    """The exam a quiz titled ``exam_title`` asks the questions of; None for a mixed study quiz."""
    if exam_title.startswith(_MIXED_STUDY_PREFIX):
        return None
    for suffix in _SAME_EXAM_SUFFIXES:
        if exam_title.endswith(suffix) and len(exam_title) > len(suffix):
            return exam_title[: -len(suffix)]
    return exam_title


def is_review(exam_title: str) -> bool:
    """Whether a quiz titled ``exam_title`` asks deck.quiz()'s questions (the review or its study quiz)."""
    return _base_title(exam_title) == REVIEW_TITLE


def card_of(exam_title: str, qid: Any) -> tuple[str, Any] | None:
    """The card (exam title, question id) an answer in an exam titled ``exam_title`` reviews; None when it
    cannot be told (a study quiz mixed from several exams, a review id that is not ours)."""
    if isinstance(qid, bool) or not isinstance(qid, (int, str)):
        return None
    base = _base_title(exam_title)
    if base is None:
        return None
    if base != REVIEW_TITLE:
        return base, qid
    # A review quiz's (or its "Study wrong answers"'): the id names the card.
    try:
        pair = json.loads(qid) if isinstance(qid, str) else None
    except ValueError:
        return None
    if (
        isinstance(pair, list)
        and len(pair) == 2
        and isinstance(pair[0], str)
        and isinstance(pair[1], (int, str))
        and not isinstance(pair[1], bool)
    ):
        return pair[0], pair[1]
    return None


def parse_when(text: object) -> datetime | None:
    """An ISO date as UTC; a naive one (what the files hold) is the machine's local time. None for a date
    the schedule cannot hold (its next review up to fsrs's longest interval later must be a date too)."""
    if not isinstance(text, str):
        return None
    try:
        # A naive time is taken as local time (as datetime.now().isoformat() wrote it) by astimezone.
        when = datetime.fromisoformat(text).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None
    return when if when <= _LAST_DATE else None


def _stamp(when: datetime) -> str:
    """``when.isoformat()`` of a time in UTC (parse_when's). Its fields through a table of their digits:
    isoformat formats each field, and the offset, with C's sprintf, 11 thousand instructions a file."""
    if when.microsecond or when.year < 1000 or when.tzinfo is not timezone.utc:
        return when.isoformat()  # microseconds, a year of fewer than 4 digits: as isoformat writes them
    two = _TWO_DIGITS
    return (
        f"{when.year}-{two[when.month]}-{two[when.day]}"
        f"T{two[when.hour]}:{two[when.minute]}:{two[when.second]}+00:00"
    )


def _seconds(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value) if value >= 0 else None


def _row(
    title: str, qid: Any, correct: bool, seconds: float | None, when: str, attempt: str
) -> list[Any] | None:
    card = card_of(title, qid)
    if card is None:
        return None
    return [card[0], card[1], _rating(correct, seconds), when, seconds, attempt]


def _rating(correct: bool, seconds: float | None, confidence: int | None = None) -> int:
    # rating_for() as a plain int, for the loop over every answer of every file.
    if not correct:
        return 1
    rating = 3 if seconds is None else 4 if seconds < EASY_SECONDS else 2 if seconds > HARD_SECONDS else 3
    if confidence is not None:
        cap = CONFIDENCE_CAPS[confidence]
        return cap if rating > cap else rating
    return rating


def _wrong_rows(entries: object, title: str, when: str, attempt: str) -> list[list[Any]]:
    rows = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, _MAPPING):
            row = _row(title, entry.get("question_id"), False, None, when, attempt)
            if row is not None:
                rows.append(row)
    return rows


def _answer_columns(
    answers: list[Any], seconds: Mapping[str, Any], texts: IdTexts
) -> tuple[list[Any], list[int], list[float | None]] | None:
    """The ids, ratings and seconds of our answers to a plain exam as _answer_rows gives them, each column
    made by C loops (map over dict.get) and one comprehension for the ratings: a Python loop per answer was
    a quarter of a first build. None when an answer needs _answer_rows' look: an entry that is not a dict,
    an id that is no id, an answer marked unanswered, seconds kept in some answers and not in others."""
    get = dict.get
    try:  # dict.get refuses what is not a dict (JSON gives dicts)
        # Every key any answer has: set.union walks each dict's table (chain's iterator went a key at a time).
        keys = set().union(*answers)
        # A results file keeps each answer's seconds in it: taken from there when every answer has them.
        own = "seconds" in keys
        if own and not all(map(dict.__contains__, answers, repeat("seconds"))):
            return None
        # `in` compares with ==: 0 counts as False here and goes the careful way, which tells them apart.
        if "answered" in keys and False in list(map(get, answers, repeat("answered"))):
            return None
        qids = list(map(get, answers, repeat("question_id")))
    except TypeError:
        return None
    if not set(map(type, qids)) <= _ID_TYPES:
        return None
    if own:
        took: list[Any] = list(map(get, answers, repeat("seconds")))
    else:
        took = list(map(seconds.get, map(texts.__getitem__, qids))) if seconds else [None] * len(qids)
    kinds = set(map(type, took))
    # The sum is finite only when no value is NaN or infinite (nor so large that they overflow).
    if not (kinds <= _NONE or (kinds == _FLOAT and math.isfinite(sum(took)) and min(took) >= 0)):
        took = [t if type(t) is float and 0 <= t < _INF else _seconds(t) for t in took]
    ratings = [
        1
        if right is not True
        else 3
        if t is None
        else 4
        if t < EASY_SECONDS
        else 2
        if t > HARD_SECONDS
        else 3
        for right, t in zip(map(get, answers, repeat("correct")), took, strict=True)
    ]
    levels = list(map(get, answers, repeat("confidence"))) if "confidence" in keys else []
    if levels.count(None) != len(levels):
        caps = CONFIDENCE_CAPS
        ratings = [
            caps[level] if type(level) is int and level in caps and rating > caps[level] else rating
            for rating, level in zip(ratings, levels, strict=True)
        ]
    return qids, ratings, took


def _answer_groups(
    title: str,
    answers: list[Any],
    seconds: Mapping[str, Any],
    when: str,
    attempt: str,
    texts: IdTexts | None = None,
) -> list[list[Any]]:
    """Our answers as review groups: the answers to a plain exam one group, made a column at a time."""
    base = _base_title(title)  # worked out once: every id of a plain exam maps to the same card title
    if base is None or not answers:
        return []
    if base != REVIEW_TITLE:
        columns = _answer_columns(answers, seconds, IdTexts() if texts is None else texts)
        if columns is not None:
            return [[base, when, attempt, *columns]]
    return groups_of(_answer_rows(base, title, answers, seconds, when, attempt))


def _answer_rows(
    base: str, title: str, answers: list[Any], seconds: Mapping[str, Any], when: str, attempt: str
) -> list[list[Any]]:
    """Our answers (``{question_id, correct, seconds?, confidence?}``) as rows, one answer at a time; ``base``:
    the card's title (_base_title), worked out once."""
    rows: list[list[Any]] = []
    append = rows.append
    review = base == REVIEW_TITLE
    for entry in answers:
        if not isinstance(entry, _MAPPING):
            continue
        if entry.get("answered") is False:
            continue  # a submitted exam's unanswered question was not recalled, nor tried
        qid = entry.get("question_id")
        if type(qid) is not int and type(qid) is not str:  # JSON's ids: a bool is neither
            continue
        took = entry["seconds"] if "seconds" in entry else seconds.get(str(qid))
        if type(took) is not float or not 0 <= took < _INF:  # NaN fails both comparisons
            took = _seconds(took)
        exam = base
        if review:
            card = card_of(title, qid)
            if card is None:
                continue
            exam, qid = card
        # _rating() written out: two calls per answer were a fifth of this loop.
        if entry.get("correct") is not True:
            rating = 1
        else:
            rating = 3 if took is None else 4 if took < EASY_SECONDS else 2 if took > HARD_SECONDS else 3
            level = entry.get("confidence")
            if level is not None and type(level) is int and level in CONFIDENCE_CAPS:
                cap = CONFIDENCE_CAPS[level]
                rating = cap if rating > cap else rating
        append([exam, qid, rating, when, took, attempt])
    return rows


def reviews_of(
    data: Mapping[str, Any],
    kind: str,
    texts: IdTexts | None = None,
    times: dict[str, datetime | None] | None = None,
) -> tuple[list[list[Any]], str | None]:
    """The reviews one file holds (``kind``: "session" or "results"), as groups, and the exam path it records;
    ``texts``: the ids' str() worked out for the files read before (IdTexts), to share among many files;
    ``times``: gets the reviews' time by its text, parse_when() of it (schedule.Replayer.times).

    A file whose shape is not a session or results file gives no reviews (the store's readers name its
    problem where a learner opens it; here it only has nothing to teach the schedule)."""
    ours = data.get("quiz_widgets")
    ours = ours if isinstance(ours, _MAPPING) else None
    if kind == "results":
        info = data.get("exam_info")
        title = info.get("title") if isinstance(info, _MAPPING) else None
        done = data.get("session_info")
        when = parse_when(done.get("completion_date")) if isinstance(done, _MAPPING) else None
        path = info.get("exam_file_path") if isinstance(info, _MAPPING) else None
    else:
        title = data.get("exam_title")
        start = parse_when(data.get("session_date"))
        timer = data.get("timer_data")
        took = _seconds(timer.get("elapsed_seconds")) if isinstance(timer, _MAPPING) else None
        when = start
        # A damaged timer (past the last date a schedule holds): the attempt's start dates its answers.
        if (
            start is not None
            and took
            and (
                (took <= _SURE_SECONDS and start <= _SURE_START)
                or took <= (_LAST_DATE - start).total_seconds()
            )
        ):
            when = start + timedelta(0, took)  # (days, seconds): no keywords to parse
        path = ours.get("exam_path") if ours is not None else None
    if not isinstance(title, str) or when is None:
        return [], None
    # The recorded exam file names the cards' exam only when the quiz was that exam: a study or review quiz
    # records its own file (a few questions, or review ids), which must not stand for the exam's.
    own = _base_title(title) == title and title != REVIEW_TITLE
    path = path if isinstance(path, str) and path and own else None
    stamp = _stamp(when)
    if times is not None:
        times[stamp] = when  # the replay's parse of the stamp, saved (schedule.Replayer.times)
    if (
        ours is not None
        and ours.get("mode") == "exam"
        and ours.get("submitted") is not True
        and kind != "results"
    ):
        # An exam not yet submitted is ungraded: its answers' correctness must not reach any page (another
        # quiz's finish screen shows the deck's due count) before the learner submits it.
        return [], path
    if ours is not None and isinstance(ours.get("answers"), list):
        started = ours.get("session_date") if kind == "results" else data.get("session_date")
        attempt = f"{title}|{started}"
        seconds = ours.get("seconds") if isinstance(ours.get("seconds"), _MAPPING) else {}
        groups = _answer_groups(title, ours["answers"], seconds, stamp, attempt, texts)
        carried = ours.get("carried_over")
        # (None first: isinstance() of None against Mapping goes through the abc machinery.)
        if carried is not None and isinstance(carried, _MAPPING):  # an original-app session resumed here
            missed = _wrong_rows(carried.get("wrong_answers"), title, stamp, attempt)
            groups = groups_of(rows_of(groups) + missed)  # the misses join the answers' group
        return groups, path
    # The original app's file: the day names the attempt, so its session and results files count once.
    attempt = f"{title}|original|{when.date().isoformat()}"
    if kind == "results":
        try:
            wrong: object = incorrect_answers(data)
        except ValueError:
            wrong = []
    else:
        quiz_mode = data.get("quiz_mode")
        wrong = quiz_mode.get("wrong_answers") if isinstance(quiz_mode, _MAPPING) else []
    return groups_of(_wrong_rows(wrong, title, stamp, attempt)), path


def in_no_file(data: Mapping[str, Any], kind: str) -> bool:
    """Whether a file of ours is an attempt at an exam that was in no file (QuizWidget.from_questions, an
    exam dict): it records no exam path, and its questions are nowhere on disk (the file keeps answers)."""
    ours = data.get("quiz_widgets")
    if not isinstance(ours, _MAPPING):
        return False  # the original app's: its exams are files in exams/
    if kind == "results":
        info = data.get("exam_info")
        title = info.get("title") if isinstance(info, _MAPPING) else None
        path = info.get("exam_file_path") if isinstance(info, _MAPPING) else None
    else:
        title, path = data.get("exam_title"), ours.get("exam_path")
    own = isinstance(title, str) and _base_title(title) == title and title != REVIEW_TITLE
    return own and not path

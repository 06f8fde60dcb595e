"""The deck's first build takes its reviews a column at a time: each file's answers as one group
(history.py's _answer_columns) and every card replayed in one pass in time order (Replayer.cards); and it
looks for the long numbers orjson would misread in a sample of each file's bytes first (files._long_run).

Each is checked here against the one-row-at-a-time way it replaced, which stays the reference (and the path
taken by what the fast way leaves to it): _answer_rows for the answers, and Replayer.card on each card's
rows, gathered in the order of the files, for the cards. Random histories reach what the fast ways must
tell apart: an attempt in a session and a results file, an id twice, an id as a number in one file and as
text in another, files whose answers were given at several times, files that share a time.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fsrs import Scheduler
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quiz_widgets.review.deck import Deck
from quiz_widgets.review.files import _long_run
from quiz_widgets.review.history import IdTexts, _answer_groups, _answer_rows, groups_of, rows_of
from quiz_widgets.review.schedule import Replayer

START = datetime(2026, 1, 5, 8, 30, tzinfo=timezone.utc)


def _replayer() -> Replayer:
    return Replayer(Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False))


# -- the cards -----------------------------------------------------------------------------------------
def _one_by_one(replayer: Replayer, files: list[list[list[Any]]]) -> dict:
    """Every card as card() gives it from its rows, gathered in the files' order (the build before)."""
    by_card: dict[tuple[str, str], list[list[Any]]] = {}
    for row in rows_of(group for groups in files for group in groups):
        by_card.setdefault((row[0], str(row[1])), []).append(row)
    return {key: replayer.card(rows, n) for n, (key, rows) in enumerate(by_card.items(), start=1)}


qids = st.one_of(st.integers(1, 6), st.sampled_from(["2", "3", "x"]))
group = st.tuples(
    st.sampled_from(["Exam A", "Exam B"]),
    st.one_of(st.integers(0, 4), st.integers(0, 24 * 40)),  # hours after START: files may share one
    st.integers(0, 8),  # the attempt: two files of one attempt are its session and its results file
    st.lists(st.tuples(qids, st.integers(1, 4)), min_size=1, max_size=5),
)


@st.composite
def file_and_its_pair(draw: st.DrawFn) -> list[list[tuple]]:
    """A file, and often a second file of the same attempts (a results file: the same ids, other ratings
    maybe, written at the same time or later)."""
    groups = draw(st.lists(group, min_size=1, max_size=3))
    if not draw(st.booleans()):
        return [groups]
    later = draw(st.integers(0, 2))
    pair = [
        (title, hours + later, attempt, [(qid, draw(st.integers(1, 4))) for qid, _ in answers])
        for title, hours, attempt, answers in groups
    ]
    return [groups, pair]


histories = st.lists(file_and_its_pair(), min_size=1, max_size=8).map(lambda f: [g for p in f for g in p])


def _files(history: list[list[tuple]]) -> list[list[list[Any]]]:
    """Files of review groups, in the order of their first time as build.replay hands them over."""
    files = []
    for groups in history:
        rows = [
            [title, qid, rating, (START + timedelta(hours=hours)).isoformat(), None, f"attempt {attempt}"]
            for title, hours, attempt, answers in groups
            for qid, rating in answers
        ]
        files.append(groups_of(rows))
    replayer = _replayer()
    return sorted(files, key=lambda groups: replayer.tick(groups[0][1]))


def _fields(info: Any) -> tuple:
    card = info.card
    return (
        info.exam,
        info.qid,
        info.reviews,
        info.right,
        info.first_right,
        card.card_id,
        card.stability,
        card.difficulty,
        card.due,
        card.last_review,
    )


@settings(max_examples=300, deadline=None)
@given(histories)
def test_one_pass_gives_each_card_what_its_rows_give_bit_for_bit(history: list[list[tuple]]) -> None:
    files = _files(history)
    expected = _one_by_one(_replayer(), files)
    got = _replayer().cards(files)
    assert list(got) == list(expected)  # the same cards, in the order they first come
    assert [_fields(info) for info in got.values()] == [_fields(info) for info in expected.values()]


@settings(max_examples=100, deadline=None)
@given(histories, st.sampled_from([-400, -300, -200, 250, 300]))
def test_one_pass_over_centuries_gives_what_its_rows_give(history: list[list[tuple]], years: int) -> None:
    # The pass takes its times as floats when each time and each difference of two is an exact one (within
    # 285 years of 2000 and of each other), else as ints: one file moved by centuries reaches both ways.
    first, *rest = history
    moved = [(title, hours + 24 * 365 * years, attempt, answers) for title, hours, attempt, answers in first]
    files = _files([moved, *rest])
    expected = _one_by_one(_replayer(), files)
    got = _replayer().cards(files)
    assert list(got) == list(expected)
    assert [_fields(info) for info in got.values()] == [_fields(info) for info in expected.values()]


def test_a_deck_of_sessions_and_results_files_of_the_same_attempts(tmp_path: Path) -> None:
    # Each attempt twice (its session and its results file, written a few minutes apart): its answers
    # count once, as the reference gives them.
    files = _files(
        [
            [("Exam A", day * 24, day, [(1, 3), (2, 1), (3, 4)])]
            for day in range(6)
            for _ in (0, 1)  # the pair
        ]
    )
    got = _replayer().cards(files)
    assert [_fields(info) for info in got.values()] == [
        _fields(info) for info in _one_by_one(_replayer(), files).values()
    ]
    assert {info.reviews for info in got.values()} == {6}


# -- the answers -----------------------------------------------------------------------------------------
numbers = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(0, 200),
    st.integers(-5, 200),
    st.booleans(),
    st.just("12"),
)
answer = st.fixed_dictionaries(
    {
        "question_id": st.one_of(st.integers(1, 8), st.sampled_from(["3", "q"]), st.none(), st.booleans()),
        "answer": st.just("A"),
        "correct": st.one_of(st.booleans(), st.just(1), st.none()),
    },
    optional={
        "confidence": st.one_of(st.integers(0, 4), st.booleans(), st.just("2"), st.none()),
        "answered": st.one_of(st.booleans(), st.just(0), st.none()),
        "seconds": numbers,
    },
)
answers = st.lists(st.one_of(answer, answer, answer, st.just("not an answer"), st.just(7)), max_size=8)


def _same(a: object, b: object) -> bool:
    # NaN is no seconds on either side; a float is compared with its type (30 and 30.0 differ in the state).
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


@settings(max_examples=500, deadline=None)
@given(answers, st.dictionaries(st.sampled_from(["1", "2", "3", "4", "q"]), numbers), st.booleans())
@example(  # a level that is no level (True is not 1), a fast right answer: Easy stays Easy
    [{"question_id": 1, "correct": True, "confidence": True}, {"question_id": 2, "correct": True}],
    {"1": 4.0, "2": 4},  # an int of seconds is a float in the row
    True,
)
@example([{"question_id": 1, "correct": True, "answered": 0}], {"1": math.nan}, True)
@example(  # seconds in one answer, in the map for the other
    [{"question_id": 1, "correct": True, "seconds": 5.0}, {"question_id": 2, "correct": True}],
    {"2": 70.0},
    False,
)
@example([{"question_id": 1, "correct": True, "answered": False}, {"question_id": 2}], {"2": -1.0}, True)
def test_answers_as_columns_are_the_rows_one_at_a_time(entries: list, seconds: dict, plain: bool) -> None:
    if plain:  # the usual files: answers as dicts, their seconds all in the map or all in the answers
        own = sum(isinstance(e, dict) and "seconds" in e for e in entries) > len(entries) / 2
        entries = [e for e in entries if isinstance(e, dict) and ("seconds" in e) == own]
    title, when, attempt = "Exam A", START.isoformat(), "Exam A|start"
    got = _answer_groups(title, entries, seconds, when, attempt, IdTexts())
    expected = groups_of(_answer_rows(title, title, entries, seconds, when, attempt))
    assert [g[:5] for g in got] == [g[:5] for g in expected]
    assert len(got) == len(expected) and all(
        len(a[5]) == len(b[5]) and all(map(_same, a[5], b[5])) for a, b in zip(got, expected, strict=True)
    )
    for a, b in zip(got, expected, strict=True):
        assert [type(x) for x in a[3] + a[4]] == [type(x) for x in b[3] + b[4]]


# -- the state file ----------------------------------------------------------------------------------------
def test_the_state_keeps_each_files_answers_in_one_group_and_the_cards_dates_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "sessions"
    folder.mkdir(parents=True)
    for n in range(3):
        (folder / f"session_2026010{n + 1}_080000.json").write_text(
            json.dumps(
                {
                    "session_date": f"2026-01-0{n + 1}T08:00:00",
                    "exam_title": "Exam A",
                    "quiz_widgets": {
                        "answers": [{"question_id": q, "answer": "A", "correct": q != 2} for q in (1, 2, 3)],
                        "seconds": {"1": 4.5, "2": 30.0, "3": 75.25},
                    },
                }
            )
        )
    deck = Deck(tmp_path)
    state = json.loads((tmp_path / "data" / "review" / "deck.json").read_text())
    groups = [source["groups"] for source in state["sources"].values()]
    assert all(len(g) == 1 and g[0][3:] == [[1, 2, 3], [4, 1, 2], [4.5, 30.0, 75.25]] for g in groups)
    rows = {(row[0], str(row[1])): row for row in state["cards"]}
    for key, info in deck.cards.items():
        assert rows[key][9:] == [info.card.due.isoformat(), info.card.last_review.isoformat()]
    # Opened again, nothing is replayed and the cards are the same.
    again = Deck(tmp_path)
    assert {k: _fields(v)[1:5] + _fields(v)[6:] for k, v in again.cards.items()} == {
        k: _fields(v)[1:5] + _fields(v)[6:] for k, v in deck.cards.items()
    }


# -- the read ----------------------------------------------------------------------------------------------
@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=80).map(lambda b: bytes(48 + x % 10 if x % 3 else x for x in b)))
def test_a_run_of_19_digits_is_found_at_every_offset(raw: bytes) -> None:
    # Mostly digits, so that runs of every length up to past 19 come at every offset from a 4-byte bound.
    assert _long_run(raw) == (max(map(len, _digit_runs(raw)), default=0) >= 19)


def _digit_runs(raw: bytes) -> list[bytes]:
    """The run of digits that ends at each byte."""
    runs, run = [], b""
    for byte in raw:
        run = run + bytes([byte]) if 48 <= byte <= 57 else b""
        runs.append(run)
    return runs


def test_every_offset_of_runs_of_18_and_19_digits() -> None:
    for before in range(8):
        for length in (18, 19, 25):
            raw = b'{"a": "2026-01-05T08:00:00", "n": ' + b" " * before + b"7" * length + b"}"
            assert _long_run(raw) == (length >= 19), (before, length)

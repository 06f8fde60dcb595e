"""The review deck's state file (``data/review/deck.json``) as plain JSON: checked when read, merged when a
file is read again.

``sources``: per session or results file (its path under base_dir), its signature ``[mtime_ns, size]`` (None:
read it again, deck.quiz() answered into it), the exam path it records and its review rows (history.py),
kept in groups that share a title, time and attempt (source_entry);
``cards``: each card as a row, so a deck reopened with no file changed replays nothing. Anything that is not
this shape makes the deck rebuild from the files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import chain
from operator import itemgetter
from typing import Any

from fsrs import Card, State

from quiz_widgets.review.schedule import CardInfo

__all__ = ["card_of_row", "card_row", "keep_times", "known_times", "read_source", "source_entry"]

_RATINGS = frozenset((1, 2, 3, 4))
_ID_TYPES = frozenset((int, str))
_INT = frozenset((int,))
_SECONDS_TYPES = frozenset((type(None), float, int))
_TITLE, _WHEN, _ATTEMPT, _ANSWER = itemgetter(0), itemgetter(3), itemgetter(5), itemgetter(1, 2, 4)


def read_source(entry: object, when: Callable[[str], datetime | None]) -> dict[str, Any] | None:
    """One saved source as the deck keeps it (its review rows spelt out), or None when it is not one:
    its file signature, recorded exam path and review groups (source_entry's shape)."""
    if type(entry) is not dict:
        return None
    sig, path, groups = entry.get("sig"), entry.get("exam_path"), entry.get("groups")
    if not (sig is None or (type(sig) is list and len(sig) == 2 and all(type(x) is int for x in sig))):
        return None
    if not (path is None or type(path) is str) or type(groups) is not list:
        return None
    rows: list[list[Any]] = []
    for group in groups:
        if type(group) is not list or len(group) < 3 or len(group) % 3:
            return None
        title, at, attempt = group[0], group[1], group[2]
        if type(title) is not str or type(at) is not str or type(attempt) is not str or when(at) is None:
            return None
        # Each column checked by a C loop: a state holds every answer ever given.
        qids, ratings, seconds = group[3::3], group[4::3], group[5::3]
        if not (
            set(map(type, qids)) <= _ID_TYPES
            and set(map(type, ratings)) <= _INT
            and set(ratings) <= _RATINGS
            and set(map(type, seconds)) <= _SECONDS_TYPES
        ):
            return None
        rows += [
            [title, qid, rating, at, took, attempt]
            for qid, rating, took in zip(qids, ratings, seconds, strict=True)
        ]
    return {"sig": sig, "exam_path": path, "reviews": rows}


def source_entry(source: dict[str, Any]) -> dict[str, Any]:
    """A source as the state file keeps it: its rows in groups that share a title, a time and an attempt
    (a file's answers share all three), each ``[title, time, attempt, id, rating, seconds, id, ...]``.
    A row each, the state was five times the size and its parse a third of reopening a deck."""
    rows = source["reviews"]
    groups: list[list[Any]] = []
    if (
        rows
        and len(set(map(_TITLE, rows))) == len(set(map(_WHEN, rows))) == len(set(map(_ATTEMPT, rows))) == 1
    ):
        first = rows[0]
        groups.append([first[0], first[3], first[5], *chain.from_iterable(map(_ANSWER, rows))])
    else:
        head: tuple[Any, ...] = ()
        for row in rows:  # in order: consecutive rows of the same title, time and attempt share a group
            if (row[0], row[3], row[5]) == head:
                groups[-1] += (row[1], row[2], row[4])
            else:
                head = (row[0], row[3], row[5])
                groups.append([row[0], row[3], row[5], row[1], row[2], row[4]])
    return {"sig": source["sig"], "exam_path": source["exam_path"], "groups": groups}


def card_row(info: CardInfo) -> list[Any]:
    card = info.card
    return [
        info.exam,
        info.qid,
        info.reviews,
        info.right,
        info.first_right,
        int(card.state),
        card.step,
        card.stability,
        card.difficulty,
        card.due.isoformat(),
        card.last_review.isoformat(),
    ]  # type: ignore[union-attr]


def card_of_row(row: object, when: Callable[[str], datetime | None]) -> CardInfo | None:
    """A saved card back, or None when the row is not one (the deck then replays every card)."""
    if not isinstance(row, list) or len(row) != 11:
        return None
    exam, qid, reviews, right, first, state, step, stability, difficulty, due, last = row
    try:
        card = Card(
            card_id=1,
            state=State(state),
            step=step,
            stability=float(stability),
            difficulty=float(difficulty),
            due=when(due),  # type: ignore[arg-type]
            last_review=when(last),
        )
    except (TypeError, ValueError):
        return None
    if not (
        isinstance(exam, str)
        and isinstance(qid, (int, str))
        and type(reviews) is int
        and type(right) is int
        and isinstance(first, bool)
        and card.due
        and card.last_review
    ):
        return None
    return CardInfo(exam, qid, card, reviews, right, first)


def known_times(sources: Iterable[dict[str, Any]]) -> dict[tuple[Any, ...], list[Any]]:
    """The rows already known, by (card, attempt, rating)."""
    return {(r[0], str(r[1]), r[5], r[2]): r for source in sources for r in source["reviews"]}


def keep_times(known: dict[tuple[Any, ...], list[Any]], new: list[list[Any]]) -> list[list[Any]]:
    """Rows read from a file: an answer already known (same attempt, card and rating, from any file or from
    deck.quiz()) keeps its earlier time, which deck.quiz() took at the answer itself (the files hold the
    attempt's time only), so the session and the results file of one attempt agree with it."""
    kept = []
    for row in new:
        before = known.get((row[0], str(row[1]), row[5], row[2]))
        kept.append(
            [*row[:3], before[3], before[4] if before[4] is not None else row[4], row[5]] if before else row
        )
    return kept

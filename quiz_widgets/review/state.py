"""The review deck's state file (``data/review/deck.json``) as plain JSON: checked when read, merged when a
file is read again.

``sources``: per session or results file (its path under base_dir), its signature ``[mtime_ns, size]`` (None:
read it again, deck.quiz() answered into it), the exam path it records and its review rows (history.py);
``cards``: each card as a row, so a deck reopened with no file changed replays nothing. Anything that is not
this shape makes the deck rebuild from the files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from fsrs import Card, State

from quiz_widgets.review.schedule import CardInfo

__all__ = ["card_of_row", "card_row", "keep_times", "known_times", "valid_source"]

_RATINGS = frozenset((1, 2, 3, 4))


def valid_source(entry: object, when: Callable[[str], datetime | None]) -> bool:
    """One saved source: its file signature, recorded exam path and review rows (history.py's shape)."""
    if type(entry) is not dict:
        return False
    sig, path, reviews = entry.get("sig"), entry.get("exam_path"), entry.get("reviews")
    if not (sig is None or (type(sig) is list and len(sig) == 2 and all(type(x) is int for x in sig))):
        return False
    if not (path is None or type(path) is str) or type(reviews) is not list:
        return False
    stamps = set()
    for row in reviews:  # a tight loop: a state holds every answer ever given
        if type(row) is not list or len(row) != 6:
            return False
        title, qid, rating, at, seconds, attempt = row
        if (
            type(title) is not str
            or type(attempt) is not str
            or (type(qid) is not int and type(qid) is not str)
            or rating not in _RATINGS
            or type(rating) is not int
            or type(at) is not str
            or not (seconds is None or type(seconds) is float or type(seconds) is int)
        ):
            return False
        stamps.add(at)
    # An attempt's rows share one time: each distinct text is parsed once.
    return all(when(at) is not None for at in stamps)


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

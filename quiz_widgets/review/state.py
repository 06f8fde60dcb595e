"""The review deck's state file (``data/review/deck.json``) as plain JSON: read and checked, written
atomically, and its rows merged when a file is read again.

``sources``: per session or results file (its path under base_dir), its source as the deck keeps it
(build.py): its signature ``[mtime_ns, size]`` (None: read it again, deck.quiz() answered into it), the exam
path it records, ``inline`` when its exam was in no file, and its reviews as groups of the rows that share a
title, time and attempt, each ``[title, time, attempt, [ids], [ratings], [seconds]]`` (history.py): the deck
holds them so, the file holds them as they are;
``cards``: each card as a row, so a deck reopened with no file changed replays nothing. Anything that is not
this shape makes the deck rebuild from the files (with a warning that says so).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from fsrs import Card, State

try:  # the `fast` extra; the state is written with json without it
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the environment
    _orjson = None

from quiz_widgets.errors import SessionError
from quiz_widgets.review.files import read_bounded
from quiz_widgets.review.history import rows_of
from quiz_widgets.review.schedule import CardInfo, Key
from quiz_widgets.store.atomic import MAX_FILE_BYTES, atomic_write_bytes, read_json_and_stat

__all__ = [
    "STATE_VERSION",
    "Key",
    "card_of_row",
    "card_row",
    "keep_times",
    "known_times",
    "load_state",
    "read_source",
    "save_state",
]

# 2: a study or review quiz's own exam file is no longer recorded as its cards' exam; 3: rows in groups
STATE_VERSION = 3
When = Callable[[str], datetime | None]

_RATINGS = frozenset((1, 2, 3, 4))
_ID_TYPES = frozenset((int, str))
_INT = frozenset((int,))
_SECONDS_TYPES = frozenset((type(None), float, int))


def read_source(entry: object, when: When) -> dict[str, Any] | None:
    """One saved source as the deck keeps it, or None when it is not one: its file signature, recorded
    exam path and review groups (build.py's shape), each column checked."""
    if type(entry) is not dict:
        return None
    sig, path, groups = entry.get("sig"), entry.get("exam_path"), entry.get("groups")
    if not (sig is None or (type(sig) is list and len(sig) == 2 and all(type(x) is int for x in sig))):
        return None
    if not (path is None or type(path) is str) or type(groups) is not list:
        return None
    for group in groups:
        if type(group) is not list or len(group) != 6:
            return None
        title, at, attempt, qids, ratings, seconds = group
        if type(title) is not str or type(at) is not str or type(attempt) is not str or when(at) is None:
            return None
        # Each column checked by a C loop: a state holds every answer ever given.
        if not (
            type(qids) is list
            and type(ratings) is list
            and type(seconds) is list
            and len(qids) == len(ratings) == len(seconds)
            and set(map(type, qids)) <= _ID_TYPES
            and set(map(type, ratings)) <= _INT
            and set(ratings) <= _RATINGS
            and set(map(type, seconds)) <= _SECONDS_TYPES
        ):
            return None
    # An empty group (no file gives one) would stand for its file's first time without a review in it.
    source = {"sig": sig, "exam_path": path, "groups": [group for group in groups if group[3]]}
    if entry.get("inline") is True:
        source["inline"] = True
    return source


def card_row(info: CardInfo) -> list[Any]:
    """A card as the state file keeps it; its two dates stay datetimes until _encode writes them as
    isoformat() does (orjson writes a datetime so, at a fifth of isoformat's cost)."""
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
        card.due,
        card.last_review,
    ]


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
    return {(r[0], str(r[1]), r[5], r[2]): r for source in sources for r in rows_of(source["groups"])}


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


def load_state(
    path: Path, learner: str | None, when: When
) -> tuple[dict[str, dict[str, Any]], dict[Key, CardInfo] | None, dict[Key, list[Any]]]:
    """The saved sources, cards and the cards' saved rows; ({}, None, {}) when there is no usable state
    (the deck is rebuilt from the files; a state that is there but not usable says so in a warning)."""
    try:
        # The raw bytes' depth is still checked; every row is checked below, which bounds the rest.
        data = _read_state(path)
    except FileNotFoundError:
        return {}, None, {}
    except (SessionError, OSError) as exc:
        warnings.warn(f"{exc}; the review deck is rebuilt from the session and results files", stacklevel=3)
        return {}, None, {}
    saved_sources = data.get("sources")
    sources: dict[str, dict[str, Any]] = {}
    if data.get("version") == STATE_VERSION and isinstance(saved_sources, dict):
        for key, entry in saved_sources.items():
            source = read_source(entry, when)
            if source is None:
                break
            sources[key] = source
    if (
        data.get("version") != STATE_VERSION
        or data.get("learner") != learner
        or not isinstance(saved_sources, dict)
        or len(sources) != len(saved_sources)
    ):
        warnings.warn(
            f"review state file {path}: not a version {STATE_VERSION} review state of learner {learner!r}; "
            "the review deck is rebuilt from the session and results files",
            stacklevel=3,
        )
        return {}, None, {}
    saved = data.get("cards")
    cards: dict[Key, CardInfo] = {}
    rows: dict[Key, list[Any]] = {}
    for row in saved if isinstance(saved, list) else [None]:
        info = card_of_row(row, when)
        if info is None:
            return sources, None, {}  # the reviews are sound: the cards are replayed from them
        cards[(info.exam, str(info.qid))] = info
        rows[(info.exam, str(info.qid))] = row  # type: ignore[assignment]
    return sources, cards, rows


def save_state(
    path: Path,
    learner: str | None,
    sources: dict[str, dict[str, Any]],
    cards: dict[Key, CardInfo],
    saved_rows: dict[Key, list[Any]],
) -> None:
    """Write the state atomically; ``saved_rows``: the rows of cards not replayed since they were read,
    written back as they are. A write that fails is a warning: the files on disk stay the truth, and the
    next deck reads them again."""
    data = {
        "version": STATE_VERSION,
        "learner": learner,
        "sources": sources,  # a source is its entry in the file (read_source)
        "cards": [saved_rows.get(key) or card_row(info) for key, info in cards.items()],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, _encode(data))
    except OSError as exc:
        warnings.warn(f"the review state was not saved: {exc}", stacklevel=3)


def _read_state(path: Path) -> dict[str, Any]:
    """The state file as a dict. With orjson (the `fast` extra) it is parsed there: json's decoder was a
    third of reopening a deck of 23,000 answers; every row is checked after either way, and orjson refuses
    what nests deeper than 1,024 levels itself (json's reader checks the bytes first)."""
    if _orjson is None:
        return read_json_and_stat(path, "review state", check_nesting=False)[0]
    label = f"review state file {path}"
    raw = read_bounded(path)[0]
    if raw is None:
        raise SessionError(f"{label}: larger than {MAX_FILE_BYTES:,} bytes; expected a smaller JSON file")
    try:
        data = _orjson.loads(raw)
    except _orjson.JSONDecodeError as exc:
        raise SessionError(f"{label}: invalid JSON ({exc}); expected JSON") from exc
    if not isinstance(data, dict):
        raise SessionError(f"{label}: not a JSON object; expected the deck's state")
    return data


def _encode(data: dict[str, Any]) -> bytes:
    """The state as compact JSON. Every number in it is finite (history.py keeps finite seconds only, fsrs's
    stabilities are), so orjson, when installed, needs none of dumps_json's NaN check, which would encode
    the whole state a second time with json; nobody reads this file but the deck."""
    if _orjson is not None:
        try:
            return _orjson.dumps(data)
        except TypeError:  # orjson.JSONEncodeError: an integer past 64 bits (a question id json read)
            pass
    return json.dumps(data, allow_nan=False, separators=(",", ":"), default=_isoformat).encode("utf-8")


def _isoformat(value: object) -> str:
    # json's hook for what it cannot write: card_row's datetimes.
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")

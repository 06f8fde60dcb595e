"""The review deck's history and cards: the session and results files read into sources, and each card
replayed from its reviews.

A source is one file's reviews as history.py reads them and as the state file keeps them (state.py),
``{"sig", "exam_path", "groups"}`` (and ``"inline": True`` for an attempt at an exam that was in no file), by
the file's path under base_dir; ``sig`` is ``[mtime_ns, size]`` of what was read, None to read it again;
``groups`` are its reviews in columns (history.py). ``refresh`` reads only the files that are new or changed
since their source was made, and says which cards they touch; ``replay`` replays those cards (or every
card) with schedule.py.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError
from quiz_widgets.review.files import history_files, read_history_file
from quiz_widgets.review.history import IdTexts, group_keeping, groups_of, in_no_file, reviews_of, rows_of
from quiz_widgets.review.schedule import CardInfo, Replayer
from quiz_widgets.review.state import Key, keep_times, known_times

__all__ = ["refresh", "replay"]

Sources = dict[str, dict[str, Any]]
_ATTEMPT = itemgetter(2)  # a review group's attempt


def refresh(
    base_dir: Path,
    sources: Sources,
    learner: str | None,
    *,
    track: bool = True,
    times: dict[str, datetime | None] | None = None,
) -> tuple[set[Key], bool]:
    """Read into ``sources`` the files that are new or changed since they were read, and drop the files
    deleted since: the cards they touch (when ``track``: with no saved cards every card is replayed
    anyway) and whether any file changed. ``times`` gets the times of the reviews read (history.reviews_of),
    so that the replay need not parse them again."""
    touched: set[Key] = set()
    changed = False
    seen: set[str] = set()
    saved = list(sources.values())
    attempts: list[tuple[dict[str, Any], set[str]]] | None = None
    texts = IdTexts()
    for kind, key, entry in history_files(base_dir):
        seen.add(key)
        old = sources.get(key)
        if old is not None and old.get("sig") is not None:
            try:
                st = entry.stat()
            except OSError:
                continue
            if old.get("sig") == [st.st_mtime_ns, st.st_size]:
                continue
        # A file read is signed by the fstat of what was read: no stat of a file the state does not know.
        groups, path, sig, inline = _read(kind, entry, learner, texts, times)
        if sig is None:
            continue  # gone since the listing: looked at again next time
        if saved and groups:  # the times deck.quiz() took are in the saved state, not in new files
            if attempts is None:  # which attempts each saved file holds (usually one)
                attempts = [(source, set(map(_ATTEMPT, source["groups"]))) for source in saved]
            wanted = set(map(_ATTEMPT, groups))
            known = known_times(source for source, names in attempts if not names.isdisjoint(wanted))
            if known:
                groups = groups_of(keep_times(known, rows_of(groups)))
        changed = True
        if track:
            touched |= _keys(groups)
            if old is not None:
                touched |= _keys(old["groups"])
        sources[key] = {"sig": sig, "exam_path": path, "groups": groups}
        if inline:
            sources[key]["inline"] = True
    for key in [k for k, v in sources.items() if k not in seen and v.get("sig") is not None]:
        # A deleted file's answers leave the history with it.
        touched |= _keys(sources.pop(key)["groups"])
        changed = True
    return touched, changed


def _keys(groups: Iterable[list[Any]]) -> set[Key]:
    """The cards these review groups touch."""
    return {(group[0], str(qid)) for group in groups for qid in group[3]}


def _read(
    kind: str,
    entry: os.DirEntry[str],
    learner: str | None,
    texts: IdTexts,
    times: dict[str, datetime | None] | None = None,
) -> tuple[list[list[Any]], str | None, list[int] | None, bool]:
    """The file's review groups, the exam path it records, its signature ([mtime_ns, size]; None when it could
    not be looked at: deleted since the listing) and whether its exam was in no file (history.in_no_file)."""
    try:
        data, st = read_history_file(entry.path, kind)
    except FileNotFoundError:
        return [], None, None, False  # deleted since the listing: its answers left with it
    except (SessionError, OSError) as exc:
        warnings.warn(f"review deck: skipped {exc}", stacklevel=4)
        try:  # signed, so that it is not read (nor warned about) again until it changes
            st = entry.stat()
        except OSError:
            return [], None, None, False
        return [], None, [st.st_mtime_ns, st.st_size], False
    sig = [st.st_mtime_ns, st.st_size]
    if learner is not None and data.get("learner") not in (None, "", learner):
        return [], None, sig, False
    groups, path = reviews_of(data, kind, texts, times)
    return groups, path, sig, in_no_file(data, kind)


def replay(
    replayer: Replayer,
    sources: Sources,
    cards: dict[Key, CardInfo],
    saved_rows: dict[Key, list[Any]],
    keys: set[Key] | None = None,
) -> dict[Key, CardInfo]:
    """The cards with each card of ``keys`` (None: every card, ``cards`` unused) replayed from its reviews
    (schedule.py); a card of ``keys`` with no reviews left is dropped. Replayed cards leave ``saved_rows``."""
    # The files in time order (by their first answer: a file's answers share its time), so that each
    # card's reviews come in order and schedule.py need not sort them.
    tick = replayer.tick
    files = sorted(
        (s["groups"] for s in sources.values() if s["groups"]), key=lambda groups: tick(groups[0][1])
    )
    if keys is not None:
        wanted = _raw_keys(keys)
        titles = {title for title, _ in wanted}
        files = [[_only(group, wanted) for group in groups if group[0] in titles] for groups in files]
    found = replayer.cards(files)
    if keys is None:
        saved_rows.clear()
        return found
    replayed = dict(cards)
    for key in keys:
        saved_rows.pop(key, None)
        if key not in found:
            replayed.pop(key, None)
    replayed.update(found)
    return replayed


def _only(group: list[Any], wanted: set[tuple[str, Any]]) -> list[Any]:
    """The group with only the reviews of ``wanted`` cards (as (title, id) pairs the rows may hold)."""
    title, qids = group[0], group[3]
    return group_keeping(group, [n for n, qid in enumerate(qids) if (title, qid) in wanted])


def _raw_keys(keys: Iterable[Key]) -> set[tuple[str, Any]]:
    """The (title, id) pairs rows may hold for these cards: an id of digits may be a number in a file."""
    raw: set[tuple[str, Any]] = set()
    for title, qid in keys:
        raw.add((title, qid))
        try:
            number = int(qid)
        except ValueError:
            continue
        if str(number) == qid:
            raw.add((title, number))
    return raw

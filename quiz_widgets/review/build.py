"""The review deck's history and cards: the session and results files read into sources, and each card
replayed from its rows.

A source is one file's reviews as history.py reads them, ``{"sig", "exam_path", "reviews"}`` (and
``"inline": True`` for an attempt at an exam that was in no file), by the file's path under base_dir (state.py keeps them in the state file; ``sig`` is ``[mtime_ns, size]`` of what was
read, None to read it again). ``refresh`` reads only the files that are new or changed since their source
was made, and says which cards they touch; ``replay`` replays those cards (or every card) with schedule.py.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError
from quiz_widgets.review.files import history_files, read_history_file
from quiz_widgets.review.history import in_no_file, reviews_of
from quiz_widgets.review.schedule import ATTEMPT, CardInfo, Replayer
from quiz_widgets.review.state import Key, keep_times, known_times

__all__ = ["refresh", "replay"]

Sources = dict[str, dict[str, Any]]


def refresh(
    base_dir: Path, sources: Sources, learner: str | None, *, track: bool = True
) -> tuple[set[Key], bool]:
    """Read into ``sources`` the files that are new or changed since they were read, and drop the files
    deleted since: the cards they touch (when ``track``: with no saved cards every card is replayed
    anyway) and whether any file changed."""
    touched: set[Key] = set()
    changed = False
    seen: set[str] = set()
    saved = list(sources.values())
    attempts: list[tuple[dict[str, Any], set[str]]] | None = None
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
        rows, path, sig, inline = _read(kind, entry, learner)
        if sig is None:
            continue  # gone since the listing: looked at again next time
        if saved and rows:  # the times deck.quiz() took are in the saved state, not in new files
            if attempts is None:  # which attempts each saved file holds (usually one): a C pass
                attempts = [(source, set(map(ATTEMPT, source["reviews"]))) for source in saved]
            wanted = set(map(ATTEMPT, rows))
            known = known_times(source for source, names in attempts if not names.isdisjoint(wanted))
            rows = keep_times(known, rows)
        changed = True
        if track:
            touched |= {(r[0], str(r[1])) for r in rows}
            if old is not None:
                touched |= {(r[0], str(r[1])) for r in old["reviews"]}
        sources[key] = {"sig": sig, "exam_path": path, "reviews": rows}
        if inline:
            sources[key]["inline"] = True
    for key in [k for k, v in sources.items() if k not in seen and v.get("sig") is not None]:
        # A deleted file's answers leave the history with it.
        touched |= {(r[0], str(r[1])) for r in sources.pop(key)["reviews"]}
        changed = True
    return touched, changed


def _read(
    kind: str, entry: os.DirEntry[str], learner: str | None
) -> tuple[list[list[Any]], str | None, list[int] | None, bool]:
    """The file's reviews, the exam path it records, its signature ([mtime_ns, size]; None when it could
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
    rows, path = reviews_of(data, kind)
    return rows, path, sig, in_no_file(data, kind)


def replay(
    replayer: Replayer,
    sources: Sources,
    cards: dict[Key, CardInfo],
    saved_rows: dict[Key, list[Any]],
    keys: set[Key] | None = None,
) -> dict[Key, CardInfo]:
    """The cards with each card of ``keys`` (None: every card, ``cards`` unused) replayed from its rows
    (schedule.py); a card of ``keys`` with no rows left is dropped. Replayed cards leave ``saved_rows``."""
    # The files in time order (by their first answer: a file's answers share its time), so that each
    # card's rows come in order and schedule.py need not sort them.
    tick = replayer.tick
    files = sorted(
        (s["reviews"] for s in sources.values() if s["reviews"]), key=lambda rows: tick(rows[0][3])
    )
    if keys is not None:
        wanted = _raw_keys(keys)
        files = [[r for r in rows if (r[0], r[1]) in wanted] for rows in files]
    # Grouped by (title, id) as the rows hold them, then by the key: str() once per card, not per row.
    by_raw: dict[tuple[str, Any], list[list[Any]]] = {}
    for rows in files:
        for row in rows:
            group = by_raw.get((row[0], row[1]))
            if group is None:
                by_raw[(row[0], row[1])] = [row]
            else:
                group.append(row)
    by_card: dict[Key, list[list[Any]]] = {}
    for (title, qid), rows in by_raw.items():
        key = (title, str(qid))
        if key in by_card:  # the same id as a number in one file and as text in another: file order
            by_card = _by_card(files)
            break
        by_card[key] = rows
    if keys is None:
        replayed: dict[Key, CardInfo] = {}
        saved_rows.clear()
    else:
        replayed = dict(cards)
        for key in keys:
            saved_rows.pop(key, None)
            if key not in by_card:
                replayed.pop(key, None)
    for number, (key, rows) in enumerate(by_card.items(), start=1):
        replayed[key] = replayer.card(rows, number)
    return replayed


def _by_card(files: Iterable[list[list[Any]]]) -> dict[Key, list[list[Any]]]:
    """Every file's rows by card, in file order."""
    by_card: dict[Key, list[list[Any]]] = {}
    for rows in files:
        for row in rows:
            by_card.setdefault((row[0], str(row[1])), []).append(row)
    return by_card


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

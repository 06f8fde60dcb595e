"""The listing cache: a folder's JSON files, parsed once and re-read only when they change.

Per folder, per file name: the listing entry, keyed on (size, mtime_ns, inode) - the inode because our
own writes replace files and can land twice in one mtime tick with the same size. Every call does one
scandir and one stat per file, so a change by any process on any filesystem is seen on the next call (no
inotify: simple and portable beats the few ms a folder watch saved).
Entries are read-only (frozen.py), built once when the file is (re)read, with their "_filepath", and
every call hands out those same objects: a repeat call costs the scandir, the stats and a sort, no copy.
A changed file gets a new entry object; whoever holds the old one keeps the old, unchanged summary.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import gc
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from quiz_widgets.errors import SessionError
from quiz_widgets.store.atomic import MAX_NESTING
from quiz_widgets.store.frozen import FrozenDict, freeze

Load = Callable[[str], tuple[dict, float | None, os.stat_result]]


class _Entry:
    __slots__ = ("error", "ino", "mtime_ns", "row", "size")

    def __init__(
        self, name: str, st: os.stat_result, when: float, item: FrozenDict | None, error: str | None
    ):
        self.size, self.mtime_ns, self.ino = st.st_size, st.st_mtime_ns, st.st_ino
        # The sort row, built once: (when, mtime_ns, name) orders; names are unique, so items never compare.
        self.row = None if item is None else (when, st.st_mtime_ns, name, item)
        self.error = error


class ListingCache:
    # No forget(): every scan lists the folder, so deleted files drop out of the cache on the next call.
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}
        self.order: list[dict] | None = None  # the last listing, sorted; None: sort again next time
        self.lock = threading.Lock()  # one scan at a time per folder: the widget and a thread may both list


# scandir of an fd, and DirEntry.stat() relative to it: POSIX (not Windows).
_STAT_AT = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")


@functools.cache
def _matcher(pattern: str) -> Callable[[str], object]:
    # fnmatch.fnmatchcase, compiled once: it runs for every name of a 10,000-file folder on every call.
    return re.compile(fnmatch.translate(pattern)).match


def scan(folder: Path, pattern: str, cache: ListingCache, load: Load) -> tuple[list[dict], list[str]]:
    """Every readable file of *folder* matching *pattern*, newest first (read-only entries, each with
    ``"_filepath"``), and one message per bad file."""
    match = _matcher(pattern)
    dir_fd = None
    try:
        try:
            if _STAT_AT:
                # Listing the folder's fd makes DirEntry.stat() an fstatat of one name: no walk of the
                # whole path again for each of 10,000 files. The fd stays open until the last stat.
                dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            with os.scandir(folder if dir_fd is None else dir_fd) as it:
                listed = [e for e in it if match(e.name)]
        except FileNotFoundError:
            cache.entries.clear()
            cache.order = None
            return [], []
        except OSError as err:
            return [], [f"{folder}: cannot list it ({err.strerror or err})"]
        return _check(os.fspath(folder), listed, cache, load)
    finally:
        if dir_fd is not None:
            os.close(dir_fd)


def _check(
    folder: str, listed: list[os.DirEntry], cache: ListingCache, load: Load
) -> tuple[list[dict], list[str]]:
    entries = cache.entries
    rows: list[tuple[float, int, str, FrozenDict]] = []
    errors: list[str] = []
    changed = cache.order is None  # a new, changed or vanished file: sort again
    skipped = False  # a file left out for this call only (stat failed): the next call must sort again
    for dir_entry in listed:
        name = dir_entry.name
        entry = entries.get(name)
        if entry is not None:  # known file: one stat says whether it changed
            try:
                st = dir_entry.stat()
            except FileNotFoundError:
                skipped = True
                continue
            except OSError as err:
                skipped = True
                errors.append(f"{os.path.join(folder, name)}: cannot read it ({err.strerror or err})")
                continue
            if st.st_mtime_ns != entry.mtime_ns or st.st_size != entry.size or st.st_ino != entry.ino:
                entry = None
        if entry is None:  # new or changed: read it (the fstat of what was read is the key)
            changed = True
            path = os.path.join(folder, name)  # as DirEntry.path of a scandir(folder) would be
            try:
                fresh, when, fst = load(path)
                fresh["_filepath"] = path
                try:
                    frozen = freeze(fresh, MAX_NESTING)
                except ValueError as err:
                    raise SessionError(f"{path}: {err} (at most {MAX_NESTING} levels)") from None
                entry = _Entry(name, fst, fst.st_mtime if when is None else when, frozen, None)
            except FileNotFoundError:
                entries.pop(name, None)
                continue
            except Exception as err:  # one odd file never breaks the listing; remembered until it changes
                why = str(err) if isinstance(err, SessionError) else f"{path}: {type(err).__name__}: {err}"
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                entry = _Entry(name, st, st.st_mtime, None, why)
            entries[name] = entry
        if entry.error is not None:
            errors.append(entry.error)
            continue
        rows.append(entry.row)
    if changed or skipped or len(entries) != len(listed):
        for gone in entries.keys() - {e.name for e in listed}:
            del entries[gone]
        rows.sort(reverse=True)
        order = [r[3] for r in rows]
        cache.order = None if skipped else order
        return order, errors
    # Nothing changed since the last call: the same entries in the same order (a new list for the caller).
    return list(cache.order), errors  # type: ignore[arg-type]


@contextlib.contextmanager
def gc_paused():
    # A first listing builds tens of thousands of dicts and lists; every 700 allocations would start a
    # cyclic GC pass. JSON trees hold no cycles, so pausing the collector loses nothing and saves a good part
    # of a large listing. The previous state is restored (someone may have turned it off).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

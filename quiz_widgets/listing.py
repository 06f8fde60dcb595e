"""The listing cache: a folder's JSON files, parsed once and re-read only when they change.

Per folder, per file name: the listing entry as a marshal blob, keyed on (size, mtime_ns, inode) - the
inode because our own writes replace files and can land twice in one mtime tick with the same size.
Every call does one scandir and one stat per file, so a change by any process on any filesystem is seen
on the next call (no inotify: simple and portable beats the few ms a folder watch saved).
marshal.loads is the cheapest way CPython has to build an independent copy of a JSON tree (measured
against json.loads of compact bytes, pickle and deepcopy), so callers may mutate what they get.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import gc
import marshal
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

from quiz_widgets.errors import SessionError

Load = Callable[[str], tuple[dict, float | None, os.stat_result]]


class _Entry:
    __slots__ = ("blob", "error", "key", "when")

    def __init__(self, key: tuple, when: float, blob: bytes | None, error: str | None) -> None:
        self.key, self.when, self.blob, self.error = key, when, blob, error


class ListingCache:
    # No forget(): every scan lists the folder, so deleted files drop out of the cache on the next call.
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}
        self.lock = threading.Lock()  # one scan at a time per folder: the widget and a thread may both list


@functools.cache
def _matcher(pattern: str) -> Callable[[str], object]:
    # fnmatch.fnmatchcase, compiled once: it runs for every name of a 10,000-file folder on every call.
    return re.compile(fnmatch.translate(pattern)).match


def _file_key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def scan(folder: Path, pattern: str, cache: ListingCache, load: Load) -> tuple[list[dict], list[str]]:
    """Every readable file of *folder* matching *pattern*, newest first, and one message per bad file."""
    match = _matcher(pattern)
    try:
        with os.scandir(folder) as it:
            listed = [e for e in it if match(e.name)]
    except FileNotFoundError:
        cache.entries.clear()
        return [], []
    except OSError as err:
        return [], [f"{folder}: cannot list it ({err.strerror or err})"]
    rows: list[tuple[float, int, str, dict]] = []
    errors: list[str] = []
    for dir_entry in listed:
        name, path = dir_entry.name, dir_entry.path
        entry = cache.entries.get(name)
        fresh = None
        if entry is not None:  # known file: one stat says whether it changed
            try:
                st = dir_entry.stat()
            except FileNotFoundError:
                continue
            except OSError as err:
                errors.append(f"{path}: cannot read it ({err.strerror or err})")
                continue
            if _file_key(st) != entry.key:
                entry = None
        if entry is None:  # new or changed: read it (the fstat of what was read is the key)
            try:
                fresh, when, fst = load(path)
                entry = _Entry(
                    _file_key(fst), fst.st_mtime if when is None else when, marshal.dumps(fresh), None
                )
            except FileNotFoundError:
                cache.entries.pop(name, None)
                continue
            except Exception as err:  # one odd file never breaks the listing; remembered until it changes
                why = str(err) if isinstance(err, SessionError) else f"{path}: {type(err).__name__}: {err}"
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                entry = _Entry(_file_key(st), st.st_mtime, None, why)
            cache.entries[name] = entry
        if entry.error is not None:
            errors.append(entry.error)
            continue
        item = fresh if fresh is not None else marshal.loads(entry.blob)  # the cache keeps only bytes
        item["_filepath"] = path
        rows.append((entry.when, entry.key[1], name, item))
    for gone in cache.entries.keys() - {e.name for e in listed}:
        del cache.entries[gone]
    rows.sort(reverse=True)  # (when, mtime_ns, name): names are unique, so the dicts are never compared
    return [r[3] for r in rows], errors


@contextlib.contextmanager
def gc_paused():
    # A listing builds tens of thousands of dicts and lists; every 700 allocations would start a cyclic
    # GC pass. JSON trees hold no cycles, so pausing the collector loses nothing and saves a good part of a
    # large listing. The previous state is restored (someone may have turned it off).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

"""Session and results files of the original app's layout: SessionManager, check_session, listing cache.

Sessions live in ``<base>/data/sessions/session_YYYYMMDD_HHMMSS.json`` and results in
``<base>/results/quiz_results_YYYYMMDD_HHMMSS_ffffff.json`` (see docs/architecture.md). How one file is
written and read safely is atomic.py; the per-session writer lock is locks.py. Their public names are
re-exported here, because callers (and older code) import everything from ``quiz_widgets.storage``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import gc
import marshal
import math
import os
import re
import threading
import warnings
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

from quiz_widgets.atomic import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    atomic_write_json,
    create_exclusive,
    parse_json_bytes,
    read_json_and_stat,
    read_json_file,
    short_repr,
)
from quiz_widgets.errors import SessionError
from quiz_widgets.locks import SessionLock

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "RESULTS_GLOB",
    "SESSION_GLOB",
    "SessionLock",
    "SessionManager",
    "atomic_write_json",
    "check_session",
    "parse_json_bytes",
    "read_json_file",
]

SESSION_GLOB = "session_*.json"
RESULTS_GLOB = "quiz_results_*.json"
# What a listing entry keeps of the "quiz_widgets" block: enough to find the exam. The answers and the
# question order grow with every answer and are only needed to resume, which reads the whole file.
LISTED_EXTENSION_KEYS = ("format_version", "exam_path", "exam_fingerprint")


def _now() -> datetime:
    # One indirection so tests can freeze the clock (many sessions created "within one second").
    return datetime.now()


# --------------------------------------------------------------------------------------------------
# Structural checks


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_seconds(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def check_session(data: Mapping, source: str = "<dict>") -> None:
    """Light structural check of a session dict; SessionError naming the field on the first problem.

    Only what the seed defines is checked, and only when present: files from the original app lack
    ``quit_by_user`` and sometimes ``timer_data``, and stay valid. The ``quiz_widgets`` block belongs to
    state.py, which checks its contents on resume; here it only has to be an object.
    """

    def bad(field: str, value: object, expected: str) -> SessionError:
        return SessionError(
            f"session file {source}: field {field!r} is {short_repr(value)}; expected {expected}"
        )

    for key in ("session_date", "exam_title"):
        if key in data and not isinstance(data[key], str):
            raise bad(key, data[key], "a string")
    if "total_questions" in data and not _is_count(data["total_questions"]):
        raise bad("total_questions", data["total_questions"], "a non-negative integer")
    if "quiz_mode" in data:
        quiz_mode = data["quiz_mode"]
        if not isinstance(quiz_mode, dict):
            raise bad("quiz_mode", quiz_mode, "an object")
        for key in ("score", "total_answered"):
            if key in quiz_mode and not _is_count(quiz_mode[key]):
                raise bad(f"quiz_mode.{key}", quiz_mode[key], "a non-negative integer")
        if "wrong_answers" in quiz_mode:
            wrong = quiz_mode["wrong_answers"]
            if not isinstance(wrong, list):
                raise bad("quiz_mode.wrong_answers", wrong, "a list")
            for i, entry in enumerate(wrong):
                if not isinstance(entry, dict):
                    raise bad(f"quiz_mode.wrong_answers[{i}]", entry, "an object")
    if "timer_data" in data:
        timer = data["timer_data"]
        if not isinstance(timer, dict):
            raise bad("timer_data", timer, "an object")
        if "elapsed_seconds" in timer and not _is_seconds(timer["elapsed_seconds"]):
            raise bad("timer_data.elapsed_seconds", timer["elapsed_seconds"], "a non-negative number")
        for key in ("completed", "auto_saved", "emergency_saved", "quit_by_user"):
            if key in timer and not isinstance(timer[key], bool):
                raise bad(f"timer_data.{key}", timer[key], "true or false")
    if "quiz_widgets" in data and not isinstance(data["quiz_widgets"], dict):
        raise bad("quiz_widgets", data["quiz_widgets"], "an object")


def _check_results(data: Mapping, source: str) -> None:
    # Just enough for the listing: the blocks we read must be objects, incorrect answers a list.
    for key in ("exam_info", "session_info", "performance", "detailed_results"):
        if key in data and not isinstance(data[key], dict):
            raise SessionError(
                f"results file {source}: field {key!r} is {short_repr(data[key])}; expected an object"
            )
    wrong = data.get("detailed_results", {}).get("incorrect_answers", [])
    if not isinstance(wrong, list):
        raise SessionError(
            f"results file {source}: field 'detailed_results.incorrect_answers' is {short_repr(wrong)}; "
            "expected a list"
        )


def _timestamp(value: object) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


# --------------------------------------------------------------------------------------------------
# Listing cache
#
# Per folder, per file name: the listing entry as a marshal blob, keyed on (size, mtime_ns, inode) - the
# inode because our own writes replace files and can land twice in one mtime tick with the same size.
# Every call does one scandir and one stat per file, so a change by any process on any filesystem is seen
# on the next call. marshal.loads is the cheapest way CPython has to build an independent copy of a JSON
# tree (measured against json.loads of compact bytes, pickle and deepcopy), so callers may mutate entries.

_Load = Callable[[str], tuple[dict, float | None, os.stat_result]]


class _Entry:
    __slots__ = ("blob", "error", "key", "when")

    def __init__(self, key: tuple, when: float, blob: bytes | None, error: str | None) -> None:
        self.key, self.when, self.blob, self.error = key, when, blob, error


class _ListingCache:
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


def _scan(folder: Path, pattern: str, cache: _ListingCache, load: _Load) -> tuple[list[dict], list[str]]:
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
def _gc_paused():
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


def _listing_entry(data: dict) -> dict:
    ours = data.get("quiz_widgets")
    if isinstance(ours, dict):
        data["quiz_widgets"] = {k: ours[k] for k in LISTED_EXTENSION_KEYS if k in ours}
    return data


# --------------------------------------------------------------------------------------------------
# SessionManager


class SessionManager:
    """The original app's SessionManager, made crash-safe. Folders are created on first write."""

    def __init__(self, base_dir: str | os.PathLike[str] = ".") -> None:
        self.base_dir = Path(base_dir)
        self.sessions_dir = self.base_dir / "data" / "sessions"
        self.results_dir = self.base_dir / "results"
        self._session_cache = _ListingCache()
        self._results_cache = _ListingCache()

    def __repr__(self) -> str:
        return f"SessionManager(base_dir={str(self.base_dir)!r})"

    # sessions ------------------------------------------------------------------------------------

    def save_session(self, data: Mapping, filepath: str | os.PathLike[str] | None = None) -> Path:
        """Write *data* atomically; None -> a new ``session_YYYYMMDD_HHMMSS[_n].json`` (never overwrites).

        An explicit *filepath* is overwritten (that is how a resumed session is saved). The in-memory
        ``_filepath`` key is never written to the file.
        """
        payload = {k: v for k, v in data.items() if k != "_filepath"}
        if filepath is None:
            return create_exclusive(self.sessions_dir, _now().strftime("session_%Y%m%d_%H%M%S"), payload)
        path = Path(filepath)
        try:
            atomic_write_json(path, payload)
        except FileNotFoundError:  # first save into a new folder: create it only when needed
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_json(path, payload)
        return path

    def load_session(self, path: str | os.PathLike[str]) -> dict:
        """Read and check one whole session file; the dict gets ``"_filepath"`` (str)."""
        path = Path(path)
        data = read_json_file(path, what="session")
        check_session(data, str(path))
        data["_filepath"] = str(path)
        return data

    def find_study_sessions(self) -> list[dict]:
        """Every readable session, newest first (session_date, then mtime), each with ``"_filepath"``.

        Entries are summaries, independent copies the caller may change: the seed's fields and any other
        top-level keys as saved, but the ``"quiz_widgets"`` block only keeps format_version, exam_path
        and exam_fingerprint (its answers and question order are left out, so a repeat listing stays
        cheap). ``load_session(entry["_filepath"])`` gives the whole file, as needed to resume.
        A bad file is skipped with one ``warnings.warn`` naming it and saying why; nothing raises.
        """

        def load(path: str) -> tuple[dict, float | None, os.stat_result]:
            data, st = read_json_and_stat(path, "session")
            check_session(data, path)
            return _listing_entry(data), _timestamp(data.get("session_date")), st

        return self._list(self.sessions_dir, SESSION_GLOB, self._session_cache, load)

    def delete_session(self, path: str | os.PathLike[str]) -> None:
        """Delete one session file; only ``session_*.json`` files directly inside sessions_dir."""
        path = Path(path)
        if os.path.realpath(path.parent) != os.path.realpath(self.sessions_dir):
            raise SessionError(
                f"session file {path}: is not inside {self.sessions_dir}; expected a file in that folder"
            )
        if not fnmatch.fnmatchcase(path.name, SESSION_GLOB):
            raise SessionError(f"session file {path}: name {path.name!r}; expected a session_*.json name")
        if path.is_dir():
            raise SessionError(f"session file {path}: is a folder; expected a session_*.json file")
        os.unlink(path)

    def clear_all_sessions(self) -> int:
        """Delete every ``session_*.json`` file in sessions_dir (not folders, not other files)."""
        count = 0
        try:
            with os.scandir(self.sessions_dir) as it:
                files = [e.path for e in it if fnmatch.fnmatchcase(e.name, SESSION_GLOB) and not e.is_dir()]
        except FileNotFoundError:
            files = []
        for path in files:
            with contextlib.suppress(FileNotFoundError):  # someone else deleted it first
                os.unlink(path)
                count += 1
        return count

    # results -------------------------------------------------------------------------------------

    def save_results(self, results: Mapping) -> Path:
        """Write a results file ``quiz_results_YYYYMMDD_HHMMSS_ffffff.json`` atomically, never overwriting."""
        payload = {k: v for k, v in results.items() if k != "_filepath"}
        return create_exclusive(self.results_dir, _now().strftime("quiz_results_%Y%m%d_%H%M%S_%f"), payload)

    def find_completed_results(self) -> list[dict]:
        """Whole results files with at least one incorrect answer, newest first, each with ``"_filepath"``."""

        def load(path: str) -> tuple[dict, float | None, os.stat_result]:
            data, st = read_json_and_stat(path, "results")
            _check_results(data, path)
            return data, _timestamp(data.get("session_info", {}).get("completion_date")), st

        found = self._list(self.results_dir, RESULTS_GLOB, self._results_cache, load)
        return [r for r in found if r.get("detailed_results", {}).get("incorrect_answers")]

    def aggregate_all_incorrect_answers(self) -> list[dict]:
        """Wrong answers from every results file, unique by (exam, question id); see results.py."""
        # Lazy import: results.py pulls in the exam model, which plain listing does not need.
        from quiz_widgets.results import aggregate_all_incorrect_answers

        return aggregate_all_incorrect_answers(self.find_completed_results())

    # shared listing ------------------------------------------------------------------------------

    def _list(self, folder: Path, pattern: str, cache: _ListingCache, load: _Load) -> list[dict]:
        with cache.lock, _gc_paused():
            found, errors = _scan(folder, pattern, cache, load)
        for message in errors:  # outside the lock: a warnings filter set to "error" must not deadlock
            warnings.warn(f"skipped {message}", UserWarning, stacklevel=3)
        return found

"""Session and results files on disk: atomic writes, tolerant reads, listing cache, session locks.

The file formats are the original app's (see docs/architecture.md and the seed): sessions live in
``<base>/data/sessions/session_YYYYMMDD_HHMMSS.json`` and results in
``<base>/results/quiz_results_YYYYMMDD_HHMMSS_ffffff.json``. Everything a user (or a crash) can do to those
files ends up as a ``SessionError`` naming the file, never as a bare JSON/Unicode/Recursion error.
"""

from __future__ import annotations

import contextlib
import fnmatch
import gc
import json
import marshal
import math
import os
import stat as stat_module
import struct
import sys
import tempfile
import threading
import time
import warnings
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "RESULTS_GLOB",
    "SESSION_GLOB",
    "SessionLock",
    "SessionManager",
    "atomic_write_json",
    "read_json_file",
]

SESSION_GLOB = "session_*.json"
RESULTS_GLOB = "quiz_results_*.json"
# A real session or results file is a few kB (a 1,000-answer session is ~200 kB); anything this big is
# not ours, and reading it whole could stall the kernel.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Real files nest 5 levels deep. The limit keeps every later recursive walk (copying, the widget layer,
# json.dumps) far away from Python's recursion limit, whatever the file contains.
MAX_NESTING = 64


def _now() -> datetime:
    # One indirection so tests can freeze the clock (many sessions created "within one second").
    return datetime.now()


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --------------------------------------------------------------------------------------------------
# Atomic writes


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable. Not every platform/filesystem can open or fsync a folder
    # (Windows, some network mounts); the data file was already fsynced, so this is best effort.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _oserror_with_path(err: OSError, path: Path, action: str) -> OSError:
    # Same errno -> same subclass (PermissionError, FileNotFoundError...), but the message always names
    # the file the caller asked for, not a temp file the caller never heard of.
    reason = err.strerror or str(err) or type(err).__name__
    if err.errno is not None:
        return OSError(err.errno, f"cannot {action} {path}: {reason}", str(path))
    return OSError(f"cannot {action} {path}: {reason}")


_INDENT_LIMIT = 64 * 1024


def _dumps(data: object) -> bytes:
    # ASCII escapes, as the original app writes, so any platform encoding reads the file; no NaN/Infinity
    # (not JSON). indent=2 like the original app for readability - but json only has a C encoder without
    # indent, and the pure-Python one costs ~10 ms per 200 kB, paid on every answer; so big files (a
    # 1,000-answer session) are written compact. Both read the same everywhere.
    text = json.dumps(data, allow_nan=False)
    if len(text) <= _INDENT_LIMIT:
        text = json.dumps(data, indent=2, allow_nan=False)
    return text.encode("ascii")


def _write_temp(folder: Path, name: str, payload: bytes) -> str:
    """Write *payload* to a fresh, fsynced temp file in *folder*; return its path."""
    # Dot prefix + .tmp suffix: never matches session_*.json / quiz_results_*.json, so neither we nor
    # the original app ever lists a half-written file.
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def atomic_write_json(path: str | os.PathLike[str], data: object) -> None:
    """Write *data* as JSON to *path* so that a crash at any instant leaves the old or the new file.

    Serialization happens first, so an unserializable value (TypeError/ValueError) touches no file.
    OSError propagates (same subclass) with *path* in the message; the temp file is always removed.
    """
    path = Path(path)
    payload = _dumps(data)
    folder = path.parent
    try:
        tmp = _write_temp(folder, path.name, payload)
        try:
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        raise _oserror_with_path(err, path, "write") from err
    _fsync_dir(folder)


def _create_exclusive(folder: Path, stem: str, data: object) -> Path:
    """Create ``<stem>.json`` (or ``<stem>_2.json``, ``_3``...) in *folder* without ever replacing a file.

    The complete, fsynced temp file is hard-linked to the new name: link() fails if the name exists, so
    two writers (threads or processes) can never pick the same name, and the name never points at a
    partial file. Filesystems without hard links fall back to an O_EXCL reservation + rename.
    """
    payload = _dumps(data)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        tmp = _write_temp(folder, stem, payload)
    except OSError as err:
        raise _oserror_with_path(err, folder / f"{stem}.json", "write") from err
    try:
        for n in range(1, 100_000):
            target = folder / (f"{stem}.json" if n == 1 else f"{stem}_{n}.json")
            try:
                os.link(tmp, target)
            except FileExistsError:
                continue
            except OSError as err:
                if not _link_unsupported(err):
                    raise _oserror_with_path(err, target, "write") from err
                try:
                    # Reserve the name; the rename below fills it atomically.
                    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                except FileExistsError:
                    continue
                except OSError as err2:
                    raise _oserror_with_path(err2, target, "write") from err2
                try:
                    os.replace(tmp, target)
                except OSError as err2:
                    with contextlib.suppress(OSError):
                        os.unlink(target)
                    raise _oserror_with_path(err2, target, "write") from err2
            _fsync_dir(folder)
            return target
        raise OSError(f"cannot write in {folder}: no free name for {stem}.json")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _link_unsupported(err: OSError) -> bool:
    import errno

    return isinstance(err, (NotImplementedError, PermissionError)) or err.errno in {
        errno.EPERM,
        errno.EXDEV,
        errno.EMLINK,
        getattr(errno, "ENOTSUP", -1),
        getattr(errno, "EOPNOTSUPP", -1),
        getattr(errno, "ENOSYS", -1),
    }


# --------------------------------------------------------------------------------------------------
# Tolerant reads


def _nesting_depth_exceeds(value: object, limit: int) -> bool:
    # Iterative on purpose: a recursive walk is exactly what deep nesting is meant to break.
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def read_json_file(path: str | os.PathLike[str], *, what: str = "session") -> dict:
    """Read a JSON object from *path*.

    FileNotFoundError stays FileNotFoundError (the caller may want to say "gone"); every other problem -
    a folder, no permission, too large, undecodable bytes, a syntax error (with line and column), nesting
    too deep, a top level that is not an object - is a SessionError naming the file.
    """
    return _read_json(Path(path), what)[0]


def _read_json(path: str | Path, what: str) -> tuple[dict, os.stat_result]:
    # One path lookup (open) and an fstat: the listing reads 10,000 files and path lookups are what cost.
    # The fstat is returned so the listing cache keys on exactly the file that was read.
    label = f"{what} file {path}"
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise
    except IsADirectoryError as err:  # Windows; POSIX opens folders read-only and fstat tells
        raise SessionError(f"{label}: is a folder; expected a JSON file") from err
    except OSError as err:
        raise SessionError(
            f"{label}: cannot read it ({err.strerror or err}); expected a readable JSON file"
        ) from err
    try:
        st = os.fstat(fd)
        if stat_module.S_ISDIR(st.st_mode):
            raise SessionError(f"{label}: is a folder; expected a JSON file")
        if st.st_size > MAX_FILE_BYTES:
            raise SessionError(
                f"{label}: {st.st_size:,} bytes; expected a JSON file of at most {MAX_FILE_BYTES:,} bytes"
            )
        chunks = []
        size = 0
        while True:
            chunk = os.read(fd, max(st.st_size + 1, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_FILE_BYTES:  # grew after fstat
                raise SessionError(
                    f"{label}: larger than {MAX_FILE_BYTES:,} bytes; expected a smaller JSON file"
                )
            if size == st.st_size and stat_module.S_ISREG(st.st_mode):
                break  # the whole file as fstat saw it: spare the extra read() that would return b""
    except OSError as err:
        raise SessionError(
            f"{label}: cannot read it ({err.strerror or err}); expected a readable JSON file"
        ) from err
    finally:
        os.close(fd)
    return parse_json_bytes(b"".join(chunks), label), st


def parse_json_bytes(raw: bytes, label: str) -> dict:
    """Parse *raw* as a JSON object; *label* ("session file /x/y.json") prefixes every SessionError."""
    try:
        # utf-8-sig: files saved by Windows editors may start with a BOM; the JSON itself is the same.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SessionError(
            f"{label}: byte {err.start} is not valid UTF-8 ({_short(raw[err.start : err.start + 4])}); "
            "expected a UTF-8 JSON text"
        ) from err
    if not text.strip():
        raise SessionError(f"{label}: the file is empty; expected a JSON object")
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as err:
        raise SessionError(
            f"{label}: invalid JSON at line {err.lineno} column {err.colno}: {err.msg}; expected JSON"
        ) from err
    except RecursionError as err:
        raise SessionError(
            f"{label}: nested too deeply to read; expected a JSON object at most {MAX_NESTING} levels deep"
        ) from err
    except ValueError as err:  # NaN/Infinity, or an integer with more digits than Python converts
        raise SessionError(f"{label}: {err}; expected standard JSON values") from err
    if not isinstance(data, dict):
        raise SessionError(
            f"{label}: top level is {type(data).__name__} {_short(data)}; expected a JSON object"
        )
    # Nesting needs at least MAX_NESTING brackets; counting them (in C) spares the walk for real files.
    if text.count("[") + text.count("{") > MAX_NESTING and _nesting_depth_exceeds(data, MAX_NESTING):
        raise SessionError(
            f"{label}: nested more than {MAX_NESTING} levels deep; expected a flat JSON object"
        )
    return data


def _reject_constant(name: str) -> Any:
    # Python reads and writes NaN/Infinity, but they are not JSON: other tools (and our own strict
    # writer, allow_nan=False) would choke on the file later, far from the cause.
    raise ValueError(f"{name} is not a JSON number")


# One decoder for every file: json.loads(..., parse_constant=...) would build a new one per call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


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
        return SessionError(f"session file {source}: field {field!r} is {_short(value)}; expected {expected}")

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
                f"results file {source}: field {key!r} is {_short(data[key])}; expected an object"
            )
    detailed = data.get("detailed_results", {})
    if "incorrect_answers" in detailed and not isinstance(detailed["incorrect_answers"], list):
        raise SessionError(
            f"results file {source}: field 'detailed_results.incorrect_answers' is "
            f"{_short(detailed['incorrect_answers'])}; expected a list"
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
# Two layers. Per file: the parsed content (as a marshal blob: marshal.loads is the cheapest way CPython
# has to build an independent copy of a JSON tree, so callers can mutate what they get) keyed on
# (name, size, mtime_ns, inode) - the inode because our own writes replace files and can land twice in one
# mtime tick with the same size. Per folder (Linux): an inotify generation counter. When nothing in the
# folder changed since the last listing, even the per-file stat calls are skipped; a stat costs a path
# lookup, which is most of what a plain json.load loop costs, so without this a repeat listing could not be
# 10x faster than reading everything again. Network filesystems only report local changes to inotify, so
# the per-file check still runs at least every _REVALIDATE_SECONDS.

_REVALIDATE_SECONDS = 5.0
_USE_INOTIFY = sys.platform.startswith("linux")

_IN_MASK = (
    0x2  # IN_MODIFY
    | 0x4  # IN_ATTRIB
    | 0x8  # IN_CLOSE_WRITE
    | 0x40  # IN_MOVED_FROM
    | 0x80  # IN_MOVED_TO
    | 0x100  # IN_CREATE
    | 0x200  # IN_DELETE
    | 0x400  # IN_DELETE_SELF
    | 0x800  # IN_MOVE_SELF
)
_IN_Q_OVERFLOW = 0x4000
_IN_IGNORED = 0x8000
_EVENT = struct.Struct("iIII")


class _Inotify:
    """One inotify descriptor per process; tells whether a folder may have changed since a token."""

    def __init__(self) -> None:
        import ctypes

        self._libc = ctypes.CDLL(None, use_errno=True)
        self._libc.inotify_add_watch.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        fd = self._libc.inotify_init1(os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.fd = fd
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._epoch = 0  # bumped on queue overflow: every folder counts as changed
        self._gen: dict[int, int] = {}
        self._wd: dict[tuple[int, int], int] = {}  # (st_dev, st_ino) of the folder -> watch descriptor

    def token(self, folder: Path, dir_id: tuple[int, int]) -> tuple[int, int, int] | None:
        """A value that differs after any change inside *folder*; None if it cannot be watched."""
        with self._lock:
            wd = self._wd.get(dir_id)
            if wd is None:
                wd = self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _IN_MASK)
                if wd < 0:  # out of watches, no permission...: the caller falls back to stat
                    return None
                self._wd[dir_id] = wd
                self._gen.setdefault(wd, 0)
                self._gen[wd] += 1  # a fresh watch knows nothing about the past
            self._drain()
            if self._wd.get(dir_id) != wd:  # the folder went away while we drained
                return None
            return (self._epoch, wd, self._gen[wd])

    def _drain(self) -> None:
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError:
                self._epoch += 1
                return
            if not buf:
                return
            offset = 0
            while offset + _EVENT.size <= len(buf):
                wd, mask, _cookie, length = _EVENT.unpack_from(buf, offset)
                offset += _EVENT.size + length
                if mask & _IN_Q_OVERFLOW:
                    self._epoch += 1
                    continue
                self._gen[wd] = self._gen.get(wd, 0) + 1
                if mask & _IN_IGNORED:  # watch gone (folder deleted/unmounted): forget it
                    for key in [k for k, v in self._wd.items() if v == wd]:
                        del self._wd[key]


_inotify: _Inotify | None = None
_inotify_failed = False
_inotify_lock = threading.Lock()


def _watcher() -> _Inotify | None:
    global _inotify, _inotify_failed
    if not _USE_INOTIFY or _inotify_failed:
        return None
    with _inotify_lock:
        # After fork the descriptor is shared with the parent: reading it would steal the parent's events.
        if _inotify is None or _inotify.pid != os.getpid():
            try:
                _inotify = _Inotify()
            except (OSError, AttributeError):
                _inotify_failed = True
                return None
        return _inotify


class _Entry:
    __slots__ = ("blob", "error", "key", "when")

    def __init__(self, key: tuple, when: float, blob: bytes | None, error: str | None) -> None:
        self.key, self.when, self.blob, self.error = key, when, blob, error


class _Snapshot:
    __slots__ = ("blob", "checked", "dir_key", "errors", "token")

    def __init__(self, dir_key, token, blob: bytes, errors: list[str], checked: float) -> None:
        self.dir_key, self.token, self.blob, self.errors, self.checked = dir_key, token, blob, errors, checked


class _ListingCache:
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}
        self.snapshot: _Snapshot | None = None
        self.lock = threading.Lock()  # one scan at a time per folder: the widget and a thread may both list

    def forget(self, name: str | None = None) -> None:
        with self.lock:
            self.snapshot = None
            if name is None:
                self.entries.clear()
            else:
                self.entries.pop(name, None)


def _file_key(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ino)


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
            stem = _now().strftime("session_%Y%m%d_%H%M%S")
            return _create_exclusive(self.sessions_dir, stem, payload)
        path = Path(filepath)
        try:
            atomic_write_json(path, payload)
        except (
            FileNotFoundError
        ):  # first save into a new folder: create it only when needed (saves a syscall)
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_json(path, payload)
        return path

    def load_session(self, path: str | os.PathLike[str]) -> dict:
        """Read and check one session file; the dict gets ``"_filepath"`` (str)."""
        path = Path(path)
        data = read_json_file(path, what="session")
        check_session(data, str(path))
        data["_filepath"] = str(path)
        return data

    def find_study_sessions(self) -> list[dict]:
        """Every readable session, newest first (session_date, then mtime), each with ``"_filepath"``.

        A bad file is skipped with one ``warnings.warn`` naming it and saying why; nothing raises.
        """

        def load(path: str) -> tuple[dict, float | None, os.stat_result]:
            data, st = _read_json(path, "session")
            check_session(data, str(path))
            return data, _timestamp(data.get("session_date")), st

        return self._scan(self.sessions_dir, SESSION_GLOB, self._session_cache, load)

    def delete_session(self, path: str | os.PathLike[str]) -> None:
        """Delete one session file; only ``session_*.json`` files directly inside sessions_dir."""
        path = Path(path)
        self._check_own_session_path(path)
        if path.is_dir():
            raise SessionError(f"session file {path}: is a folder; expected a session_*.json file")
        os.unlink(path)
        self._session_cache.forget(path.name)

    def clear_all_sessions(self) -> int:
        """Delete every ``session_*.json`` file in sessions_dir (not folders, not other files)."""
        count = 0
        for entry in self._session_entries():
            if entry.is_dir():
                continue
            with contextlib.suppress(FileNotFoundError):  # someone else deleted it first
                os.unlink(entry.path)
                count += 1
        self._session_cache.forget()
        return count

    def _session_entries(self) -> list[os.DirEntry]:
        try:
            with os.scandir(self.sessions_dir) as it:
                return [e for e in it if fnmatch.fnmatchcase(e.name, SESSION_GLOB)]
        except FileNotFoundError:
            return []

    def _check_own_session_path(self, path: Path) -> None:
        where = os.path.realpath(path.parent)
        if where != os.path.realpath(self.sessions_dir):
            raise SessionError(
                f"session file {path}: is not inside {self.sessions_dir}; expected a file in that folder"
            )
        if not fnmatch.fnmatchcase(path.name, SESSION_GLOB):
            raise SessionError(f"session file {path}: name {path.name!r}; expected a session_*.json name")

    # results -------------------------------------------------------------------------------------

    def save_results(self, results: Mapping) -> Path:
        """Write a results file ``quiz_results_YYYYMMDD_HHMMSS_ffffff.json`` atomically, never overwriting."""
        payload = {k: v for k, v in results.items() if k != "_filepath"}
        stem = _now().strftime("quiz_results_%Y%m%d_%H%M%S_%f")
        return _create_exclusive(self.results_dir, stem, payload)

    def find_completed_results(self) -> list[dict]:
        """Results files with at least one incorrect answer, newest first, each with ``"_filepath"``."""

        def load(path: str) -> tuple[dict, float | None, os.stat_result]:
            data, st = _read_json(path, "results")
            _check_results(data, str(path))
            return data, _timestamp(data.get("session_info", {}).get("completion_date")), st

        found = self._scan(self.results_dir, RESULTS_GLOB, self._results_cache, load)
        return [r for r in found if r.get("detailed_results", {}).get("incorrect_answers")]

    def aggregate_all_incorrect_answers(self) -> list[dict]:
        """Wrong answers from every results file, unique by (exam, question id); see results.py."""
        # Lazy import: results.py pulls in the exam model, which plain listing does not need.
        from quiz_widgets.results import aggregate_all_incorrect_answers

        return aggregate_all_incorrect_answers(self.find_completed_results())

    # shared listing ------------------------------------------------------------------------------

    def _scan(
        self,
        folder: Path,
        pattern: str,
        cache: _ListingCache,
        load: Callable[[str], tuple[dict, float | None, os.stat_result]],
    ) -> list[dict]:
        with cache.lock, _gc_paused():
            found, errors = self._scan_locked(folder, pattern, cache, load)
        for message in errors:  # outside the lock: a warnings filter set to "error" must not deadlock
            warnings.warn(f"skipped {message}", UserWarning, stacklevel=3)
        return found

    def _scan_locked(self, folder, pattern, cache, load) -> tuple[list[dict], list[str]]:
        try:
            dst = os.stat(folder)
        except FileNotFoundError:
            cache.entries.clear()
            cache.snapshot = None
            return [], []
        except OSError as err:
            return [], [f"{folder}: cannot list it ({err.strerror or err})"]
        dir_key = (dst.st_dev, dst.st_ino, dst.st_mtime_ns)
        watcher = _watcher()
        # Taken before scanning, so a change during the scan shows up as a new token next time.
        token = watcher.token(folder, (dst.st_dev, dst.st_ino)) if watcher is not None else None
        now = time.monotonic()
        snap = cache.snapshot
        if (
            token is not None
            and snap is not None
            and snap.token == token
            and snap.dir_key == dir_key
            and now - snap.checked < _REVALIDATE_SECONDS
        ):
            return marshal.loads(snap.blob), list(snap.errors)  # one C call builds every copy

        try:
            with os.scandir(folder) as it:
                names = [e.name for e in it if fnmatch.fnmatchcase(e.name, pattern)]
        except FileNotFoundError:
            return [], []
        except OSError as err:
            return [], [f"{folder}: cannot list it ({err.strerror or err})"]
        rows: list[tuple[float, int, str, dict]] = []
        errors: list[str] = []
        folder_str = os.fspath(folder)
        for name in names:
            path = os.path.join(folder_str, name)  # str, not Path: Path() costs more than the stat
            entry = cache.entries.get(name)
            st = None
            if entry is not None:  # known file: one stat says whether it changed
                try:
                    st = os.stat(path)
                except FileNotFoundError:
                    continue
                except OSError as err:
                    errors.append(f"{path}: cannot read it ({err.strerror or err})")
                    continue
                if _file_key(st) != entry.key:
                    entry = None
            fresh = None
            if entry is None:  # new or changed: read it (its fstat is the key)
                try:
                    data, when, fst = load(path)
                    entry = _Entry(_file_key(fst), when if when is not None else fst.st_mtime, None, None)
                    entry.blob = marshal.dumps(data)
                    fresh: dict | None = data  # only the blob is cached: this object can go to the caller
                except FileNotFoundError:
                    cache.entries.pop(name, None)
                    continue
                except SessionError as err:
                    st = st or _stat_or_none(path)
                    if st is None:
                        continue
                    entry = _Entry(_file_key(st), st.st_mtime, None, str(err))
                except Exception as err:  # one odd file never breaks the listing
                    st = st or _stat_or_none(path)
                    if st is None:
                        continue
                    entry = _Entry(_file_key(st), st.st_mtime, None, f"{path}: {type(err).__name__}: {err}")
                cache.entries[name] = entry
            if entry.error is not None:
                errors.append(entry.error)
                continue
            item = fresh if fresh is not None else marshal.loads(entry.blob)  # callers may mutate it
            item["_filepath"] = path
            rows.append((entry.when, entry.key[1], name, item))
        for stale in set(cache.entries) - set(names):
            del cache.entries[stale]
        rows.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
        found = [r[3] for r in rows]
        cache.snapshot = _Snapshot(dir_key, token, marshal.dumps(found), errors, now) if token else None
        return found, errors


@contextlib.contextmanager
def _gc_paused():
    # A listing builds tens of thousands of dicts and lists; each 700 allocations would start a cyclic
    # GC pass over the whole heap. JSON trees hold no cycles, so pausing the collector loses nothing and
    # saves about a third of a large listing. The previous state is restored (someone may have turned it off).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _stat_or_none(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


# --------------------------------------------------------------------------------------------------
# Session locks

_registry_lock = threading.Lock()
# Canonical session path -> the SessionLock object holding it in this process. Weak, so a lock object
# dropped without release() (its flock fd closes with it) does not block the file for the process.
_holders: dict[str, weakref.ref[SessionLock]] = {}


class SessionLock:
    """One live writer per session file, across processes and within one.

    The OS lock is ``filelock.FileLock`` (flock on POSIX): the kernel drops it when the process dies,
    so a crashed kernel never leaves a stale lock. The lock file is ``<session folder>/.locks/<name>.lock``,
    out of sight of ``session_*.json`` globs. flock alone is re-entrant for the same object, and behaves
    differently on other platforms, so a process-level registry makes a second SessionLock on the same file
    in this process report "not acquired" too. Who may take over is the widget layer's decision.
    """

    def __init__(self, session_path: str | os.PathLike[str]) -> None:
        self.session_path = Path(session_path)
        self.lock_path = self.session_path.parent / ".locks" / f"{self.session_path.name}.lock"
        self._key = os.path.realpath(self.session_path)
        self._file_lock: Any = None
        self._held = False

    def __repr__(self) -> str:
        return f"SessionLock({str(self.session_path)!r}, held={self._held})"

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> bool:
        """Try once, without waiting. True if this object now holds the lock (or already did)."""
        if self._held:
            return True
        import filelock  # lazy: only writers need it

        with _registry_lock:
            ref = _holders.get(self._key)
            owner = ref() if ref is not None else None
            if owner is not None and owner is not self and owner._held:
                return False
            try:
                self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise _oserror_with_path(err, self.lock_path.parent, "create lock folder") from err
            lock = filelock.FileLock(str(self.lock_path), thread_local=False)
            try:
                lock.acquire(blocking=False)
            except filelock.Timeout:
                return False
            except NotImplementedError:
                # A filesystem without flock (some network mounts): fall back to this process's registry
                # rather than refusing to save the user's answers.
                warnings.warn(
                    f"{self.lock_path}: this filesystem cannot lock files; another process could write "
                    "the same session",
                    UserWarning,
                    stacklevel=2,
                )
                lock = None
            self._file_lock = lock
            self._held = True
            _holders[self._key] = weakref.ref(self)
            return True

    def release(self) -> None:
        """Release if held; safe to call any number of times."""
        with _registry_lock:
            if not self._held:
                return
            self._held = False
            lock, self._file_lock = self._file_lock, None
            ref = _holders.get(self._key)
            if ref is not None and ref() is self:
                del _holders[self._key]
            if lock is not None:
                with contextlib.suppress(Exception):
                    lock.release(force=True)

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

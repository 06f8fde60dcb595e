"""JSON files that survive crashes and hostile content: atomic writes, exclusive new names, tolerant reads.

A crash at any instant leaves the old or the new file, never a mix; a new name is never taken twice and
never points at a partial file. Anything a user (or a crash) can do to a file's bytes ends up as a
``SessionError`` naming the file, never as a bare JSON/Unicode/Recursion error.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat as stat_module
import tempfile
import time
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.nesting import NESTING_LIMIT, too_deep
from quiz_widgets.store.drive import O_BINARY, saves_whole, write_whole

__all__ = [
    "DECODE_NESTING_LIMIT",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "atomic_write_bytes",
    "atomic_write_json",
    "check_raw_nesting",
    "defer_folder_sync",
    "parse_json_bytes",
    "read_json_file",
]

# A real session or results file is a few kB (a 1,000-answer session is ~200 kB); anything this big is
# not ours, and reading it whole could stall the kernel.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Real files nest 5 levels deep. The limit keeps every later recursive walk (copying, the widget layer,
# json.dumps) far away from Python's recursion limit, whatever the file contains.
MAX_NESTING = 64
# The bytes are checked against this before any decoder sees them (quiz_widgets/nesting.py says why);
# MAX_NESTING then applies to what was decoded.
DECODE_NESTING_LIMIT = NESTING_LIMIT


def oserror_with_path(err: OSError, path: Path, action: str) -> OSError:
    # Same errno -> same subclass (PermissionError, FileNotFoundError...), but the message always names
    # the file the caller asked for, not a temp file the caller never heard of.
    reason = err.strerror or str(err) or type(err).__name__
    if err.errno is not None:
        return OSError(err.errno, f"cannot {action} {path}: {reason}", str(path))
    return OSError(f"cannot {action} {path}: {reason}")


# --------------------------------------------------------------------------------------------------
# Writes

_INDENT_LIMIT = 64 * 1024

try:  # orjson, when installed (the `fast` extra), encodes a session 10-15x faster than json
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the environment
    _orjson = None


def dumps_json(data: object) -> bytes:
    # ASCII escapes, as the original app writes, so any platform encoding reads the file; no NaN/Infinity
    # (not JSON). indent=2 like the original app for readability, except for big files (a 1,000-answer
    # session): json's indent runs its pure-Python encoder (~5 ms per 200 kB, paid on every answer).
    if _orjson is not None:
        fast = _dumps_orjson(data)
        if fast is not None:
            return fast
    text = json.dumps(data, allow_nan=False)
    if len(text) <= _INDENT_LIMIT:
        text = json.dumps(data, indent=2, allow_nan=False)
    return text.encode("ascii")


def _dumps_orjson(data: object) -> bytes | None:
    """The same bytes json.dumps would write, or None where orjson's output would differ: non-ASCII text
    (json escapes it), keys that are not strings (json converts or refuses them), or a possible NaN/Infinity
    (orjson writes null where json refuses: checked by json's C encoder only when a null is present)."""
    try:
        compact = _orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    if not compact.isascii() or (b"null" in compact and not _no_nan(data)):
        return None
    if len(compact) > _INDENT_LIMIT:
        # json's compact form has spaces after "," and ":"; orjson's has none. Both parse the same, and a
        # big file is not read by people: the size limit is what decides, checked on orjson's bytes.
        return compact
    return _orjson.dumps(data, option=_orjson.OPT_INDENT_2)


def _no_nan(data: object) -> bool:
    try:
        json.dumps(data, allow_nan=False)
    except ValueError:
        return False
    return True


def fsync_dir(folder: Path) -> None:
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


# mkstemp creates files 0600; a session or results file should get the mode any other file would (an
# instructor gathers results files). Read once: os.umask can only be read by setting it.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
NEW_FILE_MODE = 0o666 & ~_UMASK


def _mode_for(path: Path) -> int:
    try:
        return stat_module.S_IMODE(path.stat().st_mode)
    except OSError:
        return NEW_FILE_MODE


def _set_mode(fd: int, path: str, mode: int) -> None:
    # os.fchmod is missing on Windows before Python 3.13; chmod by fd where the platform has it, else by
    # name (the temp file is ours and unlisted). Windows keeps only the read-only bit of a mode anyway.
    # A filesystem without modes (FAT, some network mounts) refuses chmod: the file then keeps mkstemp's
    # 0600, which costs nothing but the mode, while failing the save would cost the answers.
    try:
        if os.chmod in os.supports_fd:
            os.chmod(fd, mode)
        else:
            os.chmod(path, mode)
    except (OSError, NotImplementedError):
        pass


def _write_temp(folder: Path, name: str, payload: bytes, mode: int = NEW_FILE_MODE) -> str:
    """Write *payload* to a fresh, fsynced temp file in *folder* with *mode*; return its path."""
    # Dot prefix + .tmp suffix: never matches session_*.json / quiz_results_*.json, so neither we nor
    # the original app ever lists a half-written file.
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            _set_mode(fh.fileno(), tmp, mode)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


STALE_TEMP_SECONDS = 3600.0


def sweep_stale_temp(folder: Path, prefix: str, older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete our temp files that a killed writer left behind; returns how many.

    Only files older than *older_than*: a temp file lives for milliseconds, so an old one has no writer.
    """
    removed = 0
    cutoff = time.time() - older_than
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(f".{prefix}") and entry.name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed += 1
    return removed


def atomic_write_json(path: str | os.PathLike[str], data: object) -> None:
    """Write *data* as JSON to *path* so that a crash at any instant leaves the old or the new file.

    Serialization happens first, so an unserializable value (TypeError/ValueError) touches no file.
    OSError propagates (same subclass) with *path* in the message; the temp file is always removed.
    On JupyterLite's drive an existing file is written in place, whole (see saves_whole). Inside
    ``defer_folder_sync()`` the folder's fsync after the rename is the caller's.
    """
    atomic_write_bytes(path, dumps_json(data))


def atomic_write_bytes(path: str | os.PathLike[str], payload: bytes) -> None:
    """atomic_write_json for bytes the caller encoded (a cache whose values it knows are finite)."""
    path = Path(path)
    folder = path.parent
    if saves_whole(folder):
        try:
            if write_whole(path, payload):
                return
        except OSError as err:
            raise oserror_with_path(err, path, "write") from err
    try:
        tmp = _write_temp(folder, path.name, payload, _mode_for(path))
        try:
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as err:
        raise oserror_with_path(err, path, "write") from err
    deferred = _deferred_folders.get()
    if deferred is None:
        fsync_dir(folder)
    else:
        deferred.append(folder)


# The folders whose fsync after a rename a caller took on (defer_folder_sync); None: fsync at once.
_deferred_folders: ContextVar[list[Path] | None] = ContextVar("quiz_widgets_deferred_folders", default=None)


@contextlib.contextmanager
def defer_folder_sync() -> Iterator[list[Path]]:
    """Within it, an overwrite (atomic_write_json, atomic_write_bytes) leaves out its folder's fsync after
    the rename and adds the folder to the list this yields, for the caller to ``fsync_dir`` a moment
    later. The file is complete, fsynced and in place all the same (any process, and a crash of this one,
    sees it whole); only the rename's survival of a power cut waits for that fsync. A new file
    (create_exclusive) keeps its folder's fsync. A context variable rather than a keyword, so that
    SessionManager.save_session keeps the seed's signature (code that wraps it goes on working)."""
    folders: list[Path] = []
    token = _deferred_folders.set(folders)
    try:
        yield folders
    finally:
        _deferred_folders.reset(token)


def create_exclusive(folder: Path, stem: str, data: object) -> Path:
    """Create ``<stem>.json`` (or ``<stem>_2.json``, ``_3``...) in *folder* without ever replacing a file.

    The complete, fsynced temp file is hard-linked to the new name: link() fails if the name exists, so
    two writers (threads or processes) can never pick the same name, and the name never points at a
    partial file. Filesystems without hard links, and platforms without ``os.link`` (Pyodide), fall back to
    an O_EXCL reservation + rename. On JupyterLite's drive (saves_whole) the O_EXCL name is written directly.
    """
    payload = dumps_json(data)
    # Where the folder is known to be on the drive it exists: made again, the check that it is a folder
    # would be a request (saves_whole asks only about a folder that exists).
    if saves_whole(folder):
        try:
            return _create_whole(folder, stem, payload)
        except FileNotFoundError:
            pass  # the folder was deleted since: made again below
    folder.mkdir(parents=True, exist_ok=True)
    if saves_whole(folder):
        return _create_whole(folder, stem, payload)
    try:
        tmp = _write_temp(folder, stem, payload)
    except OSError as err:
        raise oserror_with_path(err, folder / f"{stem}.json", "write") from err
    link = getattr(os, "link", None)  # Pyodide has no os.link at all (AttributeError, not OSError)
    try:
        for n in range(1, 100_000):
            target = folder / (f"{stem}.json" if n == 1 else f"{stem}_{n}.json")
            try:
                if link is None:
                    raise NotImplementedError("os.link")
                link(tmp, target)
            except FileExistsError:
                continue
            except (OSError, NotImplementedError) as err:
                if not _link_unsupported(err):
                    raise oserror_with_path(err, target, "write") from err
                try:
                    # Reserve the name; the rename below fills it atomically.
                    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
                except FileExistsError:
                    continue
                except OSError as err2:
                    raise oserror_with_path(err2, target, "write") from err2
                try:
                    os.replace(tmp, target)
                except OSError as err2:
                    with contextlib.suppress(OSError):
                        os.unlink(target)
                    raise oserror_with_path(err2, target, "write") from err2
            fsync_dir(folder)
            return target
        raise OSError(f"cannot write in {folder}: no free name for {stem}.json")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _create_whole(folder: Path, stem: str, payload: bytes) -> Path:
    """create_exclusive where the drive stores a file whole on its close (saves_whole): the name is taken
    with O_EXCL and the payload written into it; the temp file, the fsyncs and the rename would each be
    a request and buy nothing. Only the instant between taking the name and the close sees an empty file,
    as the O_EXCL reservation of the temp-file path does there too."""
    for n in range(1, 100_000):
        target = folder / (f"{stem}.json" if n == 1 else f"{stem}_{n}.json")
        try:
            fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY | O_BINARY, NEW_FILE_MODE)
        except FileExistsError:
            continue
        except OSError as err:
            raise oserror_with_path(err, target, "write") from err
        try:
            try:
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
        except OSError as err:
            with contextlib.suppress(OSError):
                os.unlink(target)  # a name with a partial file would be listed
            raise oserror_with_path(err, target, "write") from err
        return target
    raise OSError(f"cannot write in {folder}: no free name for {stem}.json")


def _link_unsupported(err: OSError | NotImplementedError) -> bool:
    if isinstance(err, (NotImplementedError, PermissionError)):
        return True
    return err.errno in {
        errno.EPERM,
        errno.EXDEV,
        errno.EMLINK,
        getattr(errno, "ENOTSUP", -1),
        getattr(errno, "EOPNOTSUPP", -1),
        getattr(errno, "ENOSYS", -1),
    }


# --------------------------------------------------------------------------------------------------
# Reads


def read_json_file(path: str | os.PathLike[str], *, what: str = "session") -> dict:
    """Read a JSON object from *path*.

    FileNotFoundError stays FileNotFoundError (the caller may want to say "gone"); every other problem -
    a folder, no permission, too large, undecodable bytes, a syntax error (with line and column), nesting
    too deep, a top level that is not an object - is a SessionError naming the file.
    """
    return read_json_and_stat(Path(path), what)[0]


def read_json_and_stat(
    path: str | Path, what: str, *, check_nesting: bool = True
) -> tuple[dict, os.stat_result]:
    """read_json_file plus the fstat of the file that was read (the listing cache keys on exactly it).

    check_nesting=False leaves the depth check to the caller: the listing freezes what it keeps with a
    depth limit anyway, and a second walk of the whole tree would cost it a sixth of a first listing.
    """
    label = f"{what} file {path}"
    # One path lookup (open) and an fstat: path lookups are what a 10,000-file listing pays for.
    try:
        fd = os.open(path, os.O_RDONLY | O_BINARY)
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
        limit = MAX_FILE_BYTES
        if st.st_size > limit:
            raise SessionError(
                f"{label}: {st.st_size:,} bytes; expected a JSON file of at most {limit:,} bytes"
            )
        chunks = []
        size = 0
        while True:
            chunk = os.read(fd, max(st.st_size + 1, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # grew after fstat
                raise SessionError(f"{label}: larger than {limit:,} bytes; expected a smaller JSON file")
            if size == st.st_size and stat_module.S_ISREG(st.st_mode):
                break  # the whole file as fstat saw it: spare the extra read() that would return b""
    except OSError as err:
        raise SessionError(
            f"{label}: cannot read it ({err.strerror or err}); expected a readable JSON file"
        ) from err
    finally:
        os.close(fd)
    return parse_json_bytes(b"".join(chunks), label, check_nesting=check_nesting), st


def parse_json_bytes(raw: bytes, label: str, *, check_nesting: bool = True) -> dict:
    """Parse *raw* as a JSON object; *label* ("session file /x/y.json") prefixes every SessionError."""
    check_raw_nesting(raw, label)
    try:
        # utf-8-sig: files saved by Windows editors may start with a BOM; the JSON itself is the same.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad = shown(raw[err.start : err.start + 4])
        raise SessionError(
            f"{label}: byte {err.start} is not valid UTF-8 ({bad}); expected a UTF-8 JSON text"
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
            f"{label}: top level is {type(data).__name__} {shown(data)}; expected a JSON object"
        )
    # Nesting needs at least MAX_NESTING brackets; counting them (in C) spares the walk for real files.
    if (
        check_nesting
        and text.count("[") + text.count("{") > MAX_NESTING
        and _nesting_exceeds(data, MAX_NESTING)
    ):
        raise SessionError(
            f"{label}: nested more than {MAX_NESTING} levels deep; expected a flat JSON object"
        )
    return data


def check_raw_nesting(raw: bytes, label: str, limit: int = DECODE_NESTING_LIMIT) -> None:
    """SessionError if *raw* opens more than *limit* arrays/objects inside one another outside strings
    (quiz_widgets/nesting.py: no decoding, no recursion)."""
    found = too_deep(raw, limit)
    if found is not None:
        offset, depth = found
        raise SessionError(
            f"{label}: nested too deeply to read: byte {offset:,} opens level {depth:,}; "
            f"expected a JSON object at most {limit:,} levels deep (not decoded)"
        )


def _nesting_exceeds(value: object, limit: int) -> bool:
    # Iterative on purpose: a recursive walk is exactly what deep nesting is meant to break. Exact type
    # checks (json only makes dict and list) and no generator: this runs for most files of a listing.
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        if depth > limit:
            return True
        for child in item.values() if type(item) is dict else item:
            kind = type(child)
            if kind is dict or kind is list:
                push((child, depth + 1))
    return False


def _reject_constant(name: str) -> Any:
    # Python reads and writes NaN/Infinity, but they are not JSON: other tools (and our own strict
    # writer, allow_nan=False) would choke on the file later, far from the cause.
    raise ValueError(f"{name} is not a JSON number")


# One decoder for every file: json.loads(..., parse_constant=...) would build a new one per call.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)

"""SessionLock: one live writer per session file, across processes and within one."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
import uuid
import warnings
import weakref
from pathlib import Path
from typing import Any, NamedTuple

from quiz_widgets.nesting import too_deep
from quiz_widgets.store.atomic import (
    NEW_FILE_MODE,
    atomic_write_bytes,
    atomic_write_json,
    dumps_json,
    oserror_with_path,
)
from quiz_widgets.store.drive import O_BINARY, rewrite_whole, saves_whole

__all__ = ["LEASE_SECONDS", "RENEW_SECONDS", "SessionLock", "prepare_lease_folder", "uses_lease"]

# Where the OS has no file lock (Pyodide), a lock file holds a lease: its holder rewrites the heartbeat every
# RENEW_SECONDS (on the asyncio heartbeat, or on a save when the heartbeat is late); one not renewed for
# LEASE_SECONDS is stale, and a new writer may take it over. Three renewals fit in a lease, so one late
# heartbeat loses nothing. The holder keeps its lease in memory between renewals: an answer's save reads
# no lock file (each read is a drive request in JupyterLite).
LEASE_SECONDS = 15.0
RENEW_SECONDS = 5.0
# None: decided by the platform. Tests set True to run the lease in CPython.
FORCE_LEASE: bool | None = None
_LEASE_MAX_BYTES = 4096


def uses_lease() -> bool:
    """True where session locks are leases rather than OS locks.

    Decided by platform, not by whether ``fcntl.flock`` can be called: the JupyterLite kernel replaces
    ``fcntl`` with an empty module (filelock then leaves a soft lock file that outlives the tab), and
    plain Pyodide has an ``fcntl.flock`` that locks nothing.
    """
    if FORCE_LEASE is not None:
        return FORCE_LEASE
    return sys.platform == "emscripten"


class Lease(NamedTuple):
    owner: str | None  # None: the file could not be read as a lease (being written, or not ours)
    heartbeat: float

    def fresh(self, now: float) -> bool:
        # A heartbeat far in the future (another clock, an edited file) must not block the session forever.
        return -LEASE_SECONDS < now - self.heartbeat < LEASE_SECONDS


def read_lease(path: Path) -> Lease | None:
    """The lease in *path*, or None when there is no file. An unreadable one counts from its mtime."""
    try:
        # os.open and os.read, not open(): the io layer's fstat is one more drive request in JupyterLite,
        # and the file time is needed only for a lease that cannot be read.
        fd = os.open(path, os.O_RDONLY | O_BINARY)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise oserror_with_path(err, path, "read lock file") from err
    try:
        raw = b""
        while len(raw) <= _LEASE_MAX_BYTES and (chunk := os.read(fd, _LEASE_MAX_BYTES + 1 - len(raw))):
            raw += chunk
        return _parse_lease(raw) or Lease(None, os.fstat(fd).st_mtime)
    except OSError as err:
        raise oserror_with_path(err, path, "read lock file") from err
    finally:
        os.close(fd)


def _parse_lease(raw: bytes) -> Lease | None:
    """The lease *raw* holds; None if it holds none."""
    try:
        # A lease nests one level; a deeper file is not ours, and its decoder could kill Pyodide.
        data = json.loads(raw) if len(raw) <= _LEASE_MAX_BYTES and too_deep(raw, 4) is None else None
        return Lease(str(data["owner"]), float(data["heartbeat"]))
    except (ValueError, KeyError, TypeError):
        return None


_registry_lock = threading.Lock()
# Canonical session path -> the SessionLock object holding it in this process. Weak, so a lock object
# dropped without release() (its flock fd closes with it) does not block the file for the process.
_holders: dict[str, weakref.ref[SessionLock]] = {}


class SessionLock:
    """One live writer per session file, across processes and within one.

    The OS lock is ``filelock.FileLock`` (flock on POSIX): the kernel drops it when the process dies,
    so a crashed kernel never leaves a stale lock. Where there is no OS lock (Pyodide, see uses_lease)
    the lock file holds a lease that its writer renews and a new writer may take over once stale. The lock file is ``<session folder>/.locks/<name>.lock``,
    out of sight of ``session_*.json`` globs. flock alone is re-entrant for the same object, and behaves
    differently on other platforms, so a process-level registry makes a second SessionLock on the same file
    in this process report "not acquired" too. Who may take over is the widget layer's decision.
    """

    def __init__(self, session_path: str | os.PathLike[str], *, resolved: bool = False) -> None:
        """``resolved``: *session_path* is already the file's real path (resolving it again costs a
        request per folder in JupyterLite)."""
        self.session_path = Path(session_path)
        self.lock_path = _lock_folder(self.session_path.parent) / f"{self.session_path.name}.lock"
        self._key = str(self.session_path) if resolved else os.path.realpath(self.session_path)
        self._file_lock: Any = None
        self._held = False
        self._ident: tuple[int, int] | None = None
        # A lease instead of an OS lock (see uses_lease); its owner id is this object's, never reused.
        self.lease = uses_lease()
        self.owner_id = uuid.uuid4().hex
        # The heartbeat of our lease as we last wrote or read it back: the lease cannot have been taken
        # before it goes stale, so until then it need not be read back (see still_held).
        self._confirmed = float("-inf")

    def __repr__(self) -> str:
        return f"SessionLock({str(self.session_path)!r}, held={self._held})"

    @property
    def held(self) -> bool:
        return self._held

    def acquire(self) -> bool:
        """Try once, without waiting. True if this object now holds the lock (or already did)."""
        if self._held:
            return True
        if not self.lease:
            # Lazy, and not for a lease: only writers with an OS lock need it (a first import searches
            # the working folder, a drive request in JupyterLite).
            import filelock
        with _registry_lock:
            ref = _holders.get(self._key)
            owner = ref() if ref is not None else None
            if owner is not None and owner is not self and owner._held:
                return False
            if self.lease:
                # The folder is made only when missing: asked first, its check is a request on the drive.
                if not self._take_lease():
                    return False
                self._held = True
                _holders[self._key] = weakref.ref(self)
                return True
            self._make_folder()
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
            self._ident = _file_ident(self.lock_path)
            _holders[self._key] = weakref.ref(self)
            return True

    def _make_folder(self) -> None:
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise oserror_with_path(err, self.lock_path.parent, "create lock folder") from err

    def _take_lease(self) -> bool:
        """Create the lease, or take over a stale one; True if the lease file names us afterwards."""
        now = time.time()
        claim = {"owner": self.owner_id, "heartbeat": now}
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_BINARY
        try:
            try:
                fd = os.open(self.lock_path, flags, NEW_FILE_MODE)
            except FileNotFoundError:
                self._make_folder()
                fd = os.open(self.lock_path, flags, NEW_FILE_MODE)
        except FileExistsError:
            current = read_lease(self.lock_path)
            if current is not None and current.owner != self.owner_id and current.fresh(now):
                return False
            # Stale (its writer's tab or kernel is gone): replace it whole. Two writers may race here; the
            # last replace wins, and each reads back which one did.
            try:
                atomic_write_json(self.lock_path, claim)
            except OSError as err:
                raise oserror_with_path(err, self.lock_path, "take over lock file") from err
            # A racing writer may replace it after our read: until our first renewal, every check reads
            # the lease back (still_held), so the loser of a race learns it before its next save.
            back = read_lease(self.lock_path)
            return back is not None and back.owner == self.owner_id
        except OSError as err:
            raise oserror_with_path(err, self.lock_path, "create lock file") from err
        else:
            # os.write, not a file object: its fstat would be one more drive request.
            try:
                view = memoryview(json.dumps(claim).encode("ascii"))
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
        # O_EXCL is two requests apart on the drive (a lookup, then the file made): another tab may have
        # made the same file between them, and the last one stored wins. Read back which one did.
        return self._read_back()

    def _read_back(self) -> bool:
        """Whether the lease file names us; remembers its heartbeat when it does."""
        back = read_lease(self.lock_path)
        if back is None or back.owner != self.owner_id:
            return False
        self._confirmed = back.heartbeat
        return True

    def renew(self) -> bool:
        """A lease: rewrite its heartbeat if it still names us (False: another writer took it over).
        An OS lock needs no renewal: whether it is still held."""
        if not self.lease:
            return self.still_held()
        if not self._held:
            return False
        now = time.time()
        claim = dumps_json({"owner": self.owner_id, "heartbeat": now})
        if saves_whole(self.lock_path.parent):
            # On the drive one open reads the lease back and its close stores the renewal: 2 requests,
            # where a read-back and then a write were 3 (5 with the io layer's fstats).
            def renewed(old: bytes) -> bytes | None:
                back = _parse_lease(old)
                return claim if back is not None and back.owner == self.owner_id else None

            try:
                ours = rewrite_whole(self.lock_path, renewed, _LEASE_MAX_BYTES)
            except OSError as err:
                raise oserror_with_path(err, self.lock_path, "renew lock file") from err
            if not ours:
                return False
        else:
            if not self._read_back():
                return False
            atomic_write_bytes(self.lock_path, claim)
        self._confirmed = now
        return True

    def renew_if_due(self) -> bool:
        """renew() once the lease is older than still_held trusts (LEASE_SECONDS - RENEW_SECONDS); else
        whether held.

        A save calls this: the heartbeat renews the lease every RENEW_SECONDS, and a save renews it only
        when the heartbeat is a whole beat late (a busy or throttled tab), not on every answer, since each
        renewal reads and writes the drive.
        """
        if self.lease and time.time() - self._confirmed < LEASE_SECONDS - RENEW_SECONDS:
            return self.still_held()
        return self.renew()

    def _trusted(self, now: float) -> bool:
        # Another writer may take a lease only once it is LEASE_SECONDS old; one confirmed well within
        # that (a margin of a renewal for another kernel's clock) is still ours without asking the drive.
        return -RENEW_SECONDS < now - self._confirmed < LEASE_SECONDS - RENEW_SECONDS

    def still_held(self) -> bool:
        """Held, and the lock file is still the one we locked (a lease: still names us as its owner).

        Deleting the sessions folder deletes the lock file too: our flock then guards nothing, and a
        second process would create and take a new lock file. Writers check this before each save.
        """
        if self.lease:
            if not self._held:
                return False
            # A tab that slept longer than _trusted allows (throttled, suspended) reads it back.
            if self._trusted(time.time()):
                return True
            return self._read_back()
        return self._held and self._ident is not None and _file_ident(self.lock_path) == self._ident

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
            if self.lease:
                # Only our own lease: a writer that took over a stale one must keep it.
                with contextlib.suppress(OSError):
                    current = read_lease(self.lock_path)
                    if current is not None and current.owner == self.owner_id:
                        self.lock_path.unlink()

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _lock_folder(session_folder: Path) -> Path:
    return session_folder / ".locks"


def prepare_lease_folder(session_folder: Path) -> Path:
    """Make *session_folder* and its lock folder if missing; the folder's real path.

    Where locks are leases (JupyterLite) a new quiz calls this once it is on screen, before its first
    answer: each folder made, checked or resolved is a drive request there, which that answer's
    feedback then does not wait for. OSError if a folder cannot be made.
    """
    locks = _lock_folder(session_folder)
    if not locks.is_dir():
        locks.mkdir(parents=True, exist_ok=True)
    # Asked now, so that a save there later finds the answer in saves_whole's memory.
    saves_whole(session_folder)
    saves_whole(locks)
    return session_folder.resolve()


def _file_ident(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)

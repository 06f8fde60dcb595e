"""SessionLock: one live writer per session file, across processes and within one."""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
import weakref
from pathlib import Path
from typing import Any

from quiz_widgets.store.atomic import oserror_with_path

__all__ = ["SessionLock"]

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
        self._ident: tuple[int, int] | None = None

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
                raise oserror_with_path(err, self.lock_path.parent, "create lock folder") from err
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

    def still_held(self) -> bool:
        """Held, and the lock file is still the one we locked.

        Deleting the sessions folder deletes the lock file too: our flock then guards nothing, and a
        second process would create and take a new lock file. Writers check this before each save.
        """
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

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _file_ident(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)

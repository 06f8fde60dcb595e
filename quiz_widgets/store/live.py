"""Deleting saved sessions without pulling a file from under a running quiz.

A session open in a live quiz (this process or another kernel) holds its SessionLock; deleting its file
would lose nothing at once but the writer would bring it back, or worse, write into a folder the user
believes empty. So every deletion takes the file's lock first, deletes while holding it, and refuses when
the lock is held elsewhere. SessionBrowser and ``quiz-widgets sessions clear`` follow this one rule.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from quiz_widgets.errors import SessionError
from quiz_widgets.i18n import PluralWords, Words
from quiz_widgets.store.locks import SessionLock
from quiz_widgets.store.manager import SessionManager

__all__ = ["clear_sessions", "delete_session", "refuse_if_in_use", "session_in_use"]


def session_in_use(path: str | os.PathLike[str]) -> bool:
    """True if a live quiz (this process or another) holds the session file's lock right now."""
    lock = SessionLock(path)
    if not lock.lock_path.exists():
        return False  # never locked since it was created
    if lock.acquire():
        lock.release()
        return False
    return True


def refuse_if_in_use(paths: list[Path]) -> None:
    """SessionError naming the files a running quiz holds, if any: a check before asking the user.
    The deleting functions check again while holding the locks."""
    busy = [p for p in sorted(paths) if session_in_use(p)]
    if busy:
        raise _in_use_error(busy)


def delete_session(manager: SessionManager, path: str | os.PathLike[str]) -> None:
    """Delete one session file and its lock file. SessionError (nothing deleted) when a running quiz
    holds it, or when it is already gone."""
    clear = _take([Path(path)])
    try:
        try:
            manager.delete_session(path)
        except FileNotFoundError:
            raise SessionError(Words("{name} was already deleted", name=Path(path).name)) from None
        _drop_lock_files(clear)
    finally:
        _release(clear)


def clear_sessions(manager: SessionManager) -> int:
    """Delete every ``session_*.json`` file of ``manager`` and their lock files; returns how many.

    All or nothing: when any session is open in a running quiz, SessionError names it and nothing is
    deleted. The locks are held until the files are gone, so no quiz can open one in between.
    """
    paths = [Path(e.path) for e in manager._session_entries() if not e.is_dir()]
    locks = _take(paths)
    count = 0
    try:
        # Only the files whose locks we hold: a session created since the listing belongs to a quiz.
        for lock in locks:
            with contextlib.suppress(FileNotFoundError):  # someone else deleted it first
                manager.delete_session(lock.session_path)
                count += 1
        _drop_lock_files(locks)
    finally:
        _release(locks)
    return count


def _take(paths: list[Path]) -> list[SessionLock]:
    taken: list[SessionLock] = []
    busy: list[Path] = []
    try:
        for path in sorted(paths):
            lock = SessionLock(path)
            if lock.acquire():
                taken.append(lock)
            else:
                busy.append(path)
    except BaseException:
        _release(taken)
        raise
    if busy:
        _release(taken)
        raise _in_use_error(busy)
    return taken


def _in_use_error(busy: list[Path]) -> SessionError:
    names = ", ".join(p.name for p in busy[:3]) + (", ..." if len(busy) > 3 else "")
    return SessionError(
        PluralWords(
            "{n} session file is open in a running quiz (this kernel or another): {names} in {folder}; "
            "nothing was deleted. Close that quiz (or its kernel) first.",
            "{n} session files are open in a running quiz (this kernel or another): {names} in {folder}; "
            "nothing was deleted. Close those quizzes (or their kernels) first.",
            len(busy),
            n=len(busy),
            names=names,
            folder=str(busy[0].parent),
        )
    )


def _drop_lock_files(locks: list[SessionLock]) -> None:
    for lock in locks:
        # A leftover lock file is harmless (the next writer reuses it); only an unlinked one is untidy.
        with contextlib.suppress(OSError):
            lock.lock_path.unlink()
    for folder in {lock.lock_path.parent for lock in locks}:
        with contextlib.suppress(OSError):  # still holds other sessions' lock files: kept
            folder.rmdir()


def _release(locks: list[SessionLock]) -> None:
    for lock in locks:
        lock.release()

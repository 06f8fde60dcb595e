"""Keeping one live quiz on disk: the session writer, the heartbeat and the shutdown hooks.

A quiz is saved on every answer, on a heartbeat, and when the kernel ends. The two last run where an
exception has nowhere good to go (an asyncio task, atexit, a signal handler), so a failed save is recorded
and reported through ``on_status`` instead of raised; the state stays in memory and the next save retries.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import signal
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz_widgets.errors import SessionError
from quiz_widgets.storage import SessionLock

if TYPE_CHECKING:
    from quiz_widgets.state import QuizState
    from quiz_widgets.storage import SessionManager

# Writers of this process by session file: a newer writer for the same file takes over from the older one,
# so re-running a cell that resumes a session just works.
_live: dict[Path, weakref.ref[SessionWriter]] = {}
_all_writers: weakref.WeakSet[SessionWriter] = weakref.WeakSet()
_atexit_installed = False
_sigterm_installed = False
_hooks_lock = threading.Lock()


class SessionWriter:
    """Owns one session file for one QuizState."""

    def __init__(
        self,
        state: QuizState,
        manager: SessionManager,
        path: str | Path | None = None,
        *,
        on_status: Callable[[], None] | None = None,
        on_takeover: Callable[[], None] | None = None,
    ) -> None:
        self.state = state
        self.manager = manager
        self.path: Path | None = Path(path).resolve() if path is not None else None
        self.on_status = on_status
        self.on_takeover = on_takeover
        self.read_only = False
        self.closed = False
        self.last_error: str | None = None
        self.last_save_seconds: float | None = None
        self._saved_revision = -1
        self._saved_elapsed = -1
        self._saving = False
        self._lock: SessionLock | None = None

    # -- ownership -------------------------------------------------------------------------------------
    def open(self) -> None:
        """Create the session file (new quiz) or claim the existing one (resume)."""
        if self.path is not None:
            self._claim(self.path)
            if self.read_only:
                return
        self.save()
        if self._lock is None and self.path is not None:
            self._claim(self.path)
        _all_writers.add(self)
        install_shutdown_hooks()

    def _claim(self, path: Path) -> None:
        older_ref = _live.get(path)
        older = older_ref() if older_ref is not None else None
        if older is not None and older is not self and not older.closed:
            older.handover()
        lock = SessionLock(path)
        if lock.acquire():
            self._lock = lock
            _live[path] = weakref.ref(self)
        else:
            self.read_only = True

    def _reclaim(self) -> None:
        """Our lock file vanished (its folder was deleted): lock a new one before writing again."""
        assert self._lock is not None and self.path is not None
        self._lock.release()
        lock = SessionLock(self.path)
        if lock.acquire():  # an OSError here fails this save; the released lock makes the next one retry
            self._lock = lock
            return
        self._lock = None
        self.read_only = True
        raise SessionError(
            f"{self.path}: another kernel took this session while its folder was missing; this copy is "
            "now read-only and saves nothing. Your answers since then are only in this kernel."
        )

    def handover(self) -> None:
        """A newer writer in this kernel wants the file: save, let go, and tell the owner."""
        self.save()
        self.close()
        if self.on_takeover is not None:
            self.on_takeover()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        _all_writers.discard(self)
        if self.path is not None and (ref := _live.get(self.path)) is not None and ref() is self:
            del _live[self.path]
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    # -- saving ------------------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        # Whole seconds, because that is what the session file records of a running clock.
        return (
            self.state.revision != self._saved_revision
            or int(self.state.elapsed_seconds) != self._saved_elapsed
        )

    def save(self, *, auto_saved: bool = False, emergency_saved: bool = False) -> Path | None:
        """Write the session now. Raises nothing: a failure is kept in last_error (on_status is told)."""
        if self.closed or self.read_only or self._saving:
            return self.path
        self._saving = True
        started = time.perf_counter()
        try:
            revision = self.state.revision
            data = self.state.to_session(auto_saved=auto_saved, emergency_saved=emergency_saved)
            if self._lock is not None and not self._lock.still_held():
                self._reclaim()
            path = self.manager.save_session(data, self.path)
        except Exception as exc:  # a save must never break the event loop, a signal handler or exit
            self._failed(exc)
            return None
        finally:
            self._saving = False
        self.last_save_seconds = time.perf_counter() - started
        self.path = Path(path).resolve()
        self._saved_revision = revision
        self._saved_elapsed = int(data["timer_data"]["elapsed_seconds"])
        if self.last_error is not None:  # recovered: whoever shows the warning must hear it is gone
            self.last_error = None
            self._status_changed()
        return self.path

    def autosave(self) -> None:
        if self.dirty:
            self.save(auto_saved=True)

    def emergency_save(self) -> None:
        self.save(auto_saved=True, emergency_saved=True)

    def _failed(self, exc: BaseException) -> None:
        where = self.path or self.manager.sessions_dir
        self.last_error = f"Could not save the session to {where}: {exc}. Your answers are kept; retrying."
        self._status_changed()

    def _status_changed(self) -> None:
        if self.on_status is not None:
            with contextlib.suppress(Exception):
                self.on_status()

    def require_writable(self) -> None:
        if self.read_only:
            raise SessionError(
                f"{self.path}: this session is open in another kernel; it is shown read-only here. "
                "Close it there, or start a new quiz."
            )


# -- heartbeat --------------------------------------------------------------------------------------------
def start_heartbeat(writer: SessionWriter, interval: float) -> asyncio.Task[None] | None:
    """Save every ``interval`` seconds while anything changed. No running loop: no task, no error."""
    if interval <= 0:
        return None
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    # A weak reference, so a forgotten widget can still be garbage-collected and its task ends.
    ref = weakref.ref(writer)

    async def beat() -> None:
        while True:
            await asyncio.sleep(interval)
            current = ref()
            if current is None or current.closed:
                return
            current.autosave()

    return loop.create_task(beat(), name="quiz_widgets-autosave")


# -- shutdown ---------------------------------------------------------------------------------------------
def save_all_emergency() -> None:
    for writer in list(_all_writers):
        writer.emergency_save()


def _at_exit() -> None:
    # Last word: later saves (a widget's __del__ during interpreter teardown) would only fail.
    for writer in list(_all_writers):
        writer.emergency_save()
        writer.close()


def _on_sigterm(previous: Any) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        if callable(previous):
            save_all_emergency()
            previous(signum, frame)
        elif previous == signal.SIG_IGN:
            save_all_emergency()
        else:
            # The default action: die by the signal. sys.exit() is no substitute, since IPython
            # catches SystemExit inside a running cell and the kernel would live on.
            _at_exit()
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    return handler


def install_shutdown_hooks() -> None:
    """atexit and a chained SIGTERM handler, installed once. SIGINT is never touched."""
    global _atexit_installed, _sigterm_installed
    with _hooks_lock:
        if not _atexit_installed:
            _atexit_installed = True
            atexit.register(_at_exit)
        # signal.signal works only in the main thread; a later widget made there installs it.
        if not _sigterm_installed and threading.current_thread() is threading.main_thread():
            _sigterm_installed = True
            previous = signal.getsignal(signal.SIGTERM)
            signal.signal(signal.SIGTERM, _on_sigterm(previous))

"""When else a live quiz is saved: the heartbeat, and the kernel's end (atexit, a chained SIGTERM).

An answer's own save is writer.py's. These run where an exception has nowhere good to go (an asyncio task,
atexit, a signal handler): SessionWriter.save and emergency_save never raise, they record the failure.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from quiz_widgets.kernel.periodic import repeat_while
from quiz_widgets.store.locks import RENEW_SECONDS, uses_lease

if TYPE_CHECKING:
    from quiz_widgets.kernel.writer import SessionWriter

__all__ = ["all_writers", "install_shutdown_hooks", "save_all_emergency", "start_heartbeat"]

# Every open writer of this process (a writer adds itself on open and leaves on close): what the kernel's
# end saves.
all_writers: weakref.WeakSet[SessionWriter] = weakref.WeakSet()
_atexit_installed = False
_sigterm_installed = False
_hooks_lock = threading.Lock()


# -- heartbeat --------------------------------------------------------------------------------------------
def start_heartbeat(writer: SessionWriter, interval: float) -> asyncio.Task[None] | None:
    """Save every ``interval`` seconds while anything changed. No running loop: no task, no error.

    Where locks are leases (Pyodide) it also beats every RENEW_SECONDS, to renew the writer's lease or,
    for a read-only copy, to take over a stale one, even when ``interval`` <= 0 (no autosave).
    """
    lease = uses_lease()  # a lazy writer's file and lease may come later: the beat must be ready
    if interval <= 0 and not lease:
        return None
    tick = min(interval, RENEW_SECONDS) if lease and interval > 0 else RENEW_SECONDS if lease else interval
    due = time.monotonic() + interval

    def beat(current: SessionWriter) -> None:
        nonlocal due
        if lease:
            current.keep_lease()
        if interval > 0 and time.monotonic() >= due:
            due = time.monotonic() + interval
            current.autosave()

    # Holds the writer weakly, so a forgotten widget can still be garbage-collected and its task ends.
    return repeat_while(writer, beat, every=tick, alive=lambda w: not w.closed, name="quiz_widgets-autosave")


# -- shutdown ---------------------------------------------------------------------------------------------
def save_all_emergency() -> None:
    """Save every live quiz of this process; lock-free, so a signal handler may call it (emergency_save)."""
    for writer in list(all_writers):
        writer.emergency_save()


def _at_exit() -> None:
    # Last word: later saves (a widget's __del__ during interpreter teardown) would only fail.
    for writer in list(all_writers):
        writer.emergency_save()
        writer.close()


def _on_sigterm(previous: Any) -> Callable[[int, Any], None]:
    def handler(signum: int, frame: Any) -> None:
        # This runs between two bytecodes of the main thread, perhaps inside a `with lock:` (the lock
        # registry in locks.py, a logging handler's lock): taking any lock here could wait for itself
        # forever. So: save without locks, then hand on or die; never close writers (that releases locks).
        save_all_emergency()
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            # The default action: die by the signal. sys.exit() is no substitute, since IPython
            # catches SystemExit inside a running cell and the kernel would live on. atexit does not run
            # then; the OS releases the file locks.
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
        # signal.signal works only in the main thread; a later widget made there installs it. Pyodide
        # (emscripten) has no process to terminate: its handler would never run.
        if (
            not _sigterm_installed
            and hasattr(signal, "SIGTERM")
            and sys.platform != "emscripten"
            and threading.current_thread() is threading.main_thread()
        ):
            _sigterm_installed = True
            previous = signal.getsignal(signal.SIGTERM)
            signal.signal(signal.SIGTERM, _on_sigterm(previous))

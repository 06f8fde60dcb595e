"""Keeping one live quiz on disk: the session writer.

A quiz is saved on every answer, on a heartbeat, and when the kernel ends (the two last in lifecycle.py).
Those run where an exception has nowhere good to go (an asyncio task, atexit, a signal handler), so a failed
save is recorded and reported through ``on_status`` instead of raised; the state stays in memory and the
next save retries.

A writer that was closed, or handed its file to a newer writer in this kernel, refuses every change
(``require_writable``) and writes nothing: whoever holds it learns so before changing the quiz, never after.
The SIGTERM handler can interrupt any line of this process, including one inside a ``with lock:``, so what it
runs takes no lock at all (see ``emergency_save``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from quiz_widgets.errors import SessionError
from quiz_widgets.i18n import Words
from quiz_widgets.kernel.lifecycle import all_writers, install_shutdown_hooks, start_heartbeat
from quiz_widgets.quiz.codec import to_session
from quiz_widgets.store.atomic import defer_folder_sync, fsync_dir
from quiz_widgets.store.drive import saves_whole
from quiz_widgets.store.locks import LEASE_SECONDS, prepare_lease_folder, uses_lease
from quiz_widgets.store.manager import SessionLock

if TYPE_CHECKING:
    from quiz_widgets.quiz.state import QuizState
    from quiz_widgets.store.manager import SessionManager

# Writers of this process by session file: a newer writer for the same file takes over from the older one,
# so re-running a cell that resumes a session just works.
_live: dict[Path, weakref.ref[SessionWriter]] = {}
# How often a read-only copy that took over a lease (Pyodide) autosaves: the widget's default interval;
# the widget started no heartbeat for it, since it was read-only then.
TAKEOVER_AUTOSAVE_SECONDS = 30.0
# Leases (JupyterLite): how long after a new quiz opens its folders are made (see _prepare_later).
PREPARE_DELAY_SECONDS = 0.5


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
        on_owned: Callable[[], None] | None = None,
        owner: str = "a newer SessionWriter",
        lazy: bool = False,
    ) -> None:
        self.state = state
        # A lazy writer of a new quiz creates its file at the first answer: a notebook re-run, or a quiz
        # opened and never answered, leaves no empty session behind. Until then there is nothing to keep.
        self.lazy = lazy
        self.manager = manager
        self.path: Path | None = Path(path).resolve() if path is not None else None
        self.on_status = on_status
        self.on_takeover = on_takeover
        # A read-only copy took the file over (leases): its holder starts what a fresh start has (the
        # countdown, the deadline, its own heartbeat), which this writer's takeover beat does not.
        self.on_owned = on_owned
        # How a refusal names this writer's holder to an older one it replaced ("QuizWidget 1a2b3c4d ...").
        self.owner = owner
        self.read_only = False
        self.closed = False
        # Why this writer writes no more (closed, or replaced by a newer one): the refusal's message.
        self.ended: str | None = None
        self.last_error: str | None = None
        self.last_save_seconds: float | None = None
        self._saved_revision = -1
        self._saved_elapsed = -1
        self._saving = False
        self._lock: SessionLock | None = None
        # Leases (Pyodide): the session file as this writer last saw it (size, mtime), so a read-only copy
        # takes over only a file nobody changed since; and the task that retries the takeover.
        self._disk_mark: tuple[int, int] | None = None
        self.takeover_blocked = False
        self._lease_task: asyncio.Task[None] | None = None
        # Leases: the sessions folder and its real path, made and resolved before the first answer.
        self._real_folder: tuple[str, Path] | None = None

    # -- ownership -------------------------------------------------------------------------------------
    def open(self) -> None:
        """Create the session file (new quiz) or claim the existing one (resume)."""
        if self.path is not None:
            self._claim(self.path)
            if self.read_only:
                if self._lease_expected():
                    self._lease_task = start_heartbeat(self, TAKEOVER_AUTOSAVE_SECONDS)
                return
        if not self._waiting_for_answer():
            self.save()  # a new quiz's first good save (now or later) locks the file it creates
        elif uses_lease():
            self._prepare_later()
        all_writers.add(self)
        install_shutdown_hooks()

    def _prepare_later(self) -> None:
        """Where locks are leases (JupyterLite), make the session and lock folders and resolve the
        folder's path once the quiz is on screen, on the event loop: each is a drive request there, and
        the first answer's feedback then waits for the session file alone. Without a running loop, or
        when the first answer comes first, that answer does it as before."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return

        def prepare() -> None:
            if self.path is not None or self.ended is not None:
                return
            folder = self.manager.sessions_dir
            with contextlib.suppress(OSError):  # the first answer tries again, and says why it failed
                # Keyed by the absolute path: a relative folder means another one after an os.chdir.
                self._real_folder = (os.path.abspath(folder), prepare_lease_folder(folder))

        # After the cell's output has reached the page and the view is drawn: the page serves the
        # drive's requests on the thread that draws the view.
        loop.call_later(PREPARE_DELAY_SECONDS, prepare)

    def _claim(self, path: Path) -> None:
        older_ref = _live.get(path)
        older = older_ref() if older_ref is not None else None
        if older is not None and older is not self and not older.closed:
            older.handover(self)
        lock = SessionLock(path, resolved=True)
        if lock.acquire():
            self._lock = lock
            _live[path] = weakref.ref(self)
        else:
            self.read_only = True
            self._disk_mark = _disk_mark(path)

    def _reclaim(self) -> None:
        """Our lock file vanished (its folder was deleted): lock a new one before writing again."""
        assert self._lock is not None and self.path is not None
        self._lock.release()
        lock = SessionLock(self.path, resolved=True)
        if lock.acquire():  # an OSError here fails this save; the released lock makes the next one retry
            self._lock = lock
            return
        self._lock = None
        self.read_only = True
        if lock.lease:
            self.takeover_blocked = True  # the other writer saves; this copy's answers are older
            raise SessionError(
                Words(
                    "{path}: another tab or kernel took this session over (this copy had not renewed its "
                    "lock for {seconds} s); this copy is now read-only and saves nothing. Your answers "
                    "since then are only in this kernel.",
                    path=str(self.path),
                    seconds=round(LEASE_SECONDS),
                )
            )
        raise SessionError(
            Words(
                "{path}: another kernel took this session while its folder was missing; this copy is "
                "now read-only and saves nothing. Your answers since then are only in this kernel.",
                path=str(self.path),
            )
        )

    def _lock_new_file(self) -> None:
        """Lock and register the file the first good save created (a quiz whose first save failed had none).

        Unlocked, another kernel could open the live session as its own. The file is on disk either way, so
        a lock that cannot be made is reported and retried by the next save, not counted as a failed save.
        """
        assert self.path is not None
        try:
            self._claim(self.path)
        except OSError as exc:
            self.last_error = Words(
                "Saved {path}, but could not lock it against other kernels ({error}); retrying.",
                path=str(self.path),
                error=str(exc),
            )
            self._status_changed()

    def handover(self, newer: SessionWriter | str | None = None) -> None:
        """A newer writer in this kernel wants the file: save, let go, and tell the owner.

        ``newer`` is that writer, or its holder's name when it is not made yet (see ``release``). The
        message names neither: it is the old view's banner, where the file's name says which session and
        a folder path or a widget id meant nothing to a learner.
        """
        self.save()
        where = self.path.name if self.path is not None else Words("this quiz")
        self.close(
            Words(
                "{where}: this session goes on in a newer quiz in this kernel (its cell ran again, or the "
                "file was resumed); this one saves nothing now and takes no more answers. Answer there, or "
                "run this cell again to go on here.",
                where=where,
            )
        )
        if self.on_takeover is not None:
            self.on_takeover()

    def close(self, reason: str | None = None) -> None:
        """Stop writing for good and let the file go; every later change is refused with *reason*."""
        if self.closed:
            return
        self.closed = True
        self.ended = reason or Words(
            "{where}: this quiz was closed and saves nothing now; resume its session "
            "file (QuizWidget.resume) to go on.",
            where=str(self.path) if self.path is not None else Words("this quiz"),
        )
        all_writers.discard(self)
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

    @property
    def writable(self) -> bool:
        """True while this writer owns its session: not closed, not replaced, not read-only."""
        return self.ended is None and not self.read_only

    def _waiting_for_answer(self) -> bool:
        """A lazy writer's quiz that has no file and no answer yet: saving it would only leave an empty file."""
        return self.lazy and self.path is None and self.state.total_answered == 0

    def save(
        self, *, auto_saved: bool = False, emergency_saved: bool = False, create: bool = False
    ) -> Path | None:
        """Write the session now; the path written, or None if nothing was written (never a stale path).

        Raises nothing: a failure is kept in last_error (on_status is told). A closed, replaced or read-only
        writer writes nothing and returns None; ``require_writable`` says why. A lazy writer writes nothing
        before the first answer unless ``create`` (an explicit save by the user).
        """
        if not self.writable or self._saving or (self._waiting_for_answer() and not create):
            return None
        return self._write(auto_saved=auto_saved, emergency_saved=emergency_saved, emergency=False)

    def autosave(self) -> None:
        if self.dirty:
            self.save(auto_saved=True)

    def emergency_save(self) -> None:
        """The save of a process that is ending, safe inside a signal handler.

        The handler may have interrupted this very thread anywhere: inside a save (so the re-entry guard is
        ignored; each write has its own temp file, so a nested one is safe), or holding a lock (so nothing
        here takes one: no lock reclaim, no new lock, no widget callback). The OS drops our file locks when
        the process ends.
        """
        if self.writable and not self._waiting_for_answer():
            self._write(auto_saved=True, emergency_saved=True, emergency=True)

    def _write(self, *, auto_saved: bool, emergency_saved: bool, emergency: bool) -> Path | None:
        was_saving, self._saving = self._saving, True
        started = time.perf_counter()
        try:
            revision = self.state.revision
            data = to_session(self.state, auto_saved=auto_saved, emergency_saved=emergency_saved)
            if self._lock is not None and not self._lock_ours(emergency=emergency):
                if emergency:
                    # Every answer was saved before its feedback; only the clock since then is at stake,
                    # not worth overwriting a file another kernel may have taken meanwhile.
                    raise SessionError(f"{self.path}: its lock file is gone; not saved while ending")
                self._reclaim()
            # Where the drive stores a file whole on its close (JupyterLite) nothing is fsynced at all.
            later = not emergency and self.path is not None and not saves_whole(self.path.parent)
            loop = _running_loop() if later else None
            if loop is None:
                saved = Path(self.manager.save_session(data, self.path))
            else:
                with defer_folder_sync() as folders:
                    try:
                        saved = Path(self.manager.save_session(data, self.path))
                    finally:
                        self._sync_folders_after_reply(loop, folders)
            # self.path is resolved already; resolving again costs a stat per folder (a drive request
            # each in JupyterLite). A new file's name is resolved once, in a folder resolved before.
            path = saved if saved == self.path else self._resolved(saved)
        except Exception as exc:  # a save must never break the event loop, a signal handler or exit
            self._failed(exc, tell=not emergency)
            return None
        finally:
            self._saving = was_saving
        self.last_save_seconds = time.perf_counter() - started
        self.path = path
        if self._lock is not None and self._lock.lease and not emergency:
            self._mark_after_reply(path, revision)
        self._saved_revision = revision
        self._saved_elapsed = int(data["timer_data"]["elapsed_seconds"])
        if self.last_error is not None:  # recovered: whoever shows the warning must hear it is gone
            self.last_error = None
            if not emergency:
                self._status_changed()
        if self._lock is None and not emergency:
            self._lock_new_file_after_reply(path)
        return path

    def _sync_folders_after_reply(self, loop: asyncio.AbstractEventLoop, folders: list[Path]) -> None:
        """The folder's fsync of an overwrite, on the event loop's next turn, after the reply that shows
        the answer's feedback. Before the feedback the file was written to a temp file, fsynced and
        renamed into place (PRODUCT.md's non-negotiable): a crash of the kernel at any instant leaves it.
        The folder's fsync only makes that rename survive a power cut; on a busy disk it was as long as
        the file's own fsync, and the learner waited for both (benchmarks/README.md). A new file keeps it
        before the feedback, as does a save while the kernel ends (emergency) or without a running loop."""
        for folder in folders:
            loop.call_soon(fsync_dir, folder)

    def _resolved(self, saved: Path) -> Path:
        if self._real_folder is not None and os.path.abspath(saved.parent) == self._real_folder[0]:
            return self._real_folder[1] / saved.name
        return saved.resolve()

    def _lock_new_file_after_reply(self, path: Path) -> None:
        """_lock_new_file; where locks are leases, on the event loop's next turn, after the reply that
        shows the answer's feedback: the lease is about 6 drive requests that feedback need not wait for,
        the answer being on the drive already. A save that comes first (the heartbeat's) locks the file
        itself; the new file was unlocked as long while its lease was made before the reply. Without a
        running loop, now."""
        if not uses_lease():
            self._lock_new_file()
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._lock_new_file()
            return

        def lock() -> None:
            # A later save (the heartbeat's) locked it already, or the writer ended: nothing to do.
            if self._lock is None and self.writable and self.path == path:
                self._lock_new_file()

        loop.call_soon(lock)

    def _lock_ours(self, *, emergency: bool = False) -> bool:
        """Whether our lock still holds the file. A lease the heartbeat left late is renewed here, before
        the change and its write, so one read-back serves both the check and the renewal."""
        lock = self._lock
        assert lock is not None
        if lock.lease and not emergency:
            with contextlib.suppress(OSError):  # the renewal's write failed: the heartbeat retries it
                return lock.renew_if_due()
        return lock.still_held()

    def _failed(self, exc: BaseException, *, tell: bool = True) -> None:
        where = self.path or self.manager.sessions_dir
        self.last_error = Words(
            "Could not save the session to {where}: {error}. Your answers are kept; retrying.",
            where=str(where),
            error=str(exc),
        )
        if tell:
            self._status_changed()

    def _status_changed(self) -> None:
        if self.on_status is not None:
            with contextlib.suppress(Exception):
                self.on_status()

    def require_writable(self) -> None:
        """Raise SessionError unless this writer may change its session. Call it before changing the state.

        Ownership is settled here, before the change: a change made first and then refused by the save
        would be shown to the learner and never written.
        """
        if self.ended is not None:
            raise SessionError(self.ended)
        if not self.read_only and self._lock is not None and not self._lock_ours():
            # SessionError if another kernel took the file meanwhile. An OSError (no lock folder) is left
            # to the save that follows the change: it retries the lock and reports the failure.
            with contextlib.suppress(OSError):
                self._reclaim()
        if self.read_only:
            raise SessionError(
                self.read_only_note
                or Words(
                    "{path}: this session is open in another kernel; it is shown read-only here. "
                    "Close it there, or start a new quiz.",
                    path=str(self.path),
                )
            )

    # -- leases (Pyodide: no OS file lock) -------------------------------------------------------------------
    def _lease_expected(self) -> bool:
        return self.path is not None and uses_lease()

    @property
    def read_only_note(self) -> str | None:
        """What a read-only copy tells the learner where locks are leases; None elsewhere."""
        if not self.read_only or self.path is None or not self._lease_expected():
            return None
        if self.takeover_blocked:
            return Words(
                "{name} was changed in another tab or kernel since this copy opened it: this copy "
                "is read-only and saves nothing. Resume the session file again to go on here.",
                name=self.path.name,
            )
        return Words(
            "{name} is open in another tab or kernel: this copy is read-only and saves nothing. "
            "If that one is gone (a closed or reloaded tab), this copy takes over within {seconds} s.",
            name=self.path.name,
            seconds=round(LEASE_SECONDS),
        )

    def _mark_after_reply(self, path: Path, revision: int) -> None:
        """Note the file as this save left it, for a later takeover check (_take_over), once the event
        loop is free: the stat is a drive request the learner's feedback need not wait for. Safe to defer:
        the lease this save just held keeps every other writer off the file for LEASE_SECONDS. Until then
        the mark is the previous save's, which no longer matches the file, so a takeover in between is
        refused (the safe side). Without a running loop it is taken now."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._disk_mark = _disk_mark(path)
            return

        def mark() -> None:
            # A newer save or a lost lease since: that one's mark (or none) is the one that counts.
            if self._saved_revision == revision and self.writable and self.path == path:
                self._disk_mark = _disk_mark(path)

        loop.call_soon(mark)

    def keep_lease(self) -> None:
        """The heartbeat's lease work: renew ours, notice it was taken, or take over a stale one."""
        if self.ended is not None or self.path is None:
            return
        try:
            if self.read_only:
                if not self.takeover_blocked and self._lease_expected():
                    self._take_over()
            elif self._lock is not None and self._lock.lease and not self._lock.renew():
                with contextlib.suppress(SessionError):
                    self._reclaim()  # read-only now, unless the lease was free again
                self._status_changed()
        except OSError:
            pass  # the drive is unreachable for now: the next beat tries again

    def _take_over(self) -> None:
        assert self.path is not None
        mark = _disk_mark(self.path)
        if mark is None or mark != self._disk_mark:
            # Another writer saved since this copy read the file (or deleted it): saving this copy would
            # undo its answers (or bring the file back).
            self.takeover_blocked = True
            self._status_changed()
            return
        lock = SessionLock(self.path, resolved=True)
        if not lock.acquire():
            return
        self._lock = lock
        _live[self.path] = weakref.ref(self)
        self.read_only = False
        all_writers.add(self)
        install_shutdown_hooks()
        if self.on_owned is not None:
            # The holder's heartbeat renews the lease from now on; this beat (maybe the task running this
            # very line: the cancel lands at its next sleep) has nothing left to do.
            if self._lease_task is not None:
                self._lease_task.cancel()
                self._lease_task = None
            with contextlib.suppress(Exception):  # as on_status: a heartbeat must survive its callbacks
                self.on_owned()
        self._status_changed()


def release(path: str | os.PathLike[str], holder: str) -> bool:
    """Before a session file is read again in this kernel (a re-run cell, a resume): the writer of this
    process that holds it saves and lets go first; True if there was one.

    Read before the handover, the file is as old as the last save: the new quiz would show the question of
    that save and count its time left down again from there, and the old writer's save would not stop it.
    """
    resolved = Path(path).resolve()
    ref = _live.get(resolved)
    older = ref() if ref is not None else None
    if older is None or older.closed:
        return False
    older.handover(holder)
    return True


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _disk_mark(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)

"""What one answer costs in file-system calls on JupyterLite's drive (forced on here, in CPython).

In a JupyterLite kernel every path operation is a synchronous request to the page's storage (about 9 ms
each on a 2-core machine): an open reads the whole file (GET), the close after a write stores it whole
(PUT), a stat, rename, mkdir, unlink or folder listing is one request each. An answer's feedback waits for
its save, so the number of these calls is the learner's wait. Counted here at the ``os`` functions the
Pyodide kernel turns into drive requests (an upper bound: fsync and chmod count too, though they do
nothing there).
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz_widgets import QuizWidget, SessionError
from quiz_widgets.kernel import writer as writer_module
from quiz_widgets.store import drive, locks
from quiz_widgets.store.locks import SessionLock, read_lease

EXAM = {
    "title": "Drive Drill",
    "questions": [
        {"id": n, "question": f"Question {n}: pick A", "options": {"A": "a", "B": "b"}, "answer": "A"}
        for n in range(1, 7)
    ],
}

# Today (before this file): 33 calls per answer (11 lease reads, 7 lease rewrites, 9 for the session's
# temp-and-rename, 3 folder checks...). What an answer needs: open the file (its size comes with it: the
# drive's open reads it whole), write it whole on close, and mark it for a later takeover check (a stat),
# which waits until the event loop is free, after the feedback, where one runs (the kernel). The heartbeat
# renews the lease; only when it is a whole beat late does an answer's save read the lease back and
# rewrite it too.
ANSWER_CALLS_LIMIT = 3
BEFORE_FEEDBACK_CALLS = 2
RENEWING_ANSWER_CALLS_LIMIT = 9
# A session's first answer makes its folders, its file and its lease (26 with a temp file for the file).
FIRST_ANSWER_CALLS_LIMIT = 20
# In a kernel (a running event loop) the folders are made while the first question is on screen; the first
# answer's feedback then waits for its new file alone (its O_EXCL open and its close: 27 drive requests
# before, in a built site), and the lease follows on the loop's next turn: its O_EXCL open and close, and
# one read back (the drive's O_EXCL is two requests apart, so another tab may have made it too).
FIRST_ANSWER_BEFORE_FEEDBACK_CALLS = 2
FIRST_ANSWER_LEASE_CALLS_LIMIT = 4
# The heartbeat's renewal: one open reads the lease back, its close stores the new heartbeat (5 before).
RENEWAL_CALLS = 2

_COUNTED = (
    "open",
    "stat",
    "lstat",
    "fstat",
    "replace",
    "rename",
    "mkdir",
    "rmdir",
    "unlink",
    "scandir",
    "listdir",
    "fsync",
    "close",
    "chmod",
)


@pytest.fixture(autouse=True)
def lite_drive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "FORCE_LEASE", True)
    monkeypatch.setattr(drive, "FORCE_WHOLE_WRITES", True)


@contextlib.contextmanager
def drive_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Every call the drive would answer, as (function, path or fd)."""
    calls: list[tuple[str, str]] = []
    with monkeypatch.context() as m:
        for name in _COUNTED:
            real = getattr(os, name)

            def counted(*args, __real=real, __name=name, **kwargs):
                calls.append((__name, str(args[0]) if args else ""))
                return __real(*args, **kwargs)

            m.setattr(os, name, counted)
        real_open = builtins.open

        def counted_open(file, *args, **kwargs):
            calls.append(("open", str(file)))
            return real_open(file, *args, **kwargs)

        m.setattr(builtins, "open", counted_open)
        m.setattr(io, "open", counted_open)
        yield calls


@pytest.fixture
def quiz(tmp_path: Path, recording_comms) -> Iterator[QuizWidget]:
    quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    assert quiz.answer("A")  # the first answer makes the folders, the file and the lease
    quiz.next()
    yield quiz
    quiz.close()


def answered_on_disk(quiz: QuizWidget) -> int:
    return json.loads(Path(quiz.session_path).read_text())["quiz_mode"]["total_answered"]


def test_an_answer_costs_a_few_drive_calls_and_is_on_the_drive(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    with drive_calls(monkeypatch) as calls:
        assert quiz.answer("A")
    assert len(calls) <= ANSWER_CALLS_LIMIT, calls
    # Nothing but the session file itself: no lease read back, no folder checked, no temp file.
    assert {path for _, path in calls if not path.isdigit()} <= {str(quiz.session_path)}, calls
    assert answered_on_disk(quiz) == 2


def test_in_a_kernel_the_feedback_waits_for_the_write_alone_and_the_mark_follows(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The Pyodide kernel handles the page's message on its event loop; the reply (the feedback) leaves
    # when the handler returns. Only the file's open and its close (the write) come before it.
    writer = quiz._ctl.writer
    stale = writer._disk_mark

    async def answer_then_yield() -> tuple[list, list]:
        with drive_calls(monkeypatch) as calls:
            assert quiz.answer("A")
            before = list(calls)
            await asyncio.sleep(0)
            return before, list(calls)

    before, after = asyncio.run(answer_then_yield())
    path = str(quiz.session_path)
    assert [name for name, _ in before] == ["open", "close"], before
    assert len(before) == BEFORE_FEEDBACK_CALLS
    assert answered_on_disk(quiz) == 2  # on the drive before the feedback
    assert after[len(before) :] == [("stat", path)], after
    st = os.stat(path)
    assert writer._disk_mark == (st.st_size, st.st_mtime_ns) != stale


def test_a_mark_due_after_the_lease_was_lost_is_not_taken(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Between the save and its deferred mark another tab took the lease and wrote: that file is not the
    # one this copy saved, so this copy must not note it as its own (it would later take it over).
    writer = quiz._ctl.writer
    path = Path(quiz.session_path)
    lock_path = SessionLock(path).lock_path

    async def answer_then_lose_the_lease() -> None:
        assert quiz.answer("A")
        lock_path.write_text(json.dumps({"owner": "the-other-tab", "heartbeat": time.time()}))
        writer.keep_lease()
        path.write_text(path.read_text() + "\n" * 100)  # the other tab's save
        await asyncio.sleep(0)

    asyncio.run(answer_then_lose_the_lease())
    assert quiz.read_only
    st = os.stat(path)
    assert writer._disk_mark != (st.st_size, st.st_mtime_ns)


def test_a_sessions_first_answer_writes_its_new_file_without_a_temp_file(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    try:
        with drive_calls(monkeypatch) as every_call:
            assert quiz.answer("A")
        # The drive is mounted at the base folder's place: what is above it is not the drive's.
        calls = [c for c in every_call if c[1].isdigit() or c[1].startswith(str(tmp_path))]
        assert len(calls) <= FIRST_ANSWER_CALLS_LIMIT, calls
        assert not [path for _, path in calls if path.endswith(".tmp")], calls
        assert answered_on_disk(quiz) == 1
    finally:
        quiz.close()


def test_answers_after_a_shorter_file_leave_it_parseable(quiz: QuizWidget) -> None:
    # The drive writes a file whole on close; a save shorter than the file before it must not leave the
    # old tail behind (an edited, longer file stands in for any earlier, longer save).
    path = Path(quiz.session_path)
    data = json.loads(path.read_text())
    data["notes"] = "x" * 5000
    path.write_text(json.dumps(data, indent=2))
    assert quiz.answer("B") is not None
    on_disk = json.loads(path.read_text())
    assert on_disk["quiz_mode"]["total_answered"] == 2
    assert "notes" not in on_disk


def test_a_save_renews_the_lease_only_when_the_heartbeat_is_a_beat_late(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_path = SessionLock(quiz.session_path).lock_path
    before = read_lease(lock_path).heartbeat
    real = time.time
    # One heartbeat's time later: the heartbeat renews then, the answer's save need not.
    monkeypatch.setattr(time, "time", lambda: real() + locks.RENEW_SECONDS + 1)
    with drive_calls(monkeypatch) as calls:
        assert quiz.answer("A")
    assert len(calls) <= ANSWER_CALLS_LIMIT, calls
    assert read_lease(lock_path).heartbeat == before


def test_the_lease_is_renewed_by_a_save_once_it_is_due(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_path = SessionLock(quiz.session_path).lock_path
    before = read_lease(lock_path).heartbeat
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + locks.LEASE_SECONDS - locks.RENEW_SECONDS + 1)
    with drive_calls(monkeypatch) as calls:
        assert quiz.answer("A")
    assert len(calls) <= RENEWING_ANSWER_CALLS_LIMIT, calls
    assert read_lease(lock_path).heartbeat >= before + locks.LEASE_SECONDS - locks.RENEW_SECONDS
    assert read_lease(lock_path).owner == quiz._ctl.writer._lock.owner_id
    assert answered_on_disk(quiz) == 2


def test_a_lease_taken_while_this_tab_slept_is_noticed_before_the_next_save(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only a lease nobody renewed for LEASE_SECONDS can be taken: a tab whose own clock says it renewed
    # less than that ago needs not ask the drive; one that slept longer must.
    lock_path = SessionLock(quiz.session_path).lock_path
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + locks.LEASE_SECONDS + 1)
    lock_path.write_text(json.dumps({"owner": "the-other-tab", "heartbeat": time.time()}))
    before = Path(quiz.session_path).read_bytes()
    with pytest.raises(SessionError, match="another tab or kernel took this session over"):
        quiz.answer("A")
    assert quiz.read_only
    assert Path(quiz.session_path).read_bytes() == before
    assert read_lease(lock_path).owner == "the-other-tab"


def test_the_heartbeat_reads_the_lease_back_and_goes_read_only_when_taken(quiz: QuizWidget) -> None:
    lock_path = SessionLock(quiz.session_path).lock_path
    # Another writer's lease (here written over ours directly: how it got there is the test above).
    lock_path.write_text(json.dumps({"owner": "the-other-tab", "heartbeat": time.time()}))
    quiz._ctl.writer.keep_lease()
    assert quiz.read_only
    assert read_lease(lock_path).owner == "the-other-tab"


def test_on_a_real_disk_a_save_still_goes_through_a_fsynced_temp_file(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(drive, "FORCE_WHOLE_WRITES", False)
    with drive_calls(monkeypatch) as calls:
        assert quiz.answer("A")
    names = [name for name, _ in calls]
    assert "fsync" in names and "replace" in names, calls
    assert answered_on_disk(quiz) == 2


def test_a_sessions_first_answer_in_a_kernel_waits_for_its_file_alone_and_the_lease_follows(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "PREPARE_DELAY_SECONDS", 0.0, raising=False)

    async def open_then_answer() -> tuple[QuizWidget, list, list, bool]:
        quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
        await asyncio.sleep(0.05)  # the question on screen, no answer yet
        sessions = tmp_path / "data" / "sessions"
        # Its folders are made (a new quiz still leaves no session file before its first answer).
        prepared = (sessions / ".locks").is_dir() and not list(sessions.glob("session_*.json"))
        with drive_calls(monkeypatch) as calls:
            assert quiz.answer("A")
            before = list(calls)
            on_disk = answered_on_disk(quiz)  # read before the loop turns: on the drive before the feedback
            read_back = len(calls)
            await asyncio.sleep(0)
            return quiz, before, calls[read_back:], prepared and on_disk == 1

    quiz, before, after, prepared = asyncio.run(open_then_answer())
    try:
        assert prepared
        path = str(quiz.session_path)
        assert [(name, p) for name, p in before if not p.isdigit()] == [("open", path)], before
        assert len(before) == FIRST_ANSWER_BEFORE_FEEDBACK_CALLS, before
        lease = after
        lock_path = SessionLock(path).lock_path
        assert {p for _, p in lease if not p.isdigit()} == {str(lock_path)}, lease
        assert len(lease) <= FIRST_ANSWER_LEASE_CALLS_LIMIT, lease
        assert read_lease(lock_path).owner == quiz._ctl.writer._lock.owner_id
        assert not quiz.read_only
        assert quiz.answer("A") is not None and answered_on_disk(quiz) == 2
    finally:
        quiz.close()


def test_a_new_quiz_outside_jupyterlite_makes_no_folder_before_its_first_answer(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks, "FORCE_LEASE", False)
    monkeypatch.setattr(writer_module, "PREPARE_DELAY_SECONDS", 0.0, raising=False)

    async def open_only() -> QuizWidget:
        quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
        await asyncio.sleep(0.05)
        return quiz

    quiz = asyncio.run(open_only())
    try:
        assert not (tmp_path / "data").exists()
    finally:
        quiz.close()


def test_the_heartbeat_renews_the_lease_with_one_open_and_its_close(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_path = SessionLock(quiz.session_path).lock_path
    before = read_lease(lock_path).heartbeat
    time.sleep(0.01)
    with drive_calls(monkeypatch) as calls:
        quiz._ctl.writer.keep_lease()
    assert [(name, p) for name, p in calls if not p.isdigit()] == [("open", str(lock_path))], calls
    assert len(calls) == RENEWAL_CALLS, calls
    renewed = read_lease(lock_path)
    assert renewed.owner == quiz._ctl.writer._lock.owner_id and renewed.heartbeat > before
    assert not quiz.read_only


def test_folders_deleted_after_the_quiz_made_them_are_made_again_by_the_first_answer(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    monkeypatch.setattr(writer_module, "PREPARE_DELAY_SECONDS", 0.0)

    async def open_delete_answer() -> QuizWidget:
        quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
        await asyncio.sleep(0.05)
        assert (tmp_path / "data" / "sessions" / ".locks").is_dir()
        shutil.rmtree(tmp_path / "data")  # the learner deleted the folder in the file browser
        assert quiz.answer("A")
        await asyncio.sleep(0)
        return quiz

    quiz = asyncio.run(open_delete_answer())
    try:
        assert not quiz.warning, quiz.warning
        assert answered_on_disk(quiz) == 1
        assert read_lease(SessionLock(quiz.session_path).lock_path).owner == quiz._ctl.writer._lock.owner_id
    finally:
        quiz.close()

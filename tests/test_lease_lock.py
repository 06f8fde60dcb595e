"""Session locks as leases, where the OS has no file lock (Pyodide; forced on here, in CPython).

A lease is the lock file holding {owner, heartbeat}: the writer renews it on its heartbeat (and on a save
when the heartbeat is late); one not renewed for LEASE_SECONDS is stale and a new writer may take it over, so a reloaded tab
or a dead kernel never leaves a session blocked; a writer that finds its lease taken goes read-only.
"Another kernel" is a separate Python process here, or the lease file it would write.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quiz_widgets import QuizWidget, SessionError
from quiz_widgets.kernel import lifecycle
from quiz_widgets.store import locks
from quiz_widgets.store.locks import SessionLock, read_lease

EXAM = {
    "title": "Lease Drill",
    "questions": [
        {"id": n, "question": f"Question {n}: pick A", "options": {"A": "a", "B": "b"}, "answer": "A"}
        for n in (1, 2, 3)
    ],
}

# Another kernel: its own process, the lease forced on as in ours. Prints whether it got the lock.
OTHER_KERNEL = (
    "import sys\n"
    "from quiz_widgets.store import locks\n"
    "locks.FORCE_LEASE = True\n"
    "print(locks.SessionLock(sys.argv[1]).acquire())\n"
)


@pytest.fixture(autouse=True)
def lease(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "FORCE_LEASE", True)


def other_kernel_takes(path: Path) -> bool:
    probe = subprocess.run(
        [sys.executable, "-c", OTHER_KERNEL, str(path)], capture_output=True, text=True, timeout=60
    )
    assert probe.returncode == 0, probe.stderr
    return probe.stdout.strip() == "True"


def write_lease(lock_path: Path, owner: str, age: float) -> None:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path.write_text(json.dumps({"owner": owner, "heartbeat": time.time() - age}))


def clock_ahead(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """This process's clock, *seconds* later: a writer trusts a lease it renewed less than
    LEASE_SECONDS ago without reading it back, since nobody may take it before then."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


def age_lease(lock_path: Path, seconds: float) -> None:
    """What time does to a lease nobody renews: its heartbeat moves into the past."""
    data = json.loads(lock_path.read_text())
    data["heartbeat"] -= seconds
    lock_path.write_text(json.dumps(data))


def test_the_platform_decides_not_whether_flock_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "FORCE_LEASE", None)
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert locks.uses_lease()
    monkeypatch.setattr(sys, "platform", "linux")
    assert not locks.uses_lease()


def test_a_live_lease_is_not_taken_and_is_dropped_on_release(tmp_path: Path) -> None:
    session = tmp_path / "session_1.json"
    lock = SessionLock(session)
    assert lock.acquire()
    held = read_lease(lock.lock_path)
    assert held is not None and held.owner == lock.owner_id
    assert not other_kernel_takes(session)
    lock.release()
    assert not lock.lock_path.exists()  # a closed quiz leaves nothing to wait for
    assert other_kernel_takes(session)


def test_a_stale_lease_is_taken_over(tmp_path: Path) -> None:
    session = tmp_path / "session_1.json"
    lock = SessionLock(session)
    write_lease(lock.lock_path, "a-tab-that-was-reloaded", age=locks.LEASE_SECONDS + 1)
    assert lock.acquire()
    assert read_lease(lock.lock_path).owner == lock.owner_id
    assert lock.still_held()


def test_a_renewed_lease_is_not_taken_and_an_unrenewed_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = tmp_path / "session_1.json"
    lock = SessionLock(session)
    assert lock.acquire()
    age_lease(lock.lock_path, locks.LEASE_SECONDS + 1)
    assert lock.renew()  # the heartbeat came in time
    assert not other_kernel_takes(session)
    age_lease(lock.lock_path, locks.LEASE_SECONDS + 1)  # this time it did not
    assert other_kernel_takes(session)
    clock_ahead(monkeypatch, locks.LEASE_SECONDS + 1)  # the time it did not renew in, on this side too
    assert not lock.still_held()
    assert not lock.renew()  # never steals it back
    lock.release()
    assert lock.lock_path.exists()  # the new owner's lease stays


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"", id="half-written"),  # another writer between creating and writing its claim
        # 4 KB: as deep as a lease-sized file goes; never decoded (a decoder that deep could kill Pyodide)
        pytest.param(b"[" * 2048 + b"]" * 2048, id="deeply-nested"),
    ],
)
def test_an_unreadable_lease_counts_from_its_file_time(tmp_path: Path, content: bytes) -> None:
    session = tmp_path / "session_1.json"
    lock = SessionLock(session)
    lock.lock_path.parent.mkdir(parents=True)
    lock.lock_path.write_bytes(content)
    assert locks.read_lease(lock.lock_path).owner is None
    assert not lock.acquire()  # fresh by its file time
    old = time.time() - locks.LEASE_SECONDS - 5
    os.utime(lock.lock_path, (old, old))
    assert lock.acquire()


def test_a_heartbeat_far_in_the_future_does_not_block_forever(tmp_path: Path) -> None:
    session = tmp_path / "session_1.json"
    lock = SessionLock(session)
    write_lease(lock.lock_path, "a-clock-gone-wrong", age=-10 * locks.LEASE_SECONDS)
    assert lock.acquire()


RACER = """
import sys, time
from pathlib import Path
from quiz_widgets.store import locks
locks.FORCE_LEASE = True
session, go, check = sys.argv[1:4]
lock = locks.SessionLock(session)
while not Path(go).exists():
    time.sleep(0.001)
got = lock.acquire()
print(got, flush=True)
while not Path(check).exists():
    time.sleep(0.01)
print(lock.still_held(), lock.owner_id, flush=True)
"""


def test_writers_racing_for_a_stale_lease_leave_exactly_one_owner(tmp_path: Path) -> None:
    session = tmp_path / "session_1.json"
    lock_path = SessionLock(session).lock_path
    write_lease(lock_path, "gone", age=locks.LEASE_SECONDS + 1)
    go, check = tmp_path / "go", tmp_path / "check"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(session), str(go), str(check)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    try:
        time.sleep(1.0)  # let every racer start and wait at the line
        go.touch()
        first = [r.stdout.readline().strip() for r in racers]  # each has tried once
        check.touch()
        second = [r.communicate(timeout=60)[0].split() for r in racers]
    finally:
        for r in racers:
            if r.poll() is None:
                r.kill()
    assert all(r.returncode == 0 for r in racers), [r.stderr.read() if r.stderr else "" for r in racers]
    assert "True" in first  # the stale lease was taken
    holders = [owner for held, owner in second if held == "True"]
    # Before each save a writer checks it still owns the lease: exactly one of them will write.
    assert len(holders) == 1, (first, second)
    assert read_lease(lock_path).owner == holders[0]


# -- what a learner sees ------------------------------------------------------------------------------------


@pytest.fixture
def saved_session(tmp_path: Path, recording_comms) -> Path:
    """A session answered once by a kernel that is gone now: its lease still fresh, as right after a reload."""
    quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    assert quiz.answer("A")
    path = Path(quiz.session_path)
    lock_path = quiz._ctl.writer._lock.lock_path
    lease = lock_path.read_text()
    quiz.close()
    lock_path.write_text(lease)  # the tab closed: nothing released its lease
    return path


def test_after_a_reload_the_resumed_copy_waits_then_takes_over_with_every_answer(saved_session: Path) -> None:
    quiz = QuizWidget.resume(saved_session, exam=EXAM, autosave_interval=0)
    try:
        assert quiz.read_only
        assert "takes over within 15 s" in quiz.warning
        with pytest.raises(SessionError, match="open in another tab or kernel"):
            quiz.answer("A")
        assert json.loads(saved_session.read_text())["quiz_mode"]["total_answered"] == 1
        age_lease(SessionLock(saved_session).lock_path, locks.LEASE_SECONDS + 1)
        quiz._ctl.writer.keep_lease()  # one heartbeat
        assert not quiz.read_only
        assert quiz.warning == ""
        assert quiz.total_answered == 1
        quiz.next()
        assert quiz.answer("A")
        assert json.loads(saved_session.read_text())["quiz_mode"]["total_answered"] == 2
    finally:
        quiz.close()


def test_a_copy_never_takes_over_a_file_another_writer_changed_since(saved_session: Path) -> None:
    quiz = QuizWidget.resume(saved_session, exam=EXAM, autosave_interval=0)
    try:
        assert quiz.read_only
        data = json.loads(saved_session.read_text())
        data["quiz_mode"]["total_answered"] = 2  # the other tab answered once more, then closed
        data["timer_data"]["elapsed_seconds"] += 5
        saved_session.write_text(json.dumps(data))
        age_lease(SessionLock(saved_session).lock_path, locks.LEASE_SECONDS + 1)
        quiz._ctl.writer.keep_lease()
        assert quiz.read_only
        assert "changed in another tab or kernel" in quiz.warning
        assert json.loads(saved_session.read_text())["quiz_mode"]["total_answered"] == 2
    finally:
        quiz.close()


def test_a_writer_whose_lease_was_taken_goes_read_only_and_writes_nothing(
    saved_session: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_path = SessionLock(saved_session).lock_path
    age_lease(lock_path, locks.LEASE_SECONDS + 1)
    quiz = QuizWidget.resume(saved_session, exam=EXAM, autosave_interval=0)
    try:
        assert not quiz.read_only
        # This tab was throttled past its lease; another tab took the session over and is live.
        clock_ahead(monkeypatch, locks.LEASE_SECONDS + 1)
        write_lease(lock_path, "the-other-tab", age=0)
        before = saved_session.read_bytes()
        with pytest.raises(SessionError, match="another tab or kernel took this session over"):
            quiz.answer("A")
        assert quiz.read_only
        assert saved_session.read_bytes() == before
        assert read_lease(lock_path).owner == "the-other-tab"
    finally:
        quiz.close()


def test_a_save_renews_a_lease_its_heartbeat_left_late(
    saved_session: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock_path = SessionLock(saved_session).lock_path
    age_lease(lock_path, locks.LEASE_SECONDS + 1)
    quiz = QuizWidget.resume(saved_session, exam=EXAM, autosave_interval=0)
    try:
        clock_ahead(monkeypatch, locks.LEASE_SECONDS - 1)  # a busy tab: no heartbeat since
        quiz.next()
        assert quiz.answer("A")
        assert read_lease(lock_path).fresh(time.time() + locks.LEASE_SECONDS / 2)
    finally:
        quiz.close()


def test_the_heartbeat_renews_and_a_read_only_copy_takes_over_on_its_own(
    saved_session: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks, "LEASE_SECONDS", 0.6)
    monkeypatch.setattr(lifecycle, "RENEW_SECONDS", 0.1)  # the heartbeat's beat
    lock_path = SessionLock(saved_session).lock_path

    async def scenario() -> None:
        # The old tab's lease is fresh: this copy starts read-only, then its own heartbeat takes over.
        write_lease(lock_path, "the-reloaded-tab", age=0)
        quiz = QuizWidget.resume(saved_session, exam=EXAM, autosave_interval=0)
        try:
            assert quiz.read_only
            for _ in range(100):
                if not quiz.read_only:
                    break
                await asyncio.sleep(0.05)
            assert not quiz.read_only, quiz.warning
            mine = read_lease(lock_path).owner
            # Renewed while it lives: after several lease lengths the lease is still fresh and ours.
            await asyncio.sleep(3 * locks.LEASE_SECONDS)
            held = read_lease(lock_path)
            assert held.owner == mine and held.fresh(time.time())
            quiz.next()
            assert quiz.answer("A")
        finally:
            quiz.close()

    asyncio.run(scenario())
    assert json.loads(saved_session.read_text())["quiz_mode"]["total_answered"] == 2

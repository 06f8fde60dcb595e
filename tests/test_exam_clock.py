"""A timed exam where locks are leases (JupyterLite; forced on here, in CPython): a reloaded tab's copy that
takes the session over runs the countdown and the deadline as a fresh start does (issue 16, item 6)."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from quiz_widgets import QuizWidget
from quiz_widgets.kernel import lifecycle
from quiz_widgets.store import locks
from quiz_widgets.store.locks import SessionLock

EXAM = {
    "title": "Timed lease drill",
    "questions": [
        {"id": n, "question": f"Question {n}: pick A", "options": {"A": "a", "B": "b"}, "answer": "A"}
        for n in (1, 2, 3)
    ],
}
LIMIT = 2.0


@pytest.fixture(autouse=True)
def lease(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "FORCE_LEASE", True)
    monkeypatch.setattr(locks, "LEASE_SECONDS", 0.6)
    monkeypatch.setattr(lifecycle, "RENEW_SECONDS", 0.1)  # the heartbeat's beat


def test_a_timed_exam_taken_over_after_a_reload_counts_down_and_submits_at_zero_while_idle(
    tmp_path: Path, recording_comms
) -> None:
    async def scenario() -> None:
        first = QuizWidget(EXAM, base_dir=tmp_path, mode="exam", time_limit=LIMIT, autosave_interval=0)
        first.answer("A")
        await asyncio.sleep(0)  # the kernel's next turn: a new file's lease is made after the feedback
        path = Path(first.session_path)
        lock_path = SessionLock(path).lock_path
        lease = lock_path.read_text()
        first.close()
        lock_path.write_text(lease)  # the tab was reloaded: nothing released its lease, still fresh
        saved_left = json.loads(path.read_text())["quiz_widgets"]["time_left"]

        quiz = QuizWidget.resume(path, exam=EXAM, autosave_interval=0)
        try:
            assert quiz.read_only and not quiz.countdown_running
            for _ in range(100):  # its own heartbeat takes the stale lease over
                if not quiz.read_only:
                    break
                await asyncio.sleep(0.05)
            assert not quiz.read_only, quiz.warning
            # As at a fresh start: the countdown runs, and the page is told so.
            assert quiz.countdown_running
            taken = quiz.time_remaining
            await asyncio.sleep(0.3)
            assert quiz.time_remaining < taken <= saved_left
            # Nobody does anything: the kernel submits at zero by itself.
            ends = time.monotonic() + 3 * LIMIT
            while not quiz.completed and time.monotonic() < ends:
                await asyncio.sleep(0.05)
            assert quiz.completed and quiz.phase == "finished"
            data = json.loads(path.read_text())
            assert data["timer_data"]["completed"] is True
            assert data["quiz_widgets"]["submitted"] is True and data["quiz_widgets"]["time_left"] == 0.0
            assert len(list((tmp_path / "results").glob("quiz_results_*.json"))) == 1
        finally:
            quiz.close()

    asyncio.run(scenario())

"""A timed exam's clock in real kernels (issue 16, items 5 and 7): re-running its cell or resuming it live
in the same kernel never winds the countdown back nor moves the question on screen, and an attempt whose
time ran out while no kernel ran is submitted at the next start and collected like any other."""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kernel_utils import RunningKernel
from s3_server import S3Server

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(240)]

MARK = "QWCLOCK:"
BUCKET = "course"
SENT = "Result sent to the class folder"
EXAM = {
    "title": "Timed drill",
    "questions": [
        {"id": n, "question": f"Question {n}: pick A", "options": {"A": "a", "B": "b"}, "answer": "A"}
        for n in range(1, 7)
    ],
}


def _setup(kernel: RunningKernel) -> Path:
    exam = kernel.cwd / "exams" / "timed.json"
    exam.parent.mkdir(parents=True, exist_ok=True)
    exam.write_text(json.dumps(EXAM), encoding="utf-8")
    kernel.execute(
        "import json\nfrom quiz_widgets import QuizWidget\n"
        f"EXAM = {str(exam)!r}\n"
        "def _report(q, **extra):\n"
        f"    print({MARK!r} + json.dumps(dict(left=q.time_remaining, number=q.question.get('number'),\n"
        "          time_left=q.time_left, answered=q.total_answered, path=str(q.session_path), **extra)),\n"
        "          flush=True)\n"
    )
    return exam


def _report(kernel: RunningKernel, code: str) -> dict[str, Any]:
    out = kernel.execute(code, timeout=60).stdout
    lines = [line for line in out.splitlines() if line.startswith(MARK)]
    assert lines, out
    return json.loads(lines[-1][len(MARK) :])


@pytest.mark.parametrize("how", ["rerun", "resume"])
def test_rerunning_a_timed_exam_never_winds_its_clock_back(kernel: RunningKernel, how: str) -> None:
    _setup(kernel)
    # The heartbeat saves every 30 s: the session file holds the time left of the answer's save only.
    cell = "quiz = QuizWidget(EXAM, mode='exam', time_limit=600)\n_report(quiz)\n"
    first = _report(kernel, cell + "quiz.answer('A'); quiz.goto(4)\n_report(quiz)\n")
    assert first["number"] == 4 and first["answered"] == 1
    resume = f"quiz = QuizWidget.resume({first['path']!r})\n_report(quiz)\n"
    seen = [first]
    for _ in range(4):
        time.sleep(1.0)  # the learner works on question 4, then runs the cell again
        seen.append(_report(kernel, cell if how == "rerun" else resume))
    lefts = [row["left"] for row in seen]
    assert all(later < earlier for earlier, later in itertools.pairwise(lefts)), lefts
    assert lefts[0] - lefts[-1] >= 4.0, lefts  # the seconds between the runs counted
    assert [row["number"] for row in seen] == [4] * len(seen)
    assert {row["path"] for row in seen} == {first["path"]}
    assert all(row["answered"] == 1 for row in seen)
    # The synced countdown the page starts from says the same.
    assert all(abs(row["time_left"] - row["left"]) < 0.5 for row in seen), seen


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[S3Server]:
    server = S3Server(log_dir=tmp_path).start()
    server.make_bucket(BUCKET)
    yield server
    server.stop()


def test_an_attempt_whose_time_ran_out_with_no_kernel_is_collected_when_submitted_at_start(
    kernel_factory: Callable[..., RunningKernel], s3: S3Server, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    url = f"s3://{BUCKET}/cs101"
    args = f"mode='exam', time_limit=2, learner='ada', collect_to={url!r}, storage_options={s3.storage_options()!r}"
    first = kernel_factory(home)
    _setup(first)
    started = _report(first, f"quiz = QuizWidget(EXAM, {args})\nquiz.answer('A')\n_report(quiz)\n")
    # A long cell holds the kernel past the deadline (its task cannot run), then the server stops it: the
    # shutdown save records no time left, and the attempt is not submitted yet.
    first.execute_async("import time; time.sleep(30)")
    time.sleep(3.0)
    first.sigterm()
    saved = json.loads(Path(started["path"]).read_text("utf-8"))
    assert saved["quiz_widgets"]["time_left"] == 0.0 and saved["quiz_widgets"]["submitted"] is False
    assert s3.keys(BUCKET) == []

    second = kernel_factory(home)
    _setup(second)
    ended = _report(
        second, f"quiz = QuizWidget(EXAM, {args})\n_report(quiz, phase=quiz.phase, done=quiz.completed)\n"
    )
    assert ended["path"] == started["path"] and ended["phase"] == "finished" and ended["done"] is True
    deadline = time.monotonic() + 60
    shown = ""
    while time.monotonic() < deadline and shown != SENT:
        shown = second.execute("print(quiz.delivery)").stdout.strip()
        time.sleep(0.3)
    assert shown == SENT
    (key,) = s3.keys(BUCKET)
    assert key.startswith("cs101/ada/quiz_results_"), key
    collected = json.loads(s3.get(BUCKET, key))
    assert collected["learner"] == "ada" and collected["quiz_widgets"]["submitted"] is True
    assert collected["performance"]["score"] == 1
    # Sent through the outbox like any attempt: nothing is left waiting there.
    outbox = home / "data" / "outbox"
    assert outbox.is_dir()
    assert not [p for p in outbox.rglob("*.json") if not p.name.startswith(".")]

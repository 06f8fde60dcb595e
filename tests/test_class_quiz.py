"""The class tools wired into the quiz, in real kernels: who the learner is, each completed attempt collected
to a shared folder or a real S3 server (moto) through the outbox, and what the finish screen says about it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kernel_utils import RunningKernel
from s3_server import S3Server

BUCKET = "course"
SENT = "Result sent to the class folder"
EXAM = {
    "title": "Class check",
    "questions": [
        {"id": 1, "question": "2 + 2?", "options": ["3", "4"], "answer": "B", "topic": "sums"},
        {"id": 2, "question": "3 + 3?", "options": ["6", "7"], "answer": "A", "topic": "sums"},
    ],
}


def _setup(kernel: RunningKernel) -> None:
    exam = kernel.cwd / "exams" / "class-check.json"
    exam.parent.mkdir(parents=True, exist_ok=True)
    exam.write_text(json.dumps(EXAM), encoding="utf-8")
    kernel.execute(f"from quiz_widgets import QuizWidget\nEXAM = {str(exam)!r}")


def _complete(kernel: RunningKernel, name: str, args: str) -> None:
    """A quiz made in one cell and completed in the next, from Python as the buttons do (one right, one
    wrong answer)."""
    kernel.execute(f"{name} = QuizWidget(EXAM, {args})")
    kernel.execute(f"{name}.answer('B'); {name}.next(); {name}.answer('B'); {name}.next()")


def _delivery(kernel: RunningKernel, name: str, wanted: Callable[[str], bool], timeout: float = 60) -> str:
    """The quiz's synced `delivery` trait once it satisfies `wanted`: it is set from the collector's worker
    thread through the kernel's loop, which runs between cells."""
    deadline = time.monotonic() + timeout
    while True:
        shown = kernel.execute(f"print({name}.delivery)").stdout.strip()
        if wanted(shown) or time.monotonic() > deadline:
            return shown
        time.sleep(0.3)


def _python(kernel: RunningKernel, expr: str) -> object:
    return json.loads(kernel.execute(f"import json; print(json.dumps({expr}))").stdout)


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[S3Server]:
    server = S3Server(log_dir=tmp_path).start()
    server.make_bucket(BUCKET)
    yield server
    server.stop()


def test_folder_store_from_the_hub_environment_and_a_resumed_session_keeps_its_learner(
    kernel_factory: Callable[..., RunningKernel], tmp_path: Path
) -> None:
    shared = tmp_path / "class"
    shared.mkdir()
    # What a hub administrator sets for every learner's server: nothing in the notebook names the store.
    kernel = kernel_factory(
        tmp_path / "home", extra_env={"JUPYTERHUB_USER": "grace", "QUIZ_WIDGETS_COLLECT": str(shared)}
    )
    _setup(kernel)
    _complete(kernel, "q1", "")
    assert _delivery(kernel, "q1", lambda s: s == SENT) == SENT
    files = sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*") if p.is_file())
    assert len(files) == 1 and files[0].startswith("grace/quiz_results_"), files
    collected = json.loads((shared / files[0]).read_text())
    assert collected["learner"] == "grace"
    assert collected["exam_info"]["title"] == "Class check"
    assert collected["performance"] == {**collected["performance"], "score": 1, "total_answered": 2}
    # The local files carry the learner too, and stay the source of truth.
    own = json.loads(Path(_python(kernel, "str(q1.results_path.resolve())")).read_text())
    assert own["learner"] == "grace" and collected == own
    session = json.loads(Path(_python(kernel, "str(q1.session_path)")).read_text())
    assert session["learner"] == "grace"

    # Half an attempt, then the kernel is someone else's (a shared machine): the resumed session stays
    # grace's, in its files and in the class folder.
    kernel.execute("q2 = QuizWidget(EXAM); q2.answer('B'); q2.next(); p2 = q2.session_path")
    kernel.execute(
        "import os; os.environ['JUPYTERHUB_USER'] = 'henry'\n"
        "q3 = QuizWidget.resume(p2, exam=EXAM)\n"
        "q3.answer('A'); q3.next()"
    )
    assert _python(kernel, "q3.state.learner") == "grace"
    assert _delivery(kernel, "q3", lambda s: s == SENT) == SENT
    names = sorted(p.relative_to(shared).parts[0] for p in shared.rglob("quiz_results_*.json"))
    assert names == ["grace", "grace"]
    assert json.loads(Path(_python(kernel, "str(q3.session_path)")).read_text())["learner"] == "grace"
    # The finish screen's own progress: both attempts of this exam, oldest first.
    progress = _python(kernel, "q3.progress")
    assert [a["score"] for a in progress["attempts"]] == [1, 2]
    assert progress["topics"] == [{"topic": "sums", "answered": 4, "correct": 3, "accuracy": 0.75}]


def test_s3_store_stopped_mid_class_queues_then_a_new_quiz_start_delivers_once(
    kernel_factory: Callable[..., RunningKernel], s3: S3Server, tmp_path: Path
) -> None:
    kernel = kernel_factory(tmp_path / "home")
    _setup(kernel)
    url = f"s3://{BUCKET}/cs101"
    args = f"learner='ada', collect_to={url!r}, storage_options={s3.storage_options()!r}"

    _complete(kernel, "q1", args)
    assert _delivery(kernel, "q1", lambda s: s == SENT) == SENT
    first = s3.keys(BUCKET)
    assert len(first) == 1 and first[0].startswith("cs101/ada/quiz_results_"), first
    assert json.loads(s3.get(BUCKET, first[0]))["learner"] == "ada"

    s3.stop()
    _complete(kernel, "q2", args)
    waiting = _delivery(kernel, "q2", lambda s: s.startswith("Result waiting"))
    assert waiting == "Result waiting to be sent: cannot reach the store; it will be sent by the next save"
    outbox = [p for p in (kernel.cwd / "data" / "outbox").rglob("*.json") if not p.name.startswith(".")]
    assert len(outbox) == 1
    queued = json.loads(outbox[0].read_text())
    assert queued["learner"] == "ada"

    s3.start()  # moto keeps its data in memory: the restarted store is empty and needs its bucket again
    s3.make_bucket(BUCKET)
    # A new quiz start (any quiz of this learner) sends what waits.
    kernel.execute(f"q3 = QuizWidget(EXAM, {args})")
    assert _delivery(kernel, "q3", lambda s: s == SENT) == SENT
    keys = s3.keys(BUCKET)
    assert keys == [f"cs101/ada/{outbox[0].name}"], keys
    assert json.loads(s3.get(BUCKET, keys[0])) == queued
    assert not [p for p in (kernel.cwd / "data" / "outbox").rglob("*.json") if not p.name.startswith(".")]
    # Later saves find nothing to send and send nothing again.
    kernel.execute("q3.answer('B'); q3.next(); q3.save()")
    time.sleep(1)
    assert s3.keys(BUCKET) == keys

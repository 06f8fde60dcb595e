"""Who may write a session file, and what a widget that lost it does (issue 8, items 1, 2 and 5).

A widget whose writer was closed or handed to a newer widget refuses every change with a SessionError that
says why, and changes nothing; a session whose first save failed is locked by its first good save; saves
work on platforms without ``os.fchmod`` (Windows before Python 3.13) or ``os.link`` (Pyodide).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from widget_utils import page_message, view_state

from quiz_widgets import QuizWidget, SessionError, SessionManager
from quiz_widgets.kernel import lifecycle as persistence
from quiz_widgets.kernel.writer import SessionWriter
from quiz_widgets.quiz.state import QuizState

EXAM = {
    "title": "Ownership Drill",
    "questions": [
        {"id": 1, "question": "Pick C", "options": {"A": "a", "B": "b", "C": "c"}, "answer": "C"},
        {"id": 2, "question": "Pick A", "options": {"A": "a", "B": "b"}, "answer": "A"},
        {"id": 3, "question": "2 + 2?", "type": "numeric", "answer": 4},
    ],
}


def on_disk(path: Path) -> dict:
    return json.loads(Path(path).read_text())


def other_process_can_lock(path: Path) -> bool:
    """Whether a separate Python process (another kernel) could take this session's lock right now."""
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from quiz_widgets.store.manager import SessionLock; print(SessionLock({str(path)!r}).acquire())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.returncode == 0, probe.stderr
    return probe.stdout.strip() == "True"


@pytest.fixture
def quiz(tmp_path: Path, recording_comms) -> QuizWidget:
    widget = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    yield widget
    widget.close()


# -- item 1: a superseded or closed writer refuses every change ----------------------------------------


def test_a_superseded_widget_refuses_answers_and_changes_nothing(quiz: QuizWidget) -> None:
    quiz.answer("C")
    quiz.next()
    path = quiz.session_path
    newer = QuizWidget.resume(path, exam=EXAM)
    try:
        before_file = path.read_bytes()
        before_state = (quiz.state.revision, quiz.total_answered, quiz.score, quiz.state.answers)
        with pytest.raises(SessionError) as refused:
            quiz.answer("A")
        message = str(refused.value)
        assert path.name in message and "newer" in message
        # Names the file, in words a learner reads on the old view's banner: no folder, no widget id.
        assert str(path.parent) not in message and newer.model_id[:8] not in message
        assert (quiz.state.revision, quiz.total_answered, quiz.score, quiz.state.answers) == before_state
        with pytest.raises(SessionError, match="newer"):
            quiz.save()  # never a path it did not write
        with pytest.raises(SessionError, match="newer"):
            quiz.finish()
        assert not quiz.state.quit_by_user
        assert path.read_bytes() == before_file

        # The newer widget goes on and owns the file.
        assert newer.answer("A") is True
        assert on_disk(path)["quiz_mode"]["total_answered"] == 2
        assert newer.save() == path
    finally:
        newer.close()


def test_a_superseded_widget_shows_the_refusal_on_its_page(quiz: QuizWidget) -> None:
    path = quiz.save()  # an explicit save creates the file before the first answer
    newer = QuizWidget.resume(path, exam=EXAM)
    try:
        # The old view stays on screen and says where the quiz went; its clock no longer counts.
        assert path.name in quiz.warning and newer.model_id[:8] not in quiz.warning
        assert not quiz.clock_running
        before = view_state(quiz)
        page_message(quiz, {"type": "answer", "value": 2})
        assert "newer" in quiz.error and path.name in quiz.error
        assert quiz.answered == 0 and quiz.total_answered == 0
        assert {k: v for k, v in view_state(quiz).items() if k != "error"} == {
            k: v for k, v in before.items() if k != "error"
        }
        assert on_disk(path)["quiz_mode"]["total_answered"] == 0
    finally:
        newer.close()


def test_a_closed_widget_refuses_answers_and_save(quiz: QuizWidget) -> None:
    quiz.answer("C")
    path = quiz.session_path
    quiz.close()
    before = path.read_bytes()
    with pytest.raises(SessionError, match="closed") as refused:
        quiz.answer("A")
    assert path.name in str(refused.value)
    assert quiz.total_answered == 1
    with pytest.raises(SessionError, match="closed"):
        quiz.save()
    assert path.read_bytes() == before


def test_a_closed_writer_saves_nothing_and_returns_no_path(tmp_path: Path) -> None:
    from quiz_widgets.exam import load_exam

    state = QuizState(load_exam(EXAM))
    writer = SessionWriter(state, SessionManager(tmp_path))
    writer.open()
    path = writer.path
    assert writer.save() == path
    writer.close()
    state.answer("C")
    assert writer.save() is None
    assert on_disk(path)["quiz_mode"]["total_answered"] == 0
    with pytest.raises(SessionError, match="closed"):
        writer.require_writable()


# -- item 2: the first good save locks the file ----------------------------------------------------------


def test_a_session_whose_first_save_failed_is_locked_by_the_first_good_save(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SessionManager.save_session

    def full_disk(self, data, filepath=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SessionManager, "save_session", full_disk)
    quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    try:
        assert quiz.answer("C") is True  # the first answer's save is the first save: it fails
        assert quiz.session_path is None and "No space left" in quiz.warning
        monkeypatch.setattr(SessionManager, "save_session", original)
        path = quiz.save()  # the disk recovered: this save creates the file
        assert path == quiz.session_path
        assert path is not None and on_disk(path)["quiz_mode"]["total_answered"] == 1
        assert quiz.warning == ""
        assert not other_process_can_lock(path)  # another kernel gets it read-only
        # And this kernel knows the file is live: a resume here takes it over.
        newer = QuizWidget.resume(path, exam=EXAM)
        try:
            assert not newer.read_only
            with pytest.raises(SessionError, match="newer"):
                quiz.answer("A")
        finally:
            newer.close()
    finally:
        quiz.close()
    assert other_process_can_lock(path)  # closed: free again


# -- item 4 (unit part): SIGTERM in the middle of a save still saves (the lock part: test_kernel_lifecycle) --


def test_emergency_save_while_a_save_is_in_progress_still_writes(quiz: QuizWidget) -> None:
    writer = quiz._ctl.writer
    manager = writer.manager
    original = manager.save_session
    seen: list[bool] = []

    def save_interrupted_by_sigterm(data, filepath=None):
        # What SIGTERM arriving in the middle of this save does: the handler's emergency save runs here.
        if not seen:
            seen.append(True)
            persistence.save_all_emergency()
            seen.append(on_disk(writer.path)["timer_data"]["emergency_saved"])
        return original(data, filepath)

    manager.save_session = save_interrupted_by_sigterm
    quiz.answer("C")
    assert seen == [True, True]


# -- item 5: saves without os.fchmod or os.link ----------------------------------------------------------


class _OsWithout(types.ModuleType):
    """os as our modules see it on a platform without one function (Windows before 3.13: no os.fchmod;
    Pyodide: no os.link). Third-party locks keep the real os: filelock's Unix lock, which calls os.fchmod,
    is never used where fchmod is missing (Windows has its own lock)."""

    def __init__(self, missing: str) -> None:
        super().__init__("os")
        self._missing = missing

    def __getattr__(self, name: str) -> object:
        if name == self._missing:
            raise AttributeError(f"module 'os' has no attribute {name!r}")
        return getattr(os, name)


@pytest.mark.parametrize("missing", ["fchmod", "link"])
def test_a_whole_quiz_saves_without(missing: str, tmp_path: Path, recording_comms, monkeypatch) -> None:
    shim = _OsWithout(missing)
    for name, module in list(sys.modules.items()):
        if name.startswith("quiz_widgets") and getattr(module, "os", None) is os:
            monkeypatch.setattr(module, "os", shim)
    quiz = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    try:
        for value in ("C", "B", 4):
            quiz.answer(value)  # no AttributeError, from the session save or the results write
            quiz.next()
        assert quiz.warning == "" and quiz.save() == quiz.session_path
        data = on_disk(quiz.session_path)
        assert data["quiz_mode"]["total_answered"] == 3 and data["timer_data"]["completed"] is True
        results = list((tmp_path / "results").glob("quiz_results_*.json"))
        assert len(results) == 1 and quiz.results_path == results[0]
        assert on_disk(results[0])["performance"]["score"] == 2
    finally:
        quiz.close()


@pytest.mark.parametrize("chmod_by_fd", [True, False], ids=["chmod-fd", "chmod-by-name-as-on-windows"])
def test_without_fchmod_files_still_get_the_usual_mode(
    chmod_by_fd: bool, tmp_path: Path, monkeypatch
) -> None:
    from quiz_widgets.store.atomic import NEW_FILE_MODE

    monkeypatch.delattr(os, "fchmod", raising=False)
    if not chmod_by_fd:  # Windows: os.chmod takes no file descriptor there
        monkeypatch.setattr(os, "supports_fd", os.supports_fd - {os.chmod})
    manager = SessionManager(tmp_path)
    path = manager.save_session({"exam_title": "x"})
    assert path.stat().st_mode & 0o777 == NEW_FILE_MODE
    os.chmod(path, 0o600)
    manager.save_session(
        {"session_date": "2026-11-26T10:00:00", "exam_title": "y"}, path
    )  # an existing file keeps its own mode
    assert path.stat().st_mode & 0o777 == 0o600
    assert on_disk(path) == {"session_date": "2026-11-26T10:00:00", "exam_title": "y"}


def test_without_link_new_names_are_still_never_taken_twice(tmp_path: Path, monkeypatch) -> None:
    from datetime import datetime

    from quiz_widgets.store import manager as storage

    monkeypatch.delattr(os, "link", raising=False)
    monkeypatch.setattr(storage, "_now", lambda: datetime(2024, 11, 1, 20, 5, 8))
    manager = SessionManager(tmp_path)
    paths = [manager.save_session({"exam_title": f"n{i}"}) for i in range(3)]
    assert [p.name for p in paths] == [
        "session_20241101_200508.json",
        "session_20241101_200508_2.json",
        "session_20241101_200508_3.json",
    ]
    assert [on_disk(p)["exam_title"] for p in paths] == ["n0", "n1", "n2"]
    assert [p.name for p in tmp_path.joinpath("data", "sessions").iterdir() if p.name.endswith(".tmp")] == []

"""JupyterLite scenarios, run INSIDE Pyodide by test_pyodide_core.py (not collected by the host's pytest).

``/shared`` is a host folder mounted in each Pyodide run, standing for the browser's storage (/drive):
what one run leaves there, the next run (a reloaded page, a new kernel) finds. The JupyterLite kernel
replaces ``fcntl`` with an empty module; so does this file, before quiz_widgets is imported.
"""

import json
import sys
import types
import warnings
from pathlib import Path

sys.modules["fcntl"] = types.ModuleType("fcntl")

from quiz_widgets import QuizWidget, SessionManager  # noqa: E402

DRIVE = Path("/shared")
EXAM = {
    "title": "Lite scenario exam",
    "questions": [
        {"id": 1, "question": "2 + 2?", "options": ["3", "4"], "type": "singleChoice", "answer": "B"},
        {
            "id": 2,
            "question": "Capital of France?",
            "options": ["Paris", "Rome"],
            "type": "singleChoice",
            "answer": "A",
        },
        {"id": 3, "question": "3 * 3?", "options": ["9", "6"], "type": "singleChoice", "answer": "A"},
    ],
}


def _exam_path() -> Path:
    path = DRIVE / "data" / "exams" / "lite.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(EXAM), "utf-8")
    return path


def test_platform_is_pyodide():
    assert sys.platform == "emscripten"


def test_first_kernel_answers_and_saves():
    """A new quiz's first answer is on disk; then the 'tab closes' (the run ends, nothing is closed)."""
    quiz = QuizWidget(_exam_path(), base_dir=DRIVE)
    assert quiz.answer("B") is True
    assert not quiz.warning, quiz.warning
    saved = json.loads(Path(quiz.session_path).read_text("utf-8"))
    assert saved["quiz_mode"]["total_answered"] == 1


def test_reloaded_kernel_resumes_writable():
    (path,) = sorted((DRIVE / "data" / "sessions").glob("session_*.json"))
    quiz = QuizWidget.resume(path, exam=_exam_path())
    assert not quiz.read_only, quiz.warning
    assert quiz.total_answered == 1
    quiz.next()
    assert quiz.answer("A") is True
    assert not quiz.warning, quiz.warning
    saved = json.loads(path.read_text("utf-8"))
    assert saved["quiz_mode"]["total_answered"] == 2


def test_deeply_nested_file_is_skipped():
    sessions = DRIVE / "data" / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    (sessions / "session_20240101_000000.json").write_text("[" * 10_000 + "]" * 10_000, "utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = SessionManager(DRIVE).find_study_sessions()
    assert found == []
    assert any("session_20240101_000000.json" in str(w.message) for w in caught)

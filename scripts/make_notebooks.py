"""Write the project's notebooks from their source cells, then execute them in place.

Notebooks are outputs of this script so their text stays reviewable here; strict nbval then checks that
running them still gives the outputs stored in them. Run: .venv/bin/python scripts/make_notebooks.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

QUICKSTART = [
    new_markdown_cell(
        "# Cloud Concepts practice exam\n\n"
        "Run the next two cells and take the exam below. Every answer is saved the moment you give it, "
        "so you can close this tab, restart the kernel or shut the laptop: nothing is lost.\n\n"
        "Keys: **1-5** or **A-E** choose an option, **Enter** submits, **N** or **→** goes to the next question."
    ),
    new_code_cell("from quiz_widgets import QuizWidget"),
    new_code_cell(
        '# "cloud-basics" is a sample exam shipped with quiz_widgets; pass a path for your own exam file.\n'
        "# Sessions are saved under ../data/sessions.\n"
        'quiz = QuizWidget("cloud-basics", base_dir="..")\n'
        "quiz"
    ),
    new_markdown_cell("Where you are, at any time (the widget and Python share one quiz):"),
    new_code_cell('print(f"{quiz.total_answered} of {quiz.total} answered, score {quiz.score}")'),
    new_markdown_cell(
        "## Coming back later\n\n"
        "Every earlier session is in the **Previous Sessions** browser "
        "(see `previous-sessions.ipynb`), or resume one file directly:\n\n"
        "```python\n"
        'QuizWidget.resume("../data/sessions/session_20241101_200508.json")\n'
        "```"
    ),
]

RESUME = [
    new_markdown_cell(
        "# Resuming a session\n\n"
        "A session file holds everything needed to go on: the score, every answer, the time spent and "
        "where you stopped. This notebook makes an earlier session in a scratch folder, then resumes it "
        "the way you would resume your own."
    ),
    new_code_cell(
        "import json\n"
        "import shutil\n"
        "import tempfile\n"
        "from pathlib import Path\n\n"
        "from quiz_widgets import QuizWidget, SessionManager, load_exam\n\n"
        'base = Path(tempfile.mkdtemp(prefix="quiz-resume-"))\n'
        "# A copy of the sample exam where the original app keeps exams, so its sessions find it by title.\n"
        '(base / "data" / "exams").mkdir(parents=True)\n'
        '_ = shutil.copy(load_exam("cloud-basics").source, base / "data" / "exams")'
    ),
    new_markdown_cell("Yesterday: three questions answered, then the tab was closed."),
    new_code_cell(
        'earlier = QuizWidget(base / "data/exams/cloud-basics.json", base_dir=base)\n'
        'for letter in ["C", "B", "A"]:\n'
        "    earlier.answer(letter)\n"
        "earlier.close()\n"
        "path = earlier.session_path\n"
        "print(earlier)"
    ),
    new_markdown_cell("Today: resume from the file. The quiz goes on at question 4, in the same file."),
    new_code_cell("quiz = QuizWidget.resume(path)\nquiz"),
    new_code_cell(
        'print(f"question {quiz.index + 1} of {quiz.total}, score {quiz.score}, '
        'same file: {quiz.session_path == path}")'
    ),
    new_markdown_cell(
        "## Sessions from the original desktop app\n\n"
        "Its files record only the exam title and how many questions were answered. The exam is found by "
        "title in `exams/` or `data/exams/`, and the quiz resumes at the next unanswered question."
    ),
    new_code_cell(
        "desktop_session = {\n"
        '    "session_date": "2024-11-01T20:05:08.123456",\n'
        '    "exam_title": "Cloud Concepts Practice Exam",\n'
        '    "total_questions": 24,\n'
        '    "quiz_mode": {"score": 4, "total_answered": 5, "wrong_answers": []},\n'
        '    "timer_data": {"elapsed_seconds": 300, "completed": False, "auto_saved": True, "emergency_saved": False},\n'
        "}\n"
        "old_path = SessionManager(base).save_session(desktop_session)\n"
        "old = QuizWidget.resume(old_path)\n"
        'print(f"question {old.index + 1}, score {old.score}, at least {int(old.elapsed_seconds)} s")\n'
        "old"
    ),
    new_code_cell("quiz.close()\nold.close()\nshutil.rmtree(base)"),
]


def write(name: str, cells: list) -> Path:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = NOTEBOOKS / name
    nbformat.write(nb, path)
    return path


def main() -> None:
    NOTEBOOKS.mkdir(exist_ok=True)
    # previous-sessions.ipynb is edited as a notebook; it is only re-run here.
    paths = [
        write("quickstart.ipynb", QUICKSTART),
        write("resume.ipynb", RESUME),
        NOTEBOOKS / "previous-sessions.ipynb",
    ]
    for path in paths:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--inplace",
                str(path),
            ],
            check=True,
            cwd=NOTEBOOKS,
        )
        # Widget state saved by nbconvert belongs to one run's models; it would only churn the diff.
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)


if __name__ == "__main__":
    main()

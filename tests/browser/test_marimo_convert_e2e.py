"""The instructor notebook converted for marimo (`quiz-widgets marimo`), served by a real `marimo run` on
127.0.0.1 and answered in Debian's Chromium: the %%quiz cell's quiz is there and saves its answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import marimo  # noqa: F401  (the test extra has it; the server runs it as `python -m marimo`)
import pytest

from quiz_widgets.cli import main

from .lab_utils import wait_until
from .test_marimo_e2e import MarimoServer, no_page_errors, option

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]


def derivative_sessions(scratch: Path) -> list[dict]:
    # The app's `base` is tempfile.mkdtemp(prefix="course-"), made under TMPDIR (the test's scratch folder).
    found = []
    for path in scratch.glob("course-*/data/sessions/session_*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("exam_title") == "Check: derivatives":
            found.append(data)
    return found


def test_the_converted_instructor_notebook_runs_its_quiz_in_marimo(page, tmp_path, monkeypatch):
    course = tmp_path / "course"
    shutil.copytree(
        REPO_ROOT / "notebooks", course, ignore=shutil.ignore_patterns("data", ".ipynb_checkpoints")
    )
    assert main(["marimo", str(course / "instructor.ipynb"), "-o", str(course / "app.py")]) == 0
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the server inherits it

    server = MarimoServer(course / "app.py", course, tmp_path)
    try:
        page.goto(server.url)
        quiz = page.locator(".qw-root").filter(has=page.get_by_role("heading", name="Check: derivatives"))
        quiz.wait_for(timeout=90_000)
        assert page.get_by_text("magic command not supported").count() == 0
        quiz.locator(".qw-progress-text").filter(has_text="Question 1 of 3").wait_for()

        option(quiz, "3x").first.click()  # $3x^2$, the first option and the right one
        quiz.locator(".qw-feedback-region .qw-verdict").filter(has_text="Correct").wait_for()
        wait_until(lambda: len(derivative_sessions(scratch)) == 1, what="the converted quiz's session file")
        saved = derivative_sessions(scratch)[0]
        assert saved["quiz_mode"]["total_answered"] == 1 and saved["quiz_mode"]["score"] == 1
        no_page_errors(page)
    finally:
        server.stop()

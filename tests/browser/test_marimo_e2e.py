"""marimo, first class: real `marimo run` servers on 127.0.0.1, driven in Debian's Chromium.

The apps are in tests/marimo/: a quiz written in the notebook (QuizWidget.from_questions) with its score in
another cell through mo.state; SessionBrowser (one anywidget: the list, and the quiz a Resume or Study
opens in it); and an app for many visitors, each with their own learner and folder from their request.
Every answer is checked on disk, in the session file the kernel wrote. Playwright's CSS locators pierce
the open shadow roots marimo draws anywidgets in.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from run_flags import browser_required, missing

from .lab_utils import free_port, stop_process, wait_until

try:
    import marimo  # the servers run as `python -m marimo`
except ImportError:
    marimo = None

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
APPS = REPO_ROOT / "tests" / "marimo"
CLOUD = json.loads((REPO_ROOT / "quiz_widgets" / "exam" / "samples" / "cloud-basics.json").read_text())
QUESTIONS = CLOUD["questions"]
TITLE = CLOUD["title"]


class MarimoServer:
    """`marimo run APP` on a free port of 127.0.0.1, headless, no token; its output in log_path."""

    def __init__(self, app: Path, base: Path, log_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log_path = log_dir / f"marimo-{app.stem}.log"
        env = dict(os.environ, QW_MARIMO_BASE=str(base))
        cmd = [
            sys.executable, "-m", "marimo", "run", str(app), "--headless", "--no-token",
            "--host", "127.0.0.1", "--port", str(self.port), "--no-sandbox", "--no-skew-protection",
        ]  # fmt: skip
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=base, env=env, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._answers, timeout=60, what=f"marimo run {app.name} to answer on {self.url}")

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"marimo exited with {self.proc.returncode}:\n{self.log()}")
        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        stop_process(self.proc)


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    if marimo is None:
        missing(
            "marimo is not installed (it is in the test extra)",
            required=browser_required(),
            flag_name="QUIZ_WIDGETS_REQUIRE_BROWSER=1",
        )
    servers: list[MarimoServer] = []

    def start(app: str, base: Path) -> MarimoServer:
        server = MarimoServer(APPS / app, base, tmp_path)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def sessions(base: Path) -> list[Path]:
    return sorted((base / "data" / "sessions").glob("session_*.json"))


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def answered(base: Path) -> int:
    files = sessions(base)
    return read(files[-1])["quiz_mode"]["total_answered"] if files else 0


def option(quiz, text: str):
    # By its text, whatever its role (a button, or a radio of the options' radio group).
    return quiz.locator(".qw-option").filter(has_text=text)


def no_page_errors(page) -> None:
    errors = [m for m in page.console_log if m.startswith("[pageerror]")]
    assert not errors, errors


# --------------------------------------------------------------------------------------------------
def test_a_quiz_answers_by_click_and_by_key_and_its_score_shows_in_another_cell(page, serve, tmp_path):
    base = tmp_path / "course"
    base.mkdir()
    server = serve("quiz_app.py", base)
    page.goto(server.url)
    quiz = page.locator(".qw-root")
    quiz.wait_for(timeout=60_000)
    assert quiz.get_by_role("heading", name="Warm-up").is_visible()
    live_score = page.locator("#qw-live-score")
    live_score.filter(has_text="Score 0 of 0 answered").wait_for()

    # Question 1 by a click on its right option: the verdict, the file, and the other cell's score.
    option(quiz, "4").click()
    verdict = quiz.locator(".qw-feedback-region .qw-verdict")
    verdict.wait_for()
    assert verdict.inner_text().strip() == "\u2713 Correct"
    wait_until(lambda: answered(base) == 1, what="the session file to record the first answer")
    live_score.filter(has_text="Score 1 of 1 answered").wait_for()

    # On by key: Enter moves to question 2, "1" picks its first option (Mars, wrong), all inside marimo's
    # shadow root.
    next_button = quiz.locator(".qw-next:not([disabled])")
    next_button.focus()
    expect(next_button).to_be_focused()
    page.keyboard.press("Enter")
    quiz.locator(".qw-progress-text").filter(has_text=re.compile(r"^Question 2 of 3$")).wait_for()
    # Question 2 is drawn on the trait change, but its options stay disabled until the kernel's reply to
    # "next" comes (a separate message, later under load): a key before it is dropped, as for a user.
    first = quiz.locator(".qw-option:not([disabled])").first
    first.wait_for()
    first.focus()
    expect(first).to_be_focused()
    page.keyboard.press("1")
    verdict.filter(has_text="Incorrect").wait_for()
    wait_until(lambda: answered(base) == 2, what="the session file to record the key's answer")
    saved = read(sessions(base)[-1])
    assert saved["exam_title"] == "Warm-up" and saved["quiz_mode"]["score"] == 1
    assert saved["quiz_mode"]["wrong_answers"][0]["your_answer"] == "Mars"
    live_score.filter(has_text="Score 1 of 2 answered").wait_for()
    no_page_errors(page)


def make_project(base: Path) -> tuple[Path, int]:
    """A project with one unfinished session (2 of 24 answered, 1 right) and one finished attempt with
    wrong answers; returns the session file and the number of wrong answers."""
    shutil.copytree(REPO_ROOT / "quiz_widgets" / "exam" / "samples", base / "data" / "exams")
    script = r"""
import sys
from quiz_widgets import QuizWidget
base = sys.argv[1]
done = QuizWidget("data/exams/cloud-basics.json", base_dir=base, attempt="new", autosave_interval=0)
while not done.completed:
    done.answer("A")
    done.next()
done.close()
quiz = QuizWidget("data/exams/cloud-basics.json", base_dir=base, attempt="new", autosave_interval=0)
quiz.answer(sys.argv[2]); quiz.next(); quiz.answer(sys.argv[3])
print(quiz.session_path, len(done.wrong_answers))
quiz.close()
"""
    right = QUESTIONS[0]["answer"]
    wrong = next(k for k in QUESTIONS[1]["options"] if k != QUESTIONS[1]["answer"])
    out = subprocess.run(
        [sys.executable, "-c", script, str(base), right, wrong],
        cwd=base, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    path, wrong_count = out.stdout.split()[-2:]
    return Path(path), int(wrong_count)


def test_session_browser_resumes_and_studies_in_one_view(page, serve, tmp_path):
    base = tmp_path / "project"
    session, wrong_count = make_project(base)
    server = serve("browser_app.py", base)
    page.goto(server.url)
    listing = page.locator(".qw-browser")
    listing.wait_for(timeout=60_000)
    # Not "Jupyter widgets are not supported": the browser is one anywidget.
    assert page.get_by_text("not supported").count() == 0

    # Resume: the quiz appears in the same view, on question 3, and takes an answer by click.
    unfinished = listing.get_by_role("button", name=re.compile(rf"^Resume {re.escape(TITLE)}, "))
    unfinished.first.wait_for()
    rows = listing.locator(".qw-panel:not([hidden]) tbody tr")
    row = rows.filter(has_text="in progress")
    row.get_by_role("button", name=re.compile(r"^Resume ")).click()
    quiz = page.locator(".qw-browser-frame .qw-root")
    quiz.wait_for()
    listing.wait_for(state="hidden")
    quiz.locator(".qw-progress-text").filter(has_text=re.compile(r"^Question 3 of 24$")).wait_for()
    assert quiz.locator(".qw-score").inner_text() == "Score: 1 / 2"
    # An explicit Resume: no "Continuing your attempt" note to start a new one.
    assert quiz.locator(".qw-continued:visible").count() == 0
    option(quiz, QUESTIONS[2]["options"][QUESTIONS[2]["answer"]]).click()
    quiz.locator(".qw-feedback-region .qw-verdict").filter(has_text="Correct").wait_for()
    wait_until(lambda: read(session)["quiz_mode"]["total_answered"] == 3, what="the resumed file to grow")

    # Back to sessions: the list again, with the new progress.
    page.get_by_role("button", name="Back to sessions").click()
    listing.wait_for()
    quiz.wait_for(state="detached")
    rows.filter(has_text="3/24").wait_for()

    # Review incorrect answers -> Study: a study quiz of the finished attempt's wrong answers, same view.
    listing.get_by_role("tab", name="Review Incorrect Answers").click()
    listing.get_by_role("button", name=re.compile(r"^Study ")).first.click()
    quiz.wait_for()
    quiz.get_by_role("heading", name=f"{TITLE} - Study Wrong Answers").wait_for()
    quiz.locator(".qw-progress-text").filter(has_text=f"Question 1 of {wrong_count}").wait_for()
    quiz.locator(".qw-option").first.click()
    quiz.locator(".qw-feedback-region .qw-verdict").wait_for()
    wait_until(
        lambda: any(read(p)["exam_title"].endswith("Study Wrong Answers") for p in sessions(base)),
        what="the study quiz's session file",
    )
    no_page_errors(page)
    assert "AssertionError" not in server.log() and "Traceback" not in server.log(), server.log()


def test_two_visitors_of_one_marimo_run_each_get_their_own_attempt(browser, serve, tmp_path):
    # `marimo run` serves every visitor from one process: with the README's pattern (learner and folder
    # from the visitor's request) the second visitor starts their own attempt, and the first one's quiz
    # stays writable (it turned read-only: the second continued the first's file and took it over).
    base = tmp_path / "class"
    base.mkdir()
    server = serve("visitors_app.py", base)
    q1, q2 = QUESTIONS[0], QUESTIONS[1]
    right1 = q1["options"][q1["answer"]]
    wrong1 = next(text for key, text in q1["options"].items() if key != q1["answer"])
    contexts = [browser.new_context(viewport={"width": 1100, "height": 900}) for _ in range(2)]
    try:
        ada, bob = (context.new_page() for context in contexts)
        for visitor in (ada, bob):
            visitor.console_log = []
            visitor.on("pageerror", lambda e, log=visitor.console_log: log.append(f"[pageerror] {e}"))

        ada.goto(f"{server.url}?learner=ada")
        ada_quiz = ada.locator(".qw-root")
        ada_quiz.wait_for(timeout=60_000)
        option(ada_quiz, right1).click()
        ada_quiz.locator(".qw-feedback-region .qw-verdict").filter(has_text="Correct").wait_for()
        wait_until(lambda: answered(base / "ada") == 1, what="ada's first answer on disk")

        bob.goto(f"{server.url}?learner=bob")
        bob_quiz = bob.locator(".qw-root")
        bob_quiz.wait_for(timeout=60_000)
        bob_quiz.locator(".qw-progress-text").filter(has_text=re.compile(r"^Question 1 of 24$")).wait_for()
        option(bob_quiz, wrong1).click()
        bob_quiz.locator(".qw-feedback-region .qw-verdict").filter(has_text="Incorrect").wait_for()
        wait_until(lambda: answered(base / "bob") == 1, what="bob's first answer on disk")

        # Ada goes on, writable: no read-only banner, no warning, her file grows.
        ada_quiz.locator(".qw-next").click()
        option(ada_quiz, q2["options"][q2["answer"]]).click()
        ada_quiz.locator(".qw-feedback-region .qw-verdict").filter(has_text="Correct").wait_for()
        wait_until(lambda: answered(base / "ada") == 2, what="ada's second answer on disk")
        for quiz in (ada_quiz, bob_quiz):
            assert quiz.locator(".qw-banner-readonly:visible, .qw-banner-warning:visible").count() == 0

        [ada_file], [bob_file] = sessions(base / "ada"), sessions(base / "bob")
        ada_saved, bob_saved = read(ada_file), read(bob_file)
        assert (ada_saved["learner"], ada_saved["quiz_mode"]["score"]) == ("ada", 2)
        assert (bob_saved["learner"], bob_saved["quiz_mode"]["score"]) == ("bob", 0)
        for visitor in (ada, bob):
            no_page_errors(visitor)
    finally:
        for context in contexts:
            context.close()

"""SessionBrowser in a real JupyterLab + Chromium: list, resume in place, answer, back, delete, HTML titles.

Each test prepares ``<lab_dir>/base`` (its data/exams a copy of the sample exams) and makes its session by running a
QuizWidget from Python in a subprocess (as a learner's earlier notebook would have), then opens a notebook
that shows ``SessionBrowser(base_dir=<base>)``. Widget locators are scoped to ``.jp-OutputArea-output``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .lab_utils import open_notebook, output_locator, run_all, wait_until, write_notebook

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
CLOUD = json.loads((REPO_ROOT / "quiz_widgets" / "exam" / "samples" / "cloud-basics.json").read_text())
QUESTIONS = CLOUD["questions"]
TITLE = CLOUD["title"]  # "Cloud Concepts Practice Exam"
TOTAL = len(QUESTIONS)  # 24
PAYLOAD = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script><b>Bold</b> Exam'

MAKE_SESSION = """
import sys
from quiz_widgets import QuizWidget
base, answers = sys.argv[1], sys.argv[2:]
quiz = QuizWidget(base + "/data/exams/cloud-basics.json", base_dir=base, autosave_interval=0)
for value in answers:
    quiz.answer(value)
    quiz.next()
quiz.close()
print(quiz.session_path)
"""


# --------------------------------------------------------------------------------------------------
# helpers


def make_base(lab_dir) -> Path:
    base = lab_dir.path / "base"
    shutil.copytree(REPO_ROOT / "quiz_widgets" / "exam" / "samples", base / "data" / "exams")
    return base


def make_session(base: Path, answers: list[str]) -> Path:
    """Run a QuizWidget in another Python process, answering ``answers``; returns its session file."""
    out = subprocess.run(
        [sys.executable, "-c", MAKE_SESSION, str(base), *answers],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.strip().splitlines()[-1])
    assert path.is_file() and path.parent == base / "data" / "sessions"
    return path


def session_files(base: Path) -> list[Path]:
    return sorted((base / "data" / "sessions").glob("session_*.json"))


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def open_browser_notebook(page, lab, lab_dir, base: Path):
    write_notebook(
        lab_dir.path / "browser.ipynb",
        [
            f"from quiz_widgets import SessionBrowser\nbrowser = SessionBrowser(base_dir={str(base)!r})\nbrowser"
        ],
    )
    open_notebook(page, lab, lab_dir.lab_path("browser.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-browser")
    root.wait_for()
    return root


def rows(root):
    return root.locator(".qw-panel:not([hidden]) tbody tr")


def row_cells(row) -> list[str]:
    return [t.strip() for t in row.locator("td").all_inner_texts()]


def option_button(quiz, qnum: int, key: str):
    # By its text, whatever its role (a button, or a radio of the options' radio group).
    return quiz.locator(".qw-option").filter(has_text=QUESTIONS[qnum - 1]["options"][key])


# --------------------------------------------------------------------------------------------------
# 1. list -> resume in place -> answer by click -> same file grows -> back shows the new progress


def test_list_resume_answer_back(page, lab, lab_dir):
    base = make_base(lab_dir)
    q1, q2 = QUESTIONS[0], QUESTIONS[1]
    wrong2 = next(k for k in q2["options"] if k != q2["answer"])
    session = make_session(base, [q1["answer"], wrong2])  # 1 right, 1 wrong
    saved = read(session)
    assert saved["quiz_mode"]["total_answered"] == 2 and saved["quiz_mode"]["score"] == 1

    root = open_browser_notebook(page, lab, lab_dir, base)

    # "Previous Sessions" is the tab on screen and lists the session.
    tab = root.get_by_role("tab", name="Previous Sessions")
    assert tab.get_attribute("aria-selected") == "true"
    assert root.get_by_role("tabpanel", name="Previous Sessions").is_visible()
    assert rows(root).count() == 1
    title, date, progress, score, _time, state, _actions = row_cells(rows(root).first)
    assert title == TITLE
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", date)
    assert progress == f"2/{TOTAL}"
    assert score == "1/2"
    assert state == "in progress"
    # Screenshots go to test-artifacts/; QUIZ_WIDGETS_UPDATE_SCREENSHOTS=1 refreshes the one in docs/.
    shots = REPO_ROOT / (
        "docs/screenshots"
        if os.environ.get("QUIZ_WIDGETS_UPDATE_SCREENSHOTS") == "1"
        else "test-artifacts/screenshots"
    )
    shots.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=str(shots / "lab-sessions-light.png"))

    # Resume (its accessible name carries the exam title).
    resume = root.get_by_role("button", name=re.compile(rf"^Resume {re.escape(TITLE)}, "))
    assert resume.count() == 1
    resume.click()

    # The quiz replaces the list in the same view (one anywidget), on question 3, score restored; a Back
    # button above it.
    quiz = output_locator(page, ".qw-root")
    quiz.wait_for()
    output_locator(page, ".qw-browser").wait_for(state="hidden")
    assert output_locator(page, ".qw-browser-frame .qw-root").count() == 1
    back = output_locator(page).get_by_role("button", name="Back to sessions")
    back.wait_for()
    assert quiz.get_by_role("heading", name=TITLE).is_visible()
    quiz.locator(".qw-progress-text").filter(has_text=re.compile(rf"^Question 3 of {TOTAL}$")).wait_for()
    assert quiz.locator(".qw-score").inner_text() == "Score: 1 / 2"
    assert QUESTIONS[2]["question"] in quiz.locator(".qw-question-text").inner_text()
    bar = quiz.get_by_role("progressbar", name="Quiz progress")
    assert bar.get_attribute("aria-valuenow") == "2"

    # Answer question 3 by clicking its correct option.
    option_button(quiz, 3, QUESTIONS[2]["answer"]).click()
    verdict = quiz.locator(".qw-feedback-region .qw-verdict")
    verdict.wait_for()
    assert verdict.inner_text().strip() == "\u2713 Correct"
    assert quiz.locator(".qw-score").inner_text() == "Score: 2 / 3"

    # The same session file grew; no other session file appeared.
    grown = wait_until(
        lambda: (d := read(session))["quiz_mode"]["total_answered"] == 3 and d,
        what="the session file to record the third answer",
    )
    assert session_files(base) == [session]
    assert grown["quiz_mode"]["score"] == 2
    assert grown["session_date"] == saved["session_date"]
    assert [a["question_id"] for a in grown["quiz_widgets"]["answers"]] == [q["id"] for q in QUESTIONS[:3]]

    # Back to sessions: the list comes back (refreshed) with the new progress.
    back.click()
    root = output_locator(page, ".qw-browser")
    root.wait_for()
    output_locator(page, ".qw-root").wait_for(state="detached")
    assert output_locator(page).get_by_role("button", name="Back to sessions").count() == 0
    assert rows(root).count() == 1
    _title, _date, progress, score, *_ = row_cells(rows(root).first)
    assert progress == f"3/{TOTAL}"
    assert score == "2/3"
    assert session_files(base) == [session]
    assert page.console_log is not None and not [m for m in page.console_log if m.startswith("[pageerror]")]


# --------------------------------------------------------------------------------------------------
# 2. Delete asks in the page: Cancel keeps the file, Confirm deletes it


def test_delete_asks_for_confirmation(page, lab, lab_dir):
    base = make_base(lab_dir)
    session = make_session(base, [QUESTIONS[0]["answer"]])
    root = open_browser_notebook(page, lab, lab_dir, base)
    assert rows(root).count() == 1
    confirm_box = root.get_by_role("group", name="Confirm")
    assert confirm_box.is_hidden()

    delete = root.get_by_role("button", name=re.compile(rf"^Delete {re.escape(TITLE)}, "))
    delete.click()
    confirm_box.wait_for()
    text = root.locator(".qw-confirm-text").inner_text()
    assert TITLE in text and f"1/{TOTAL}" in text and "cannot be undone" in text
    assert session.exists()  # asking deletes nothing

    # Cancel: the question goes away, the file and the row stay.
    root.get_by_role("button", name="Cancel", exact=True).click()
    confirm_box.wait_for(state="hidden")
    assert session.exists()
    assert rows(root).count() == 1
    assert row_cells(rows(root).first)[0] == TITLE

    # Delete again, then Confirm: the file is gone and the list is empty.
    delete.click()
    confirm_box.wait_for()
    root.get_by_role("button", name="Confirm", exact=True).click()
    root.locator(".qw-empty").wait_for()
    confirm_box.wait_for(state="hidden")
    assert not session.exists()
    assert session_files(base) == []
    assert root.locator(".qw-notice").inner_text().startswith(f"Deleted the session \u201c{TITLE}\u201d")


# --------------------------------------------------------------------------------------------------
# 3. An exam title holding HTML is shown as text (list, button names, confirmation, error)


def test_html_title_is_shown_as_text(page, lab, lab_dir):
    base = make_base(lab_dir)
    folder = base / "data" / "sessions"
    folder.mkdir(parents=True)
    hostile = folder / "session_20240105_090000.json"
    hostile.write_text(
        json.dumps(
            {
                "session_date": "2024-01-05T09:00:00",
                "exam_title": PAYLOAD,
                "total_questions": 10,
                "quiz_mode": {"score": 1, "total_answered": 2, "wrong_answers": []},
                "timer_data": {
                    "elapsed_seconds": 65,
                    "completed": False,
                    "auto_saved": True,
                    "emergency_saved": False,
                },
            }
        ),
        encoding="utf-8",
    )
    root = open_browser_notebook(page, lab, lab_dir, base)
    assert rows(root).count() == 1
    title, date, progress, score, elapsed, state, _ = row_cells(rows(root).first)
    assert title == PAYLOAD
    assert (date, progress, score, elapsed, state) == (
        "2024-01-05 09:00",
        "2/10",
        "1/2",
        "0:01:05",
        "in progress",
    )
    assert root.get_by_role("button", name=f"Resume {PAYLOAD}, 2024-01-05 09:00", exact=True).count() == 1

    # The confirmation text carries the title as text too.
    root.get_by_role("button", name=f"Delete {PAYLOAD}, 2024-01-05 09:00", exact=True).click()
    root.get_by_role("group", name="Confirm").wait_for()
    assert PAYLOAD in root.locator(".qw-confirm-text").inner_text()
    root.get_by_role("button", name="Cancel", exact=True).click()
    root.get_by_role("group", name="Confirm").wait_for(state="hidden")

    # Its exam does not exist: Resume shows the kernel's refusal (title included) as text, list stays.
    root.get_by_role("button", name=f"Resume {PAYLOAD}, 2024-01-05 09:00", exact=True).click()
    error = root.get_by_role("alert")
    error.wait_for()
    assert PAYLOAD in error.inner_text() and "exam=" in error.inner_text()
    assert output_locator(page, ".qw-root").count() == 0

    page.wait_for_timeout(300)  # give a broken image's onerror time to fire
    for tag in ("img", "script", "b"):
        assert output_locator(page, f".qw-browser {tag}").count() == 0, tag
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    assert hostile.exists()

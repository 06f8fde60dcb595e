"""SessionBrowser on the original app's real files (../shared/compat/quizpython).

The ten session files, the exams and the three results files are copied into ``tmp_path`` (a fixture
copy: the shared folder and the project are never written). When the folder is missing the tests skip
saying where they looked (in CI they fail).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from run_flags import COMPAT

from quiz_widgets import SessionError
from quiz_widgets.exam import load_exam
from quiz_widgets.ui.session_browser import SESSION_STATES, SessionBrowser

# Without the folder these tests skip, or fail in CI: the rule is in run_flags.py (via conftest.py).
pytestmark = pytest.mark.compat

# Exams present in COMPAT/exams, by title.
PRESENT = {"Practice Exam 1": "exam_1.json", "TDojo Exam 2": "tDojo_exam_2.json"}
STUDY_SUFFIX = " - Study Wrong Answers"


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _clock(seconds: float) -> str:
    total = int(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _expected_state(data: dict[str, Any]) -> str:
    timer = data.get("timer_data") or {}
    answered = data["quiz_mode"]["total_answered"]
    if timer.get("completed") is True or answered >= data["total_questions"] > 0:
        return "completed"
    if timer.get("quit_by_user") is True:
        return "quit"
    if timer.get("emergency_saved") is True:
        return "saved at shutdown"
    return "in progress"


@pytest.fixture
def originals() -> dict[str, dict[str, Any]]:
    """The original session files (name -> parsed), read from the shared folder."""
    files = sorted((COMPAT / "sessions").glob("session_*.json"))
    assert len(files) == 10, f"expected the ten original session files in {COMPAT / 'sessions'}: {files}"
    return {p.name: _read(p) for p in files}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """tmp_path with data/sessions (the ten files), exams/ and results/ copied from the shared folder."""
    sessions = tmp_path / "data" / "sessions"
    sessions.mkdir(parents=True)
    # Copied newest name first, so file mtimes run opposite to the session dates: the order the
    # browser shows must come from session_date, not from when the file was written.
    for path in sorted((COMPAT / "sessions").glob("session_*.json"), reverse=True):
        shutil.copy(path, sessions / path.name)
    shutil.copytree(COMPAT / "exams", tmp_path / "exams")
    (tmp_path / "results").mkdir()
    for path in sorted((COMPAT / "results").glob("*.json")):
        shutil.copy(path, tmp_path / "results" / path.name)
    return tmp_path


@pytest.fixture
def browser(project: Path, recording_comms):
    b = SessionBrowser(base_dir=project, autosave_interval=0)
    yield b
    b.close()


def _row_by_file(b: SessionBrowser, name: str) -> dict[str, Any]:
    for row in b.sessions:
        if Path(b._session_paths[row["id"]]).name == name:
            return row
    raise AssertionError(f"{name} is not listed")


# -- listing ---------------------------------------------------------------------------------------------
def test_lists_all_ten_newest_first(browser: SessionBrowser, originals: dict[str, dict[str, Any]]):
    rows = browser.sessions
    assert len(rows) == 10
    assert browser.skipped == []
    assert browser.view.sessions == rows  # what the page gets

    newest_first = sorted(originals.items(), key=lambda kv: kv[1]["session_date"], reverse=True)
    assert [r["title"] for r in rows] == [d["exam_title"] for _, d in newest_first]
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates, reverse=True)
    assert rows[0]["title"] == "TDojo Exam 2" and rows[0]["date"] == "2025-11-01 22:52"
    assert (
        rows[-1]["title"] == "Practice Exam 4 - Study Wrong Answers"
        and rows[-1]["date"] == "2025-11-01 20:03"
    )

    for row, (name, data) in zip(rows, newest_first, strict=True):
        qm = data["quiz_mode"]
        assert Path(browser._session_paths[row["id"]]).name == name
        assert row["progress"] == f"{qm['total_answered']}/{data['total_questions']}", name
        assert row["answered"] == qm["total_answered"] and row["total"] == data["total_questions"], name
        assert row["score"] == f"{qm['score']}/{qm['total_answered']}", name
        assert row["time"] == _clock(data["timer_data"]["elapsed_seconds"]), name
        assert row["state"] == _expected_state(data), name
        assert row["state"] in SESSION_STATES
        assert row["date"] == data["session_date"][:16].replace("T", " "), name
        assert "/" not in row["id"] and row["id"].startswith("s")

    # Spot checks written out by hand (not derived from the same logic as above).
    by_name = {Path(browser._session_paths[r["id"]]).name: r for r in rows}
    assert by_name["session_20251101_225217.json"]["progress"] == "2/65"
    assert by_name["session_20251101_225217.json"]["state"] == "saved at shutdown"
    assert by_name["session_20251101_200854.json"]["state"] == "in progress"  # emergency_saved false
    assert by_name["session_20251101_220038.json"]["state"] == "completed"  # 21 answered of 4
    assert by_name["session_20251101_202044.json"]["time"] == "244:21:32"  # 879,692 s


def test_listing_does_not_write(project: Path, recording_comms):
    before = {p.name: p.read_bytes() for p in (project / "data" / "sessions").glob("*.json")}
    b = SessionBrowser(base_dir=project, autosave_interval=0)
    b.refresh()
    b.close()
    after = {p.name: p.read_bytes() for p in (project / "data" / "sessions").glob("*.json")}
    assert after == before


# -- resume ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("session_20251101_225217.json", "TDojo Exam 2"),
        ("session_20251101_215142.json", "Practice Exam 1"),
    ],
)
def test_resume_with_exam_present(
    browser: SessionBrowser, project: Path, originals: dict[str, dict[str, Any]], name: str, title: str
):
    data = originals[name]
    qm = data["quiz_mode"]
    exam = load_exam(project / "exams" / PRESENT[title])
    row = _row_by_file(browser, name)
    files_before = sorted(p.name for p in (project / "data" / "sessions").glob("session_*.json"))

    quiz = browser.resume(row["id"])

    assert browser.quiz is quiz
    assert browser.showing == "quiz"
    assert quiz.exam_title == title
    assert quiz.total == len(exam) == data["total_questions"]
    assert quiz.session_path == project / "data" / "sessions" / name
    # On the right question: the first total_answered questions count as answered.
    assert quiz.index == qm["total_answered"]
    assert quiz.phase == "question"
    assert quiz.question["number"] == qm["total_answered"] + 1
    assert quiz.question["id"] == exam.questions[qm["total_answered"]].id
    assert quiz.question["text"] == exam.questions[qm["total_answered"]].text
    # Score and time as saved (the clock runs again from the saved time).
    assert quiz.score == qm["score"]
    assert quiz.answered == qm["total_answered"]
    saved = float(data["timer_data"]["elapsed_seconds"])
    assert saved <= quiz.elapsed_seconds < saved + 5
    assert saved <= quiz.elapsed < saved + 5

    # Back: the list again, the same file (no new session file), progress unchanged.
    browser.back()
    assert browser.quiz is None and browser.showing == "list"
    assert sorted(p.name for p in (project / "data" / "sessions").glob("session_*.json")) == files_before
    again = _row_by_file(browser, name)
    assert again["id"] == row["id"]
    assert again["progress"] == row["progress"]
    assert again["score"] == row["score"]


def test_resume_with_exam_absent(
    browser: SessionBrowser, project: Path, originals: dict[str, dict[str, Any]]
):
    absent = {n: d for n, d in originals.items() if d["exam_title"] not in PRESENT}
    assert len(absent) == 8
    for name, data in absent.items():
        row = _row_by_file(browser, name)
        before = (project / "data" / "sessions" / name).read_bytes()
        with pytest.raises(SessionError) as info:
            browser.resume(row["id"])
        message = str(info.value)
        assert repr(data["exam_title"]) in message, message  # names the title
        assert "exam=" in message, message  # says how to pass the exam
        assert name in message, message  # names the session file
        assert str(project / "exams") in message, message  # says where it looked
        assert browser.quiz is None and browser.showing == "list"
        assert (project / "data" / "sessions" / name).read_bytes() == before

    # The same refusal through the page's Resume button: shown in the view, nothing else changes.
    name, data = next(iter(absent.items()))
    row = _row_by_file(browser, name)
    browser.view._handle_custom_msg({"type": "resume", "id": row["id"]}, [])
    assert repr(data["exam_title"]) in browser.view.error
    assert "exam=" in browser.view.error
    assert browser.quiz is None and len(browser.sessions) == 10


# -- results / study -------------------------------------------------------------------------------------
def test_review_tab_lists_results_with_wrong_answers(browser: SessionBrowser, project: Path):
    originals = {p.name: _read(p) for p in sorted((COMPAT / "results").glob("*.json"))}
    with_wrong = {n: d for n, d in originals.items() if d["detailed_results"]["incorrect_answers"]}
    assert len(with_wrong) == 3
    rows = browser.results
    assert browser.view.results == rows
    assert len(rows) == len(with_wrong)
    newest_first = sorted(
        with_wrong.values(), key=lambda d: d["session_info"]["completion_date"], reverse=True
    )
    assert [r["title"] for r in rows] == [d["exam_info"]["title"] for d in newest_first]
    assert [r["title"] for r in rows] == [
        "Practice Exam 1 - Study Wrong Answers",
        "Practice Exam 4",
        "Practice Exam 1",
    ]
    for row, data in zip(rows, newest_first, strict=True):
        perf = data["performance"]
        assert row["wrong"] == len(data["detailed_results"]["incorrect_answers"])
        assert row["score"] == f"{perf['score']}/{perf['total_answered']}"
    assert [r["wrong"] for r in rows] == [4, 17, 21]


def test_study_practice_exam_1(browser: SessionBrowser, project: Path):
    result = _read(COMPAT / "results" / "quiz_results_20251031_111509.json")
    assert result["exam_info"]["title"] == "Practice Exam 1"
    exam = load_exam(project / "exams" / "exam_1.json")
    wrong_ids = []
    for entry in result["detailed_results"]["incorrect_answers"]:
        qid = entry["question_id"]
        if exam.by_id(qid) is not None and qid not in wrong_ids:
            wrong_ids.append(qid)
    assert len(wrong_ids) == 21

    row = next(r for r in browser.results if r["title"] == "Practice Exam 1")
    sessions_before = set((project / "data" / "sessions").glob("session_*.json"))
    quiz = browser.study(row["id"])

    assert browser.quiz is quiz and browser.showing == "quiz"
    assert quiz.exam_title == "Practice Exam 1" + STUDY_SUFFIX
    assert quiz.total == len(wrong_ids)
    assert quiz.index == 0 and quiz.score == 0 and quiz.answered == 0
    study_ids = list(quiz.state.order)
    assert sorted(map(str, study_ids)) == sorted(map(str, wrong_ids))
    assert quiz.question["id"] in study_ids
    # Its exam is written so the study session can be resumed later.
    study_files = list((project / "data" / "exams" / "study").glob("*.json"))
    assert len(study_files) == 1
    assert load_exam(study_files[0]).title == "Practice Exam 1" + STUDY_SUFFIX

    # Answering saves a new session file for the study quiz; Back lists it first.
    quiz.answer("A")
    browser.back()
    new = set((project / "data" / "sessions").glob("session_*.json")) - sessions_before
    assert len(new) == 1
    assert _read(next(iter(new)))["exam_title"] == "Practice Exam 1" + STUDY_SUFFIX
    assert browser.sessions[0]["title"] == "Practice Exam 1" + STUDY_SUFFIX
    assert browser.sessions[0]["progress"] == f"1/{len(wrong_ids)}"
    assert len(browser.sessions) == 11


def test_study_of_a_study_result_keeps_one_suffix(browser: SessionBrowser):
    row = next(r for r in browser.results if r["title"] == "Practice Exam 1" + STUDY_SUFFIX)
    quiz = browser.study(row["id"])
    assert quiz.exam_title == "Practice Exam 1" + STUDY_SUFFIX
    assert quiz.total == 4


def test_study_with_exam_absent_is_refused(browser: SessionBrowser):
    row = next(r for r in browser.results if r["title"] == "Practice Exam 4")
    with pytest.raises(SessionError, match="Practice Exam 4") as info:
        browser.study(row["id"])
    assert "exam_dirs=" in str(info.value)
    assert browser.quiz is None and browser.showing == "list"

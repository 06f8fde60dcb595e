"""SessionBrowser: the "Previous Sessions" and "Review Incorrect Answers" tabs, driven as the page would.

The browser is one anywidget: the quiz a Resume or Study opens is drawn in its own view, from its
``quiz_state`` trait, and the quiz's page messages come wrapped as {"type": "quiz", "message": ...}.

No browser: the list view's custom-message handler is fed the messages browser.js sends, and the synced
traits are read back. Fixtures are written in tmp_path, both in the original app's session format and ours.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets
import pytest

from quiz_widgets import QuizWidget, SessionError
from quiz_widgets.ui.session_browser import SESSION_STATES, SessionBrowser, SessionListView

CLOUD_TITLE = "Cloud Concepts Practice Exam"
# The answer key of data/exams/cloud-basics.json, question by question.
CLOUD_KEY = ["C", "B", "D", ["A", "C"], "A", "D", "B", "A", ["B", "E"], "C", "D", "B"]


# -- helpers ---------------------------------------------------------------------------------------------
@pytest.fixture
def base(tmp_path: Path, exams_dir: Path) -> Path:
    project = tmp_path / "project"
    (project / "data" / "exams").mkdir(parents=True)
    shutil.copy(exams_dir / "cloud-basics.json", project / "data" / "exams" / "cloud-basics.json")
    return project


def exam_path(base: Path) -> Path:
    return base / "data" / "exams" / "cloud-basics.json"


def write_session(base: Path, name: str, data: dict[str, Any]) -> Path:
    folder = base / "data" / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def original_session(
    date: str,
    *,
    title: str = CLOUD_TITLE,
    answered: int = 5,
    score: int = 3,
    total: int = 24,
    timer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A session as the original app writes it (no quiz_widgets key; often no quit_by_user)."""
    data: dict[str, Any] = {
        "session_date": date,
        "exam_title": title,
        "total_questions": total,
        "quiz_mode": {
            "score": score,
            "total_answered": answered,
            "wrong_answers": [
                {
                    "question_id": 2,
                    "question": "Under the shared responsibility model ...",
                    "your_answer": "A",
                    "correct_answer": "B",
                }
            ]
            * (answered - score),
        },
    }
    if timer is not None:
        data["timer_data"] = timer
    return data


def run_quiz(base: Path, answers: list[Any], *, close: bool = True) -> QuizWidget:
    """A quiz of ours, saved in base: answers the first questions."""
    quiz = QuizWidget(exam_path(base), base_dir=base, autosave_interval=0)
    for value in answers:
        quiz.answer(value)
        quiz.next()
    if close:
        quiz.close()
    return quiz


def finish_quiz_all_a(base: Path) -> QuizWidget:
    """Answer every question with "A": a completed quiz with a results file and many wrong answers."""
    quiz = QuizWidget(exam_path(base), base_dir=base, autosave_interval=0)
    while not quiz.completed:
        quiz.answer("A")
        quiz.next()
    quiz.close()
    return quiz


def send(browser: SessionBrowser, content: Any) -> None:
    """What model.send(content) in browser.js does."""
    browser.view._handle_custom_msg(content, [])


def snapshot(browser: SessionBrowser) -> dict[str, Any]:
    view = browser.view
    return {
        "tab": view.tab,
        "sessions": view.sessions,
        "results": view.results,
        "confirm": view.confirm,
        "showing": browser.showing,
        "quiz": browser.quiz,
    }


def files(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*.json"))}


@pytest.fixture
def four_sessions(base: Path) -> dict[str, Path]:
    """Original-app sessions in each state, with distinct dates."""
    return {
        "emergency": write_session(
            base,
            "session_20240105_090000.json",
            original_session(
                "2024-01-05T09:00:00.125000",
                timer={
                    "elapsed_seconds": 412,
                    "completed": False,
                    "auto_saved": True,
                    "emergency_saved": True,
                },
            ),
        ),
        "completed": write_session(
            base,
            "session_20240106_120000.json",
            original_session(
                "2024-01-06T12:00:00",
                answered=24,
                score=20,
                timer={
                    "elapsed_seconds": 3725,
                    "completed": True,
                    "auto_saved": False,
                    "emergency_saved": False,
                },
            ),
        ),
        "quit": write_session(
            base,
            "session_20240107_080000.json",
            original_session(
                "2024-01-07T08:00:00",
                answered=2,
                score=1,
                timer={
                    "elapsed_seconds": 65,
                    "completed": False,
                    "auto_saved": False,
                    "emergency_saved": False,
                    "quit_by_user": True,
                },
            ),
        ),
        "no_timer": write_session(
            base, "session_20240104_070000.json", original_session("2024-01-04T07:00:00", answered=0, score=0)
        ),
    }


# -- the list ----------------------------------------------------------------------------------------
def test_sessions_listed_newest_first_with_fields_and_states(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    rows = browser.sessions
    assert [r["date"] for r in rows] == [
        "2024-01-07 08:00",
        "2024-01-06 12:00",
        "2024-01-05 09:00",
        "2024-01-04 07:00",
    ]
    assert [r["state"] for r in rows] == ["quit", "completed", "saved at shutdown", "in progress"]
    assert set(r["state"] for r in rows) == set(SESSION_STATES)
    quit_row = rows[0]
    assert quit_row == {
        "id": quit_row["id"],
        "title": CLOUD_TITLE,
        "date": "2024-01-07 08:00",
        "answered": 2,
        "total": 24,
        "progress": "2/24",
        "score": "1/2",
        "time": "0:01:05",
        "state": "quit",
    }
    assert rows[1]["time"] == "1:02:05"
    assert rows[3]["time"] == "0:00:00"
    # The page gets the same rows, and ids only: no path anywhere in what is synced.
    assert browser.view.sessions == rows
    synced = json.dumps(browser.view.get_state())
    assert str(base) not in synced and "session_2024" not in synced
    assert len({r["id"] for r in rows}) == 4 and all(r["id"].startswith("s") for r in rows)


def test_our_sessions_are_listed_above_older_ones(base: Path, four_sessions) -> None:
    run_quiz(base, ["C", "A", "D"])  # right, wrong, right
    row = SessionBrowser(base).sessions[0]
    assert (row["title"], row["progress"], row["score"], row["state"]) == (
        CLOUD_TITLE,
        "3/24",
        "2/3",
        "in progress",
    )
    assert len(SessionBrowser(base).sessions) == 5


def test_empty_folder_lists_nothing(base: Path) -> None:
    browser = SessionBrowser(base)
    assert browser.sessions == [] and browser.results == []
    assert browser.showing == "list"
    assert browser.view.error == "" and browser.view.confirm == {}


def test_unreadable_file_is_skipped_with_a_notice(base: Path, four_sessions) -> None:
    write_session(base, "session_20240108_000000.json", {}).write_text("{ not json", encoding="utf-8")
    browser = SessionBrowser(base)
    assert len(browser.sessions) == 4
    assert "session_20240108_000000.json" in browser.view.notice
    assert browser.skipped and "session_20240108_000000.json" in browser.skipped[0]


def test_ids_stay_bound_to_their_file_across_refreshes(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    before = {r["date"]: r["id"] for r in browser.sessions}
    run_quiz(base, ["C"])
    send(browser, {"type": "refresh"})
    after = {r["date"]: r["id"] for r in browser.sessions}
    assert len(after) == 5
    assert all(after[date] == sid for date, sid in before.items())
    new_id = next(sid for date, sid in after.items() if date not in before)
    assert new_id not in before.values()


def test_tab_message_switches_tabs(base: Path) -> None:
    browser = SessionBrowser(base)
    send(browser, {"type": "tab", "name": "results"})
    assert browser.view.tab == "results" and browser.view.error == ""
    send(browser, {"type": "tab", "name": "sessions"})
    assert browser.view.tab == "sessions"


# -- resume --------------------------------------------------------------------------------------------
def test_resume_by_id_from_the_page_restores_the_quiz_and_keeps_its_file(base: Path, four_sessions) -> None:
    first = run_quiz(base, ["C", "A", "D"])
    path = first.session_path
    browser = SessionBrowser(base)
    row = browser.sessions[0]
    assert row["progress"] == "3/24"
    send(browser, {"type": "resume", "id": row["id"]})
    quiz = browser.quiz
    assert isinstance(quiz, QuizWidget), browser.view.error
    # The page draws the quiz in the browser's own view, from quiz_state.
    assert browser.showing == "quiz"
    page = browser.quiz_state
    assert (page["exam_title"], page["answered"], page["score"], page["index"]) == (CLOUD_TITLE, 3, 2, 3)
    assert quiz.index == 3 and quiz.score == 2 and quiz.total_answered == 3
    assert quiz.question["number"] == 4
    assert quiz.session_path == path
    # Answered on the page: the quiz's message goes through the browser; the page sees the feedback.
    send(browser, {"type": "quiz", "message": {"type": "answer", "value": [0, 2]}})  # A and C
    assert quiz.total_answered == 4, quiz.error
    assert browser.quiz_state["phase"] == "feedback" and browser.quiz_state["score"] == 3
    saved = json.loads(path.read_text())
    assert saved["quiz_mode"]["total_answered"] == 4 and saved["quiz_mode"]["score"] == 3
    assert len(list((base / "data" / "sessions").glob("session_*.json"))) == 5  # no new file
    browser.back()


def test_resume_an_original_app_session_by_index(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    index = next(i for i, r in enumerate(browser.sessions) if r["state"] == "saved at shutdown")
    quiz = browser.resume(index)
    assert quiz.total_answered == 5 and quiz.score == 3 and quiz.index == 5
    assert quiz.session_path == four_sessions["emergency"].resolve()
    assert browser.quiz is quiz
    browser.back()


def test_resume_when_the_exam_is_missing_shows_the_reason(base: Path) -> None:
    write_session(
        base, "session_20240105_090000.json", original_session("2024-01-05T09:00:00", title="Lost Exam")
    )
    browser = SessionBrowser(base)
    sid = browser.sessions[0]["id"]
    send(browser, {"type": "resume", "id": sid})
    assert "Lost Exam" in browser.view.error and "no exam titled" in browser.view.error
    assert browser.quiz is None and browser.showing == "list"
    with pytest.raises(SessionError, match="Lost Exam"):
        browser.resume(sid)


def test_resume_finds_exams_in_extra_folders(base: Path, tmp_path: Path, exams_dir: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(exams_dir / "python-basics.yaml", other / "python-basics.yaml")
    from quiz_widgets import load_exam

    title = load_exam(other / "python-basics.yaml").title
    write_session(
        base,
        "session_20240105_090000.json",
        original_session("2024-01-05T09:00:00", title=title, answered=1, score=1, total=8),
    )
    with pytest.raises(SessionError):
        SessionBrowser(base).resume(0)
    browser = SessionBrowser(base, exam_dirs=[other])
    quiz = browser.resume(0)
    assert quiz.exam_title == title and quiz.total_answered == 1
    browser.back()


def test_back_closes_the_quiz_saves_and_shows_the_list(base: Path) -> None:
    run_quiz(base, ["C"])
    browser = SessionBrowser(base)
    quiz = browser.resume(0)
    quiz.answer("B")
    send(browser, {"type": "back", "request": "v1-1"})  # the view's "Back to sessions"
    assert browser.quiz is None and browser.error == ""
    assert browser.showing == "list"
    assert browser.sessions[0]["progress"] == "2/24"
    # The file was let go: another quiz in this kernel resumes it writable, then the browser again.
    other = QuizWidget.resume(quiz.session_path, base_dir=base, autosave_interval=0)
    assert not other.read_only and other.total_answered == 2
    other.close()
    again = browser.resume(0)
    assert again.total_answered == 2 and again is quiz  # the browser's one quiz
    browser.back()


def test_resume_from_python_replaces_an_open_quiz(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    one = browser.resume(0)
    first_file = one.session_path
    two = browser.resume(1)
    assert browser.quiz is two is one and two.session_path != first_file
    assert browser.quiz_state["answered"] == two.total_answered
    # The first session's file was saved and let go: deleting it is allowed now.
    browser.delete(0)
    assert not first_file.exists()
    browser.back()


def test_no_widget_is_made_after_the_browser(base: Path, four_sessions, monkeypatch) -> None:
    # marimo cannot make an anywidget inside a widget's callback (an AssertionError there), nor show a
    # widget container: the browser is one anywidget, and Resume, Study and Back make no widget.
    browser = SessionBrowser(base)
    assert isinstance(browser, anywidget.AnyWidget) and not isinstance(browser, ipywidgets.Box)
    finish_quiz_all_a(base)
    browser.refresh()
    made: list[Any] = []
    monkeypatch.setattr(ipywidgets.Widget, "_widget_construction_callback", made.append)
    for message in (
        {"type": "resume", "id": browser.sessions[1]["id"]},
        {"type": "back"},
        {"type": "tab", "name": "results"},
        {"type": "study", "id": "r1"},
        {"type": "back"},
    ):
        send(browser, message)
        assert browser.error == "", message
    assert made == []


def test_the_browsers_quiz_shown_by_itself_says_where_it_is(base: Path, four_sessions) -> None:
    # It has no model in the page (the browser draws it): a widget view of it would be "model not found".
    browser = SessionBrowser(base)
    quiz = browser.resume(0)
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" not in bundle
    assert "SessionBrowser" in bundle["text/plain"]
    browser.back()


def test_a_resumed_session_does_not_say_it_continues_an_attempt(base: Path) -> None:
    # "Continuing your attempt ... Start a new attempt" is for a re-run cell; after an explicit Resume it
    # says what the learner just asked for.
    run_quiz(base, ["C"])
    browser = SessionBrowser(base)
    send(browser, {"type": "resume", "id": browser.sessions[0]["id"]})
    assert browser.quiz is not None and browser.quiz.total_answered == 1
    assert browser.quiz.continued == "" and browser.quiz_state["continued"] == ""
    browser.back()


def test_a_quiz_message_while_the_list_shows_is_answered_and_refused(base: Path) -> None:
    browser = SessionBrowser(base)
    sent: list[Any] = []
    monkeypatch_send = browser.send
    browser.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    try:
        send(browser, {"type": "quiz", "message": {"type": "next", "request": "v1-7"}})
    finally:
        browser.send = monkeypatch_send  # type: ignore[method-assign]
    assert sent and sent[-1]["request"] == "v1-7" and not sent[-1]["ok"]
    assert "no quiz is open" in sent[-1]["error"]


def test_page_messages_are_refused_while_a_quiz_is_open(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    quiz = browser.resume(0)
    sid = browser.sessions[1]["id"]
    send(browser, {"type": "resume", "id": sid})  # a double click's second message
    assert browser.quiz is quiz and "quiz is open" in browser.view.error
    browser.back()


# -- delete and clear ----------------------------------------------------------------------------------
def test_delete_asks_then_cancel_keeps_the_file(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    row = browser.sessions[0]
    send(browser, {"type": "delete", "id": row["id"]})
    confirm = browser.view.confirm
    assert confirm["action"] == "delete" and confirm["id"] == row["id"]
    assert CLOUD_TITLE in confirm["text"] and row["date"] in confirm["text"]
    assert four_sessions["quit"].exists() and len(browser.sessions) == 4
    send(browser, {"type": "cancel"})
    assert browser.view.confirm == {}
    assert four_sessions["quit"].exists() and len(browser.sessions) == 4


def test_delete_then_confirm_deletes_that_file_only(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    row = browser.sessions[0]
    send(browser, {"type": "delete", "id": row["id"]})
    send(browser, {"type": "confirm"})
    assert not four_sessions["quit"].exists()
    assert all(p.exists() for k, p in four_sessions.items() if k != "quit")
    assert browser.view.confirm == {} and browser.view.error == ""
    assert row["id"] not in [r["id"] for r in browser.sessions] and len(browser.sessions) == 3
    assert "Deleted" in browser.view.notice
    # The same id again: unknown now, nothing changes.
    send(browser, {"type": "delete", "id": row["id"]})
    assert "unknown session id" in browser.view.error and browser.view.confirm == {}


def test_delete_from_python_acts_at_once(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    browser.delete(0)
    assert not four_sessions["quit"].exists() and len(browser.sessions) == 3
    with pytest.raises(SessionError, match="index 7"):
        browser.delete(7)


def test_delete_is_refused_while_the_session_is_open(base: Path) -> None:
    quiz = run_quiz(base, ["C"], close=False)
    browser = SessionBrowser(base)
    with pytest.raises(SessionError, match="open in a running quiz"):
        browser.delete(0)
    assert quiz.session_path.exists()
    send(browser, {"type": "clear"})
    send(browser, {"type": "confirm"})
    assert "open in a running quiz" in browser.view.error and quiz.session_path.exists()
    quiz.close()
    browser.delete(0)
    assert not quiz.session_path.exists()


def test_clear_all_asks_then_deletes_every_session(base: Path, four_sessions) -> None:
    (base / "data" / "sessions" / "notes.txt").write_text("keep me")
    browser = SessionBrowser(base)
    send(browser, {"type": "clear"})
    assert browser.view.confirm["action"] == "clear" and "4" in browser.view.confirm["text"]
    send(browser, {"type": "cancel"})
    assert len(browser.sessions) == 4
    send(browser, {"type": "clear"})
    send(browser, {"type": "confirm"})
    assert browser.sessions == [] and browser.view.confirm == {}
    assert not list((base / "data" / "sessions").glob("session_*.json"))
    assert (base / "data" / "sessions" / "notes.txt").exists()
    assert "4" in browser.view.notice
    send(browser, {"type": "clear"})  # nothing to clear
    assert browser.view.error and browser.view.confirm == {}


def test_clear_all_from_python_returns_the_count(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    assert browser.clear_all() == 4
    assert browser.sessions == []


# -- refusals ----------------------------------------------------------------------------------------
BAD_MESSAGES = [
    pytest.param({"type": "resume", "id": "s99"}, id="unknown-id"),
    pytest.param(
        {"type": "resume", "id": "../data/sessions/session_20240105_090000.json"}, id="relative-path"
    ),
    pytest.param({"type": "delete", "id": "/etc/passwd"}, id="absolute-path"),
    pytest.param({"type": "delete", "id": "session_20240105_090000.json"}, id="file-name"),
    pytest.param({"type": "resume", "id": "s" + "1" * 1_000_000}, id="megabyte-id"),
    pytest.param({"type": "x" * 1_000_000}, id="megabyte-type"),
    pytest.param({"type": "resume", "id": 1}, id="int-id"),
    pytest.param({"type": "resume", "id": None}, id="null-id"),
    pytest.param({"type": "resume"}, id="no-id"),
    pytest.param({"type": "study", "id": "s1"}, id="session-id-as-result"),
    pytest.param({"type": "resume", "id": "r1"}, id="result-id-as-session"),
    pytest.param({"type": "bogus"}, id="unknown-type"),
    pytest.param({"type": ["resume"]}, id="list-type"),
    pytest.param({"type": "tab", "name": "admin"}, id="bad-tab"),
    pytest.param({"type": "refresh", "path": "/tmp"}, id="extra-field"),
    pytest.param({"type": "confirm"}, id="nothing-to-confirm"),
    pytest.param({}, id="empty"),
    pytest.param("resume s1", id="string"),
    pytest.param(None, id="null"),
    pytest.param([{"type": "resume", "id": "s1"}], id="list"),
]


@pytest.mark.parametrize("message", BAD_MESSAGES)
def test_bad_messages_are_refused_visibly_and_change_nothing(base: Path, four_sessions, message: Any) -> None:
    browser = SessionBrowser(base)
    before = snapshot(browser)
    on_disk = files(base)
    send(browser, message)
    assert browser.view.error, f"no visible error for {message!r:.80}"
    assert len(browser.view.error) < 500  # never echoes a megabyte back
    assert snapshot(browser) == before
    assert files(base) == on_disk


def test_the_page_cannot_set_traits(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    before = snapshot(browser)
    browser.view.set_state({"sessions": [], "tab": "results"})
    assert "refused" in browser.view.error
    assert snapshot(browser) == before


def test_python_api_refuses_bad_ids(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    for bad in ("s99", "../x.json", True, 3.0):
        with pytest.raises(ValueError):
            browser.resume(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        browser.study("r1")
    assert browser.quiz is None and len(browser.sessions) == 4


# -- results and study quizzes ---------------------------------------------------------------------------
def test_results_tab_lists_results_with_wrong_answers(base: Path) -> None:
    finish_quiz_all_a(base)
    browser = SessionBrowser(base)
    [row] = browser.results
    results_file = next((base / "results").glob("quiz_results_*.json"))
    data = json.loads(results_file.read_text())
    wrong = len(data["detailed_results"]["incorrect_answers"])
    assert row["title"] == CLOUD_TITLE and row["wrong"] == wrong > 0
    assert row["score"] == f"{24 - wrong}/24" and row["id"] == "r1"
    assert browser.view.results == [row]


def test_study_one_result_starts_a_study_quiz_that_resumes_later(base: Path) -> None:
    finish_quiz_all_a(base)
    browser = SessionBrowser(base)
    wrong = browser.results[0]["wrong"]
    send(browser, {"type": "tab", "name": "results"})
    send(browser, {"type": "study", "id": "r1"})
    quiz = browser.quiz
    assert isinstance(quiz, QuizWidget), browser.view.error
    assert quiz.exam_title == f"{CLOUD_TITLE} - Study Wrong Answers"
    assert quiz.total == wrong and quiz.total_answered == 0
    quiz.answer("A")
    quiz.next()
    quiz.answer("A")
    session = json.loads(quiz.session_path.read_text())
    study_file = Path(session["quiz_widgets"]["exam_path"])
    assert study_file.parent == (base / "data" / "exams" / "study").resolve()
    assert study_file.is_file()
    browser.back()

    # Later, in a new browser: the study session is listed and resumes from its recorded exam file.
    later = SessionBrowser(base)
    row = later.sessions[0]
    assert row["title"] == f"{CLOUD_TITLE} - Study Wrong Answers" and row["progress"] == f"2/{wrong}"
    resumed = later.resume(row["id"])
    assert resumed.exam_title == f"{CLOUD_TITLE} - Study Wrong Answers"
    assert resumed.total_answered == 2 and resumed.total == wrong
    assert resumed.session_path == quiz.session_path
    later.back()


def test_study_all_gathers_every_result(base: Path) -> None:
    finish_quiz_all_a(base)
    finish_quiz_all_a(base)
    browser = SessionBrowser(base)
    assert len(browser.results) == 2
    send(browser, {"type": "study_all"})
    quiz = browser.quiz
    assert isinstance(quiz, QuizWidget), browser.view.error
    # Same exam twice: each wrong question once.
    assert quiz.total == browser.results[0]["wrong"]
    assert quiz.exam_title == f"{CLOUD_TITLE} - Study Wrong Answers"
    browser.back()
    assert browser.showing == "list"


def test_study_with_no_results_or_missing_exam_is_refused(base: Path, repo_root: Path) -> None:
    browser = SessionBrowser(base)
    send(browser, {"type": "study_all"})
    assert "no results" in browser.view.error and browser.quiz is None
    # The original app's results name an exam ("Cloud Basics") that is not in this project.
    (base / "results").mkdir()
    for path in (repo_root / "tests" / "fixtures" / "results").glob("quiz_results_*.json"):
        shutil.copy(path, base / "results" / path.name)
    browser.refresh()
    assert browser.results
    before = files(base)
    send(browser, {"type": "study", "id": browser.results[0]["id"]})
    assert "Cloud Basics" in browser.view.error and "exam_dirs" in browser.view.error
    assert browser.quiz is None and files(base) == before


def test_repr_is_stable(base: Path, four_sessions) -> None:
    browser = SessionBrowser(base)
    assert repr(browser) == "SessionBrowser(4 sessions, 0 results, showing list)"
    assert repr(SessionListView()) == "SessionListView(0 sessions, 0 results)"
    assert isinstance(browser.view, SessionListView) and browser.view is browser

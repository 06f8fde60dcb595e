"""The page protocol of both views (docs/architecture.md, "kernel/protocol.py and the page protocol").

Every page message carries a request id; the kernel answers each one with a reply naming that id and
whether it was refused and why, after the state it changed. A refused state update is answered with the
refused traits only. A bad exam fails before the widget opens a comm.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import comm as comm_module
import pytest
from widget_utils import page_message, page_update

from quiz_widgets import ExamError, QuizWidget
from quiz_widgets.ui.session_browser import SessionBrowser

EXAM = {
    "title": "Protocol Drill",
    "questions": [
        {"id": 1, "question": "Pick C", "options": {"A": "a", "B": "b", "C": "c"}, "answer": "C"},
        {"id": 2, "question": "2 + 2?", "type": "numeric", "answer": 4},
    ],
}


def replies(widget: Any) -> list[dict[str, Any]]:
    """The custom messages the kernel sent to the page (widget.send), in order."""
    out = []
    for msg in widget.comm.sent:
        data = msg["data"]
        if isinstance(data, dict) and data.get("method") == "custom":
            out.append(data["content"])
    return out


@pytest.fixture
def quiz(tmp_path: Path, recording_comms) -> QuizWidget:
    widget = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    yield widget
    widget.close()


# -- replies -----------------------------------------------------------------------------------------------
def test_each_message_gets_a_reply_with_its_request_id_after_its_state(quiz: QuizWidget) -> None:
    page_message(quiz, {"type": "answer", "value": 2, "request": "v1-1"})
    sent = quiz.comm.sent
    reply_at = next(i for i, m in enumerate(sent) if m["data"].get("method") == "custom")
    assert replies(quiz) == [{"type": "reply", "request": "v1-1", "ok": True, "error": ""}]
    # The feedback reached the page before the reply that re-enables its controls.
    states = [m["data"].get("state", {}) for m in sent[:reply_at]]
    assert any(state.get("phase") == "feedback" for state in states)


def test_a_refused_message_is_answered_with_why(quiz: QuizWidget) -> None:
    page_message(quiz, {"type": "answer", "value": 9, "request": "v1-2"})
    (reply,) = replies(quiz)
    assert reply["request"] == "v1-2" and reply["ok"] is False
    assert "option index 9 is out of range" in reply["error"]
    assert reply["error"] == quiz.error


def test_an_unchanged_refusal_is_still_answered(quiz: QuizWidget) -> None:
    # The same refusal twice changes no trait: only the reply tells the page its message was seen.
    page_message(quiz, {"type": "answer", "value": 9, "request": "a-1"})
    page_message(quiz, {"type": "answer", "value": 9, "request": "a-2"})
    assert [r["request"] for r in replies(quiz)] == ["a-1", "a-2"]


@pytest.mark.parametrize("request_id", [5, "", "x" * 81, "a b", ["a"], True])
def test_a_bad_request_id_is_refused_and_changes_nothing(quiz: QuizWidget, request_id: object) -> None:
    page_message(quiz, {"type": "answer", "value": 2, "request": request_id})
    assert "'request' must be" in quiz.error
    assert quiz.total_answered == 0
    assert replies(quiz) == []  # nothing to answer to


def test_the_old_ack_counter_is_gone(quiz: QuizWidget) -> None:
    assert "ack" not in quiz.keys


# -- refused state updates ---------------------------------------------------------------------------------
def test_a_refused_state_update_resends_only_the_traits_the_page_tried_to_change(
    quiz: QuizWidget,
) -> None:
    before = len(quiz.comm.sent)
    page_update(quiz, {"score": 99})
    resent = [m["data"]["state"] for m in quiz.comm.sent[before:] if "state" in m["data"]]
    assert quiz.score == 0 and "refused a change of score" in quiz.error
    assert any(state.get("score") == 0 for state in resent)
    keys = set().union(*resent)
    assert keys <= {"score", "error", "elapsed"}, keys
    assert "_esm" not in keys and "_css" not in keys
    assert sum(len(json.dumps(state)) for state in resent) < 2_000


# -- construction --------------------------------------------------------------------------------------
def _open_comms() -> int:
    return len(comm_module.get_comm_manager().comms)


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param({"title": "No questions", "questions": []}, id="empty"),
        pytest.param(
            {"questions": [{"id": 1, "question": "?", "options": ["a"], "answer": "Z"}]}, id="bad-key"
        ),
        pytest.param("no/such/exam.json", id="missing-file"),
    ],
)
def test_a_bad_exam_raises_before_a_comm_opens(tmp_path: Path, recording_comms, bad: object) -> None:
    before = _open_comms()
    with pytest.raises((ExamError, FileNotFoundError)):
        QuizWidget(bad, base_dir=tmp_path)
    assert _open_comms() == before
    assert recording_comms == []  # not even opened and closed again
    assert not (tmp_path / "data").exists()


def test_a_failed_start_closes_the_comm_it_opened(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz_widgets.kernel.writer import SessionWriter

    def broken_open(self) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(SessionWriter, "open", broken_open)
    before = _open_comms()
    with pytest.raises(OSError, match="No space left"):
        QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    assert _open_comms() == before


def test_a_bad_exam_leaves_no_comm_open_in_a_real_kernel(kernel) -> None:
    out = kernel.execute(
        "import comm\n"
        "from quiz_widgets import QuizWidget, ExamError\n"
        "manager = comm.get_comm_manager()\n"
        "before = len(manager.comms)\n"
        "try:\n"
        "    QuizWidget({'title': 'x', 'questions': []})\n"
        "except ExamError as exc:\n"
        "    print('refused:', type(exc).__name__)\n"
        "print('open comms:', before, len(manager.comms))\n"
    ).stdout
    assert "refused: ExamError" in out
    before, after = out.split("open comms:")[1].split()
    assert before == after


# -- the session list ----------------------------------------------------------------------------------
def test_an_unchanged_refresh_is_answered(tmp_path: Path, recording_comms) -> None:
    browser = SessionBrowser(tmp_path)
    try:
        browser.view._handle_custom_msg({"type": "refresh", "request": "b-1"}, [])
        browser.view._handle_custom_msg({"type": "refresh", "request": "b-2"}, [])
        assert replies(browser.view) == [
            {"type": "reply", "request": "b-1", "ok": True, "error": ""},
            {"type": "reply", "request": "b-2", "ok": True, "error": ""},
        ]
        browser.view._handle_custom_msg({"type": "confirm", "request": "b-3"}, [])
        last = replies(browser.view)[-1]
        assert last["request"] == "b-3" and not last["ok"] and "nothing to confirm" in last["error"]
    finally:
        browser.close()


def test_a_refused_list_update_resends_only_those_traits(tmp_path: Path, recording_comms) -> None:
    browser = SessionBrowser(tmp_path)
    try:
        before = len(browser.view.comm.sent)
        browser.view._handle_msg(
            {"content": {"data": {"method": "update", "state": {"tab": "results"}}}, "buffers": []}
        )
        resent = [m["data"]["state"] for m in browser.view.comm.sent[before:] if "state" in m["data"]]
        keys = set().union(*resent)
        assert browser.view.tab == "sessions" and "refused" in browser.view.error
        assert keys <= {"tab", "error"}, keys
    finally:
        browser.close()


def test_math_reaches_the_page_with_its_tex_source_for_screen_readers(
    tmp_path: Path, recording_comms
) -> None:
    # MathML is drawn; a screen reader that cannot read it reads the formula's alttext, the TeX typed.
    exam = {
        "title": "Math",
        "questions": [
            {"question": "The derivative of $x^3$?", "options": ["$3x^2$", "$x < 3$"], "answer": "A"}
        ],
    }
    quiz = QuizWidget(exam, base_dir=tmp_path, autosave_interval=0)
    try:
        assert 'alttext="x^3"' in quiz.question["html"]
        first, second = (option["html"] for option in quiz.question["options"])
        assert "<math" in first and 'alttext="3x^2"' in first
        assert 'alttext="x \\lt 3"' in second  # TeX's own \lt: the HTML is the same from both sanitizers
    finally:
        quiz.close()

"""The class tools in the quiz's files and widgets, without a kernel: the learner in session and results files,
progress records per answer, the finish screen's progress, the live class numbers and ClassView's messages."""

from __future__ import annotations

import getpass
import json
import math
import statistics
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from widget_utils import RecordingComm, page_message

from quiz_widgets import ClassReport, ClassView, QuizWidget, SessionError, load_exam, my_progress
from quiz_widgets.quiz.codec import from_session, to_session
from quiz_widgets.quiz.results import build_results
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.teaching.live import class_snapshot, read_progress
from quiz_widgets.teaching.quiz_link import QuizLink, delivery_message, quiz_learner

EXAM = {
    "title": "Live check",
    "questions": [
        {
            "id": 1,
            "question": "Capital of France?",
            "options": ["Paris", "Lyon"],
            "answer": "A",
            "topic": "geo",
        },
        {"id": 2, "question": "2 + 2?", "options": ["3", "4"], "answer": "B", "topic": "sums"},
        {"id": 3, "question": "3 * 3?", "options": ["6", "9"], "answer": "B", "topic": "sums"},
    ],
}


def _quiz(tmp_path: Path, learner: str, answers: list[str], **kw: Any) -> QuizWidget:
    quiz = QuizWidget(EXAM, base_dir=tmp_path / learner, learner=learner, **kw)
    for value in answers:
        quiz.answer(value)
        quiz.next()
    if quiz._live.link is not None:
        assert quiz._live.link.collector.wait(30)
    return quiz


# -- the learner in files ------------------------------------------------------------------------------


def test_learner_round_trips_through_session_and_results_files_and_old_files_have_none() -> None:
    exam = load_exam(EXAM)
    state = QuizState(exam)
    state.learner = "ada"  # type: ignore[attr-defined]
    state.answer("A")
    data = to_session(state)
    assert data["learner"] == "ada"
    # Every seed field is still there for the original app; "learner" is one extra top-level key.
    assert set(data) == {"session_date", "exam_title", "total_questions", "quiz_mode", "timer_data",
                         "quiz_widgets", "learner"}  # fmt: skip
    assert from_session(json.loads(json.dumps(data)), exam).learner == "ada"
    assert build_results(state)["learner"] == "ada"

    del data["learner"]
    assert from_session(data, exam).learner is None
    assert "learner" not in build_results(QuizState(exam))
    data["learner"] = 7
    data["_filepath"] = "s.json"
    with pytest.raises(SessionError, match=r"s\.json: field 'learner': found 7, expected the learner's name"):
        from_session(data, exam)


def test_a_quiz_that_collects_nothing_never_fails_for_want_of_a_user_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, recording_comms: list
) -> None:
    def no_user() -> str:
        raise KeyError("getpwuid(): uid not found: 1000")

    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("QUIZ_WIDGETS_COLLECT", raising=False)
    monkeypatch.setattr(getpass, "getuser", no_user)
    assert quiz_learner(None, None) is None
    quiz = QuizWidget(EXAM, base_dir=tmp_path)
    quiz.answer("A")
    assert "learner" not in json.loads(quiz.session_path.read_text())
    # Collecting needs a name: said before anything is written.
    with pytest.raises(SessionError, match="no learner= argument, no JUPYTERHUB_USER and no OS user name"):
        QuizWidget(EXAM, base_dir=tmp_path / "b", collect_to=str(tmp_path))
    with pytest.raises(SessionError, match=r"learner argument: found '\.\./bob'"):
        QuizWidget(EXAM, base_dir=tmp_path / "c", learner="../bob")
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()
    assert len(recording_comms) == 2  # the first quiz's and its layout's: the refused ones opened none


def test_delivery_messages() -> None:
    assert delivery_message("") == ""
    assert delivery_message("delivered") == "Result sent to the class folder"
    assert delivery_message("queued: cannot reach the store") == (
        "Result waiting to be sent: cannot reach the store; it will be sent by the next save"
    )


# -- progress records and the live numbers --------------------------------------------------------------


def test_one_progress_record_per_learner_and_attempt_holds_every_answer_and_is_not_an_attempt(
    tmp_path: Path,
) -> None:
    shared = tmp_path / "class"
    shared.mkdir()
    ada = _quiz(tmp_path, "ada", ["A", "A", "B"], collect_to=str(shared), collect_answers=True)
    assert ada.delivery == "Result sent to the class folder"
    bob = _quiz(tmp_path, "bob", ["A"], collect_to=str(shared), collect_answers=True)  # one answer so far
    cy = _quiz(tmp_path, "cy", ["B", "B", "B"], collect_to=str(shared))  # finished, no progress records
    assert bob.delivery == "Result sent to the class folder" and cy.completed

    ada_files = sorted(p.name for p in (shared / "ada").iterdir())
    # Three answers, one object: rewritten at each answer (issue 23: one object per answer made a class of
    # 1,000 a store of 24,000 objects to read at every refresh).
    progress = [n for n in ada_files if n.startswith("progress_")]
    assert len(progress) == 1
    record = json.loads((shared / "ada" / progress[0]).read_text())
    assert [(a["question_id"], a["correct"]) for a in record["answers"]] == [(1, True), (2, False), (3, True)]
    assert record["learner"] == "ada" and record["answered"] == 3
    assert len([n for n in ada_files if n.startswith("quiz_results_")]) == 1
    assert sorted(p.name for p in (shared / "bob").iterdir())[0].startswith("progress_")
    assert not list((tmp_path / "ada").rglob("outbox/*/*.json"))  # every version sent, nothing left behind
    records, bad = read_progress(shared)
    assert bad == 0 and len(records) == 4
    assert {r["learner"] for r in records} == {"ada", "bob"}

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a progress record read as an attempt would warn "skipped"
        report = ClassReport.load(shared)
    assert sorted((a.learner, a.score) for a in report.attempt_list) == [("ada", 2), ("cy", 2)]

    snap = class_snapshot(shared)
    assert snap["learners"] == 3 and snap["skipped"] == 0
    assert snap["quizzes"] == [{"exam": "Live check", "started": 3, "finished": 2, "attempts": 2}]
    # By hand: q1 right for ada and bob, wrong for cy (2/3); q2 wrong for ada, right for cy (1/2); q3 right
    # for ada and cy (2/2). Ada's progress records and her results are one attempt, not two.
    shares = {(h["question_id"], h["answers"]): h["correct_share"] for h in snap["hardest"]}
    assert shares == {("2", 2): 0.5, ("1", 3): pytest.approx(2 / 3), ("3", 2): 1.0}
    assert snap["hardest"][0]["question"] == "2 + 2?"


def test_a_record_in_another_learners_folder_does_not_count(tmp_path: Path) -> None:
    shared = tmp_path / "class"
    shared.mkdir()
    _quiz(tmp_path, "ada", ["A"], collect_to=str(shared), collect_answers=True)
    record = next((shared / "ada").glob("progress_*.json"))
    (shared / "mallory").mkdir()
    (shared / "mallory" / record.name).write_bytes(record.read_bytes())  # says learner "ada"
    (shared / "mallory" / "progress_x.json").write_text("{not json")
    records, bad = read_progress(shared)
    assert [r["learner"] for r in records] == ["ada"] and bad == 2


def test_finish_screen_progress_is_this_learners_own_for_this_exam(tmp_path: Path) -> None:
    first = _quiz(tmp_path, "ada", ["A", "A", "A"])
    assert first.progress["attempts"][-1]["score"] == 1
    # A second attempt in the same folder; a foreign learner's results file there is left out.
    foreign = json.loads(first.results_path.read_text())
    foreign["learner"] = "zed"
    (first.results_path.parent / "quiz_results_20000101_000000_000000.json").write_text(json.dumps(foreign))
    second = QuizWidget(EXAM, base_dir=tmp_path / "ada", learner="ada")
    assert second.progress == {}  # not finished: nothing about past scores on the question screen
    for value in ("A", "B", "B"):
        second.answer(value)
        second.next()
    shown = second.progress
    assert shown["exam"] == "Live check" and shown["count"] == 2
    assert [a["score"] for a in shown["attempts"]] == [1, 3]
    assert shown["topics"] == [
        {"topic": "geo", "answered": 2, "correct": 2, "accuracy": 1.0},
        {"topic": "sums", "answered": 4, "correct": 2, "accuracy": 0.5},
    ]
    whole = my_progress(tmp_path / "ada", learner="ada")
    assert whole["attempts"] == 2 and list(whole["exams"]) == ["Live check"]


def test_the_per_answer_save_stays_fast_with_collection(tmp_path: Path) -> None:
    """Figures, not asserts (no timing asserts in unit tests): the flush on an empty outbox, and an answer's
    save with and without collection."""
    shared = tmp_path / "class"
    shared.mkdir()
    link = QuizLink(str(shared), learner="ada", base_dir=tmp_path / "ada")
    state = QuizState(load_exam(EXAM))
    link.started(state)
    runs = 2000
    started = time.perf_counter()
    for _ in range(runs):
        state._changes += 1  # a change, as every saved answer makes
        link.changed(state)
    flush_us = (time.perf_counter() - started) / runs * 1e6
    rows = []
    for label, kw in (("no collection", {}), ("collect_to", {"collect_to": str(shared)}),
                      ("collect_answers", {"collect_to": str(shared), "collect_answers": True})):  # fmt: skip
        questions = [
            {"id": i, "question": f"{i}?", "options": ["a", "b"], "answer": "A"} for i in range(1, 22)
        ]
        quiz = QuizWidget({"title": "Timing", "questions": questions}, base_dir=tmp_path / label,
                          learner="ada", **kw)  # fmt: skip
        times = []
        for _ in range(20):  # the 21st answer would also write the results file
            t0 = time.perf_counter()
            quiz.answer("A")
            times.append((time.perf_counter() - t0) * 1000)
            quiz.next()
        rows.append(f"{label:16s} answer (save + publish), median of 20: {statistics.median(times):6.2f} ms")
    print(f"\nflush with an empty outbox: {flush_us:.1f} us per save\n" + "\n".join(rows))
    assert link.collector.pending() == []


# -- ClassView ------------------------------------------------------------------------------------------


def test_class_view_refuses_bad_sources_and_messages(tmp_path: Path, recording_comms: list) -> None:
    with pytest.raises(FileNotFoundError, match=r"is not a folder|does not exist"):
        ClassView(tmp_path / "missing")
    with pytest.raises(ValueError, match=r"ClassView refresh: found 0\.2; expected at least 1 seconds"):
        ClassView(tmp_path, refresh=0.2)
    assert recording_comms == []  # nothing opened in the page for a refused view

    _quiz(tmp_path / "homes", "ada", ["A", "B", "B"], collect_to=str(tmp_path / "homes"))
    clock = [0.0]
    view = ClassView(tmp_path / "homes", refresh=5, now=lambda: clock[0])
    assert view.snapshot["quizzes"][0]["finished"] == 1
    comm: RecordingComm = recording_comms[-1]
    page_message(view, {"type": "visibility", "visible": True, "view": "v1", "request": "v1-1"})
    assert view.on_screen
    clock[0] += 36  # no beat for longer than the view timeout: a crashed page stops the refresh
    assert not view.on_screen
    page_message(view, {"type": "visibility", "visible": "yes", "view": "v1", "request": "v1-2"})
    page_message(view, {"type": "drop_tables", "request": "v1-3"})
    replies = [m["data"]["content"] for m in comm.sent if m["data"].get("method") == "custom"]
    assert replies[0] == {"type": "reply", "request": "v1-1", "ok": True, "error": ""}
    assert replies[1]["ok"] is False and "'visible' is 'yes'; expected true or false" in replies[1]["error"]
    assert replies[2]["ok"] is False and "type 'drop_tables'; expected one of" in replies[2]["error"]
    # Without a kernel's loop a Refresh reads at once and replies after the numbers are published.
    _quiz(tmp_path / "homes", "bob", ["A", "B", "B"], collect_to=str(tmp_path / "homes"))
    page_message(view, {"type": "refresh", "request": "v1-4"})
    assert view.snapshot["quizzes"][0]["finished"] == 2
    assert comm.sent[-1]["data"]["content"]["request"] == "v1-4"


def test_the_report_reads_the_time_per_question_our_results_files_carry(tmp_path: Path) -> None:
    quiz = _quiz(tmp_path, "ada", ["A", "A", "B"])
    report = ClassReport.load(quiz.results_path)
    rows = report.question_rows()
    assert [r["question_id"] for r in rows] == ["1", "2", "3"]
    # Every question's outcome comes from quiz_widgets.answers (right ones too), with its seconds.
    assert [r["correct_share"] for r in rows] == [1.0, 0.0, 1.0]
    assert all(isinstance(r["mean_seconds"], float) and r["mean_seconds"] >= 0 for r in rows)
    assert not any(math.isnan(r["mean_seconds"]) for r in rows)
    assert report.attempt_list[0].learner == "ada" and report.attempt_list[0].detailed

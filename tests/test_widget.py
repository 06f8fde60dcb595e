"""QuizWidget driven through its comm as the page drives it, and from Python as instructors do."""

from __future__ import annotations

import asyncio
import copy
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from widget_utils import our_warnings_are_errors, page_message, page_update, view_state

from quiz_widgets import AnswerError, QuizWidget, SessionError, SessionManager

EXAM = {
    "title": "Widget Drill",
    "questions": [
        {
            "id": 1,
            "question": "Pick <b>C</b>",
            "options": {"A": "alpha", "B": "beta", "C": "gamma", "D": "delta"},
            "answer": "C",
            "explanation": "gamma is C",
            "topic": "Letters",
        },
        {
            "id": 2,
            "question": "Pick two",
            "type": "multiChoice",
            "options": {"A": "a", "B": "b", "C": "c"},
            "answer": ["A", "C"],
            "topic": "Letters",
        },
        {"id": 3, "question": "2 + 2?", "type": "numeric", "answer": 4, "topic": "Numbers"},
        {"id": 4, "question": "Capital of France?", "type": "text", "answer": ["Paris"]},
    ],
}


def on_disk(widget: QuizWidget) -> dict:
    return json.loads(Path(widget.session_path).read_text())


@pytest.fixture
def quiz(tmp_path: Path, recording_comms) -> QuizWidget:
    widget = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0)
    yield widget
    widget.close()


def test_session_file_appears_at_the_first_answer(quiz: QuizWidget, tmp_path: Path) -> None:
    # A quiz opened and never answered (a notebook re-run) leaves no empty session file behind.
    assert quiz.session_path is None
    assert not (tmp_path / "data" / "sessions").exists()
    path = quiz.save()  # an explicit save creates it anyway
    assert path == quiz.session_path
    assert path.parent == (tmp_path / "data" / "sessions").resolve()
    assert path.name.startswith("session_") and path.suffix == ".json"
    data = on_disk(quiz)
    assert data["exam_title"] == "Widget Drill"
    assert data["quiz_mode"] == {"score": 0, "total_answered": 0, "wrong_answers": []}
    assert repr(quiz) == "QuizWidget('Widget Drill', 0/4 answered)"


def test_answer_key_never_reaches_the_page_before_the_answer(tmp_path: Path, recording_comms) -> None:
    other = copy.deepcopy(EXAM)
    other["questions"][0]["answer"] = "A"
    other["questions"][1]["answer"] = ["B", "C"]
    first = QuizWidget(EXAM, base_dir=tmp_path / "one", autosave_interval=0)
    second = QuizWidget(other, base_dir=tmp_path / "two", autosave_interval=0)

    def sent_since(widget: QuizWidget, start: int) -> list[dict]:
        states = widget.comm.states_sent()[start:]
        return [{k: v for k, v in state.items() if k not in ("elapsed", "layout")} for state in states]

    marks = [0, 0]
    for step in range(2):
        assert view_state(first) == view_state(second), f"view state differs before answer {step + 1}"
        assert sent_since(first, marks[0]) == sent_since(second, marks[1])
        if step == 0:
            assert "gamma is C" not in json.dumps(first.comm.sent)
        # Give both the same answer (right for one exam, wrong for the other), then move on.
        first.answer("B" if step == 0 else ["A", "B"])
        second.answer("B" if step == 0 else ["A", "B"])
        assert first.feedback["correct_keys"] != second.feedback["correct_keys"]
        first.next()
        second.next()
        marks = [len(first.comm.states_sent()), len(second.comm.states_sent())]
    first.close()
    second.close()


def test_page_answer_is_on_disk_before_its_feedback_is_sent(quiz: QuizWidget, recording_comms) -> None:
    events: list[str] = []
    manager = quiz._ctl.writer.manager
    original_save = manager.save_session

    def save(data, filepath=None):
        path = original_save(data, filepath)
        events.append(f"saved:{data['quiz_mode']['total_answered']}")
        return path

    manager.save_session = save
    comm = quiz.comm
    original_publish = comm.publish_msg

    def publish(msg_type, data=None, metadata=None, buffers=None, **keys):
        state = (data or {}).get("state", {})
        if state.get("feedback"):
            events.append("feedback-sent")
        return original_publish(msg_type, data, metadata, buffers, **keys)

    comm.publish_msg = publish
    page_message(quiz, {"type": "answer", "value": 2})
    assert events == ["saved:1", "feedback-sent"]
    assert quiz.phase == "feedback"
    assert quiz.feedback["correct"] is True
    assert quiz.feedback["correct_keys"] == ["C"]
    assert on_disk(quiz)["quiz_widgets"]["answers"] == [{"question_id": 1, "answer": "C", "correct": True}]


def _record_the_save_and_the_feedback(quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What a save does on disk (the file's fsync, its rename, the folder's fsync) and when the feedback
    leaves for the page, in order."""
    from quiz_widgets.kernel import writer
    from quiz_widgets.store import atomic

    events: list[str] = []
    fsync, replace = atomic.os.fsync, atomic.os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (events.append("file fsync"), fsync(fd))[1])
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (events.append("rename"), replace(a, b))[1])
    monkeypatch.setattr(atomic, "fsync_dir", lambda folder: events.append("folder fsync"))
    monkeypatch.setattr(writer, "fsync_dir", lambda folder: events.append("folder fsync"))
    comm = quiz.comm
    original_publish = comm.publish_msg

    def publish(msg_type, data=None, metadata=None, buffers=None, **keys):
        if (data or {}).get("state", {}).get("feedback"):
            events.append("feedback")
        return original_publish(msg_type, data, metadata, buffers, **keys)

    monkeypatch.setattr(comm, "publish_msg", publish)
    # Code that wraps save_session with the seed's signature (data, filepath=None) goes on working.
    manager = quiz._ctl.writer.manager
    original_save = manager.save_session
    monkeypatch.setattr(manager, "save_session", lambda data, filepath=None: original_save(data, filepath))
    return events


def test_an_answers_folder_fsync_follows_its_feedback_on_the_loops_next_turn(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The file is complete, fsynced and renamed into place before the feedback (PRODUCT.md); the folder's
    # fsync, which only makes the rename survive a power cut, waits for the event loop's next turn: on a
    # busy disk it took as long as the file's own, and the learner waited for both.
    page_message(quiz, {"type": "answer", "value": 2})  # the first answer makes the file
    page_message(quiz, {"type": "next"})
    events = _record_the_save_and_the_feedback(quiz, monkeypatch)

    async def answer_then_yield() -> list[str]:
        page_message(quiz, {"type": "answer", "value": [0, 2]})
        before = list(events)
        await asyncio.sleep(0)
        return before

    before = asyncio.run(answer_then_yield())
    assert before == ["file fsync", "rename", "feedback"]
    assert events == ["file fsync", "rename", "feedback", "folder fsync"]
    assert quiz._ctl.writer.last_error is None
    assert on_disk(quiz)["quiz_widgets"]["answers"][-1] == {
        "question_id": 2,
        "answer": ["A", "C"],
        "correct": True,
    }


def test_with_no_event_loop_or_while_the_kernel_ends_the_folder_is_fsynced_before_going_on(
    quiz: QuizWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    page_message(quiz, {"type": "answer", "value": 2})
    page_message(quiz, {"type": "next"})
    events = _record_the_save_and_the_feedback(quiz, monkeypatch)
    page_message(quiz, {"type": "answer", "value": [0, 2]})  # no running loop: nothing to wait for
    assert events == ["file fsync", "rename", "folder fsync", "feedback"]
    events.clear()

    async def end_the_kernel() -> None:
        quiz._ctl.writer.emergency_save()  # what atexit and SIGTERM run, perhaps with a loop about

    asyncio.run(end_the_kernel())
    assert events == ["file fsync", "rename", "folder fsync"]


def test_page_drives_every_question_kind(quiz: QuizWidget) -> None:
    page_message(quiz, {"type": "answer", "value": 0})
    assert quiz.feedback["correct"] is False and quiz.feedback["your_answer"] == "alpha"
    page_message(quiz, {"type": "next"})
    # A multi-choice question says nothing taken from the key before its answer, not even how many
    # options are right (the view shows no count: the question's own words say it).
    assert quiz.phase == "question" and quiz.question["kind"] == "multiChoice"
    assert "choose" not in quiz.question and "answer" not in quiz.question
    page_message(quiz, {"type": "answer", "value": [2, 0]})
    assert quiz.feedback["correct"] is True
    page_message(quiz, {"type": "next"})
    page_message(quiz, {"type": "answer", "value": 4})
    assert quiz.feedback["correct"] is True
    page_message(quiz, {"type": "next"})
    page_message(quiz, {"type": "answer", "value": "  paris "})
    assert quiz.feedback["correct"] is True
    page_message(quiz, {"type": "next"})
    assert quiz.phase == "finished"
    assert quiz.summary["score"] == 3 and quiz.summary["answered"] == 4
    assert [t["topic"] for t in quiz.summary["topics"]] == ["Letters", "Numbers", "General"]
    assert quiz.completed
    data = on_disk(quiz)
    assert data["timer_data"]["completed"] is True
    assert data["quiz_mode"]["wrong_answers"][0]["your_answer"] == "alpha"
    results = list((Path(quiz._ctl.writer.manager.results_dir)).glob("quiz_results_*.json"))
    assert len(results) == 1


BAD_MESSAGES = [
    ({"type": "explode"}, "unknown message type"),
    ("answer", "must be an object"),
    ({"type": "answer"}, "no 'value'"),
    ({"type": "answer", "value": 9}, "out of range"),
    ({"type": "answer", "value": -1}, "out of range"),
    ({"type": "answer", "value": True}, "must be an integer"),
    ({"type": "answer", "value": "C"}, "must be an integer"),
    ({"type": "answer", "value": [0, 1]}, "must be an integer"),
    ({"type": "answer", "value": {"$gt": 0}}, "must be an integer"),
    ({"type": "answer", "value": "x" * 1_000_000}, "must be an integer"),
    ({"type": "visibility", "visible": "yes"}, "visibility"),
    ({"type": "study"}, "finish screen"),
]


@pytest.mark.parametrize(("message", "expected"), BAD_MESSAGES)
def test_bad_page_messages_are_refused_visibly_and_change_nothing(
    quiz: QuizWidget, message: object, expected: str
) -> None:
    quiz.save()
    before_state = view_state(quiz)
    before_file = Path(quiz.session_path).read_bytes()
    page_message(quiz, message)
    assert expected in quiz.error
    after = view_state(quiz)
    after.pop("error")
    before_state.pop("error")
    assert after == before_state
    assert Path(quiz.session_path).read_bytes() == before_file
    # The next good message clears the error.
    page_message(quiz, {"type": "answer", "value": 2})
    assert quiz.error == "" and quiz.score == 1


def test_answer_while_feedback_is_shown_is_a_stale_click(quiz: QuizWidget) -> None:
    page_message(quiz, {"type": "answer", "value": 2})
    page_message(quiz, {"type": "answer", "value": 2})
    assert "cannot answer now" in quiz.error
    assert quiz.total_answered == 1


def test_page_cannot_set_traits(quiz: QuizWidget, recording_comms) -> None:
    page_update(quiz, {"score": 99, "phase": "finished"})
    assert quiz.score == 0 and quiz.phase == "question"
    assert "refused a change of phase, score" in quiz.error
    resent = [state for state in quiz.comm.states_sent() if "score" in state]
    assert resent[-1]["score"] == 0 and resent[-1]["phase"] == "question"


def test_python_answer_values_and_errors(quiz: QuizWidget) -> None:
    with pytest.raises(AnswerError, match=r"question 1 \(id 1\)"):
        quiz.answer("Z")
    assert quiz.total_answered == 0
    assert quiz.answer("gamma") is True
    assert quiz.answer(["a", "C"]) is True  # answer(); answer() answers two questions
    with pytest.raises(AnswerError):
        quiz.answer("four")
    assert quiz.answer(4.0) is True
    assert quiz.answer("Lyon") is False
    with pytest.raises(SessionError, match="finished"):
        quiz.answer("Paris")
    assert quiz.score == 3 and quiz.total_answered == 4
    assert quiz.wrong_answers == [
        {"question_id": 4, "question": "Capital of France?", "your_answer": "Lyon", "correct_answer": "Paris"}
    ]


def test_pause_hides_the_question_and_stops_the_clock(quiz: QuizWidget) -> None:
    quiz.pause()
    assert quiz.phase == "paused" and quiz.question == {} and not quiz.clock_running
    frozen = quiz.elapsed_seconds
    assert quiz.elapsed_seconds == frozen
    with pytest.raises(SessionError, match="paused"):
        quiz.answer("C")
    quiz.unpause()
    assert quiz.phase == "question" and quiz.clock_running and quiz.question["text"] == "Pick <b>C</b>"


def test_clock_counts_only_while_a_view_shows_the_quiz(quiz: QuizWidget) -> None:
    assert quiz.clock_running, "a quiz with no view counts from its start"
    quiz.save()  # before the first answer only an explicit save writes a file
    page_message(quiz, {"type": "visibility", "visible": False})
    assert not quiz.clock_running
    assert on_disk(quiz)["timer_data"]["elapsed_seconds"] == int(quiz.elapsed_seconds)
    page_message(quiz, {"type": "visibility", "visible": True})
    assert quiz.clock_running
    page_message(quiz, {"type": "closing"})
    assert not quiz.clock_running


def test_finish_saves_quit_by_user(quiz: QuizWidget) -> None:
    quiz.answer("A")
    quiz.finish()
    data = on_disk(quiz)
    assert data["timer_data"]["quit_by_user"] is True
    assert data["timer_data"]["completed"] is False
    assert quiz.phase == "finished" and quiz.summary["wrong"][0]["your_answer"] == "alpha"


def test_failed_save_shows_a_warning_keeps_state_and_retries(quiz: QuizWidget) -> None:
    quiz.save()
    manager = quiz._ctl.writer.manager
    original = manager.save_session

    def full_disk(data, filepath=None):
        raise OSError(28, "No space left on device")

    manager.save_session = full_disk
    assert quiz.answer("C") is True
    assert "No space left on device" in quiz.warning
    assert quiz.total_answered == 1
    assert on_disk(quiz)["quiz_mode"]["total_answered"] == 0
    with pytest.raises(OSError, match="No space left"):
        quiz.save()
    manager.save_session = original
    assert quiz.save() == quiz.session_path
    assert quiz.warning == ""
    assert on_disk(quiz)["quiz_mode"]["total_answered"] == 1


def test_heartbeat_saves_changes_with_auto_saved(tmp_path: Path, recording_comms) -> None:
    async def run() -> dict:
        widget = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=0.05)
        widget.state.answer("C")  # a change the widget did not save itself
        await asyncio.sleep(0.3)
        data = on_disk(widget)
        widget.close()
        return data

    data = asyncio.run(run())
    assert data["quiz_mode"]["total_answered"] == 1
    assert data["timer_data"]["auto_saved"] is True


def test_no_event_loop_means_no_heartbeat_and_no_error(tmp_path: Path, recording_comms) -> None:
    # Autosave on (the quiz fixture turns it off), so only the missing loop can keep the heartbeat away.
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    with our_warnings_are_errors():  # e.g. get_event_loop()'s DeprecationWarning, or a task never run
        widget = QuizWidget(EXAM, base_dir=tmp_path, autosave_interval=30)
    try:
        assert widget._live.tasks.heartbeat is None
        assert widget.answer("C") is True  # the quiz works without it: saved on the answer
        assert on_disk(widget)["quiz_mode"]["total_answered"] == 1
    finally:
        widget.close()


def test_close_saves(quiz: QuizWidget) -> None:
    quiz.state.answer("C")
    quiz.close()
    assert on_disk(quiz)["quiz_mode"]["total_answered"] == 1


def test_resume_in_the_same_kernel_takes_over(quiz: QuizWidget, tmp_path: Path) -> None:
    quiz.answer("C")
    path = quiz.session_path
    newer = QuizWidget.resume(path, exam=EXAM)
    try:
        assert newer.session_path == path and not newer.read_only
        assert quiz._ctl.writer.closed
        assert newer.total_answered == 1 and newer.score == 1
        assert newer.question["id"] == 2
        newer.answer(["A", "C"])
        assert on_disk(newer)["quiz_mode"]["total_answered"] == 2
        assert len(list(path.parent.glob("session_*.json"))) == 1
    finally:
        newer.close()


def test_another_process_owning_the_file_makes_this_copy_read_only(quiz: QuizWidget, tmp_path: Path) -> None:
    quiz.answer("C")
    path = quiz.session_path
    quiz.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from quiz_widgets.store.manager import SessionLock
                lock = SessionLock({str(path)!r})
                assert lock.acquire()
                print("held", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = path.read_bytes()
        copy_ = QuizWidget.resume(path, exam=EXAM)
        assert copy_.read_only and "another kernel" in copy_.warning
        with pytest.raises(SessionError, match="another kernel"):
            copy_.answer("A")
        page_message(copy_, {"type": "answer", "value": [0, 2]})
        assert "another kernel" in copy_.error
        copy_.close()
        assert path.read_bytes() == before
    finally:
        holder.stdin.close()
        holder.wait(10)
    # Once the other process is gone its lock is gone too.
    again = QuizWidget.resume(path, exam=EXAM)
    assert not again.read_only
    again.close()


def test_study_wrong_answers_starts_a_saved_study_quiz(quiz: QuizWidget) -> None:
    quiz.answer("A")
    quiz.answer(["A", "C"])
    quiz.answer(5)
    quiz.answer("Paris")
    quiz.next()
    first_path = quiz.session_path
    page_message(quiz, {"type": "study"})
    assert quiz.error == ""
    assert quiz.exam_title == "Widget Drill - Study Wrong Answers"
    assert quiz.total == 2 and quiz.phase == "question"
    assert quiz.session_path is None  # the study quiz's file appears at its first answer
    quiz.answer("C")
    assert quiz.session_path != first_path
    assert on_disk(quiz)["exam_title"] == "Widget Drill - Study Wrong Answers"


def test_resume_of_original_app_session_starts_at_total_answered(tmp_path: Path, recording_comms) -> None:
    manager = SessionManager(tmp_path)
    original = {
        "session_date": "2024-11-01T20:05:08.123456",
        "exam_title": "Widget Drill",
        "total_questions": 4,
        "quiz_mode": {"score": 1, "total_answered": 2, "wrong_answers": []},
        "timer_data": {
            "elapsed_seconds": 125,
            "completed": False,
            "auto_saved": True,
            "emergency_saved": False,
        },
    }
    path = manager.save_session(original)
    exams = tmp_path / "exams"
    exams.mkdir()
    (exams / "drill.json").write_text(json.dumps(EXAM))
    with our_warnings_are_errors():
        quiz = QuizWidget.resume(path)
    try:
        assert quiz.question["id"] == 3 and quiz.score == 1 and quiz.total_answered == 2
        assert quiz.elapsed_seconds >= 125
        quiz.answer(4)
        data = on_disk(quiz)
        assert data["session_date"] == original["session_date"]
        assert data["quiz_mode"]["total_answered"] == 3 and data["quiz_mode"]["score"] == 2
    finally:
        quiz.close()


def test_resume_without_an_exam_says_where_it_looked(tmp_path: Path) -> None:
    path = SessionManager(tmp_path).save_session(
        {
            "session_date": "2024-11-01T20:05:08",
            "exam_title": "Nowhere",
            "total_questions": 3,
            "quiz_mode": {},
        }
    )
    with pytest.raises(SessionError, match=r"no exam titled 'Nowhere'.*exam="):
        QuizWidget.resume(path)


def test_sessions_folder_deleted_mid_quiz_keeps_the_file_and_its_lock(quiz: QuizWidget) -> None:
    import shutil

    quiz.answer("C")
    shutil.rmtree(quiz.session_path.parent)
    quiz.answer(["A", "C"])  # the save recreates the folder and locks a new lock file first
    assert on_disk(quiz)["quiz_mode"]["total_answered"] == 2
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from quiz_widgets.store.manager import SessionLock; print(SessionLock({str(quiz.session_path)!r}).acquire())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert probe.stdout.strip() == "False", probe.stderr


def test_a_completed_session_resumes_on_its_finish_screen(quiz: QuizWidget) -> None:
    for value in ("C", ["A", "C"], 4, "Lyon"):
        quiz.answer(value)
    path = quiz.session_path
    quiz.close()
    again = QuizWidget.resume(path, exam=EXAM)
    try:
        assert again.phase == "finished" and again.question == {}
        assert again.summary["score"] == 3 and again.summary["completed"] is True
        assert again.summary["wrong"][0]["correct_answer"] == "Paris"
        with pytest.raises(SessionError, match="finished"):
            again.answer("Paris")
        assert len(list(Path(again._ctl.writer.manager.results_dir).glob("quiz_results_*.json"))) == 1
    finally:
        again.close()


def test_a_quit_session_resumes_on_its_finish_screen(quiz: QuizWidget) -> None:
    quiz.answer("C")
    quiz.finish()
    path = quiz.session_path
    quiz.close()
    again = QuizWidget.resume(path, exam=EXAM)
    try:
        assert again.phase == "finished" and again.summary["quit_by_user"] is True
        assert again.summary["answered"] == 1
    finally:
        again.close()


def test_view_state_fills_exactly_the_view_traits(quiz: QuizWidget) -> None:
    from quiz_widgets.kernel.controller import VIEW_TRAITS

    assert tuple(quiz._ctl.view_state()) == VIEW_TRAITS
    assert set(VIEW_TRAITS) <= set(quiz.keys)  # each is a synced trait of the widget


def test_clock_runs_while_any_view_is_on_screen(quiz: QuizWidget) -> None:
    # The same notebook open in two tabs: hiding one tab must not stop the clock of the other.
    page_message(quiz, {"type": "visibility", "visible": True, "view": "tab-1"})
    page_message(quiz, {"type": "visibility", "visible": True, "view": "tab-2"})
    page_message(quiz, {"type": "visibility", "visible": False, "view": "tab-1"})
    assert quiz.clock_running
    page_message(quiz, {"type": "closing", "view": "tab-2"})
    assert not quiz.clock_running
    page_message(quiz, {"type": "visibility", "visible": True, "view": "tab-1"})
    assert quiz.clock_running


@pytest.mark.parametrize("view", [5, "", "../../etc/passwd", "x" * 65, None])
def test_bad_view_ids_are_refused(quiz: QuizWidget, view: object) -> None:
    page_message(quiz, {"type": "visibility", "visible": False, "view": view})
    assert "'view' must be a short id" in quiz.error
    assert quiz.clock_running


def test_a_save_that_recovers_on_its_own_clears_the_page_warning(quiz: QuizWidget) -> None:
    manager = quiz._ctl.writer.manager
    original = manager.save_session

    def read_only(data, filepath=None):
        raise OSError(30, "Read-only file system")

    manager.save_session = read_only
    quiz.state.answer("C")  # a change only the heartbeat will save
    quiz._ctl.writer.autosave()
    assert "Read-only file system" in quiz.comm.states_sent()[-1]["warning"]
    manager.save_session = original
    quiz._ctl.writer.autosave()
    assert quiz.comm.states_sent()[-1]["warning"] == ""  # the page is told without any other event
    assert on_disk(quiz)["quiz_mode"]["total_answered"] == 1


def test_points_reach_the_page_while_the_quiz_runs_and_never_before_an_exam_is_submitted(
    tmp_path: Path, recording_comms
) -> None:
    # Partial credit (weights) earns part of a question's points: the header shows them beside the score
    # as the quiz runs, so `points` is synced with every answer, not only on the finish screen.
    weighted = copy.deepcopy(EXAM)
    weighted["questions"][1]["weights"] = {"A": 50, "B": -100, "C": 50}
    quiz = QuizWidget(weighted, base_dir=tmp_path / "practice", autosave_interval=0)
    try:
        page_message(quiz, {"type": "answer", "value": 2})  # right: 1 point
        page_message(quiz, {"type": "next"})
        page_message(quiz, {"type": "answer", "value": [0]})  # half right
        assert quiz.phase == "feedback" and quiz.score == 1 and quiz.points == 1.5
        assert quiz.comm.states_sent()[-1]["points"] == 1.5
    finally:
        quiz.close()
    exam = QuizWidget(weighted, base_dir=tmp_path / "exam", mode="exam", autosave_interval=0)
    try:
        exam.answer("C")
        exam.answer(["A"])
        assert exam.points == 0 and exam.score == 0  # nothing derived from the key before submit
        exam.submit()
        assert exam.points == 1.5
    finally:
        exam.close()

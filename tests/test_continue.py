"""Re-running a quiz's cell continues the learner's attempt; a new attempt on request; no empty files.

The unit part drives widgets in this process; the kernel part re-runs cells in a real ipykernel, restarts
it and ends it, as a learner re-running a course notebook does.
"""

from __future__ import annotations

import json
import textwrap
import warnings
from pathlib import Path

import pytest
from widget_utils import page_message

from quiz_widgets import QuizWidget, SessionManager

QUESTIONS = [
    {"question": "2 + 2?", "type": "numeric", "answer": 4},
    {"question": "Capital of France?", "type": "text", "answer": "Paris"},
    {"question": "3 * 3?", "type": "numeric", "answer": 9},
]


def sessions(base: Path) -> list[Path]:
    return sorted((base / "data" / "sessions").glob("session_*.json"))


def make(base: Path, title: str = "Warm-up", questions: list | None = None, **kw) -> QuizWidget:
    return QuizWidget.from_questions(
        questions or QUESTIONS, title=title, base_dir=base, autosave_interval=0, **kw
    )


@pytest.fixture
def base(tmp_path: Path, recording_comms) -> Path:
    return tmp_path


def test_a_quiz_never_answered_leaves_no_file(base: Path) -> None:
    quiz = make(base)
    quiz.pause()
    quiz.unpause()
    quiz.finish()  # quitting a quiz with no answer: nothing to keep
    quiz._ctl.writer.autosave()
    quiz._ctl.writer.emergency_save()
    quiz.close()
    assert quiz.session_path is None and sessions(base) == []


def test_rerunning_continues_the_same_file_question_and_time(base: Path) -> None:
    first = make(base)
    assert first.continued == ""
    first.answer(4)
    first.next()
    path = first.session_path
    saved_elapsed = json.loads(path.read_text())["quiz_widgets"]["elapsed_seconds"]
    again = make(base)
    try:
        assert again.session_path == path
        assert again.total_answered == 1 and again.question["number"] == 2
        assert again.elapsed_seconds >= saved_elapsed
        assert "Continuing your attempt" in again.continued and "1 of 3 answered" in again.continued
        # The older widget of the same exam in this kernel handed the file over and says where it went.
        assert first._ctl.writer.closed and path.name in first.warning and "newer" in first.warning
        again.answer("Paris")
        assert sessions(base) == [path]
        assert json.loads(path.read_text())["quiz_mode"]["total_answered"] == 2
    finally:
        again.close()


def test_a_cell_asking_for_other_settings_continues_and_says_it_keeps_its_own(base: Path) -> None:
    first = make(base)
    first.answer(4)
    first.close()
    # The instructor made the cell a timed, shuffled exam: the learner's attempt goes on as it was.
    again = make(base, mode="exam", time_limit=600, shuffle=True, seed=1)
    try:
        assert again.session_path == first.session_path and again.total_answered == 1
        assert "It keeps its own settings" in again.continued
        assert "exam mode, a time limit of 10 minutes, shuffled questions" in again.continued
        assert "start a new attempt" in again.continued
        again.start_new_attempt()
        again.answer(4 if again.question["kind"] == "numeric" else "Paris")
        assert again.session_path != first.session_path
        saved = json.loads(again.session_path.read_text())
        assert saved["quiz_widgets"]["mode"] == "exam"
    finally:
        again.close()
    # The same settings as the attempt it goes on with: only the line saying which attempt that is.
    same = make(base, mode="exam", time_limit=600, shuffle=True, seed=1)
    try:
        assert same.session_path == again.session_path
        assert same.continued.startswith("Continuing your attempt of ")
        assert "keeps its own settings" not in same.continued
    finally:
        same.close()


def test_attempt_new_always_starts_a_new_file(base: Path) -> None:
    first = make(base)
    first.answer(4)
    first.close()
    fresh = make(base, attempt="new")
    try:
        assert fresh.continued == "" and fresh.total_answered == 0 and fresh.session_path is None
        fresh.answer(5)
        assert fresh.session_path != first.session_path and len(sessions(base)) == 2
    finally:
        fresh.close()


def test_start_new_attempt_quits_the_old_one_and_the_next_run_continues_the_new(base: Path) -> None:
    quiz = make(base)
    quiz.answer(4)
    old = quiz.session_path
    quiz.close()
    quiz = make(base)
    assert quiz.session_path == old
    quiz.start_new_attempt()
    assert quiz.continued == "" and quiz.total_answered == 0 and quiz.session_path is None
    assert quiz.question["number"] == 1 and quiz.phase == "question"
    assert json.loads(old.read_text())["timer_data"]["quit_by_user"] is True
    quiz.answer(5)
    new = quiz.session_path
    quiz.close()
    again = make(base)
    try:
        assert again.session_path == new and again.total_answered == 1
    finally:
        again.close()


def test_the_view_button_starts_a_new_attempt_and_gets_its_reply(base: Path, recording_comms) -> None:
    quiz = make(base)
    quiz.answer(4)
    quiz.close()
    quiz = make(base)
    try:
        assert quiz.continued
        page_message(quiz, {"type": "new_attempt", "request": "view1-1"})
        assert quiz.error == "" and quiz.continued == "" and quiz.total_answered == 0
        replies = [
            m["data"]["content"]
            for m in quiz.comm.sent
            if isinstance(m["data"], dict) and m["data"].get("method") == "custom"
        ]
        assert replies[-1] == {"type": "reply", "request": "view1-1", "ok": True, "error": ""}
        page_message(quiz, {"type": "new_attempt", "request": "bad id!"})
        assert "request" in quiz.error
    finally:
        quiz.close()


def test_a_finished_attempt_is_not_continued(base: Path) -> None:
    quiz = make(base, questions=QUESTIONS[:1])
    quiz.answer(4)
    done = quiz.session_path
    quiz.close()
    again = make(base, questions=QUESTIONS[:1])
    try:
        assert again.continued == "" and again.session_path is None and again.total_answered == 0
    finally:
        again.close()
    assert sessions(base) == [done]


def test_other_titles_and_other_questions_never_share_a_file(base: Path) -> None:
    pre = make(base, title="Pre-test")
    pre.answer(4)
    post = make(base, title="Post-test")  # the same questions, another title
    edited = make(base, title="Pre-test", questions=[*QUESTIONS[:2], {**QUESTIONS[2], "answer": 8}])
    try:
        assert post.continued == "" and post.session_path is None
        assert edited.continued == "" and edited.session_path is None
        assert not pre._ctl.writer.closed  # no takeover between different exams
        post.answer(4)
        edited.answer(4)
        assert len({pre.session_path, post.session_path, edited.session_path}) == 3
    finally:
        for widget in (pre, post, edited):
            widget.close()


def test_an_exam_file_edited_in_place_is_still_the_same_exam(base: Path) -> None:
    exam_file = base / "exam.yaml"
    exam_file.write_text(_exam_yaml("2 + 2?"), encoding="utf-8")
    quiz = QuizWidget(exam_file, base_dir=base, autosave_interval=0)
    quiz.answer(4)
    path = quiz.session_path
    quiz.close()
    exam_file.write_text(_exam_yaml("What is 2 + 2?"), encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        again = QuizWidget(exam_file, base_dir=base, autosave_interval=0)
    try:
        assert again.session_path == path and again.total_answered == 1
        assert any("changed since the session was saved" in str(w.message) for w in caught)
    finally:
        again.close()


def test_a_broken_session_file_is_skipped_with_a_warning(base: Path) -> None:
    quiz = make(base)
    quiz.answer(4)
    path = quiz.session_path
    quiz.close()
    data = json.loads(path.read_text())
    data["quiz_widgets"]["question_order"] = "not a list"
    path.write_text(json.dumps(data))
    with pytest.warns(UserWarning, match=f"could not continue the attempt in {path}.*question_order"):
        fresh = make(base)
    try:
        assert fresh.total_answered == 0 and fresh.session_path is None
        assert json.loads(path.read_text()) == data  # left as it was
    finally:
        fresh.close()


def test_newest_unfinished_attempt_wins(base: Path) -> None:
    older = make(base, attempt="new")
    older.answer(4)
    older.close()
    newer = make(base, attempt="new")
    newer.answer(5)
    newer.answer("Paris")
    newer.close()
    manager = SessionManager(base)
    assert len(manager.find_study_sessions()) == 2
    again = make(base)
    try:
        assert again.session_path == newer.session_path and again.total_answered == 2
    finally:
        again.close()


def _exam_yaml(first: str) -> str:
    return textwrap.dedent(
        f"""\
        title: File exam
        questions:
          - {{id: 1, question: "{first}", type: numeric, answer: 4}}
          - {{id: 2, question: "Capital of France?", type: text, answer: Paris}}
        """
    )


# -- in a real kernel --------------------------------------------------------------------------------------

CELL = """\
%%quiz Warm-up --autosave_interval 0.2
- question: 2 + 2?
  type: numeric
  answer: 4
- question: Capital of France?
  type: text
  answer: Paris
"""

SHOW = "q = _\nprint(q.session_path, q.total_answered, q.index, q.continued != '', repr(q))"


def test_rerunning_a_quiz_cell_in_a_kernel_continues_and_survives_a_restart(kernel) -> None:
    kernel.execute("%load_ext quiz_widgets")
    result = kernel.execute(CELL)
    assert result.data is not None and "QuizWidget('Warm-up', 0/2 answered)" in result.data["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in result.data
    stdout = kernel.execute(SHOW).stdout
    assert stdout.startswith("None 0 0 False")
    # Re-running an unanswered quiz, and the heartbeat meanwhile, leave no file.
    kernel.execute(CELL)
    kernel.execute("import time; time.sleep(0.6)")
    assert sessions(kernel.cwd) == []
    kernel.execute("_.answer(4)")
    files = sessions(kernel.cwd)
    assert len(files) == 1
    kernel.execute(CELL)
    stdout = kernel.execute(SHOW).stdout
    assert stdout.startswith(f"{files[0]} 1 1 True")
    kernel.restart()
    kernel.execute("%load_ext quiz_widgets")
    kernel.execute(CELL)
    stdout = kernel.execute(SHOW).stdout
    assert stdout.startswith(f"{files[0]} 1 1 True")
    assert sessions(kernel.cwd) == files


def test_a_kernel_ending_with_an_unanswered_quiz_leaves_no_file(kernel) -> None:
    kernel.execute("%load_ext quiz_widgets")
    kernel.execute(CELL)
    kernel.execute(CELL.replace("Warm-up", "Second quiz"))
    kernel.shutdown()  # atexit runs: it has nothing to save
    assert sessions(kernel.cwd) == []


def test_a_bad_cell_shows_the_exam_error_in_the_kernel(kernel) -> None:
    kernel.execute("%load_ext quiz_widgets")
    result = kernel.execute("%%quiz Broken\n- question: x\n  type: nope\n", allow_error=True)
    assert result.error is not None and result.error["ename"] == "ExamError"
    assert (
        "%%quiz cell: line 2: question 1 (id 1): field 'type': found 'nope'" in result.error["evalue"]
    )  # the %%quiz line is 1

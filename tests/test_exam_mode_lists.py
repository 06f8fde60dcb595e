"""Exam mode in the lists of saved sessions (issue 16, item 8): before submit, the Previous Sessions list and
`quiz-widgets sessions list` show nothing the key decides, as the quiz's own page does not."""

from __future__ import annotations

import json
from pathlib import Path

from quiz_widgets import QuizWidget, SessionBrowser
from quiz_widgets.cli import main

QUESTIONS = [
    {"id": n, "question": f"Question {n}", "options": {"A": "a", "B": "b"}, "answer": key}
    for n, key in ((1, "A"), (2, "B"), (3, "A"))
]


def exam_in(base: Path, flip: bool) -> Path:
    keys = [dict(q, answer="B" if q["answer"] == "A" else "A") if flip else q for q in QUESTIONS]
    path = base / "exam.json"
    base.mkdir(parents=True)
    path.write_text(json.dumps({"title": "Keys", "questions": keys}), "utf-8")
    return path


def listed(base: Path, capsys) -> tuple[dict, str]:
    browser = SessionBrowser(base)
    (row,) = browser.sessions
    browser.close()
    assert main(["sessions", "list", "--base-dir", str(base)]) == 0
    (line,) = capsys.readouterr().out.splitlines()[2:]
    return {k: v for k, v in row.items() if k not in ("id", "date", "time")}, line.split()[2:4]


def test_an_exam_before_submit_lists_the_same_for_any_key(tmp_path: Path, recording_comms, capsys) -> None:
    seen = []
    quizzes = []
    for name, flip in (("one", False), ("two", True)):
        base = tmp_path / name
        quiz = QuizWidget(exam_in(base, flip), base_dir=base, mode="exam", autosave_interval=0)
        quiz.answer("A")
        quiz.answer("B")  # both right with the first key, both wrong with the other
        quizzes.append(quiz)
        seen.append(listed(base, capsys))
    assert seen[0] == seen[1]
    assert seen[0][0]["progress"] == "2/3" and seen[0][0]["state"] == "in progress"
    # A quit is no submit: still nothing.
    for quiz in quizzes:
        quiz.finish()
    quit_rows = [listed(tmp_path / name, capsys) for name in ("one", "two")]
    assert quit_rows[0] == quit_rows[1] and quit_rows[0][0]["state"] == "quit"
    # Once submitted the score is shown: the comparison can fail.
    for quiz in quizzes:
        quiz.submit()
        quiz.close()
    graded = [listed(tmp_path / name, capsys) for name in ("one", "two")]
    assert [g[0]["score"] for g in graded] == ["2/2", "0/2"] and graded[0][1] != graded[1][1]

"""Spaced review of a quiz written in the notebook (QuizWidget.from_questions, an exam dict): its exam was
never a file, so advice to "put the exam file there" cannot apply. While the kernel that ran the quiz runs,
the deck reviews and forecasts its questions (the kernel has them); a new kernel that has not run it again
leaves its cards out quietly (the session files keep answers, not questions) and reviews them again once
the cell runs. An exam that was a file and is gone is still named, with the advice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path

from widget_utils import recording_comms  # noqa: F401

from quiz_widgets import QuizWidget, ReviewDeck, my_progress
from quiz_widgets.quiz.finding import forget_exams

QUESTIONS = [
    {"id": 1, "question": "2 + 2?", "options": ["3", "4"], "answer": "B", "topic": "Sums"},
    {"id": 2, "question": "3 + 3?", "options": ["6", "7"], "answer": "A", "topic": "Sums"},
]
LATER = datetime.now(timezone.utc) + timedelta(days=60)  # both due: the miss first


def _warm_up(base: Path) -> None:
    quiz = QuizWidget.from_questions(QUESTIONS, title="Warm-up", base_dir=base)
    quiz.answer("B")  # right
    quiz.next()
    quiz.answer("B")  # wrong
    quiz.close()


def test_in_the_kernel_that_ran_it_the_deck_reviews_and_forecasts_it(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    _warm_up(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "left out ... put the exam file there"
        progress = my_progress(tmp_path)
        due = ReviewDeck(tmp_path).due(LATER)
    assert [(r["exam"], r["topic"], r["seen"]) for r in progress["forecast"]] == [("Warm-up", "Sums", 2)]
    assert due[0] == ("Warm-up", 2) and set(due) == {("Warm-up", 1), ("Warm-up", 2)}
    review = ReviewDeck(tmp_path).review_exam(now=LATER)  # the missed one first
    assert [q.text for q in review.questions] == ["3 + 3?", "2 + 2?"]


def test_a_new_kernel_leaves_its_cards_out_quietly_until_the_cell_runs_again(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    _warm_up(tmp_path)
    forget_exams()  # what a new kernel knows: nothing of this quiz but its files
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        deck = ReviewDeck(tmp_path)
        assert deck.due(LATER) == [] and my_progress(tmp_path)["forecast"] == []
    assert sorted(deck.cards) == [("Warm-up", "1"), ("Warm-up", "2")]  # the answers are kept
    QuizWidget.from_questions(QUESTIONS, title="Warm-up", base_dir=tmp_path).close()  # the cell runs again
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        deck.refresh()
        assert set(deck.due(LATER)) == {("Warm-up", 1), ("Warm-up", 2)}


def test_in_a_real_new_process_my_progress_says_nothing_misleading(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    _warm_up(tmp_path)
    code = (
        "import json, sys, warnings\n"
        "warnings.simplefilter('always')\n"
        "from quiz_widgets import my_progress\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    progress = my_progress(sys.argv[1])\n"
        "print(json.dumps([str(w.message) for w in caught]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True
    ).stdout
    assert [m for m in json.loads(out) if "review deck" in m] == []


def test_an_exam_file_that_is_gone_is_still_named_with_the_advice(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    path = tmp_path / "exams" / "arith.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"title": "Arithmetic", "questions": QUESTIONS}), encoding="utf-8")
    quiz = QuizWidget(str(path), base_dir=tmp_path)
    quiz.answer("A")
    quiz.close()
    path.unlink()
    forget_exams()
    deck = ReviewDeck(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert deck.due(LATER) == []
    assert any("card(s) of exam 'Arithmetic' are left out" in str(w.message) for w in caught)
    assert any("put the exam file there" in str(w.message) for w in caught)


def test_another_folders_quiz_of_the_same_title_is_another_quiz(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    _warm_up(here)
    shutil.copytree(here / "data" / "sessions", there / "data" / "sessions")  # its answers, not its quiz
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ReviewDeck(there).due(LATER) == []
        assert len(ReviewDeck(here).due(LATER)) == 2


def test_a_second_quiz_under_the_same_title_is_named_but_an_edit_of_the_first_is_not(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    # Two untitled quizzes in one notebook are both "Quiz": their question 1 would share one review card,
    # and the deck would review the last one's text for both. The instructor is told, at the quiz's line.
    first = [{"question": "2 + 2?", "options": ["3", "4"], "answer": "B"}]
    with warnings.catch_warnings():
        # UserWarning only: with the lowest versions allowed, traitlets itself warns of a deprecation.
        warnings.simplefilter("error", UserWarning)
        QuizWidget.from_questions(first, base_dir=tmp_path).close()
        QuizWidget.from_questions(first, base_dir=tmp_path).close()  # the cell run again
        edited = [first[0], {"question": "3 + 3?", "options": ["6", "7"], "answer": "A"}]
        QuizWidget.from_questions(edited, base_dir=tmp_path).close()  # a question added: the same quiz
        QuizWidget.from_questions([{"question": "Capital of France?", "type": "text", "answer": "Paris"}],
                                  title="Capitals", base_dir=tmp_path).close()  # fmt: skip
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        QuizWidget.from_questions([{"question": "Capital of Spain?", "type": "text", "answer": "Madrid"}],
                                  base_dir=tmp_path).close()  # fmt: skip
    (warning,) = [w for w in caught if issubclass(w.category, UserWarning)]
    assert warning.filename == __file__  # this line, not one of the package's own
    assert "two quizzes titled 'Quiz'" in str(warning.message) and "its own title" in str(warning.message)

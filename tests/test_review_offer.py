"""The review deck on a quiz's finish screen: "N questions due for review", "Review now" in place of the
finished quiz (as "Study wrong answers" is), the forecast of the exam, and the way back to the results.

The page's message is sent as the view sends it (page_message); the widget is the one the page shows: no
second widget is made in the message's callback (marimo could not show one).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from test_review_deck import write_attempt, write_exam
from widget_utils import page_message

from quiz_widgets import QuizWidget, ReviewDeck

UTC = timezone.utc


def _finish_one(quiz: QuizWidget, answer: str) -> None:
    quiz.answer(answer)
    quiz.finish()


def test_the_finish_screen_says_how_many_are_due_and_shows_the_forecast(
    tmp_path: Path, recording_comms
) -> None:
    net = write_exam(tmp_path, "Networking", topics=("Routing", "Security"))
    write_exam(tmp_path, "Storage")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20), (2, False, 20)])
    quiz = QuizWidget(net.source, base_dir=tmp_path, attempt="new")
    assert quiz.spaced_review == {}  # nothing until the finish screen
    quiz.goto(3)
    _finish_one(quiz, "A")
    offer = quiz.spaced_review
    assert offer["due"] == 2  # 1 and 2, missed 20 days ago; 3 was just answered right
    assert [(r["exam"], r["topic"]) for r in offer["forecast"]] == [
        ("Networking", "Routing"),
        ("Networking", "Security"),
    ]
    routing = offer["forecast"][0]
    assert (
        routing["seen"] == 2 and 0 <= routing["lower"] <= routing["predicted_score"] <= routing["upper"] <= 1
    )
    json.dumps(offer, allow_nan=False)  # what the page gets is JSON
    quiz.close()


def test_the_finish_screens_forecast_is_for_tomorrow_not_the_second_after_the_answers(
    tmp_path: Path, recording_comms
) -> None:
    # FSRS's recall is 1 at the moment of a review, right or wrong: "if you took the exam today", computed
    # a second after the answers, predicted 100% to a learner who had just scored 0 of 6.
    exam = write_exam(tmp_path, "Networking", n=6, topics=("Routing",))
    quiz = QuizWidget(exam.source, base_dir=tmp_path, attempt="new")
    for _ in range(6):
        quiz.answer("B")  # every key is "A"
        quiz.next()
    quiz.finish()
    assert quiz.score == 0
    (row,) = quiz.spaced_review["forecast"]
    tomorrow = ReviewDeck(tmp_path).forecast_rows(now=datetime.now(UTC) + timedelta(days=1))[0]
    assert row["seen"] == 6 and row["retrievability_now"] < 0.9 and row["predicted_score"] < 0.9
    assert row["retrievability_now"] == pytest.approx(tomorrow["retrievability_now"], abs=1e-3)
    assert row["retrievability_7d"] == pytest.approx(tomorrow["retrievability_7d"], abs=1e-3)
    quiz.close()


def test_review_now_opens_the_review_quiz_in_place_and_back_to_results(
    tmp_path: Path, recording_comms
) -> None:
    net = write_exam(tmp_path, "Networking")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20), (2, False, 20)])
    quiz = QuizWidget(net.source, base_dir=tmp_path, attempt="new")
    quiz.goto(4)
    _finish_one(quiz, "B")
    finished = quiz.session_path
    page_message(quiz, {"type": "spaced_review", "request": "r1"})
    assert quiz.error == ""
    assert quiz.exam_title == "Spaced review" and quiz.phase == "question"
    assert quiz.total == 2 and quiz.can_go_back  # 1 and 2: 4, missed now, is due tomorrow
    quiz.answer("A")  # question 1 right: rescheduled at once
    due = ReviewDeck(tmp_path).due()
    assert ("Networking", 1) not in due and ("Networking", 2) in due
    quiz.back_to_results()
    assert quiz.exam_title == "Networking" and quiz.phase == "finished" and quiz.session_path == finished
    assert quiz.spaced_review["due"] == 1  # the finish screen counts again: question 2 is left
    # "Study wrong answers" there is the finished quiz's, not the review left a moment ago.
    study = quiz.study_wrong_answers()
    assert study.exam_title == "Networking - Study Wrong Answers" and study.total == 1
    quiz.close()


def test_review_now_elsewhere_than_the_finish_screen_is_refused(tmp_path: Path, recording_comms) -> None:
    net = write_exam(tmp_path, "Networking")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20)])
    quiz = QuizWidget(net.source, base_dir=tmp_path, attempt="new")
    page_message(quiz, {"type": "spaced_review", "request": "r1"})
    assert quiz.error == "the review is offered on the finish screen only"
    assert quiz.exam_title == "Networking" and quiz.phase == "question"
    quiz.close()


def test_nothing_due_offers_no_review_and_start_review_says_when(tmp_path: Path, recording_comms) -> None:
    net = write_exam(tmp_path, "Networking")
    quiz = QuizWidget(net.source, base_dir=tmp_path, attempt="new")
    _finish_one(quiz, "A")
    assert quiz.spaced_review["due"] == 0
    page_message(quiz, {"type": "spaced_review", "request": "r1"})
    assert quiz.error.startswith("nothing is due for review; the next question is due in")
    assert quiz.exam_title == "Networking" and quiz.phase == "finished"
    quiz.close()


def test_my_progress_has_the_forecast_rows_and_a_text_chart(tmp_path: Path) -> None:
    from quiz_widgets import my_progress

    net = write_exam(tmp_path, "Networking", topics=("Routing", "Security"))
    write_exam(tmp_path, "Storage")
    sto = write_exam(tmp_path, "Storage")
    write_attempt(
        tmp_path, net, datetime.now(UTC) - timedelta(days=3), [(1, True, 20), (2, False, 20)], results=True
    )
    write_attempt(tmp_path, sto, datetime.now(UTC) - timedelta(days=1), [(1, True, 20)])
    progress = my_progress(tmp_path)
    assert progress["attempts"] == 1  # learner_progress's keys stay
    rows = progress["forecast"]
    deck_rows = ReviewDeck(tmp_path).forecast_rows()  # a moment later: recall moved a little
    assert deck_rows == [
        {k: v if isinstance(v, (str, int)) or v is None else pytest.approx(v, rel=1e-6) for k, v in r.items()}
        for r in rows
    ]
    assert [(r["exam"], r["topic"], r["seen"]) for r in rows] == [
        ("Networking", "Routing", 1),
        ("Networking", "Security", 1),
        ("Storage", "Routing", 1),
        ("Storage", "Security", 0),
    ]
    text = progress["forecast_text"].splitlines()
    assert text[0].startswith("Forecast if you took the exam today")
    assert text[1] == "Networking" and text[4] == "Storage"
    routing = rows[0]
    line = text[2]
    assert line.strip().startswith("Routing") and f"{round(routing['predicted_score'] * 100)}%" in line
    assert "[" in line and "]" in line and "1 seen, recall" in line
    assert text[-1].rstrip().endswith("not seen yet")  # Storage's Security: no question answered
    only = my_progress(tmp_path, exam="Storage")["forecast"]
    assert {r["exam"] for r in only} == {"Storage"}


def test_my_progress_of_an_empty_folder_says_there_is_no_forecast_yet(tmp_path: Path) -> None:
    from quiz_widgets import my_progress

    progress = my_progress(tmp_path)
    assert progress["forecast"] == []
    assert progress["forecast_text"].startswith("Forecast: no answers yet")
    assert not (tmp_path / "data").exists()  # asking wrote nothing


def test_a_review_or_study_quiz_file_never_stands_for_its_cards_exam(tmp_path: Path, recording_comms) -> None:
    """The review quiz's session records its own exam file (review ids), a study quiz's a few questions:
    taken for the cards' exam, every card of it was left out of due() (which file came first decided)."""
    net = write_exam(tmp_path, "Networking")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20), (2, False, 20)])
    review = ReviewDeck(tmp_path).quiz(limit=1)
    review.answer("B")
    study = review.study_wrong_answers()
    study.answer("A")
    study.close()
    deck = ReviewDeck(tmp_path)
    # Only the Networking attempt's session records a file (the exam's own); the review's and study's none.
    recorded = [source["exam_path"] for source in deck._sources.values() if source["exam_path"]]
    assert recorded == [str(net.source)] and len(deck._sources) == 5
    assert deck.exam("Networking").source == net.source
    assert ("Networking", 2) in deck.due()

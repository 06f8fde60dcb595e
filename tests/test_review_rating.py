"""How one answer rates for FSRS: right or wrong, the seconds it took, and how sure the learner said they were.

A quiz with confidence=True keeps each answer's level (1 guessing, 2 fairly sure, 3 sure) in the session's
"quiz_widgets" answers; the deck reads it there, and the level caps a right answer's rating
(history.CONFIDENCE_CAPS): the README's "Spaced review" states the rule.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fsrs import Rating

from quiz_widgets import ReviewDeck
from quiz_widgets.review.history import rating_for, rows_of


@pytest.mark.parametrize(
    ("correct", "seconds", "confidence", "expected"),
    [
        (True, 30, None, Rating.Good),  # no level asked: the time alone
        (True, 5, None, Rating.Easy),
        (True, 90, None, Rating.Hard),
        (True, 30, 1, Rating.Hard),  # a right guess: Good lowered to Hard
        (True, 5, 1, Rating.Hard),  # fast, but a guess
        (True, 5, 2, Rating.Good),  # fast and fairly sure: Easy lowered to Good
        (True, 30, 2, Rating.Good),
        (True, 90, 2, Rating.Hard),  # slow stays Hard
        (True, 5, 3, Rating.Easy),  # sure: the time decides
        (True, 90, 3, Rating.Hard),
        (False, 5, 3, Rating.Again),  # wrong at any level
        (False, 5, 1, Rating.Again),
        (True, None, 1, Rating.Hard),  # time unknown (Good), a guess
        (True, 30, 7, Rating.Good),  # not a level: ignored
        (True, 30, True, Rating.Good),
    ],
)
def test_rating_from_correctness_time_and_confidence(correct, seconds, confidence, expected) -> None:
    assert rating_for(correct, seconds, confidence) == expected


def write_session(base: Path, answers: list[dict], *, completed: bool = True, **extension: object) -> None:
    """A session file as the quiz writes it (2 March 2026) with ``answers`` in its "quiz_widgets" key
    (and ``extension``), and its exam "Networking" (a question per answer, "A" right) in <base>/exams."""
    exam = {
        "title": "Networking",
        "questions": [
            {
                "id": a["question_id"],
                "question": f"Q{a['question_id']}?",
                "options": ["a", "b"],
                "answer": "A",
            }
            for a in answers
        ],
    }
    (base / "exams").mkdir()
    (base / "exams" / "net.json").write_text(json.dumps(exam), encoding="utf-8")
    session = {
        "session_date": "2026-03-02T09:00:00",
        "exam_title": "Networking",
        "total_questions": len(answers),
        "quiz_mode": {
            "score": sum(a["correct"] for a in answers),
            "total_answered": len(answers),
            "wrong_answers": [],
        },
        "timer_data": {"elapsed_seconds": 60, "completed": completed},
        "quiz_widgets": {"format_version": 2, **extension, "answers": answers},
    }
    (base / "data" / "sessions").mkdir(parents=True)
    (base / "data" / "sessions" / "session_20260302_090000.json").write_text(json.dumps(session))


def test_the_deck_reads_each_answers_confidence_from_the_session(tmp_path: Path) -> None:
    answers = [
        {"question_id": 1, "answer": "A", "correct": True, "confidence": 1},  # guessed right
        {"question_id": 2, "answer": "A", "correct": True, "confidence": 2},  # fast, fairly sure
        {"question_id": 3, "answer": "A", "correct": True, "confidence": 3},  # fast and sure
        {"question_id": 4, "answer": "B", "correct": False, "confidence": 3},  # sure and wrong
        {"question_id": 5, "answer": "A", "correct": True},  # an answer given before levels were asked
    ]
    write_session(tmp_path, answers, confidence=True, seconds={"1": 30, "2": 4, "3": 4, "4": 4, "5": 4})
    deck = ReviewDeck(tmp_path)
    rows = rows_of(next(iter(deck._sources.values()))["groups"])
    assert {row[1]: row[2] for row in rows} == {1: 2, 2: 3, 3: 4, 4: 1, 5: 4}
    # A right guess comes back sooner than a sure right answer given as fast.
    due = {int(qid): info.card.due for (_, qid), info in deck.cards.items()}
    assert due[1] < due[2] < due[3]
    assert due[4] <= due[1]  # a first Hard and a first Again are both due the next day


def test_a_review_quiz_answer_given_with_a_level_is_rated_with_it(tmp_path: Path, recording_comms) -> None:
    from datetime import datetime, timedelta, timezone

    from test_review_deck import write_attempt, write_exam

    net = write_exam(tmp_path, "Networking")
    write_attempt(
        tmp_path, net, datetime.now(timezone.utc) - timedelta(days=20), [(1, False, 20), (2, False, 20)]
    )
    deck = ReviewDeck(tmp_path)
    quiz = deck.quiz(confidence=True)
    quiz.answer("A", confidence=1)  # right at once (Easy by its time), but a guess: Hard
    quiz.next()
    quiz.answer("A", confidence=3)  # right at once and sure: Easy
    ratings = {
        row[1]: row[2]
        for s in deck._sources.values()
        for row in rows_of(s["groups"])
        if row[5].startswith("Spaced")
    }
    assert ratings == {1: int(Rating.Hard), 2: int(Rating.Easy)}
    assert deck.cards[("Networking", "1")].card.due < deck.cards[("Networking", "2")].card.due
    quiz.close()
    # Read again from the review quiz's session file, the levels give the same ratings.
    again = ReviewDeck(tmp_path)
    assert {k: v.card.due for k, v in again.cards.items()} == {k: v.card.due for k, v in deck.cards.items()}


@pytest.mark.parametrize("submitted", [False, True])
def test_an_exam_not_yet_submitted_teaches_the_deck_nothing(tmp_path: Path, submitted: bool) -> None:
    # Another quiz's finish screen shows the deck's due count: an ungraded exam's rights and wrongs must not
    # reach it before the learner submits.
    answers = [{"question_id": 1, "answer": "B", "correct": False}]
    write_session(tmp_path, answers, completed=submitted, mode="exam", submitted=submitted)
    deck = ReviewDeck(tmp_path)
    assert len(deck.cards) == (1 if submitted else 0)

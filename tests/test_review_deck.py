"""ReviewDeck (issue 22): every answer on disk as an FSRS schedule, due questions, a review quiz, a forecast.

The history is written as the quiz writes it (QuizState -> to_session / build_results on a fake clock, so
each answer's seconds are known); the schedule is checked against fsrs's own Scheduler fed the same reviews.
"""

from __future__ import annotations

import asyncio
import builtins
import json
import math
import random
import shutil
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fake_time import FakeTime
from fsrs import Card, Rating, ReviewLog, Scheduler
from run_flags import COMPAT

from quiz_widgets import QuizWidget, ReviewDeck, SessionError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.quiz.codec import to_session
from quiz_widgets.quiz.results import build_results
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.quiz.timing import Clock
from quiz_widgets.review.deck import STATE_VERSION
from quiz_widgets.store.atomic import atomic_write_json

UTC = timezone.utc


def write_exam(
    base: Path,
    title: str = "Networking",
    n: int = 6,
    topics: tuple[str, ...] = ("Routing", "Security"),
    name: str | None = None,
) -> Exam:
    """An exam file in <base>/exams: singleChoice questions 1..n, topics in turn, "A" always right."""
    data = {
        "title": title,
        "questions": [
            {
                "id": i,
                "question": f"{title} question {i}?",
                "options": ["right", "wrong", "also wrong"],
                "answer": "A",
                "topic": topics[(i - 1) % len(topics)],
            }
            for i in range(1, n + 1)
        ],
    }
    path = base / "exams" / (name or f"{title.lower().replace(' ', '_')}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_exam(path)


def write_attempt(
    base: Path,
    exam: Exam,
    when: datetime,
    answers: list[tuple[Any, bool, int]],
    *,
    results: bool = False,
    learner: str | None = None,
) -> datetime:
    """One attempt as the quiz saves it: answers (question id, right?, seconds on screen) given from
    ``when`` (UTC) on; its session file, and its results file when ``results``. Returns when it ended."""
    fake = FakeTime()
    local = when.astimezone().replace(tzinfo=None)  # the files hold naive local times
    state = QuizState(exam, clock=Clock(now=fake), session_date=local.isoformat())
    state.learner = learner  # type: ignore[attr-defined]
    state.clock.start()
    for qid, right, seconds in answers:
        state.goto(state.order.index(qid) + 1)
        fake.advance(seconds)
        state.answer("A" if right else "B")
    state.finish()
    total = sum(s for _, _, s in answers)
    stamp = local.strftime("%Y%m%d_%H%M%S")
    sessions = base / "data" / "sessions"
    sessions.mkdir(parents=True, exist_ok=True)
    atomic_write_json(sessions / f"session_{stamp}.json", to_session(state))
    ended = when + timedelta(seconds=total)
    if results:
        folder = base / "results"
        folder.mkdir(exist_ok=True)
        done = ended.astimezone().replace(tzinfo=None).isoformat()
        atomic_write_json(
            folder / f"quiz_results_{stamp}_000000.json", build_results(state, completion_date=done)
        )
    return ended


def fsrs_due(reviews: list[tuple[Rating, datetime]]) -> datetime:
    """fsrs's own Scheduler (no fuzzing) fed the same reviews: the due date it gives."""
    logs = [ReviewLog(card_id=7, rating=r, review_datetime=t, review_duration=None) for r, t in reviews]
    scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    return scheduler.reschedule_card(Card(card_id=7), logs).due


DAY0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_same_due_dates_as_fsrs_own_scheduler(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    # Day 0: 1 right in 30 s (Good), 2 wrong (Again), 3 right in 5 s (Easy), 4 right in 90 s (Hard).
    end0 = write_attempt(tmp_path, exam, DAY0, [(1, True, 30), (2, False, 20), (3, True, 5), (4, True, 90)])
    # Day 2: 2 right (Good), 1 wrong (Again). Day 9: both right, with a results file of the same attempt.
    end2 = write_attempt(tmp_path, exam, DAY0 + timedelta(days=2), [(2, True, 40), (1, False, 15)])
    end9 = write_attempt(
        tmp_path, exam, DAY0 + timedelta(days=9), [(1, True, 25), (2, True, 70)], results=True
    )
    expected = {
        1: fsrs_due([(Rating.Good, end0), (Rating.Again, end2), (Rating.Good, end9)]),
        2: fsrs_due([(Rating.Again, end0), (Rating.Good, end2), (Rating.Hard, end9)]),
        3: fsrs_due([(Rating.Easy, end0)]),
        4: fsrs_due([(Rating.Hard, end0)]),
    }
    deck = ReviewDeck(tmp_path)
    got = {int(qid): info.card.due for (title, qid), info in deck.cards.items() if title == exam.title}
    assert got == expected
    # The results file repeats day 9's answers: one review each, not two.
    assert deck.cards[(exam.title, "1")].reviews == 3
    # Opened again, the deck comes from its state file and gives the same schedule.
    again = ReviewDeck(tmp_path)
    assert {int(k[1]): v.card.due for k, v in again.cards.items()} == expected
    assert (tmp_path / "data" / "review" / "deck.json").is_file()


def test_due_is_most_overdue_first_across_exams(tmp_path: Path) -> None:
    net = write_exam(tmp_path, "Networking")
    sto = write_exam(tmp_path, "Storage")
    write_attempt(tmp_path, net, DAY0, [(1, False, 20), (2, True, 30)])
    write_attempt(tmp_path, sto, DAY0 + timedelta(days=1, hours=1), [(5, False, 20), (6, True, 30)])
    write_attempt(tmp_path, net, DAY0 + timedelta(days=2, hours=2), [(3, False, 20)])
    deck = ReviewDeck(tmp_path)
    assert deck.due(DAY0 - timedelta(days=1)) == []
    due = deck.due(DAY0 + timedelta(days=30))
    dates = [deck.cards[(t, str(q))].card.due for t, q in due]
    assert dates == sorted(dates)
    # Missed: due a day later; right (Good): two days later. Mixed across the exams by due date.
    assert due == [("Networking", 1), ("Networking", 2), ("Storage", 5), ("Storage", 6), ("Networking", 3)]
    assert {t for t, _ in due} == {"Networking", "Storage"}
    # A missed question is due the next day; one answered right (Good) not yet.
    assert deck.due(DAY0 + timedelta(hours=25)) == [("Networking", 1)]


def test_original_app_files_count_only_their_misses(tmp_path: Path) -> None:
    """The original app's files say which were missed, not which were right: only misses are reviews."""
    exam = write_exam(tmp_path, "Practice Exam 1", n=10)
    session = {
        "session_date": "2026-03-02T10:00:00",
        "exam_title": "Practice Exam 1",
        "total_questions": 10,
        "quiz_mode": {
            "score": 3,
            "total_answered": 5,
            "wrong_answers": [
                {"question_id": 2, "question": "q2", "your_answer": "x", "correct_answer": "y"},
                {"question_id": 4, "question": "q4", "your_answer": "x", "correct_answer": "y"},
            ],
        },
        "timer_data": {"elapsed_seconds": 300, "completed": False},
    }
    results = {
        "exam_info": {"title": "Practice Exam 1 - Study Wrong Answers", "total_questions": 2},
        "session_info": {"completion_date": "2026-03-03T10:00:00"},
        "performance": {"score": 1, "total_answered": 2},
        "detailed_results": {
            "correct_answers": 1,
            "incorrect_answers": [
                {"question_id": 4, "question": "q4", "your_answer": "x", "correct_answer": "y"}
            ],
        },
    }
    (tmp_path / "data" / "sessions").mkdir(parents=True)
    (tmp_path / "results").mkdir()
    atomic_write_json(tmp_path / "data" / "sessions" / "session_20260302_100000.json", session)
    atomic_write_json(tmp_path / "results" / "quiz_results_20260303_100000_000000.json", results)
    deck = ReviewDeck(tmp_path)
    assert sorted(k[1] for k in deck.cards) == ["2", "4"]  # the 3 right answers of 5 are not known
    assert deck.cards[(exam.title, "4")].reviews == 2  # missed in the session and again in the study quiz
    assert all(info.right == 0 for info in deck.cards.values())


@pytest.mark.compat
def test_the_original_apps_real_files_give_only_misses(tmp_path: Path) -> None:
    for folder, target in (("sessions", "data/sessions"), ("results", "results"), ("exams", "exams")):
        shutil.copytree(COMPAT / folder, tmp_path / target)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        deck = ReviewDeck(tmp_path)
    missed: set[tuple[str, str]] = set()
    for path in (COMPAT / "sessions").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        base = data["exam_title"].replace(" - Study Wrong Answers", "").replace(" - Review Mode", "")
        missed |= {
            (base, str(w["question_id"])) for w in data["quiz_mode"]["wrong_answers"] if "question_id" in w
        }
    for path in (COMPAT / "results").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        detailed = data.get("detailed_results")
        if isinstance(detailed, dict):  # one old file holds it as a Python repr string: nothing readable
            base = data["exam_info"]["title"].replace(" - Study Wrong Answers", "")
            missed |= {(base, str(w["question_id"])) for w in detailed["incorrect_answers"]}
    assert set(deck.cards) == missed
    assert all(info.right == 0 for info in deck.cards.values())
    # Two of the exams the files name are not among the compat exams: their cards are left out, named.
    with pytest.warns(UserWarning, match="are left out") as caught:
        due = deck.due(datetime(2030, 1, 1, tzinfo=UTC))
    assert any("of exam 'Practice Exam 4' are left out" in str(w.message) for w in caught)
    assert due and all(deck.exam(t).by_id(q) is not None for t, q in due)


def test_learner_keeps_their_files_and_those_naming_nobody(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30)], learner="ann")
    write_attempt(tmp_path, exam, DAY0 + timedelta(hours=1), [(2, True, 30)], learner="bob")
    write_attempt(tmp_path, exam, DAY0 + timedelta(hours=2), [(3, True, 30)])
    assert sorted(k[1] for k in ReviewDeck(tmp_path, learner="ann").cards) == ["1", "3"]
    assert sorted(k[1] for k in ReviewDeck(tmp_path).cards) == ["1", "2", "3"]
    assert (tmp_path / "data" / "review" / "deck-ann.json").is_file()
    with pytest.raises(SessionError, match="ReviewDeck learner"):
        ReviewDeck(tmp_path, learner="../bob")


@pytest.mark.parametrize(
    "garbage", [b"{not json", b'{"version": 1, "learner": null, "sources": {"x": 3}}', b"[]"]
)
def test_a_corrupt_state_file_is_rebuilt_from_the_files(tmp_path: Path, garbage: bytes) -> None:
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30), (2, False, 30)])
    expected = {k: v.card.due for k, v in ReviewDeck(tmp_path).cards.items()}
    state = tmp_path / "data" / "review" / "deck.json"
    state.write_bytes(garbage)
    with pytest.warns(UserWarning, match=r"deck\.json.*rebuilt"):
        deck = ReviewDeck(tmp_path)
    assert {k: v.card.due for k, v in deck.cards.items()} == expected
    assert json.loads(state.read_text(encoding="utf-8"))["version"] == STATE_VERSION


def test_new_changed_and_deleted_files_since_the_state(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30)])
    assert list(ReviewDeck(tmp_path).cards) == [(exam.title, "1")]
    write_attempt(tmp_path, exam, DAY0 + timedelta(days=1), [(2, False, 30)])
    assert sorted(ReviewDeck(tmp_path).cards) == [(exam.title, "1"), (exam.title, "2")]
    first = sorted((tmp_path / "data" / "sessions").glob("*.json"))[0]
    first.unlink()
    assert list(ReviewDeck(tmp_path).cards) == [(exam.title, "2")]


def test_a_bad_file_is_skipped_with_a_warning_naming_it_once(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30)])
    bad = tmp_path / "data" / "sessions" / "session_20260303_100000.json"
    bad.write_text('{"exam_title": "Networking", "quiz_mode": ', encoding="utf-8")
    with pytest.warns(
        UserWarning, match=r"review deck: skipped session file .*session_20260303_100000\.json"
    ):
        deck = ReviewDeck(tmp_path)
    assert list(deck.cards) == [(exam.title, "1")]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # unchanged since: not read, nor warned about, again
        assert list(ReviewDeck(tmp_path).cards) == [(exam.title, "1")]


def test_files_the_fast_parser_reads_otherwise_count_as_the_store_reads_them(tmp_path: Path) -> None:
    # The deck parses files with orjson when installed. A BOM (Windows editors) it refuses, and an integer
    # past 64 bits it reads as a float (json: the integer); both must give the answers json's reader gives.
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30)])
    write_attempt(tmp_path, exam, DAY0 + timedelta(days=1), [(2, False, 30)])
    first, second = sorted((tmp_path / "data" / "sessions").glob("*.json"))
    first.write_bytes(b"\xef\xbb\xbf" + first.read_bytes())
    data = json.loads(second.read_text(encoding="utf-8"))
    data["quiz_widgets"]["answers"][0]["question_id"] = 2**70
    second.write_text(json.dumps(data), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exam has no question 2**70: its card is left out of due()
        deck = ReviewDeck(tmp_path)
    assert sorted(deck.cards) == [(exam.title, "1"), (exam.title, str(2**70))]
    assert deck.cards[(exam.title, str(2**70))].qid == 2**70


def test_a_folder_that_is_not_there_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match=r"base_dir .*typo.* is not a folder"):
        ReviewDeck(tmp_path / "typo")
    assert not (tmp_path / "typo").exists()
    assert ReviewDeck(tmp_path).due() == [] and not (tmp_path / "data").exists()


def test_editing_an_exam_keeps_the_cards_whose_ids_stay(tmp_path: Path) -> None:
    exam = write_exam(tmp_path, n=4)
    write_attempt(tmp_path, exam, DAY0, [(1, False, 30), (2, False, 30), (3, False, 30)])
    later = DAY0 + timedelta(days=5)
    assert ReviewDeck(tmp_path).due(later) == [(exam.title, 1), (exam.title, 2), (exam.title, 3)]
    data = json.loads(Path(exam.source).read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["id"] != 2]  # question 2 removed
    data["questions"][0]["question"] = "Reworded question 1?"
    data["questions"].insert(0, {"id": 9, "question": "New?", "options": ["a", "b"], "answer": "A"})
    Path(exam.source).write_text(json.dumps(data), encoding="utf-8")
    deck = ReviewDeck(tmp_path)
    assert deck.due(later) == [(exam.title, 1), (exam.title, 3)]
    quiz_exam = deck.review_exam(now=later)
    assert [q.text for q in quiz_exam.questions] == ["Reworded question 1?", "Networking question 3?"]


def test_cards_of_an_exam_no_longer_found_are_left_out_with_a_warning(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, False, 30)])
    Path(exam.source).unlink()
    deck = ReviewDeck(tmp_path)
    with pytest.warns(UserWarning, match=r"1 card\(s\) of exam 'Networking' are left out"):
        assert deck.due(DAY0 + timedelta(days=3)) == []


def test_review_exam_bad_limit_and_nothing_due(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30)])
    deck = ReviewDeck(tmp_path)
    with pytest.raises(SessionError, match="nothing is due for review; the next question is due in"):
        deck.review_exam(now=DAY0 + timedelta(hours=1))
    for bad in (0, -1, 2.5, True, "3"):
        with pytest.raises(ValueError, match="limit"):
            deck.review_exam(limit=bad, now=DAY0 + timedelta(days=60))


def test_quiz_answers_update_the_schedule_as_given(tmp_path: Path, recording_comms) -> None:
    net = write_exam(tmp_path, "Networking")
    sto = write_exam(tmp_path, "Storage")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20), (2, False, 20)])
    write_attempt(tmp_path, sto, datetime.now(UTC) - timedelta(days=10), [(4, False, 20)])
    deck = ReviewDeck(tmp_path)
    assert deck.due() == [("Networking", 1), ("Networking", 2), ("Storage", 4)]
    quiz = deck.quiz(limit=2)
    assert quiz.exam_title == "Spaced review" and quiz.total == 2
    assert "Networking question 1?" in json.dumps(quiz.question)
    quiz.answer("A")  # right: no longer due, rescheduled at once
    assert deck.due() == [("Networking", 2), ("Storage", 4)]
    card = deck.cards[("Networking", "1")]
    assert card.reviews == 2 and card.card.last_review > datetime.now(UTC) - timedelta(minutes=1)
    quiz.next()
    quiz.answer("B")  # wrong: due again tomorrow, not now
    assert deck.due() == [("Storage", 4)]
    due_after = {k: v.card.due for k, v in deck.cards.items()}
    quiz.close()
    # A new deck reads the review quiz's session file and keeps the times taken at each answer.
    assert {k: v.card.due for k, v in ReviewDeck(tmp_path).cards.items()} == due_after


def test_a_review_quiz_resumes_and_its_study_quiz_counts_for_the_cards(
    tmp_path: Path, recording_comms
) -> None:
    net = write_exam(tmp_path, "Networking")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20), (2, False, 20)])
    quiz = ReviewDeck(tmp_path).quiz()
    quiz.answer("B")  # question 1 missed again
    path = quiz.session_path
    quiz.close()
    # The session list resumes it: its exam was saved (data/exams/study/) and the session names it.
    again = QuizWidget.resume(path)
    assert again.exam_title == "Spaced review" and again.total_answered == 1
    again.next()
    again.answer("A")  # question 2 right: the review is done
    study = again.study_wrong_answers()
    assert study.exam_title == "Spaced review - Study Wrong Answers" and study.total == 1
    study.answer("A")  # question 1 right at last
    study.close()
    deck = ReviewDeck(tmp_path)
    one, two = deck.cards[("Networking", "1")], deck.cards[("Networking", "2")]
    assert (one.reviews, one.right) == (3, 1) and (two.reviews, two.right) == (2, 1)
    assert deck.due() == []


def test_an_exam_mode_review_reschedules_at_submit(tmp_path: Path, recording_comms) -> None:
    net = write_exam(tmp_path, "Networking")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20), (2, False, 20)])
    deck = ReviewDeck(tmp_path)
    quiz = deck.quiz(mode="exam")
    quiz.answer("A")
    assert deck.due() == [("Networking", 1), ("Networking", 2)]  # may still change until submit
    quiz.submit()
    assert deck.due() == [("Networking", 2)]  # submitted: 1 right, 2 unanswered (not a recall)
    quiz.close()


def test_inside_a_running_loop_the_state_is_saved_after_the_answer(tmp_path: Path, recording_comms) -> None:
    """In a kernel the widget publishes an answer from the loop: the card is rescheduled at once, the state
    file is written right after (its feedback does not wait for it)."""
    net = write_exam(tmp_path, "Networking")
    write_attempt(tmp_path, net, datetime.now(UTC) - timedelta(days=20), [(1, False, 20)])
    deck = ReviewDeck(tmp_path)
    state = tmp_path / "data" / "review" / "deck.json"
    before = state.read_bytes()

    async def answer() -> tuple[list, bool, bool]:
        quiz = deck.quiz()
        quiz.answer("A")
        due, unchanged = deck.due(), state.read_bytes() == before
        await asyncio.sleep(0)
        quiz.close()
        return due, unchanged, state.read_bytes() == before

    assert asyncio.run(answer()) == ([], True, False)


def test_forecast_columns_bounds_and_the_dataframe(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    exam = write_exam(tmp_path, n=6)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30), (2, False, 30), (3, True, 30)])
    deck = ReviewDeck(tmp_path)
    frame = deck.forecast(now=DAY0 + timedelta(days=3))
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [
        "exam",
        "topic",
        "seen",
        "retrievability_now",
        "retrievability_7d",
        "predicted_score",
        "lower",
        "upper",
    ]
    assert list(frame["topic"]) == ["Routing", "Security"] and list(frame["seen"]) == [2, 1]
    for row in frame.to_dict("records"):
        assert 0 <= row["lower"] <= row["predicted_score"] <= row["upper"] <= 1
        assert 0 < row["retrievability_7d"] < row["retrievability_now"] < 1
    # Routing: 1 and 3 right; Security: 2 missed. The one missed is the less likely remembered.
    assert frame["retrievability_now"][0] > frame["retrievability_now"][1]


def test_forecast_without_pandas_returns_rows_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, True, 30)])
    deck = ReviewDeck(tmp_path)
    real_import = builtins.__import__

    def no_pandas(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pandas":
            raise ImportError("no pandas here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.warns(UserWarning, match=r"pandas is not installed.*quiz_widgets\[report\]"):
        rows = deck.forecast(now=DAY0 + timedelta(days=1))
    assert [r["topic"] for r in rows] == ["Routing", "Security"]
    assert rows[1]["seen"] == 0 and rows[1]["retrievability_now"] is None


# -- a simulated learner ---------------------------------------------------------------------------------
def _simulate(base: Path, rng: random.Random) -> list[tuple[dict[str, Any], float]]:
    """60 days of a learner whose memory follows a forgetting curve of its own: each question's true
    stability is FSRS's estimate times a factor drawn per learner and per question (the model is not
    told); answers are drawn from it. Day 60: each forecast row and the simulated exam score of its topic."""
    exam = write_exam(base, "Cert", n=24, topics=("Compute", "Storage", "Security"))
    learner_k = math.exp(rng.gauss(0, 0.3))
    true_k = {q.id: learner_k * math.exp(rng.gauss(0, 0.3)) for q in exam.questions}
    known = {q.id: rng.random() < 0.5 for q in exam.questions}  # right at first sight
    truth = Scheduler(enable_fuzzing=False)
    true_cards: dict[Any, Card] = {}

    def true_recall(qid: Any, at: datetime) -> float:
        card = true_cards[qid]
        decay = -truth.parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        days = (at - card.last_review).total_seconds() / 86400
        return (1 + factor * days / (card.stability * true_k[qid])) ** decay

    start = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
    for day in range(60):
        at = start + timedelta(days=day, minutes=rng.randint(0, 120))
        if day < 3:  # eight new questions a day
            todo = [q.id for q in exam.questions[day * 8 : day * 8 + 8]]
            outcome = {qid: known[qid] for qid in todo}
        else:
            if rng.random() < 0.3:
                continue  # a day off
            due = [qid for _, qid in ReviewDeck(base).due(at)][:10]
            outcome = {qid: rng.random() < true_recall(qid, at) for qid in due}
        answers = [(qid, right, rng.randint(15, 50)) for qid, right in outcome.items()]
        if not answers:
            continue
        end = write_attempt(base, exam, at, answers)
        for qid, right, _seconds in answers:
            card = true_cards.get(qid, Card(card_id=1, due=end))
            true_cards[qid], _ = truth.review_card(card, Rating.Good if right else Rating.Again, end)
    exam_day = start + timedelta(days=60, hours=1)
    rows = ReviewDeck(base).forecast_rows(exam_day)
    out = []
    for row in rows:
        ids = [q.id for q in exam.questions if q.topic == row["topic"]]
        score = sum(rng.random() < true_recall(qid, exam_day) for qid in ids) / len(ids)
        out.append((row, score))
    return out


def test_simulated_learner_forecast_interval_holds_the_exam_score(tmp_path: Path) -> None:
    held = total = 0
    for run in range(8):
        base = tmp_path / f"run{run}"
        for row, score in _simulate(base, random.Random(1000 + run)):
            assert row["seen"] == 8 and row["lower"] <= row["predicted_score"] <= row["upper"]
            total += 1
            held += row["lower"] <= score <= row["upper"]
    assert total == 24
    assert held / total >= 0.8, f"the interval held the simulated score in {held} of {total} rows"


def test_an_attempt_time_too_large_for_a_date_does_not_stop_the_deck(tmp_path: Path) -> None:
    # A hand-edited or damaged timer (1e15 seconds) or start (year 9999, whose next review is no date) must
    # not stop the deck (OverflowError, which the finish screen does not catch): the start dates the first
    # attempt; the second, dated beyond what a schedule can hold, is left out as an undated file is.
    exam = write_exam(tmp_path)
    write_attempt(tmp_path, exam, DAY0, [(1, False, 30)])
    write_attempt(tmp_path, exam, DAY0 + timedelta(days=2), [(2, False, 30)])
    first, second = sorted((tmp_path / "data" / "sessions").glob("*.json"))
    data = json.loads(first.read_text(encoding="utf-8"))
    data["timer_data"]["elapsed_seconds"] = 1e15
    first.write_text(json.dumps(data), encoding="utf-8")
    data = json.loads(second.read_text(encoding="utf-8"))
    data["session_date"] = "9999-12-31T23:59:59"
    second.write_text(json.dumps(data), encoding="utf-8")
    deck = ReviewDeck(tmp_path)
    start = datetime.fromisoformat(json.loads(first.read_text(encoding="utf-8"))["session_date"])
    assert deck.cards[(exam.title, "1")].card.last_review == start.astimezone(timezone.utc)
    assert (exam.title, "2") not in deck.cards

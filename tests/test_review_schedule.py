"""The deck's fast replay (review/schedule.py) against fsrs's own Scheduler, review by review.

tests/test_review_deck.py checks the due dates of a few histories written as the quiz writes them; here
random histories check every number a card keeps (stability, difficulty, due date), bit for bit, and the
fallback to Scheduler.review_card when the fast steps disagree with the installed fsrs.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import pytest
from fsrs import Card, Rating, Scheduler
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_widgets.review import schedule
from quiz_widgets.review.schedule import Replayer

START = datetime(2026, 1, 5, 8, 30, tzinfo=timezone.utc)


def _scheduler() -> Scheduler:
    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def _rows_and_fsrs(history: list[tuple[int, float]]) -> tuple[list[list], Card]:
    """Rows (one attempt each) for reviews (rating, hours after the previous one: never the same instant,
    whose order no file tells), and fsrs's card."""
    scheduler, card, at, rows = _scheduler(), Card(card_id=1), START, []
    for n, (rating, hours) in enumerate(history):
        at += timedelta(hours=hours)
        rows.append(["Exam", 7, rating, at.isoformat(), None, f"attempt {n}"])
        card, _ = scheduler.review_card(card, Rating(rating), at)
    return rows, card


histories = st.lists(
    st.tuples(st.integers(1, 4), st.floats(0.01, 24 * 400, allow_nan=False)), min_size=1, max_size=30
)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_random_histories_give_fsrs_own_cards_bit_for_bit(history: list[tuple[int, float]]) -> None:
    rows, expected = _rows_and_fsrs(history)
    got = Replayer(_scheduler()).card(list(reversed(rows))).card  # the files come in any order
    assert (got.stability, got.difficulty, got.due, got.last_review) == (
        expected.stability,
        expected.difficulty,
        expected.due,
        expected.last_review,
    )


def test_the_fast_steps_are_in_use_from_fsrs_6_3_and_fsrs_own_review_card_before() -> None:
    # A change to _Steps that moves one bit makes the Replayer fall back to review_card silently: the tests
    # above would still pass, only slower. fsrs 6.2, the lowest allowed, rounds one step differently, so
    # there the fallback is what must be in use (checked too: no skip in the lowest-versions run).
    fast = tuple(map(int, version("fsrs").split(".")[:2])) >= (6, 3)
    assert (Replayer(_scheduler())._steps is not None) == fast


def test_one_replayer_keeps_cards_with_the_same_start_apart() -> None:
    replayer = Replayer(_scheduler())
    first, fsrs_first = _rows_and_fsrs([(3, 0), (1, 30), (4, 50)])
    second, fsrs_second = _rows_and_fsrs([(3, 0), (1, 30), (2, 50)])  # the same first two steps
    assert replayer.card(first).card.due == fsrs_first.due
    assert replayer.card(second).card.due == fsrs_second.due
    assert replayer.card(first).card.stability == fsrs_first.stability


def test_steps_that_disagree_with_fsrs_fall_back_to_its_scheduler(monkeypatch: pytest.MonkeyPatch) -> None:
    # A future fsrs with other formulas: the fast steps no longer match, the check sees it.
    real = schedule._Steps.next
    monkeypatch.setattr(
        schedule._Steps, "next", lambda self, *a: (real(self, *a)[0] * 1.01, *real(self, *a)[1:])
    )
    monkeypatch.setattr(schedule, "_AGREES", {})
    rows, expected = _rows_and_fsrs([(3, 0), (2, 50), (1, 100), (4, 300), (3, 2)])
    replayer = Replayer(_scheduler())
    assert replayer._steps is None  # fsrs's own review_card replays every step
    got = replayer.card(rows).card
    assert (got.stability, got.difficulty, got.due) == (expected.stability, expected.difficulty, expected.due)


def test_a_scheduler_with_learning_steps_is_refused() -> None:
    with pytest.raises(ValueError, match="no learning steps"):
        Replayer(Scheduler(enable_fuzzing=False))

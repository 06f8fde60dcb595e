"""Cards replayed from their reviews with fsrs's Scheduler, each distinct history computed once.

With no learning steps and no fuzzing (deck.py's scheduler), what a review does to a card depends only on
its rating and the whole days since the card's last review (fsrs counts ``timedelta.days``), and the next
due date is the review's time plus a whole number of days. So a history is replayed once on a canonical
timeline (midnight of day 0, then the same day gaps), in a trie of (rating, gap) steps shared by every card
with the same start; each card then gets the canonical card's state, stability and difficulty, and its own
last review plus the canonical interval. tests/test_review_deck.py checks the due dates against fsrs's own
Scheduler replaying the real times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from fsrs import Card, Rating, Scheduler

from quiz_widgets.review.history import parse_when

__all__ = ["CardInfo", "Replayer"]

_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_AGAIN = int(Rating.Again)


@dataclass
class CardInfo:
    """One question's card and what its history says: reviews, right answers, the first answer's outcome."""

    exam: str
    qid: Any
    card: Card
    reviews: int
    right: int
    first_right: bool


class Replayer:
    """Replays review rows (history.py's) into cards; remembers parsed times and replayed histories."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self._times: dict[str, datetime | None] = {}
        # (rating, gap in days) -> [the canonical card after that step, the steps after it]
        self._trie: dict[tuple[int, int], list[Any]] = {}

    def when(self, iso: str) -> datetime | None:
        """A row's time (UTC), parsed once per distinct text (an attempt's answers share one)."""
        if iso not in self._times:
            self._times[iso] = parse_when(iso)
        return self._times[iso]

    def card(self, rows: list[list[Any]], card_id: int = 1) -> CardInfo:
        """The card of one question from its rows (an attempt's answer once: its last row)."""
        by_attempt: dict[str, list[Any]] = {}
        for row in rows:
            kept = by_attempt.get(row[5])
            if kept is None or self.when(row[3]) >= self.when(kept[3]):  # type: ignore[operator]
                by_attempt[row[5]] = row
        ordered = sorted(by_attempt.values(), key=lambda r: self.when(r[3]))  # type: ignore[arg-type, return-value]
        level = self._trie
        canon: Card | None = None
        canon_time = _EPOCH
        last: datetime | None = None
        for row in ordered:
            at = self.when(row[3])
            assert at is not None
            gap = 0 if last is None else (at - last).days
            canon_time += timedelta(days=gap)
            node = level.get((row[2], gap))
            if node is None:
                start = canon if canon is not None else Card(card_id=0, due=_EPOCH)
                after, _ = self.scheduler.review_card(start, Rating(row[2]), canon_time)
                node = level[(row[2], gap)] = [after, {}]
            canon, level = node
            last = at
        assert canon is not None and last is not None and canon.last_review is not None
        card = Card(
            card_id=card_id,
            state=canon.state,
            step=canon.step,
            stability=canon.stability,
            difficulty=canon.difficulty,
            due=last + (canon.due - canon.last_review),
            last_review=last,
        )
        right = sum(1 for row in ordered if row[2] != _AGAIN)
        final = ordered[-1]
        return CardInfo(final[0], final[1], card, len(ordered), right, ordered[0][2] != _AGAIN)

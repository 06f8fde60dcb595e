"""Cards replayed from their reviews with fsrs's scheduling math.

With no learning steps and no fuzzing (deck.py's scheduler), what a review does to a card depends only on
its rating and the whole days since the card's last review (fsrs counts ``timedelta.days``), and the next
due date is the review's time plus a whole number of days. A card gets the stability and difficulty after
its last step, and its own last review plus that step's interval.

A step is fsrs's ``Scheduler.review_card`` for that case, written on plain floats (``_Steps``): the same
formulas in the same order, so the same bits, without review_card's copy of the card, its review log and
its datetime checks, which were 8 in 10 of a deck's build. ``_Steps`` is checked against the Scheduler
itself once per process on histories that reach every branch (``_agrees``); a future fsrs whose numbers
differ makes the Replayer use ``review_card`` instead (silently: the same schedule): then each distinct history (a path
of (rating, gap) steps in a trie shared by every card with the same start) is replayed once.
tests/test_review_deck.py checks the due dates against fsrs's own Scheduler replaying the real times, and
random histories step by step.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import chain, islice, repeat
from operator import itemgetter, le
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from quiz_widgets.review.history import IdTexts, group_keeping, parse_when

__all__ = ["ATTEMPT", "CardInfo", "Key", "Replayer"]

_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
_AGAIN = int(Rating.Again)
_DAY_US = 86_400_000_000
# Times as floats are exact integers, and so is each difference of two, up to 2**53 µs (285 years).
_EXACT_US = 2**53
_WHEN = itemgetter(3)  # a review row's time and attempt (history.py's row)
ATTEMPT = itemgetter(5)
# A review group's time and attempt (history.py's group: [title, time, attempt, ids, ratings, seconds]).
_WHEN_OF_GROUP, _ATTEMPT_OF_GROUP = itemgetter(1), itemgetter(2)
# fsrs's bounds (fsrs/scheduler.py: STABILITY_MIN, MIN_DIFFICULTY, MAX_DIFFICULTY).
_STABILITY_MIN = 0.001
_MIN_DIFFICULTY = 1.0
_MAX_DIFFICULTY = 10.0

Key = tuple[str, str]  # (exam title, str(question id))
Step = tuple[float, float, int]  # stability, difficulty, interval in days after a review
# A card after its last review: stability, difficulty, that review's time (µs since _EPOCH, an int or an
# integral float), its reviews and right answers so far (_Steps.sweep).
Last = tuple[float, float, float, int, int]


@dataclass
class CardInfo:
    """One question's card and what its history says: reviews, right answers, the first answer's outcome."""

    exam: str
    qid: Any
    card: Card
    reviews: int
    right: int
    first_right: bool


class _Steps:
    """``Scheduler.review_card`` for a card in the Review state (or new), with no learning or relearning
    steps and no fuzzing, on floats: each expression as fsrs writes it, so each result is the same float."""

    def __init__(self, scheduler: Scheduler) -> None:
        p = scheduler.parameters
        self.p = p
        self.decay = -p[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self.retention_term = (scheduler.desired_retention ** (1 / self.decay)) - 1
        self.maximum_interval = scheduler.maximum_interval
        # _next_difficulty's mean reversion target: _initial_difficulty(Easy, clamp=False).
        self.easy_difficulty = p[4] - (math.e ** (p[5] * (int(Rating.Easy) - 1))) + 1
        self.first_steps = {rating: self._first(rating) for rating in (1, 2, 3, 4)}
        self.sweep = self._make_sweep()

    def interval(self, stability: float) -> int:
        """The whole days to the next review of a card of this stability (fsrs's _next_interval)."""
        days = round((stability / self.factor) * self.retention_term)
        return min(max(days, 1), self.maximum_interval)

    def _first(self, rating: int) -> Step:
        p = self.p
        stability = max(p[rating - 1], _STABILITY_MIN)
        difficulty = p[4] - (math.e ** (p[5] * (rating - 1))) + 1
        difficulty = min(max(difficulty, _MIN_DIFFICULTY), _MAX_DIFFICULTY)
        return stability, difficulty, self.interval(stability)

    def next(self, stability: float, difficulty: float, rating: int, gap: int) -> Step:
        """The card after a review ``gap`` whole days after the previous one: one review through sweep()."""
        last_of: dict[Any, dict[Any, Last]] = {None: {0: (stability, difficulty, 0, 1, 1)}}
        self.sweep([[None, None, None, [0], [rating], None]], [gap * _DAY_US], [0], last_of, {})
        new, reverted, *_ = last_of[None][0]
        return new, reverted, self.interval(new)

    def _make_sweep(self) -> Any:
        """sweep(groups, at, order, last_of, firsts, day): the reviews of ``groups`` (history.py's, the n-th
        at ``at[n]`` microseconds since _EPOCH; ``day``: a day's, of the same type, int or float) taken in
        ``order``, each card's step after its last review kept in ``last_of[title][id]`` as ``(stability,
        difficulty, at, reviews, right answers)`` (its interval: interval()), and its first rating in
        ``firsts[(title, id)]``.

        fsrs's review_card written out in the loop over every review, over its constants (each computed
        by the expression fsrs writes, so the same float): a call per review was a third of the replay.
        Multiplying by fsrs's penalty or bonus of 1 leaves a float as it is, so each rating multiplies by
        its own only; min/max are conditional expressions (the same float at a third of the cost); the
        interval of a step that another follows is never used, so only a card's last one is computed. Its
        constants are written as floats (1.0, 11.0): an int beside a float is converted exactly, so the
        result is the same, but the interpreter's float-only path is skipped for a generic one."""
        p = self.p
        e = math.e
        decay, factor = self.decay, self.factor
        # e ** (p[17] * (rating - 3 + p[18])) per rating, the same-day increase's first factor.
        same_day = (0.0, *(e ** (p[17] * (rating - 3 + p[18])) for rating in (1, 2, 3, 4)))
        neg19, neg12, neg9 = -p[19], -p[12], -p[9]
        p11, p13, p14, p10 = p[11], p[13], p[14], p[10]
        short_divisor = e ** (p[17] * p[18])
        growth = e ** (p[8])
        bonus = (1.0, 1.0, p[15], 1.0, p[16])  # by rating; Good's is never applied
        delta = (0.0, *(-(p[6] * (rating - 3)) for rating in (1, 2, 3, 4)))
        target = p[7] * self.easy_difficulty
        keep = 1 - p[7]
        first_steps = {rating: step[:2] for rating, step in self.first_steps.items()}
        right_of = (0, 0, 1, 1, 1)  # by rating: all but Again count as right

        def sweep(
            groups: list[list[Any]],
            at: list[int],
            order: Iterable[int],
            last_of: dict[Any, dict[Any, Last]],
            firsts: dict[tuple[Any, Any], int],
            day: float = _DAY_US,
        ) -> None:
            for n in order:
                title, _, _, qids, ratings, _ = groups[n]
                now = at[n]
                mine = last_of.get(title)
                if mine is None:
                    mine = last_of[title] = {}
                get = mine.get
                for qid, rating in zip(qids, ratings, strict=True):
                    last = get(qid)
                    if last is None:
                        first = first_steps[rating]
                        mine[qid] = (first[0], first[1], now, 1, right_of[rating])
                        firsts[(title, qid)] = rating
                        continue
                    stability, difficulty, before, reviews, right = last
                    elapsed = now - before
                    if elapsed < day:  # under a day: timedelta.days of it is 0
                        increase = same_day[rating] * (stability**neg19)
                        if rating != _AGAIN and increase < 1.0:
                            increase = 1.0
                        new = stability * increase
                    else:
                        gap = elapsed // day  # timedelta.days of the difference, without a timedelta
                        recall = (1.0 + factor * gap / stability) ** decay
                        if rating == _AGAIN:
                            long_term = (
                                p11
                                * (difficulty**neg12)
                                * (((stability + 1.0) ** p13) - 1.0)
                                * (e ** ((1.0 - recall) * p14))
                            )
                            short_term = stability / short_divisor
                            new = short_term if short_term < long_term else long_term
                        else:
                            grown = (
                                growth
                                * (11.0 - difficulty)
                                * (stability**neg9)
                                * ((e ** ((1.0 - recall) * p10)) - 1.0)
                            )
                            if rating != 3:
                                grown = grown * bonus[rating]
                            new = stability * (1.0 + grown)
                    if new < _STABILITY_MIN:
                        new = _STABILITY_MIN
                    reverted = target + keep * (difficulty + (10.0 - difficulty) * delta[rating] / 9.0)
                    if reverted < _MIN_DIFFICULTY:
                        reverted = _MIN_DIFFICULTY
                    elif reverted > _MAX_DIFFICULTY:
                        reverted = _MAX_DIFFICULTY
                    mine[qid] = (new, reverted, now, reviews + 1, right + right_of[rating])

        return sweep


def _once_per_attempt(groups: list[list[Any]], at: list[int], twice: list[int]) -> set[Key]:
    """Keep in the groups ``twice`` (their indexes, in time order: the groups of an attempt in more than one
    group, or with an id twice) only each attempt's last answer to each card, as card() counts it; those
    groups are replaced by new ones. Returns the cards whose answers this cannot place as card() does: it
    puts an attempt's answer at the place of its last row, card() at the place of its first when two rows
    have the same time (so: the cards of an attempt that kept a group at the time of another attempt's)."""
    by_attempt: dict[str, list[int]] = {}
    for n in twice:
        by_attempt.setdefault(groups[n][2], []).append(n)
    attempts_at: dict[int, set[str]] = {}
    for n, group in enumerate(groups):
        if group[3]:
            attempts_at.setdefault(at[n], set()).add(group[2])
    texts = IdTexts()
    slow: set[Key] = set()
    for attempt, ns in by_attempt.items():
        before = [groups[n] for n in ns]
        first, *rest = before
        if (  # the usual pair, a session and its results file: the same answers, the later file counts
            len(rest) == 1
            and first[0] == rest[0][0]
            and len(set(first[3])) == len(first[3]) == len(rest[0][3])
            and set(first[3]) == set(rest[0][3])
        ):
            groups[ns[0]] = [first[0], first[1], attempt, [], [], []]
        else:
            last: dict[tuple[str, str], tuple[int, int]] = {}
            for n in ns:
                title = groups[n][0]
                for i, text in enumerate(map(texts.__getitem__, groups[n][3])):
                    last[(title, text)] = (n, i)
            for n in ns:
                title, qids = groups[n][0], groups[n][3]
                keep = [
                    i for i, text in enumerate(map(texts.__getitem__, qids)) if last[(title, text)] == (n, i)
                ]
                if len(keep) < len(qids):
                    groups[n] = group_keeping(groups[n], keep)
        if any(len(attempts_at[at[n]]) > 1 for n in ns if groups[n][3]):
            for group in before:
                slow.update(zip(repeat(group[0]), map(texts.__getitem__, group[3])))
    return slow


# Histories that reach every branch of _Steps: each rating first; the same day (short-term stability);
# a few days; months (where recall is low and Again's two stabilities cross); long runs of Easy (the
# maximum interval) and of Again (the difficulty and stability bounds).
_CHECKS = (
    [(4, 0), (4, 0), (1, 0), (2, 0), (3, 0)],
    [(1, 0), (1, 1), (2, 2), (3, 3), (4, 5), (1, 40), (3, 1)],
    [(3, 0), (2, 400), (1, 900), (4, 3), (4, 0), (2, 0)],
    [(2, 0), *[(4, 3000)] * 8],
    [(1, 0), *[(1, 0)] * 6, *[(1, 2)] * 6],
)
_AGREES: dict[tuple[Any, ...], bool] = {}


def _agrees(scheduler: Scheduler, steps: _Steps) -> bool:
    """Whether _Steps gives exactly what the Scheduler gives on _CHECKS (once per set of settings)."""
    key = (scheduler.parameters, scheduler.desired_retention, scheduler.maximum_interval)
    if key not in _AGREES:
        ok = True
        for history in _CHECKS:
            card, at, mine = Card(card_id=1, due=_EPOCH), _EPOCH, None
            for rating, gap in history:
                at += timedelta(days=gap)
                card, _ = scheduler.review_card(card, Rating(rating), at)
                mine = steps.first_steps[rating] if mine is None else steps.next(*mine[:2], rating, gap)
                theirs = (card.stability, card.difficulty, (card.due - at).days)
                ok = ok and card.state == State.Review and mine == theirs
        _AGREES[key] = ok
    return _AGREES[key]


class Replayer:
    """Replays review rows (history.py's) into cards; remembers parsed times and replayed histories."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        if scheduler.learning_steps or scheduler.relearning_steps or scheduler.enable_fuzzing:
            raise ValueError("Replayer: the scheduler must have no learning steps and no fuzzing")
        # Each row's time (UTC) by its text, parsed once; history.reviews_of puts in those it worked out.
        self.times: dict[str, datetime | None] = {}
        self._ticks: dict[str, int] = {}  # the same times as microseconds since _EPOCH, for sorting and gaps
        # (rating, gap in days) -> [the step's (stability, difficulty, interval), the steps after it]
        self._trie: dict[tuple[int, int], list[Any]] = {}
        self._steps: _Steps | None = _Steps(scheduler)
        if not _agrees(scheduler, self._steps):
            # No warning: the schedule is the same, only slower, and a learner can do nothing about it (fsrs
            # 6.2, the lowest allowed, rounds one step differently; the benchmark shows the cost).
            self._steps = None

    def _tick(self, iso: str) -> None:
        when = self.when(iso)
        # A row whose time cannot be read is refused where rows come in (state.py, history.py).
        assert when is not None, iso
        since = when - _EPOCH
        # Its microseconds from its fields: a timedelta // timedelta turned both into microseconds with
        # Python's long arithmetic first.
        self._ticks[iso] = since.days * _DAY_US + since.seconds * 1_000_000 + since.microseconds

    def tick(self, iso: str) -> int:
        """A row's time as microseconds since 2000 (for sorting), parsed once per distinct text."""
        found = self._ticks.get(iso)
        if found is None:
            self._tick(iso)
            found = self._ticks[iso]
        return found

    def when(self, iso: str) -> datetime | None:
        """A row's time (UTC), parsed once per distinct text (an attempt's answers share one)."""
        if iso not in self.times:
            self.times[iso] = parse_when(iso)
        return self.times[iso]

    def cards(self, files: list[list[list[Any]]]) -> dict[Key, CardInfo]:
        """Every card of these files' reviews, by (title, str(id)) in the order each first comes: for each,
        what card() gives for its rows. ``files``: each file's review groups (history.py's), the files in
        the order of their first time, so that the rows of a card come as card() takes them.

        One pass over every review in time order (_Steps.sweep), each card's last step in a dict: rows
        gathered per card and then replayed were half of a first build. An attempt's answer to a card
        counts once, as in card(): the groups of an attempt found in more than one (its session and its
        results file) or with an id twice keep only its last answer to each card (_once_per_attempt).
        A card this pass cannot tell as card() does goes through card(): an id a number in one file and
        text in another, an attempt's last answer at the very time of another attempt's answer."""
        groups = [group for file in files for group in file]
        ticks = self._ticks
        for iso in set(map(_WHEN_OF_GROUP, groups)):
            if iso not in ticks:
                self._tick(iso)
        at = list(map(ticks.__getitem__, map(_WHEN_OF_GROUP, groups)))
        steps = self._steps
        slow: set[Key] = set()
        if steps is None:
            for group in groups:
                slow.update(zip(repeat(group[0]), map(str, group[3])))
        # Every group in time order: card() sorts a card's rows by time, stably.
        in_order = all(map(le, at, islice(at, 1, None)))
        order = range(len(groups)) if in_order else sorted(range(len(groups)), key=at.__getitem__)
        original = groups
        count = Counter(map(_ATTEMPT_OF_GROUP, groups))
        twice = [n for n in order if count[groups[n][2]] > 1 or len(set(groups[n][3])) < len(groups[n][3])]
        if twice and steps is not None:
            groups = list(groups)  # its groups are the sources': the answers counted once go in new ones
            slow |= _once_per_attempt(groups, at, twice)
        last_of: dict[Any, dict[Any, Last]] = {}
        firsts: dict[tuple[Any, Any], int] = {}
        low, high = (min(at), max(at)) if at else (0, 0)
        if steps is not None and low >= -_EXACT_US and high <= _EXACT_US and high - low <= _EXACT_US:
            # As floats, exact (_EXACT_US): a float's difference and floor division are the interpreter's
            # float path, where these ints of two digits (over 2**30) took its slower long arithmetic, and
            # the gap in whole days is the same number as an int or as a float beside fsrs's floats.
            steps.sweep(groups, list(map(float, at)), order, last_of, firsts, float(_DAY_US))
        elif steps is not None:
            steps.sweep(groups, at, order, last_of, firsts)
        if in_order and steps is not None and groups is original:
            raw: Iterable[tuple[Any, Any]] = firsts
        else:  # the order each card first comes in the files, as card()'s callers number them
            raw = dict.fromkeys(chain.from_iterable(zip(repeat(g[0]), g[3]) for g in original))
        times = self.times
        moments = {ticks[iso]: times[iso] for iso in set(map(_WHEN_OF_GROUP, groups))}
        interval = steps.interval if steps is not None else None
        found: dict[Key, CardInfo | None] = {}
        for title, qid in raw:
            key = (title, str(qid))
            mine = last_of.get(title, {}).get(qid)
            if mine is None or key in found or key in slow:
                # The same card under a number and a text id (or its answers only under the other): card().
                slow.add(key)
                found[key] = None
                continue
            stability, difficulty, t, reviews, right = mine
            last = moments[t]
            card = Card(
                card_id=len(found) + 1,
                state=State.Review,
                step=None,
                stability=stability,
                difficulty=difficulty,
                due=last + timedelta(interval(stability)),  # type: ignore[misc,operator]  # days
                last_review=last,
            )
            first_right = firsts[(title, qid)] != _AGAIN
            found[key] = CardInfo(title, qid, card, reviews, right, first_right)
        if slow:
            rows: dict[Key, list[list[Any]]] = {key: [] for key in slow}
            titles = {key[0] for key in slow}
            for title, iso, attempt, qids, ratings, seconds in original:
                if title in titles:
                    for qid, rating, took in zip(qids, ratings, seconds, strict=True):
                        mine = rows.get((title, str(qid)))
                        if mine is not None:
                            mine.append([title, qid, rating, iso, took, attempt])
            numbers = {key: n for n, key in enumerate(found, start=1)}
            for key in slow:
                found[key] = self.card(rows[key], numbers[key])
        return found  # type: ignore[return-value]

    def card(self, rows: list[list[Any]], card_id: int = 1) -> CardInfo:
        """The card of one question from its rows (an attempt's answer once: its last row)."""
        ticks = self._ticks
        for iso in set(map(_WHEN, rows)):
            if iso not in ticks:
                self._tick(iso)
        if len(set(map(ATTEMPT, rows))) < len(rows):  # an attempt's session and results file: once
            ordered = sorted(rows, key=lambda r: ticks[r[3]])
            rows = sorted({row[5]: row for row in ordered}.values(), key=lambda r: ticks[r[3]])
        found = self._replay(rows)
        if found is None:  # not in time order (the deck hands them over in the order its files are in)
            rows = sorted(rows, key=lambda r: ticks[r[3]])
            found = self._replay(rows)
        assert found is not None
        step, right = found
        last = self.times[rows[-1][3]]
        assert last is not None
        card = Card(
            card_id=card_id,
            state=State.Review,
            step=None,
            stability=step[0],
            difficulty=step[1],
            due=last + timedelta(days=step[2]),
            last_review=last,
        )
        final = rows[-1]
        return CardInfo(final[0], final[1], card, len(rows), right, rows[0][2] != _AGAIN)

    def _replay(self, rows: list[list[Any]]) -> tuple[Step, int] | None:
        """The step after the last of ``rows`` and how many were right; None when a row comes before the
        one it follows (sorting those that already are in order, the usual case, was a tenth of a build)."""
        ticks = self._ticks
        steps = self._steps
        right = sum(row[2] != _AGAIN for row in rows)
        if steps is not None:
            at = [ticks[row[3]] for row in rows]
            if not all(map(le, at, islice(at, 1, None))):
                return None
            # Each row a review of one card (sweep()'s groups), in order.
            groups = [[None, None, None, [0], [row[2]], None] for row in rows]
            last_of: dict[Any, dict[Any, Last]] = {}
            steps.sweep(groups, at, range(len(rows)), last_of, {})
            stability, difficulty, *_ = last_of[None][0]
            return (stability, difficulty, steps.interval(stability)), right
        level = self._trie  # review_card's 15 µs: each distinct history once
        times = self.times
        found: Step | None = None
        before: datetime | None = None
        for row in rows:
            at_time = times[row[3]]
            assert at_time is not None
            if before is not None and at_time < before:
                return None
            rating = row[2]
            gap = 0 if before is None else (at_time - before).days
            node = level.get((rating, gap))
            if node is None:
                node = level[(rating, gap)] = [self._review(found, rating, gap), {}]
            found, level = node
            before = at_time
        assert found is not None
        return found, right

    def _review(self, before: Step | None, rating: int, gap: int) -> Step:
        # fsrs's own review_card on a canonical timeline (day 0 at midnight, then the gap).
        if before is None:
            card = Card(card_id=0, due=_EPOCH)
        else:
            card = Card(
                card_id=0,
                state=State.Review,
                stability=before[0],
                difficulty=before[1],
                due=_EPOCH,
                last_review=_EPOCH,
            )
        at = _EPOCH + timedelta(days=gap if before is not None else 0)
        after, _ = self.scheduler.review_card(card, Rating(rating), at)
        return after.stability, after.difficulty, (after.due - at).days  # type: ignore[return-value]

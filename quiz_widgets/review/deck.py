"""The review deck: every question a learner answered, as an FSRS card scheduled from its review history.

The history is the session and results files under ``base_dir`` (history.py reads them). The deck's state,
``<base_dir>/data/review/deck.json`` (``deck-<learner>.json`` for one learner), keeps the reviews each file
gave with that file's size and modification time, so a deck opened again reads only the files that are new
or changed; it is written atomically and rebuilt from the files when it is missing or cannot be read.

Cards are replayed from their reviews with ``fsrs.Scheduler``: its default parameters, no fuzzing (the same
files always give the same schedule) and no learning steps. An answer here is an exam question tried with
its feedback shown, not a flashcard being learnt: a question is next due in whole days (a miss the next
day), and "Study wrong answers" is there for the same sitting. A card is (exam title, question id):
editing an exam keeps the cards of the questions whose ids stay; a question no longer in its exam, or an
exam no longer found, is left out of due(), review_exam() and forecast() until it is back (exams.py).

This module is the deck's public questions; build.py reads the files (files.py) and replays the cards
(schedule.py), state.py reads and writes the state file.
"""

from __future__ import annotations

import asyncio
import os
import warnings
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fsrs import Scheduler

from quiz_widgets.errors import SessionError
from quiz_widgets.exam import Exam, Question, load_exam
from quiz_widgets.review import build
from quiz_widgets.review.exams import ExamFinder
from quiz_widgets.review.history import REVIEW_TITLE, groups_of, rating_for, review_id, rows_of
from quiz_widgets.review.schedule import CardInfo, Replayer
from quiz_widgets.review.state import STATE_VERSION, Key, load_state, save_state
from quiz_widgets.teaching.learner import check_learner

__all__ = ["STATE_VERSION", "CardInfo", "Deck"]


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Deck:
    """Every question a learner answered under ``base_dir``, each an FSRS card (ReviewDeck without quiz()).

    ``learner``: that learner's files only, plus the files that name nobody (the original app's, and ours
    written without a learner); None: every file.
    """

    def __init__(self, base_dir: str | os.PathLike[str] = ".", learner: str | None = None) -> None:
        self.base_dir = Path(base_dir)
        if not self.base_dir.is_dir():
            # A typo must not read as "nothing answered yet" (nor leave a data/review/ folder behind).
            raise SessionError(
                f"ReviewDeck: base_dir {str(base_dir)!r} is not a folder; expected the folder that holds "
                "data/sessions/ and results/ (default: the notebook's folder, '.')"
            )
        self.learner = None if learner is None else check_learner(learner, where="ReviewDeck learner")
        name = "deck.json" if self.learner is None else f"deck-{self.learner}.json"
        self.state_path = self.base_dir / "data" / "review" / name
        self.scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
        self._replayer = Replayer(self.scheduler)
        self._finder = ExamFinder(self.base_dir)
        self._save_pending = False
        # _saved_rows: the saved rows of the cards read from the state and not replayed since (written back
        # as they are); no saved cards (None) is a deck rebuilt from its files.
        self._sources, cards, self._saved_rows = load_state(
            self.state_path, self.learner, self._replayer.when
        )
        touched, changed = build.refresh(
            self.base_dir, self._sources, self.learner, track=cards is not None, times=self._replayer.times
        )
        self._cards: dict[Key, CardInfo] = cards or {}
        if cards is None or touched:
            self._cards = self._replay(None if cards is None else touched)
        if changed or (cards is None and self.state_path.exists()):
            self._save()

    def refresh(self) -> None:
        """Read the files that are new or changed since this deck was made or last refreshed (a quiz's
        finish screen asks the same deck again); exams not found before are looked for again."""
        touched, changed = build.refresh(
            self.base_dir, self._sources, self.learner, times=self._replayer.times
        )
        if touched:
            self._cards = self._replay(touched)
        if changed:
            self._save()
        self._finder.look_again()

    def _replay(self, keys: set[Key] | None = None) -> dict[Key, CardInfo]:
        """The cards with those of ``keys`` (None: all) replayed from the sources (build.py)."""
        return build.replay(self._replayer, self._sources, self._cards, self._saved_rows, keys)

    def _save(self) -> None:
        save_state(self.state_path, self.learner, self._sources, self._cards, self._saved_rows)

    def record(
        self,
        exam_title: str,
        qid: Any,
        correct: bool,
        seconds: float | None,
        *,
        session_file: str | os.PathLike[str] | None,
        attempt: str,
        when: datetime | None = None,
        confidence: int | None = None,
    ) -> None:
        """One answer given now (deck.quiz()'s): its card rescheduled at once and the state saved;
        ``confidence``: how sure the learner said they were (1-3), which caps a right answer's rating.

        Kept under its session file until that file is read again, which then keeps this answer's time."""
        when = when or _utc_now()
        row = [
            exam_title,
            qid,
            int(rating_for(correct, seconds, confidence)),
            when.isoformat(),
            seconds,
            attempt,
        ]
        key = self._source_key(session_file)
        source = self._sources.setdefault(key, {"sig": None, "exam_path": None, "groups": []})
        source["sig"] = None  # the file holds this answer now or soon: read it again next time
        same = (row[0], str(qid), attempt)
        rows = [r for r in rows_of(source["groups"]) if (r[0], str(r[1]), r[5]) != same]
        source["groups"] = groups_of([*rows, row])
        self._cards = self._replay({(exam_title, str(qid))})
        self._save_soon()

    def _save_soon(self) -> None:
        """Save the state, after the current kernel message when a loop runs: record() is called while the
        widget publishes an answer, and its feedback must not wait for a whole state file to be written
        (the answer itself is in the session file already)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._save()
            return
        if not self._save_pending:
            self._save_pending = True
            loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._save_pending = False
        self._save()

    def _source_key(self, session_file: str | os.PathLike[str] | None) -> str:
        if session_file is not None:
            path = Path(session_file)
            folder = self.base_dir / "data" / "sessions"
            if path.parent.resolve() == folder.resolve():
                return f"data/sessions/{path.name}"
        return "live/answers"  # a quiz not saved to this base_dir: kept in the state alone

    # -- the exams -------------------------------------------------------------------------------------
    def exam(self, title: str) -> Exam | None:
        """The exam titled ``title``, found as a session's exam is (its recorded file, else by title in
        exams/ and data/exams/); None, with one warning, when it is not found (exams.py)."""
        return self._finder.exam(title, self._sources.values(), self._cards)

    def _live_cards(self) -> list[tuple[CardInfo, Exam, Question]]:
        """The cards whose question is in its exam today, with both."""
        found = []
        for info in self._cards.values():
            exam = self.exam(info.exam)
            question = exam.by_id(info.qid) if exam is not None else None
            if question is not None:
                found.append((info, exam, question))
        return found

    # -- the public questions --------------------------------------------------------------------------
    @property
    def cards(self) -> dict[Key, CardInfo]:
        """Every card by (exam title, str(question id)), questions no longer found included."""
        return dict(self._cards)

    def due(self, now: datetime | None = None) -> list[tuple[str, Any]]:
        """The questions due for review at ``now`` (default: now), most overdue first:
        ``[(exam title, question id), ...]`` across every exam."""
        now = now or _utc_now()
        rows = [
            (info.card.due, exam.title, question.number, question.id)
            for info, exam, question in self._live_cards()
            if info.card.due <= now
        ]
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        return [(title, qid) for _, title, _, qid in rows]

    def review_exam(self, limit: int | None = 20, now: datetime | None = None) -> Exam:
        """An exam of the due questions (at most ``limit``, most overdue first), titled REVIEW_TITLE; each
        question's id names its card, so its answers find it. SessionError when nothing is due."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError(f"ReviewDeck.quiz: limit is {limit!r}; expected a whole number >= 1 or None")
        due = self.due(now)
        if not due:
            raise SessionError(f"nothing is due for review; {self.next_due_note(now)}")
        picked = due[:limit] if limit is not None else due
        questions = []
        sources: list[str] = []
        for title, qid in picked:
            exam = self.exam(title)
            assert exam is not None
            question = exam.by_id(qid)
            assert question is not None
            raw = exam.to_dict()["questions"][question.number - 1]
            raw["id"] = review_id(title, question.id)
            questions.append(raw)
            if title not in sources:
                sources.append(title)
        return load_exam(
            {
                "title": REVIEW_TITLE,
                "description": f"{len(questions)} question(s) due for review from: " + ", ".join(sources),
                "questions": questions,
            }
        )

    def next_due_note(self, now: datetime | None = None) -> str:
        """When the next card falls due, in words (for messages)."""
        now = now or _utc_now()
        later = [info.card.due for info, _, _ in self._live_cards() if info.card.due > now]
        if not later:
            return "no question has been answered yet under this folder"
        wait = min(later) - now
        return f"the next question is due in {_wait_words(wait)} ({min(later):%Y-%m-%d %H:%M} UTC)"

    def retrievability(self, info: CardInfo, when: datetime, stability_factor: float = 1.0) -> float:
        """The recall probability of a card at ``when``: FSRS's forgetting curve (the scheduler's decay and
        factor) over the days since its last review, counted in fractions of a day (fsrs's own
        get_card_retrievability counts whole days, so a question missed an hour ago would be "certain").
        ``stability_factor`` scales the card's stability (the forecast's band)."""
        card = info.card
        if card.last_review is None or card.stability is None:
            return 0.0
        decay = -float(self.scheduler.parameters[20])
        factor = 0.9 ** (1 / decay) - 1
        days = max(0.0, (when - card.last_review).total_seconds() / 86400)
        return float((1 + factor * days / (card.stability * stability_factor)) ** decay)

    def forecast_rows(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """forecast()'s rows as dicts (no pandas needed): see forecast.py."""
        from quiz_widgets.review.forecast import forecast_rows

        return forecast_rows(self, self._live_cards(), now or _utc_now())

    def forecast(self, now: datetime | None = None) -> Any:
        """A pandas DataFrame, one row per exam and topic: exam, topic, seen, retrievability_now,
        retrievability_7d, predicted_score, lower, upper (fractions 0-1; the two retrievabilities are None
        for a topic with no question seen). Without pandas installed (``pip install quiz_widgets[report]``)
        the same rows come back as a list of dicts, with a warning that says so."""
        rows = self.forecast_rows(now)
        try:
            import pandas as pd
        except ImportError:
            warnings.warn(
                "ReviewDeck.forecast: pandas is not installed (pip install 'quiz_widgets[report]'); "
                "returning the rows as a list of dicts",
                stacklevel=2,
            )
            return rows
        from quiz_widgets.review.forecast import COLUMNS

        return pd.DataFrame(rows, columns=list(COLUMNS))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.base_dir)!r}, learner={self.learner!r}, {len(self._cards)} cards)"


def _wait_words(wait: timedelta) -> str:
    hours = wait.total_seconds() / 3600
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{round(hours)} h"
    return f"{round(hours / 24)} days"

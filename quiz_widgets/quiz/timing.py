"""The quiz's time: the Clock (study time, a countdown's time used), the time limit, seconds per question.

Kept apart from state.py because none of it knows about answers or scores: a Clock counts monotonic
seconds while running, and QuestionTimes splits a clock's reading among the questions shown. QuizState
owns one Clock for the time taken, one more (``timer``) for a timed exam's countdown, and a QuestionTimes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from quiz_widgets.errors import SessionError, shown

__all__ = ["Clock", "QuestionTimes", "check_time_limit"]


class Clock:
    """Elapsed quiz time on a monotonic clock, counting only while running.

    A resumed session passes its saved time as ``elapsed``: the clock continues from that offset, so
    wall-clock jumps (NTP, suspend, DST) never change the time a learner took.
    """

    def __init__(self, elapsed: float = 0.0, *, now: Callable[[], float] = time.monotonic) -> None:
        if isinstance(elapsed, bool) or not isinstance(elapsed, (int, float)):
            raise TypeError(f"elapsed must be a number of seconds, got {shown(elapsed)}")
        if not math.isfinite(elapsed) or elapsed < 0:
            raise ValueError(f"elapsed must be a finite number >= 0, got {shown(elapsed)}")
        self._offset = float(elapsed)
        self._now = now
        self._started_at: float | None = None
        # Counts start/stop transitions so QuizState.revision sees clock changes made directly on the
        # clock (the widget starts/stops it) without the clock having to know about the state.
        self.transitions = 0

    @property
    def running(self) -> bool:
        return self._started_at is not None

    @property
    def elapsed(self) -> float:
        if self._started_at is None:
            return self._offset
        # max(): a misbehaving injected clock must never make time run backwards.
        return self._offset + max(0.0, self._now() - self._started_at)

    def start(self) -> bool:
        """Start counting; returns False (and changes nothing) when already running."""
        if self._started_at is not None:
            return False
        self._started_at = self._now()
        self.transitions += 1
        return True

    def stop(self) -> bool:
        """Stop counting; returns False (and changes nothing) when already stopped."""
        if self._started_at is None:
            return False
        self._offset = self.elapsed
        self._started_at = None
        self.transitions += 1
        return True

    def __repr__(self) -> str:
        return f"Clock(elapsed={self.elapsed:.3f}, running={self.running})"


def check_time_limit(value: object, mode: str) -> float | None:
    """A time limit in seconds (> 0, exam mode only) or None; SessionError otherwise."""
    if value is None:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise SessionError(f"time_limit: found {shown(value)}, expected a number of seconds > 0 or None")
    if mode != "exam":
        raise SessionError(f"time_limit: found {shown(value)} in {mode} mode; a time limit needs mode='exam'")
    return float(value)


class QuestionTimes:
    """Seconds each question was on screen, measured on a clock's readings (``now``: its elapsed seconds).

    Only the question shown gathers time, and only while the clock moves, so a paused quiz adds nothing.
    """

    def __init__(self) -> None:
        self._seconds: dict[Any, float] = {}
        self._shown: Any = None
        self._mark = 0.0

    def seconds(self, now: float) -> dict[Any, float]:
        """Seconds per question id, the one on screen counted up to ``now``."""
        seconds = dict(self._seconds)
        if self._shown is not None:
            extra = now - self._mark
            if extra > 0:
                seconds[self._shown] = seconds.get(self._shown, 0.0) + extra
        return seconds

    def show(self, qid: Any, now: float) -> None:
        """From ``now`` on, question ``qid`` (None: none) gathers the time."""
        self.commit(now)
        self._shown = qid

    def commit(self, now: float) -> None:
        """Add the shown question's time up to ``now``."""
        if self._shown is not None and now > self._mark:
            self._seconds[self._shown] = self._seconds.get(self._shown, 0.0) + (now - self._mark)
        self._mark = now

    def restore(self, seconds: Mapping[Any, float]) -> None:
        """Put back saved seconds per question."""
        self._seconds = {qid: float(s) for qid, s in seconds.items()}

    def restart(self, now: float) -> None:
        """Nothing shown, counting from ``now`` (a restored state starts afresh on its clock)."""
        self._mark = now
        self._shown = None

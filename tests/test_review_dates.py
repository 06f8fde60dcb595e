"""The review history's dates worked out the quick way (history.py) against the plain way: a UTC time's text
against isoformat(), a session's end told in range by two comparisons against the exact timedelta, and
the times handed to the replay against its own parse of their text."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from quiz_widgets.review.deck import Deck
from quiz_widgets.review.history import (
    _LAST_DATE,
    _SURE_SECONDS,
    _SURE_START,
    _stamp,
    parse_when,
    reviews_of,
)

_UTC_TIMES = st.datetimes(timezones=st.just(timezone.utc))


@settings(max_examples=2000, deadline=None)
@given(_UTC_TIMES)
@example(datetime(999, 12, 31, 23, 59, 59, tzinfo=timezone.utc))
@example(datetime(1000, 1, 1, tzinfo=timezone.utc))
@example(datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=timezone.utc))
@example(datetime(2026, 3, 29, 1, 0, 0, 1, tzinfo=timezone.utc))
@example(datetime(1, 1, 1, tzinfo=timezone.utc))
def test_a_utc_times_stamp_is_its_isoformat(when: datetime) -> None:
    assert _stamp(when) == when.isoformat()


@given(st.datetimes(timezones=st.sampled_from([timezone(timedelta(hours=2)), timezone(timedelta(0), "Z")])))
def test_a_time_not_in_utc_is_written_by_isoformat(when: datetime) -> None:
    assert _stamp(when) == when.isoformat()


def _session(start: str, elapsed: object) -> dict:
    return {
        "session_date": start,
        "exam_title": "Exam",
        "timer_data": {"elapsed_seconds": elapsed},
        "quiz_widgets": {"answers": [{"question_id": 1, "correct": True}], "seconds": {}},
    }


_NEAR = [_SURE_START + timedelta(microseconds=n) for n in (-1, 0, 1)] + [
    _LAST_DATE - timedelta(seconds=n) for n in (0, 1, 600, 3_153_600_000)
]
_TOOK = [600.0, _SURE_SECONDS, _SURE_SECONDS + 1e-6, _SURE_SECONDS + 1, 1e12, 1e300]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_NEAR) | _UTC_TIMES.filter(lambda when: when <= _LAST_DATE), st.sampled_from(_TOOK))
def test_a_sessions_end_is_its_start_plus_its_time_when_the_schedule_can_hold_it(
    start: datetime, took: float
) -> None:
    # The plain rule: the start plus the time on the clock when that is a date the schedule holds.
    end = start + timedelta(0, took) if took <= (_LAST_DATE - start).total_seconds() else start
    times: dict[str, datetime | None] = {}
    groups, _ = reviews_of(_session(start.isoformat(), took), "session", times=times)
    assert groups[0][1] == end.isoformat()
    assert times == {end.isoformat(): end}


def test_the_times_the_replay_gets_are_its_own_parse_of_their_text(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "sessions"
    folder.mkdir(parents=True)
    starts = [
        "2026-03-29T01:30:00",
        "2026-10-25T02:30:00.250000",
        "2026-01-05T08:00:00+05:30",
        "0999-01-01T00:00:00",
    ]
    for n, start in enumerate(starts):
        data = _session(start, [600, 0.5, None, 86_400 * 3][n])
        (folder / f"session_{n}.json").write_text(json.dumps(data))
    deck = Deck(tmp_path)
    times = deck._replayer.times
    assert len(times) == len(starts)
    for text, when in times.items():
        again = parse_when(text)
        assert when == again and when.tzinfo is again.tzinfo and when.fold == again.fold
    assert sorted(when.isoformat() for when in times.values()) == sorted(times)

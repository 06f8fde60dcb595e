"""How sure the learner was: confidence levels, certainty-based marking (CBM) and calibration per topic.

``QuizWidget(exam, confidence=True)`` asks "how sure?" with each answer: 1 guessing, 2 fairly sure, 3 sure.
``confidence="cbm"`` also scores each answer as Moodle's certainty-based marking does (question_cbm in
question/engine/lib.php, used by qbehaviour_deferredcbm and immediatecbm): a fully or partly right answer
earns its credit times 1, 2 or 3; a wrong one (credit at most Moodle's MARK_TOLERANCE) earns 0, -2 or -6.
An answer given without a level counts as C=1, Moodle's default_certainty() ("You did not select a
certainty. Assuming: C=1"); calibration leaves it out, since the learner said nothing about it.

Plain functions over plain values: quiz/state.py checks levels with check_level(), results.py and
teaching/progress.py build calibration rows with calibration_rows().
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from quiz_widgets.errors import SessionError, shown

__all__ = [
    "LEVELS",
    "LEVEL_NAMES",
    "RIGHT_MARKS",
    "WRONG_MARKS",
    "calibration_rows",
    "cbm_mark",
    "check_level",
    "check_setting",
    "saved_level",
]

LEVELS = (1, 2, 3)
LEVEL_NAMES = {1: "guessing", 2: "fairly sure", 3: "sure"}
# Moodle's question_cbm::$rightscore and $wrongscore.
RIGHT_MARKS = {1: 1.0, 2: 2.0, 3: 3.0}
WRONG_MARKS = {1: 0.0, 2: -2.0, 3: -6.0}
# Moodle's question_utils::MARK_TOLERANCE: a fraction at most this is wrong.
_MARK_TOLERANCE = 0.00000005
# Moodle's question_cbm::default_certainty(): the level assumed when none was chosen.
DEFAULT_LEVEL = 1
_EXPECTED = "1 (guessing), 2 (fairly sure) or 3 (sure)"


def check_setting(value: object) -> bool | str:
    """QuizWidget's ``confidence=``: False (not asked), True (asked) or "cbm" (asked and CBM-scored)."""
    if value is False or value is None:
        return False
    if value is True or value == "cbm":
        return value  # type: ignore[return-value]
    raise SessionError(f"confidence: found {shown(value)}, expected False, True or 'cbm'")


def check_level(level: object, label: str) -> int:
    """A level 1-3 (an int; 2.0 is not one), else ValueError naming ``label`` (the question) and the value."""
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise ValueError(f"{label}: confidence: found {shown(level)}, expected {_EXPECTED}")
    return level


def saved_level(entry: object) -> int | None:
    """The level an answer entry of a file holds, None when it holds none or no valid one."""
    level = entry.get("confidence") if isinstance(entry, Mapping) else None
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        return None
    return level


def cbm_mark(credit: float, level: int | None) -> float:
    """Moodle's CBM mark of one answer: ``credit`` (0..1) at certainty ``level`` (None: C=1)."""
    level = DEFAULT_LEVEL if level is None else level
    if credit <= _MARK_TOLERANCE:
        return WRONG_MARKS[level]
    return RIGHT_MARKS[level] * credit


def calibration_rows(answers: Iterable[tuple[str, int | None, bool]]) -> list[dict[str, Any]]:
    """How often the learner was right at each level, per topic: ``answers`` as (topic, level, right).

    ``[{"topic", "levels": [{"level": 3, "name": "sure", "answered": n, "right": r}, {2 ...}, {1 ...}]}]``,
    topics in the order first met, every level listed (answered 0 when never chosen); answers without a
    level are left out, and a topic with none is not listed.
    """
    counts: dict[str, dict[int, list[int]]] = {}
    for topic, level, right in answers:
        if level not in LEVELS:
            continue
        bucket = counts.setdefault(topic, {lv: [0, 0] for lv in LEVELS})
        bucket[level][0] += 1  # type: ignore[index]
        bucket[level][1] += int(bool(right))  # type: ignore[index]
    return [
        {
            "topic": topic,
            "levels": [
                {"level": lv, "name": LEVEL_NAMES[lv], "answered": levels[lv][0], "right": levels[lv][1]}
                for lv in reversed(LEVELS)
            ],
        }
        for topic, levels in counts.items()
    ]

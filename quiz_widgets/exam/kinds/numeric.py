"""numeric: a number typed by the learner, right within a tolerance, or graded by entries (values with a
tolerance, ranges) with partial credit and feedback, as Moodle's numerical and jupyterquiz's numeric."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.exam.kinds.base import MISSING, Kind, PageValueError, clamp, fail, finite, slack
from quiz_widgets.i18n import Words

__all__ = ["Numeric", "NumericEntry", "format_number"]

_FRACTION = re.compile(r"\s*([-+]?[0-9.eE+-]+)\s*/\s*([-+]?[0-9.eE+-]+)\s*")
_ENTRY_KEYS = ("value", "tolerance", "min", "max", "max_exclusive", "credit", "feedback")
_FULL = 100 - 1e-4
# A number typed on the page is short; a longer text is refused before parsing.
_MAX_PAGE_TEXT = 64


@dataclass(frozen=True)
class NumericEntry:
    """One entry of a numeric question's `answers`: a value with a tolerance, or a range (an end may be
    None: open). The first entry that matches a learner's number decides its credit and feedback."""

    value: float | None = None
    tolerance: float = 0.0
    min: float | None = None
    max: float | None = None
    max_exclusive: bool = False  # jupyterquiz's ranges are [min, max)
    credit: float = 100.0
    feedback: str | None = None


def format_number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _with_tolerance(value: float, tolerance: float) -> str:
    return f"{format_number(value)} ± {format_number(tolerance)}" if tolerance else format_number(value)


def _shown_entry(entry: NumericEntry) -> str:
    """An entry as a learner reads it: Moodle's "3.14 ± 0.01", a range as its interval ("[1, 2)", "≥ 10")."""
    if entry.value is not None:
        return _with_tolerance(entry.value, entry.tolerance)
    close = ")" if entry.max_exclusive else "]"
    if entry.min is not None and entry.max is not None:
        return f"[{format_number(entry.min)}, {format_number(entry.max)}{close}"
    if entry.min is not None:
        return f"≥ {format_number(entry.min)}"
    return f"{'<' if entry.max_exclusive else '≤'} {format_number(entry.max)}"  # type: ignore[arg-type]


def _significant(value: float, digits: int) -> float:
    # As JavaScript's toPrecision, which jupyterquiz uses.
    return float(f"{value:.{digits}g}")


def _entry_matches(entry: NumericEntry, value: float, precision: int | None) -> bool:
    if entry.value is not None:
        target = entry.value if precision is None else _significant(entry.value, precision)
        return abs(value - target) <= entry.tolerance + slack(target)
    if entry.min is not None and value < entry.min - slack(entry.min):
        return False
    if entry.max is not None:
        if entry.max_exclusive:
            return value < entry.max
        return value <= entry.max + slack(entry.max)
    return True


class Numeric(Kind):
    name = "numeric"
    own_keys = frozenset(("tolerance", "precision"))
    has_entries = True

    # ---------------------------------------------------------------- fields and checks

    def check_fields(self, checker: Any, raw: Mapping, where: str | None) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        tolerance = raw.get("tolerance")
        if tolerance is not None:
            if finite(tolerance) and tolerance >= 0:
                if tolerance:
                    extra["tolerance"] = float(tolerance)
            else:
                checker.bad(where, "tolerance", tolerance, "a finite number >= 0")
        precision = raw.get("precision")
        if precision is not None:
            if type(precision) is int and 1 <= precision <= 100:
                extra["precision"] = precision
            else:
                checker.bad(where, "precision", precision, "a whole number of significant digits, 1 to 100")
        return extra

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        value = raw.get("answer", MISSING)
        if finite(value):
            return float(value)
        checker.bad(where, "answer", value, "a finite number")
        return None

    def check_entry(self, checker: Any, where: str | None, name: str, entry: object) -> NumericEntry | None:
        if not checker.entry_keys(where, name, entry, _ENTRY_KEYS):
            return None
        assert isinstance(entry, Mapping)
        before = len(checker.problems)
        credit, feedback = checker.entry_common(where, name, entry)
        value = checker.optional_number(where, f"{name}.value", entry.get("value"))
        low = checker.optional_number(where, f"{name}.min", entry.get("min"))
        high = checker.optional_number(where, f"{name}.max", entry.get("max"))
        tolerance = entry.get("tolerance", 0.0)
        if tolerance is None:
            tolerance = 0.0
        exclusive = entry.get("max_exclusive", False)
        if len(checker.problems) > before:
            return None
        ranged = entry.get("min") is not None or entry.get("max") is not None
        bad = checker.bad
        if entry.get("value") is None and not ranged:
            bad(where, name, entry, "a 'value' (with an optional 'tolerance') or a range 'min'/'max'")
        elif entry.get("value") is not None and ranged:
            bad(where, name, entry, "either a 'value' or a range 'min'/'max', not both")
        elif not (finite(tolerance) and tolerance >= 0):
            bad(where, f"{name}.tolerance", tolerance, "a finite number >= 0")
        elif ranged and tolerance:
            bad(where, f"{name}.tolerance", tolerance, "no tolerance on a range")
        elif not isinstance(exclusive, bool) or (exclusive and high is None):
            bad(where, f"{name}.max_exclusive", exclusive, "true or false, and only with a 'max'")
        elif low is not None and high is not None and (high < low or (exclusive and high == low)):
            bad(where, f"{name}.max", high, f"a number above 'min' ({shown(low)})")
        if len(checker.problems) > before:
            return None
        return NumericEntry(value, float(tolerance), low, high, exclusive, credit, feedback)

    def candidates(self, entries: tuple) -> list:
        result: list = []
        for entry in entries:
            if entry.credit < _FULL:
                continue
            if entry.value is not None:
                result.append(entry.value)
            elif entry.min is not None and entry.max is not None:
                result.append((entry.min + entry.max) / 2)
            elif entry.min is not None:
                result.append(entry.min)
            else:
                result.append(math.nextafter(entry.max, -math.inf) if entry.max_exclusive else entry.max)
        return result

    def derived_answer(self, checker: Any, options: tuple, entries: tuple) -> Any:
        candidates = self.candidates(entries)
        return candidates[0] if candidates else None

    def with_plain_answer(self, entries: tuple, answer: Any, tolerance: float) -> tuple:
        return (*entries, NumericEntry(value=answer, tolerance=tolerance))

    def candidate_answer(self, question: Any, candidate: Any) -> Any:
        return candidate

    # ---------------------------------------------------------------- grading

    def normalize(self, q: Any, value: object) -> float:
        expected = "a finite number, e.g. 42, '3.5' or '22/7'"
        if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
            raise fail(q, value, expected)
        try:
            fraction = _FRACTION.fullmatch(value) if isinstance(value, str) else None
            if fraction:  # jupyterquiz lets learners type a fraction
                number = float(fraction.group(1)) / float(fraction.group(2))
            else:
                number = float(value.strip() if isinstance(value, str) else value)  # type: ignore[arg-type]
        except (ValueError, OverflowError, TypeError, ZeroDivisionError):
            raise fail(q, value, expected) from None
        if not math.isfinite(number):
            raise fail(q, value, expected)
        return number

    def learner_fix(self, q: Any) -> Words:
        return Words("Question {number}: enter a number, such as 42, 3.5 or 22/7.", number=q.number)

    def matched_entry(self, q: Any, value: float) -> NumericEntry | None:
        """The first entry that matches in list order (Moodle); None when none does."""
        number = value if q.precision is None else _significant(value, q.precision)
        return next((e for e in q.answers if _entry_matches(e, number, q.precision)), None)

    def credit(self, q: Any, value: Any) -> float:
        if q.answers:
            entry = self.matched_entry(q, value)
            return 0.0 if entry is None else clamp(entry.credit)
        return 1.0 if abs(value - q.answer) <= q.tolerance + slack(q.answer) else 0.0

    def feedback_for(self, q: Any, value: Any) -> str | None:
        entry = self.matched_entry(q, value) if q.answers else None
        return entry.feedback if entry is not None and entry.feedback else None

    def correct_normalized(self, q: Any) -> float:
        return float(q.answer)  # with `answers`, the checks picked a number that grades fully right

    # ---------------------------------------------------------------- files

    def describe(self, q: Any, value: Any) -> str:
        return format_number(value)

    def shown_correct(self, q: Any) -> str:
        """The number with its tolerance ("3.14 ± 0.01"): 3.14 alone leaves a learner whose 3.1 was accepted
        and 3.0 refused guessing. With entries, each fully right one (a range as its interval, not the
        midpoint the checks picked as the answer)."""
        if not q.answers:
            return _with_tolerance(q.answer, q.tolerance)
        right = [_shown_entry(entry) for entry in q.answers if entry.credit >= _FULL]
        return "; ".join(right) or format_number(q.answer)

    def answer_dict(self, q: Any) -> dict[str, Any]:
        d: dict[str, Any] = {"answer": q.answer}
        if q.tolerance:
            d["tolerance"] = q.tolerance
        return d

    def entry_dict(self, entry: Any) -> dict[str, Any]:
        defaults = NumericEntry()
        return {
            name: getattr(entry, name)
            for name in entry.__dataclass_fields__
            if getattr(entry, name) != getattr(defaults, name)
        }

    # ---------------------------------------------------------------- the page

    def from_page(self, q: Any, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise PageValueError(f"{q.label()}: expected a number, found {shown(value)}")
        if isinstance(value, str) and len(value) > _MAX_PAGE_TEXT:
            raise PageValueError(f"{q.label()}: expected a number, found a {len(value)}-character text")
        if isinstance(value, float) and not math.isfinite(value):
            raise PageValueError(f"{q.label()}: expected a finite number, found {value!r}")
        return value

"""Checks of the extension keys other tools' banks need (weights, numeric and text answer entries, credit,
fuzzy matching): a mixin of checks.py's checker, kept apart so each file stays readable.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import shown as found
from quiz_widgets.exam import grading
from quiz_widgets.exam.model import (
    CHOICE_KINDS,
    NumericEntry,
    Option,
    Question,
    TextEntry,
)

__all__ = ["ExtensionChecks"]

# A key that is absent, told apart from one whose value is None.
_MISSING: Any = object()


_NUMERIC_ENTRY_KEYS = ("value", "tolerance", "min", "max", "max_exclusive", "credit", "feedback")
_TEXT_ENTRY_KEYS = ("text", "credit", "feedback", "match_case", "fuzzy_threshold")
_FULL = 100 - 1e-4


class ExtensionChecks:
    """Methods of the exam checker for the extension keys; ``bad`` and ``optional_text`` come from it."""

    def extensions(self, raw: Mapping, where: str | None, kind: str) -> dict[str, Any]:
        """The extension keys of one question, checked; only those given (the rest stay class defaults)."""
        extra: dict[str, Any] = {}
        text_format = self.text_format(raw, where)
        if text_format is not None:
            extra["format"] = text_format
        for name in ("title", "incorrect_feedback"):
            value = self.optional_text(raw, where, name)
            if value is not None:
                extra[name] = value
        precision = raw.get("precision")
        if precision is not None:
            if kind != "numeric":
                self.bad(where, "precision", precision, "no precision (only numeric questions have one)")
            elif type(precision) is int and 1 <= precision <= 100:
                extra["precision"] = precision
            else:
                self.bad(where, "precision", precision, "a whole number of significant digits, 1 to 100")
        match_case = raw.get("match_case")
        if match_case is not None:
            if kind != "text":
                self.bad(where, "match_case", match_case, "no match_case (only text questions have one)")
            elif isinstance(match_case, bool):
                extra["match_case"] = match_case
            else:
                self.bad(where, "match_case", match_case, "true or false")
        threshold = raw.get("fuzzy_threshold")
        if threshold is not None:
            if kind != "text":
                self.bad(where, "fuzzy_threshold", threshold, "no fuzzy_threshold (only text questions)")
            elif self.fuzzy(where, "fuzzy_threshold", threshold):
                extra["fuzzy_threshold"] = float(threshold)
        entries = raw.get("answers")
        if entries is not None:
            if kind not in ("numeric", "text"):
                self.bad(
                    where,
                    "answers",
                    entries,
                    "no answers list (choice questions use 'options', 'answer' and 'weights')",
                )
            elif not isinstance(entries, list) or not entries:
                self.bad(where, "answers", entries, "a non-empty list of answer entries")
            else:
                check = self.numeric_entry if kind == "numeric" else self.text_entry
                checked = [check(where, f"answers[{i}]", e) for i, e in enumerate(entries)]
                if all(e is not None for e in checked):
                    extra["answers"] = tuple(checked)
        return extra

    def fuzzy(self, where: str | None, name: str, value: object) -> bool:
        if _finite(value) and 0 < value <= 1:  # type: ignore[operator]
            return True
        self.bad(where, name, value, "a similarity ratio above 0 and at most 1, e.g. 0.8")
        return False

    def entry_keys(self, where: str | None, name: str, entry: object, keys: tuple[str, ...]) -> bool:
        if not _is_map(entry):
            self.bad(where, name, entry, "an object with keys from " + ", ".join(keys))
            return False
        unknown = [k for k in entry if k not in keys]
        if unknown:
            self.bad(where, name, unknown[0], "a key from " + ", ".join(keys))
            return False
        return True

    def entry_common(self, where: str | None, name: str, entry: Mapping) -> tuple[float, str | None]:
        credit = entry.get("credit", 100.0)
        if not (_finite(credit) and 0 <= credit <= 100):
            self.bad(where, f"{name}.credit", credit, "a percentage from 0 to 100")
            credit = 0.0
        feedback = entry.get("feedback")
        if feedback is not None and not isinstance(feedback, str):
            self.bad(where, f"{name}.feedback", feedback, "a string")
            feedback = None
        return float(credit), feedback

    def optional_number(self, where: str | None, name: str, value: object) -> float | None:
        if value is None:
            return None
        if _finite(value):
            return float(value)  # type: ignore[arg-type]
        self.bad(where, name, value, "a finite number")
        return None

    def numeric_entry(self, where: str | None, name: str, entry: object) -> NumericEntry | None:
        if not self.entry_keys(where, name, entry, _NUMERIC_ENTRY_KEYS):
            return None
        assert isinstance(entry, Mapping)
        before = len(self.problems)
        credit, feedback = self.entry_common(where, name, entry)
        value = self.optional_number(where, f"{name}.value", entry.get("value"))
        low = self.optional_number(where, f"{name}.min", entry.get("min"))
        high = self.optional_number(where, f"{name}.max", entry.get("max"))
        tolerance = entry.get("tolerance", 0.0)
        if tolerance is None:
            tolerance = 0.0
        exclusive = entry.get("max_exclusive", False)
        if len(self.problems) > before:
            return None
        ranged = entry.get("min") is not None or entry.get("max") is not None
        if entry.get("value") is None and not ranged:
            self.bad(where, name, entry, "a 'value' (with an optional 'tolerance') or a range 'min'/'max'")
        elif entry.get("value") is not None and ranged:
            self.bad(where, name, entry, "either a 'value' or a range 'min'/'max', not both")
        elif not (_finite(tolerance) and tolerance >= 0):
            self.bad(where, f"{name}.tolerance", tolerance, "a finite number >= 0")
        elif ranged and tolerance:
            self.bad(where, f"{name}.tolerance", tolerance, "no tolerance on a range")
        elif not isinstance(exclusive, bool) or (exclusive and high is None):
            self.bad(where, f"{name}.max_exclusive", exclusive, "true or false, and only with a 'max'")
        elif low is not None and high is not None and (high < low or (exclusive and high == low)):
            self.bad(where, f"{name}.max", high, f"a number above 'min' ({found(low)})")
        if len(self.problems) > before:
            return None
        return NumericEntry(value, float(tolerance), low, high, exclusive, credit, feedback)

    def text_entry(self, where: str | None, name: str, entry: object) -> TextEntry | None:
        if not self.entry_keys(where, name, entry, _TEXT_ENTRY_KEYS):
            return None
        assert isinstance(entry, Mapping)
        before = len(self.problems)
        credit, feedback = self.entry_common(where, name, entry)
        text = entry.get("text", _MISSING)
        # A star escaped as `\*` is one character a learner types.
        if not (isinstance(text, str) and _good_text(text.replace("\\*", "*"))):
            limit = grading.MAX_TEXT_ANSWER
            self.bad(
                where, f"{name}.text", text, f"an accepted answer (a non-empty string, <= {limit} chars)"
            )
        match_case = entry.get("match_case")
        if match_case is not None and not isinstance(match_case, bool):
            self.bad(where, f"{name}.match_case", match_case, "true or false")
        threshold = entry.get("fuzzy_threshold")
        if threshold is not None and self.fuzzy(where, f"{name}.fuzzy_threshold", threshold):
            threshold = float(threshold)
        if len(self.problems) > before:
            return None
        return TextEntry(text.strip(), credit, feedback, match_case, threshold)

    def weights(self, raw: Mapping, where: str | None, kind: str, options: tuple[Option, ...]):
        value = raw.get("weights")
        if value is None:
            return options
        keys = [o.key for o in options]
        if kind not in CHOICE_KINDS:
            self.bad(where, "weights", value, "no weights (only choice questions have them)")
            return options
        if not _is_map(value) or not value:
            self.bad(
                where, "weights", value, "an object of option letter -> percent, e.g. {'A': 50, 'B': 50}"
            )
            return options
        before = len(self.problems)
        for key, weight in value.items():
            if key not in keys:
                self.bad(where, "weights", key, f"option letters ({', '.join(keys)}) as keys")
            elif not (_finite(weight) and -100 <= weight <= 100):
                self.bad(where, f"weights.{key}", weight, "a percentage from -100 to 100")
        if len(self.problems) > before:
            return options
        weighted = tuple(Option(o.key, o.text, o.feedback, float(value.get(o.key, 0.0))) for o in options)
        if kind == "multiChoice":
            total = sum(o.weight for o in weighted if o.weight > 0)  # type: ignore[operator, misc]
            if abs(total - 100) >= 100 - _FULL:
                self.bad(
                    where, "weights", value, f"positive weights that add up to 100 (they add up to {total:g})"
                )
        elif max(o.weight for o in weighted) < _FULL:  # type: ignore[type-var]
            self.bad(where, "weights", value, "one option with weight 100 (the right answer)")
        # Weights that are wrong as a whole are reported once, not again against the answer.
        return options if len(self.problems) > before else weighted

    def question_answer(self, raw: Mapping, where, kind: str, options, tolerance: float, extra: dict) -> Any:
        if options is None:
            return None
        implied_by = "weights" if kind in CHOICE_KINDS else "answers"
        if "answer" in raw or implied_by not in raw:
            answer = self.answer(raw, where, kind, options)
            if answer is not None:
                self.answer_fits(raw, where, kind, options, answer, tolerance, extra)
            return answer
        if implied_by == "answers" and "answers" not in extra:
            return None  # the entries are wrong, which is already reported
        return self.derived_answer(kind, options, extra.get("answers", ()))

    def derived_answer(self, kind: str, options: tuple[Option, ...], entries: tuple) -> Any:
        """`answer` left out beside `weights` or `answers`: the answer they imply (checked by reachable())."""
        if kind in ("singleChoice", "trueFalse"):
            top = max(o.weight or 0.0 for o in options)
            return (next(o.key for o in options if (o.weight or 0.0) == top),)
        if kind == "multiChoice":
            return tuple(o.key for o in options if (o.weight or 0.0) > 0)
        candidates = _candidates(kind, entries)
        if not candidates:
            self.bad(
                None, "answers", [_shown_entry(e) for e in entries], "at least one entry with credit 100"
            )
            return None
        return candidates[0] if kind == "numeric" else tuple(candidates)

    def answer_fits(
        self, raw: Mapping, where: str | None, kind: str, options, answer, tolerance: float, extra: dict
    ) -> None:
        """A given `answer` must agree with `weights`; beside `answers` it becomes their last entry."""
        if any(o.weight is not None for o in options):
            weights = {o.key: o.weight for o in options}
            if kind == "multiChoice":
                expected = tuple(k for k, w in weights.items() if w > 0)  # type: ignore[operator]
                if set(answer) != set(expected):
                    self.bad(
                        where,
                        "answer",
                        raw.get("answer"),
                        f"the options with a positive weight ({', '.join(expected)})",
                    )
            elif weights[answer[0]] < _FULL:  # type: ignore[operator]
                top = [k for k, w in weights.items() if w >= _FULL]  # type: ignore[operator]
                self.bad(where, "answer", raw.get("answer"), f"the option with weight 100 ({', '.join(top)})")
        entries = extra.get("answers")
        if entries:
            if kind == "numeric":
                extra["answers"] = (*entries, NumericEntry(value=answer, tolerance=tolerance))
            else:
                extra["answers"] = (*entries, *(TextEntry(a, wildcard=False) for a in answer))

    def reachable(self, question: Question, where: str | None) -> Question | None:
        """With `answers`, the answer shown as right must grade fully right; the first candidate that does
        becomes question.answer (an entry shadowed by an earlier, lower-credit one is an error)."""
        if question.is_correct(question.correct_normalized()):
            return question
        for candidate in _candidates(question.kind, question.answers):
            answer = candidate if question.kind == "numeric" else (candidate,)
            trial = _fast_new(Question, **{**question.__dict__, "answer": answer})
            if trial.is_correct(trial.correct_normalized()):
                if question.kind == "text":
                    rest = tuple(a for a in question.answer if a != candidate)  # type: ignore[union-attr]
                    trial.__dict__["answer"] = (candidate, *rest)
                return trial
        self.bad(
            where,
            "answers",
            [_shown_entry(e) for e in question.answers],
            "an entry with credit 100 that an answer can reach (an earlier entry matches it first)",
        )
        return None


def _candidates(kind: str, entries: tuple) -> list:
    """Answers that the full-credit entries accept, in entry order: values, range middles, literal texts."""
    result: list = []
    for entry in entries:
        if entry.credit < _FULL:
            continue
        if kind == "text":
            result.append(entry.text.replace("\\*", "*") if entry.wildcard else entry.text)
        elif entry.value is not None:
            result.append(entry.value)
        elif entry.min is not None and entry.max is not None:
            result.append((entry.min + entry.max) / 2)
        elif entry.min is not None:
            result.append(entry.min)
        else:
            result.append(math.nextafter(entry.max, -math.inf) if entry.max_exclusive else entry.max)
    return result


def _shown_entry(entry: NumericEntry | TextEntry) -> dict:
    return {k: v for k, v in entry.__dict__.items() if v is not None and k != "wildcard"}


def _is_map(value: object) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # the ABC check is slow; dicts are common


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _good_text(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= grading.MAX_TEXT_ANSWER


def _fast_new(cls: type, **fields: Any) -> Any:
    # Same result as cls(**fields) with every field given; skips the frozen __init__ (one
    # object.__setattr__ per field), which was a third of the load time of a 10,000-question exam.
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj

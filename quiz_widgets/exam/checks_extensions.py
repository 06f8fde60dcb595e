"""Checks of the extension keys other tools' banks need (weights, numeric and text answer entries, credit,
fuzzy matching): a mixin of checks.py's checker, kept apart so each file stays readable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quiz_widgets.exam import kinds
from quiz_widgets.exam.kinds.base import MISSING, Kind, finite, good_text
from quiz_widgets.exam.model import NumericEntry, Option, Question, TextEntry

__all__ = ["ExtensionChecks"]

# A key that is absent, told apart from one whose value is None.
_MISSING: Any = MISSING
# Keys some kind owns (numeric's tolerance, text's match_case ...): refused on the other kinds.
_OWN_KEYS = tuple(dict.fromkeys(key for kind in kinds.REGISTRY.values() for key in sorted(kind.own_keys)))


class ExtensionChecks:
    """Methods of the exam checker for the extension keys; ``bad`` and ``optional_text`` come from it."""

    def extensions(self, raw: Mapping, where: str | None, kind: Kind) -> dict[str, Any]:
        """The extension keys of one question, checked; only those given (the rest stay class defaults)."""
        extra: dict[str, Any] = {}
        text_format = self.text_format(raw, where)
        if text_format is not None:
            extra["format"] = text_format
        for name in ("title", "incorrect_feedback"):
            value = self.optional_text(raw, where, name)
            if value is not None:
                extra[name] = value
        for key in _OWN_KEYS:
            value = raw.get(key)
            if value is not None and key not in kind.own_keys:
                self.bad(where, key, value, f"no {key} (only {kinds.owners(key)} questions have one)")
        extra.update(kind.check_fields(self, raw, where))
        entries = raw.get("answers")
        if entries is not None:
            if not kind.has_entries:
                self.bad(
                    where,
                    "answers",
                    entries,
                    "no answers list (choice questions use 'options', 'answer' and 'weights')",
                )
            elif not isinstance(entries, list) or not entries:
                self.bad(where, "answers", entries, "a non-empty list of answer entries")
            else:
                checked = [kind.check_entry(self, where, f"answers[{i}]", e) for i, e in enumerate(entries)]
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

    def weights(self, raw: Mapping, where: str | None, kind: Kind, options: tuple[Option, ...]):
        value = raw.get("weights")
        if value is None:
            return options
        if not kind.choice:
            self.bad(where, "weights", value, "no weights (only choice questions have them)")
            return options
        return kind.check_weights(self, where, value, options)  # type: ignore[attr-defined]

    def question_answer(self, raw: Mapping, where, kind: Kind, options, tolerance: float, extra: dict) -> Any:
        if options is None:
            return None
        implied_by = "weights" if kind.choice else "answers"
        if "answer" in raw or implied_by not in raw:
            answer = kind.check_answer(self, raw, where, options)
            if answer is not None:
                self.answer_fits(raw, where, kind, options, answer, tolerance, extra)
            return answer
        if implied_by == "answers" and "answers" not in extra:
            return None  # the entries are wrong, which is already reported
        entries = extra.get("answers", ())
        answer = kind.derived_answer(self, options, entries)
        if answer is None:
            self.bad(
                None, "answers", [_shown_entry(e) for e in entries], "at least one entry with credit 100"
            )
        return answer

    def answer_fits(
        self, raw: Mapping, where: str | None, kind: Kind, options, answer, tolerance: float, extra: dict
    ) -> None:
        """A given `answer` must agree with `weights`; beside `answers` it becomes their last entry."""
        if any(o.weight is not None for o in options):
            kind.answer_fits_weights(self, raw, where, options, answer)  # type: ignore[attr-defined]
        entries = extra.get("answers")
        if entries:
            extra["answers"] = kind.with_plain_answer(entries, answer, tolerance)

    def reachable(self, question: Question, where: str | None) -> Question | None:
        """With `answers`, the answer shown as right must grade fully right; the first candidate that does
        becomes question.answer (an entry shadowed by an earlier, lower-credit one is an error)."""
        if question.is_correct(question.correct_normalized()):
            return question
        kind = kinds.get(question.kind)
        for candidate in kind.candidates(question.answers):
            answer = kind.candidate_answer(question, candidate)
            trial = _fast_new(Question, **{**question.__dict__, "answer": answer})
            if trial.is_correct(trial.correct_normalized()):
                return trial
        self.bad(
            where,
            "answers",
            [_shown_entry(e) for e in question.answers],
            "an entry with credit 100 that an answer can reach (an earlier entry matches it first)",
        )
        return None


def _shown_entry(entry: NumericEntry | TextEntry) -> dict:
    return {k: v for k, v in entry.__dict__.items() if v is not None and k != "wildcard"}


def _is_map(value: object) -> bool:
    return type(value) is dict or isinstance(value, Mapping)  # the ABC check is slow; dicts are common


_finite = finite
_good_text = good_text


def _fast_new(cls: type, **fields: Any) -> Any:
    # Same result as cls(**fields) with every field given; skips the frozen __init__ (one
    # object.__setattr__ per field), which was a third of the load time of a 10,000-question exam.
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj

"""singleChoice and multiChoice: lettered options, one right (a radio group) or a set (checkboxes).

Both share the options, their feedback and Moodle weights; trueFalse (true_false.py) is a single choice
with two fixed options.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from quiz_widgets.errors import AnswerError, shown
from quiz_widgets.exam.kinds.base import MISSING, Kind, PageValueError, clamp, fail, finite
from quiz_widgets.i18n import Words

__all__ = ["MultiChoice", "SingleChoice", "bool_key"]

# Moodle's fractions are written with 5 decimals (3 x 33.33333 = 99.99999): closer than this is 100%.
_FULL = 100 - 1e-4


def bool_key(options: tuple, value: bool) -> str:
    """True/False -> the option titled "True"/"False", else the first/second option."""
    wanted = "true" if value else "false"
    for option in options:
        if option.text.strip().casefold() == wanted:
            return option.key
    return options[0 if value else 1].key


def _letters(q: Any) -> str:
    return ", ".join(o.key for o in q.options)


def option_key(q: Any, index: object) -> str:
    """The page's option index -> the option key (bool is an int subclass; True must not mean "B")."""
    if isinstance(index, bool) or not isinstance(index, int):
        raise PageValueError(f"{q.label()}: option index must be an integer, found {shown(index)}")
    if not 0 <= index < len(q.options):
        raise PageValueError(f"{q.label()}: option index {index} is out of range 0..{len(q.options) - 1}")
    return q.options[index].key


class SingleChoice(Kind):
    name = "singleChoice"
    choice = True
    shuffles_options = True
    allow_bool = False

    def expected(self, q: Any) -> str:
        last = len(q.options) - 1
        extra = " or True/False" if self.allow_bool else ""
        return f"an option letter ({_letters(q)}), an option text, or an index 0..{last}{extra}"

    def one_key(self, q: Any, value: object, *, allow_bool: bool) -> str:
        """Map one choice (letter, option text, 0-based index, bool for trueFalse) to an option key."""
        if isinstance(value, bool):
            if not allow_bool:
                raise fail(q, value, f"{self.expected(q)}; True/False only fits a trueFalse question")
            return bool_key(q.options, value)
        if isinstance(value, numbers.Integral):
            index = int(value)
            if 0 <= index < len(q.options):
                return q.options[index].key
            raise fail(q, value, f"an index 0..{len(q.options) - 1}")
        if isinstance(value, str):
            text = value.strip()
            upper = text.upper()
            for option in q.options:
                if option.key == upper:
                    return option.key
            folded = text.casefold()
            for option in q.options:
                if option.text.strip().casefold() == folded:
                    return option.key
            if allow_bool and folded in ("true", "false"):
                return bool_key(q.options, folded == "true")
        raise fail(q, value, self.expected(q))

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        value = raw.get("answer", MISSING)
        if type(value) is str and len(value) == 1:  # the common case, fast
            for option in options:
                if option.key == value:
                    return (value,)
        keys = [o.key for o in options]
        letter = value[0] if isinstance(value, list) and len(value) == 1 else value
        if isinstance(letter, str) and letter.strip().upper() in keys:
            return (letter.strip().upper(),)
        checker.bad(where, "answer", value, f"one of the option letters {', '.join(keys)}")
        return None

    def check_weights(self, checker: Any, where: str | None, value: object, options: tuple) -> tuple:
        """Moodle's fractions per option (percent), checked: the options with their weight set."""
        keys = [o.key for o in options]
        if not isinstance(value, Mapping) or not value:
            checker.bad(
                where, "weights", value, "an object of option letter -> percent, e.g. {'A': 50, 'B': 50}"
            )
            return options
        before = len(checker.problems)
        for key, weight in value.items():
            if key not in keys:
                checker.bad(where, "weights", key, f"option letters ({', '.join(keys)}) as keys")
            elif not (finite(weight) and -100 <= weight <= 100):
                checker.bad(where, f"weights.{key}", weight, "a percentage from -100 to 100")
        if len(checker.problems) > before:
            return options
        weighted = tuple(replace(o, weight=float(value.get(o.key, 0.0))) for o in options)
        self.weights_problem(checker, where, value, weighted)
        # Weights that are wrong as a whole are reported once, not again against the answer.
        return options if len(checker.problems) > before else weighted

    def weights_problem(self, checker: Any, where: str | None, value: object, weighted: tuple) -> None:
        if max(o.weight for o in weighted) < _FULL:
            checker.bad(where, "weights", value, "one option with weight 100 (the right answer)")

    def answer_fits_weights(self, checker: Any, raw: Mapping, where: str | None, options: tuple, answer: Any):
        weights = {o.key: o.weight for o in options}
        if weights[answer[0]] < _FULL:
            top = [k for k, w in weights.items() if w >= _FULL]
            checker.bad(where, "answer", raw.get("answer"), f"the option with weight 100 ({', '.join(top)})")

    def derived_answer(self, checker: Any, options: tuple, entries: tuple) -> Any:
        top = max(o.weight or 0.0 for o in options)
        return (next(o.key for o in options if (o.weight or 0.0) == top),)

    def normalize(self, q: Any, value: object) -> Any:
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            raise fail(q, value, f"one answer: {self.expected(q)}")
        return self.one_key(q, value, allow_bool=self.allow_bool)

    def credit(self, q: Any, value: Any) -> float:
        chosen = value if isinstance(value, list) else [value]
        if any(o.weight is not None for o in q.options):
            weights = {o.key: o.weight or 0.0 for o in q.options}
            return clamp(sum(weights[k] for k in chosen))
        return self.unweighted_credit(q, value)

    def unweighted_credit(self, q: Any, value: Any) -> float:
        return 1.0 if value == q.answer[0] else 0.0

    def feedback_for(self, q: Any, value: Any) -> str | None:
        chosen = set(value if isinstance(value, list) else [value])
        texts = [o.feedback for o in q.options if o.key in chosen and o.feedback]
        return "\n\n".join(texts) if texts else None

    def correct_normalized(self, q: Any) -> Any:
        return q.answer[0]

    def describe(self, q: Any, value: Any) -> str:
        """The answer as the original app writes it: option text, multi texts joined by "; "."""
        texts = {o.key: o.text for o in q.options}
        keys = value if isinstance(value, list) else [value]
        return "; ".join(texts[k] for k in sorted(keys))

    def answer_dict(self, q: Any) -> dict[str, Any]:
        return {"answer": q.answer[0]}

    def from_page(self, q: Any, value: object) -> object:
        return option_key(q, value)

    def given(self, q: Any, shown_answer: Any) -> dict[str, Any]:
        return {"keys": self.shown_keys(q, shown_answer)}

    def shown_keys(self, q: Any, shown_answer: Any) -> list[str]:
        if isinstance(shown_answer, str):
            return [shown_answer]
        if isinstance(shown_answer, list):
            return [str(key) for key in shown_answer]
        return []


class MultiChoice(SingleChoice):
    name = "multiChoice"

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        value = raw.get("answer", MISSING)
        keys = [o.key for o in options]
        expected = f"a list of different option letters from {', '.join(keys)}, e.g. ['B', 'E']"
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            picked = [v.strip().upper() for v in value]
            if all(p in keys for p in picked) and len(set(picked)) == len(picked):
                return tuple(sorted(picked))
        checker.bad(where, "answer", value, expected)
        return None

    def weights_problem(self, checker: Any, where: str | None, value: object, weighted: tuple) -> None:
        total = sum(o.weight for o in weighted if o.weight > 0)
        if abs(total - 100) >= 100 - _FULL:
            checker.bad(
                where, "weights", value, f"positive weights that add up to 100 (they add up to {total:g})"
            )

    def answer_fits_weights(self, checker: Any, raw: Mapping, where: str | None, options: tuple, answer: Any):
        expected = tuple(o.key for o in options if o.weight > 0)
        if set(answer) != set(expected):
            checker.bad(
                where,
                "answer",
                raw.get("answer"),
                f"the options with a positive weight ({', '.join(expected)})",
            )

    def derived_answer(self, checker: Any, options: tuple, entries: tuple) -> Any:
        return tuple(o.key for o in options if (o.weight or 0.0) > 0)

    def normalize(self, q: Any, value: object) -> Any:
        expected = f"a non-empty list of different options ({_letters(q)}), e.g. ['B', 'E'] or 'B, E'"
        if isinstance(value, str):
            tokens = [t for t in re.split(r"[\s,;]+", value.strip()) if t]
            keys = {o.key for o in q.options}
            folded = value.strip().casefold()
            if tokens and all(t.upper() in keys for t in tokens):
                items: list[object] = tokens
            elif any(o.text.strip().casefold() == folded for o in q.options):
                items = [value]  # one option's full text (checked before "BE" so "Bad" stays a text)
            elif len(tokens) == 1 and all(c in keys for c in tokens[0].upper()):
                items = list(tokens[0])  # "BE"
            else:
                raise fail(q, value, expected)
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = list(value)
        elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
            items = [value]
        else:
            raise fail(q, value, expected)
        if not items:
            raise fail(q, value, expected)
        result: list[str] = []
        for item in items:
            if not isinstance(item, (str, numbers.Integral)) or isinstance(item, bool):
                raise fail(q, value, expected)
            try:
                key = self.one_key(q, item, allow_bool=False)
            except AnswerError:
                raise fail(q, value, expected) from None
            if key in result:
                raise fail(q, value, f"{expected} without duplicates ({key} twice)")
            result.append(key)
        return sorted(result)

    def learner_fix(self, q: Any) -> Words:
        return Words("Question {number}: choose one or more of its options.", number=q.number)

    def unweighted_credit(self, q: Any, value: Any) -> float:
        return 1.0 if set(value) == set(q.answer) else 0.0

    def correct_normalized(self, q: Any) -> Any:
        return sorted(q.answer)

    def answer_dict(self, q: Any) -> dict[str, Any]:
        return {"answer": list(q.answer)}

    def from_page(self, q: Any, value: object) -> object:
        if not isinstance(value, list) or not value or len(value) > len(q.options):
            raise PageValueError(
                f"{q.label()}: expected a non-empty list of option indexes, found {shown(value)}"
            )
        return [option_key(q, item) for item in value]

    def read_described(self, q: Any, text: str) -> object:
        """Options' texts joined by "; " (describe), and an option's own text may hold "; ", so the
        longest run of pieces that is an option's text (or key) is taken first."""
        if "; " not in text:
            return text
        known = {o.text.strip().casefold() for o in q.options} | {o.key for o in q.options}
        pieces = text.split("; ")
        chosen: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                candidate = "; ".join(pieces[i:j])
                if candidate.strip().casefold() in known or candidate.strip() in known:
                    break
            else:
                j = i + 1  # no option: left for normalize() to refuse, naming it
            chosen.append("; ".join(pieces[i:j]))
            i = j
        return chosen[0] if len(chosen) == 1 else chosen

"""Grading of one answer for one question (the methods of ``exam.Question`` delegate here).

Kept apart from exam.py so that validation/loading and answer handling each stay small.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

from quiz_widgets.errors import AnswerError, shown

MAX_TEXT_ANSWER = 1000


def _fail(q: Any, value: object, expected: str) -> AnswerError:
    return AnswerError(f"{q.label()}: answer: found {shown(value)}, expected {expected}")


def _letters(q: Any) -> str:
    return ", ".join(o.key for o in q.options)


def _choice_expected(q: Any) -> str:
    last = len(q.options) - 1
    extra = " or True/False" if q.kind == "trueFalse" else ""
    return f"an option letter ({_letters(q)}), an option text, or an index 0..{last}{extra}"


def _one_key(q: Any, value: object, *, allow_bool: bool) -> str:
    """Map one choice (letter, option text, 0-based index, bool for trueFalse) to an option key."""
    if isinstance(value, bool):
        if not allow_bool:
            raise _fail(q, value, f"{_choice_expected(q)}; True/False only fits a trueFalse question")
        return bool_key(q.options, value)
    if isinstance(value, numbers.Integral):
        index = int(value)
        if 0 <= index < len(q.options):
            return q.options[index].key
        raise _fail(q, value, f"an index 0..{len(q.options) - 1}")
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
        raise _fail(q, value, _choice_expected(q))
    raise _fail(q, value, _choice_expected(q))


def bool_key(options: tuple, value: bool) -> str:
    """True/False -> the option titled "True"/"False", else the first/second option."""
    wanted = "true" if value else "false"
    for option in options:
        if option.text.strip().casefold() == wanted:
            return option.key
    return options[0 if value else 1].key


def _multi(q: Any, value: object) -> list[str]:
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
            raise _fail(q, value, expected)
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool):
        items = [value]
    else:
        raise _fail(q, value, expected)
    if not items:
        raise _fail(q, value, expected)
    result: list[str] = []
    for item in items:
        if not isinstance(item, (str, numbers.Integral)) or isinstance(item, bool):
            raise _fail(q, value, expected)
        try:
            key = _one_key(q, item, allow_bool=False)
        except AnswerError:
            raise _fail(q, value, expected) from None
        if key in result:
            raise _fail(q, value, f"{expected} without duplicates ({key} twice)")
        result.append(key)
    return sorted(result)


def _number(q: Any, value: object) -> float:
    expected = "a finite number, e.g. 42 or '3.5'"
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
        raise _fail(q, value, expected)
    try:
        number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError, TypeError):
        raise _fail(q, value, expected) from None
    if not math.isfinite(number):
        raise _fail(q, value, expected)
    return number


def _text(q: Any, value: object) -> str:
    expected = f"a non-empty text of at most {MAX_TEXT_ANSWER} characters"
    if not isinstance(value, str):
        raise _fail(q, value, expected)
    text = value.strip()
    if not text or len(text) > MAX_TEXT_ANSWER:
        raise _fail(q, value, expected)
    return text


def normalize(q: Any, value: object) -> str | list[str] | float:
    """Canonical form of an answer: key, sorted key list, float or trimmed text. Never mutates."""
    kind = q.kind
    if kind in ("singleChoice", "trueFalse"):
        if isinstance(value, (list, tuple, set, frozenset, dict)):
            raise _fail(q, value, f"one answer: {_choice_expected(q)}")
        return _one_key(q, value, allow_bool=kind == "trueFalse")
    if kind == "multiChoice":
        return _multi(q, value)
    if kind == "numeric":
        return _number(q, value)
    return _text(q, value)


def fold_text(text: str) -> str:
    return " ".join(text.casefold().split())


def is_correct(q: Any, normalized: object) -> bool:
    value = normalize(q, normalized)  # idempotent on normalized values, and catches misuse
    if q.kind == "multiChoice":
        return set(value) == set(q.answer)  # type: ignore[arg-type]
    if q.kind == "numeric":
        # A hair of slack so 3.24 vs 3.14 +- 0.1 is not lost to binary floating point.
        slack = 1e-9 * max(1.0, abs(q.answer))
        return abs(value - q.answer) <= q.tolerance + slack  # type: ignore[operator]
    if q.kind == "text":
        folded = fold_text(value)  # type: ignore[arg-type]
        return any(fold_text(accepted) == folded for accepted in q.answer)
    return value == q.answer[0]


def format_number(value: float) -> str:
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def describe(q: Any, normalized: object) -> str:
    """The answer as the original app writes it: option text, multi texts joined by "; "."""
    value = normalize(q, normalized)
    if q.kind == "numeric":
        return format_number(value)  # type: ignore[arg-type]
    if q.kind == "text":
        return value  # type: ignore[return-value]
    texts = {o.key: o.text for o in q.options}
    keys = value if isinstance(value, list) else [value]
    return "; ".join(texts[k] for k in sorted(keys))


def correct_normalized(q: Any) -> str | list[str] | float:
    if q.kind == "multiChoice":
        return sorted(q.answer)
    if q.kind == "numeric":
        return float(q.answer)
    return q.answer[0]

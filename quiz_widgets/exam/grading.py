"""Grading of one answer for one question (the methods of ``exam.Question`` delegate here).

Kept apart from exam.py so that validation/loading and answer handling each stay small.
"""

from __future__ import annotations

import math
import numbers
import re
from functools import lru_cache
from typing import Any

from quiz_widgets.errors import AnswerError, shown
from quiz_widgets.i18n import Words

MAX_TEXT_ANSWER = 1000
# Moodle counts an answer as right above this fraction, so 3 x 33.33333% is fully right.
FULL_CREDIT = 0.999999


def _fail(q: Any, value: object, expected: str) -> AnswerError:
    error = AnswerError(f"{q.label()}: answer: found {shown(value)}, expected {expected}")
    # What the learner is told in the view: the fix in their words, not the forms a Python call accepts.
    if q.kind == "numeric":
        error.for_learner = Words(
            "Question {number}: enter a number, such as 42, 3.5 or 22/7.", number=q.number
        )
    elif q.kind == "text":
        error.for_learner = Words(
            "Question {number}: type an answer of at most {limit} characters.",
            number=q.number,
            limit=MAX_TEXT_ANSWER,
        )
    elif q.kind == "multiChoice":
        error.for_learner = Words("Question {number}: choose one or more of its options.", number=q.number)
    else:
        error.for_learner = Words("Question {number}: choose one of its options.", number=q.number)
    return error


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


_FRACTION = re.compile(r"\s*([-+]?[0-9.eE+-]+)\s*/\s*([-+]?[0-9.eE+-]+)\s*")


def _number(q: Any, value: object) -> float:
    expected = "a finite number, e.g. 42, '3.5' or '22/7'"
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, str)):
        raise _fail(q, value, expected)
    try:
        fraction = _FRACTION.fullmatch(value) if isinstance(value, str) else None
        if fraction:  # jupyterquiz lets learners type a fraction
            number = float(fraction.group(1)) / float(fraction.group(2))
        else:
            number = float(value.strip() if isinstance(value, str) else value)
    except (ValueError, OverflowError, TypeError, ZeroDivisionError):
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


def fold_text(text: str, match_case: bool = False) -> str:
    """Trimmed, whitespace collapsed, case folded unless match_case; accents are kept (as Moodle)."""
    return " ".join((text if match_case else text.casefold()).split())


@lru_cache(maxsize=4096)
def _wildcard(pattern: str, match_case: bool) -> tuple[str, ...] | None:
    """Moodle's short-answer rule: an unescaped run of `*` matches any run of characters, `\\*` is a star.
    The literal pieces between the stars, folded; None when there is no wildcard."""
    bits = re.split(r"(?<!\\)\*+", fold_text(pattern, match_case))
    if len(bits) == 1:
        return None
    return tuple(bit.replace("\\*", "*") for bit in bits)


def _glob_match(bits: tuple[str, ...], text: str) -> bool:
    # Literal pieces found left to right: linear, unlike a regex of .* that an exam's author could make
    # backtrack for minutes.
    first, *middle, last = bits
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return False
    pos, end = len(first), len(text) - len(last)
    for bit in middle:
        found_at = text.find(bit, pos, end)
        if found_at < 0:
            return False
        pos = found_at + len(bit)
    return True


def _literal(entry: Any) -> str:
    return entry.text.replace("\\*", "*") if entry.wildcard else entry.text


def _significant(value: float, digits: int) -> float:
    # As JavaScript's toPrecision, which jupyterquiz uses.
    return float(f"{value:.{digits}g}")


def _slack(bound: float) -> float:
    # A hair of slack so 3.24 vs 3.14 +- 0.1 is not lost to binary floating point.
    return 1e-9 * max(1.0, abs(bound))


def _numeric_entry_matches(entry: Any, value: float, precision: int | None) -> bool:
    if entry.value is not None:
        target = entry.value if precision is None else _significant(entry.value, precision)
        return abs(value - target) <= entry.tolerance + _slack(target)
    if entry.min is not None and value < entry.min - _slack(entry.min):
        return False
    if entry.max is not None:
        if entry.max_exclusive:
            return value < entry.max
        return value <= entry.max + _slack(entry.max)
    return True


def _text_entry_matches(q: Any, entry: Any, answer: str) -> bool:
    case = q.match_case if entry.match_case is None else entry.match_case
    folded = fold_text(answer, case)
    bits = _wildcard(entry.text, case) if entry.wildcard else None
    if bits is None:
        return fold_text(_literal(entry), case) == folded
    return _glob_match(bits, folded)


def levenshtein(a: str, b: str, limit: int | None = None) -> int:
    """The Levenshtein distance of *a* and *b* (insertions, deletions, substitutions); above *limit* it
    stops early and returns limit + 1.

    A short dynamic programme rather than a dependency: the pure-Python packages are unmaintained (pylev,
    strsimpy) or large (textdistance), the fast ones (python-Levenshtein, rapidfuzz) are compiled, and
    the package must install from the index into Pyodide (JupyterLite) too.
    """
    if len(a) < len(b):
        a, b = b, a
    if limit is None:
        limit = len(a)
    if len(a) - len(b) > limit:
        return limit + 1
    # Only cells within *limit* of the diagonal can hold a distance <= limit (Ukkonen's band): the rest are
    # "too far" (limit + 1), so two 1000-character answers cost about 2 * limit * 1000 steps, not a million.
    far = limit + 1
    previous = [min(j, far) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        low, high = max(1, i - limit), min(len(b), i + limit)
        current = [far] * (len(b) + 1)
        current[0] = min(i, far)
        char = a[i - 1]
        for j in range(low, high + 1):
            step = previous[j - 1] + (char != b[j - 1])
            current[j] = min(previous[j] + 1, current[j - 1] + 1, step, far)
        if min(current[low - 1 : high + 1]) >= far:  # a row's minimum never falls again
            return far
        previous = current
    return previous[-1]


def similarity(a: str, b: str, threshold: float = 0.0) -> float:
    """jupyterquiz's fuzzy similarity (string.js): 1 - Levenshtein distance / the longer length, in the
    same floating-point steps, so an answer exactly at a threshold counts here as it does there. Below
    *threshold* the value is only known to be below it."""
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    # The largest distance that can still reach the threshold, plus one for rounding: checked exactly below.
    limit = int((1 - threshold) * longest) + 1
    return 1 - levenshtein(a, b, limit) / longest


def _fuzzy_entry(q: Any, answer: str) -> Any:
    """The entry most similar to the answer at or above its fuzzy threshold (similarity())."""
    best, best_ratio = None, -1.0
    for entry in q.answers:
        threshold = q.fuzzy_threshold if entry.fuzzy_threshold is None else entry.fuzzy_threshold
        if threshold is None or (entry.wildcard and _wildcard(entry.text, True) is not None):
            continue
        case = q.match_case if entry.match_case is None else entry.match_case
        ratio = similarity(fold_text(_literal(entry), case), fold_text(answer, case), threshold)
        if ratio >= threshold and ratio > best_ratio:
            best, best_ratio = entry, ratio
    return best


def _matched_entry(q: Any, value: object) -> Any:
    """The numeric/text entry deciding an answer: the first that matches in list order (Moodle); for text,
    an exact match anywhere beats a near (fuzzy) one. None when none matches."""
    if q.kind == "numeric":
        number = value if q.precision is None else _significant(value, q.precision)  # type: ignore[arg-type]
        return next((e for e in q.answers if _numeric_entry_matches(e, number, q.precision)), None)
    entry = next((e for e in q.answers if _text_entry_matches(q, e, value)), None)  # type: ignore[arg-type]
    return entry if entry is not None else _fuzzy_entry(q, value)  # type: ignore[arg-type]


def _clamp(percent: float) -> float:
    return min(1.0, max(0.0, percent / 100.0))


def credit(q: Any, normalized: object) -> float:
    """The share of the question's points an answer earns, 0..1 (Moodle's fraction)."""
    value = normalize(q, normalized)  # idempotent on normalized values, and catches misuse
    if q.answers:
        entry = _matched_entry(q, value)
        return 0.0 if entry is None else _clamp(entry.credit)
    if q.kind == "numeric":
        return 1.0 if abs(value - q.answer) <= q.tolerance + _slack(q.answer) else 0.0  # type: ignore[operator]
    if q.kind == "text":
        folded = fold_text(value, q.match_case)  # type: ignore[arg-type]
        if any(fold_text(accepted, q.match_case) == folded for accepted in q.answer):
            return 1.0
        if q.fuzzy_threshold is not None:
            return 1.0 if _fuzzy_plain(q, folded) else 0.0
        return 0.0
    chosen = value if isinstance(value, list) else [value]
    if any(o.weight is not None for o in q.options):
        weights = {o.key: o.weight or 0.0 for o in q.options}
        return _clamp(sum(weights[k] for k in chosen))
    if q.kind == "multiChoice":
        return 1.0 if set(chosen) == set(q.answer) else 0.0  # type: ignore[arg-type]
    return 1.0 if value == q.answer[0] else 0.0


def _fuzzy_plain(q: Any, folded: str) -> bool:
    threshold = q.fuzzy_threshold
    return any(
        similarity(fold_text(accepted, q.match_case), folded, threshold) >= threshold for accepted in q.answer
    )


def is_correct(q: Any, normalized: object) -> bool:
    return credit(q, normalized) > FULL_CREDIT


def feedback_for(q: Any, normalized: object) -> str | None:
    """The matched entry's feedback, else the chosen options' feedback, else incorrect_feedback when the
    answer is not fully right. None when there is nothing to say."""
    value = normalize(q, normalized)
    if q.kind in ("numeric", "text"):
        entry = _matched_entry(q, value) if q.answers else None
        if entry is not None and entry.feedback:
            return entry.feedback
    else:
        chosen = set(value if isinstance(value, list) else [value])
        texts = [o.feedback for o in q.options if o.key in chosen and o.feedback]
        if texts:
            return "\n\n".join(texts)
    if q.incorrect_feedback and credit(q, value) <= FULL_CREDIT:
        return q.incorrect_feedback
    return None


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
        return float(q.answer)  # with `answers`, exam_checks picked a number that grades fully right
    return q.answer[0]

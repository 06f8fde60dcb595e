"""text: a short answer typed by the learner, compared as Moodle's shortanswer (case folded unless
match_case, `*` wildcards in entries) or by jupyterquiz's fuzzy similarity; entries give partial credit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.exam.kinds.base import (
    MAX_TEXT_ANSWER,
    MISSING,
    Kind,
    PageValueError,
    clamp,
    fail,
    good_text,
)
from quiz_widgets.i18n import Words

__all__ = ["Text", "TextEntry", "fold_text", "levenshtein", "similarity", "wildcard_match"]

_ENTRY_KEYS = ("text", "credit", "feedback", "match_case", "fuzzy_threshold")
_FULL = 100 - 1e-4


@dataclass(frozen=True)
class TextEntry:
    """One entry of a text question's `answers`. credit 0 marks a known wrong answer with its feedback.
    match_case/fuzzy_threshold None: the question's setting."""

    text: str
    credit: float = 100.0
    feedback: str | None = None
    match_case: bool | None = None
    fuzzy_threshold: float | None = None
    # Moodle's `*` (any run of characters; `\*` is a literal star). Strings from the question's plain
    # `answer` are compared literally, as they always were.
    wildcard: bool = True


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


def wildcard_match(pattern: str, answer: str, match_case: bool = False) -> bool:
    """Whether *answer* matches a Moodle short-answer *pattern* (``*`` any run, ``\\*`` a star), whitespace
    collapsed, case folded unless match_case (cloze's short-answer blanks)."""
    folded = fold_text(answer, match_case)
    bits = _wildcard(pattern, match_case)
    if bits is None:
        return fold_text(pattern.replace("\\*", "*"), match_case) == folded
    return _glob_match(bits, folded)


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


def _literal(entry: TextEntry) -> str:
    return entry.text.replace("\\*", "*") if entry.wildcard else entry.text


def _entry_matches(q: Any, entry: TextEntry, answer: str) -> bool:
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


class Text(Kind):
    name = "text"
    own_keys = frozenset(("match_case", "fuzzy_threshold"))
    has_entries = True

    # ---------------------------------------------------------------- fields and checks

    def check_fields(self, checker: Any, raw: Mapping, where: str | None) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        match_case = raw.get("match_case")
        if match_case is not None:
            if isinstance(match_case, bool):
                extra["match_case"] = match_case
            else:
                checker.bad(where, "match_case", match_case, "true or false")
        threshold = raw.get("fuzzy_threshold")
        if threshold is not None and checker.fuzzy(where, "fuzzy_threshold", threshold):
            extra["fuzzy_threshold"] = float(threshold)
        return extra

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        value = raw.get("answer", MISSING)
        accepted = value if isinstance(value, list) else [value]
        if accepted and all(good_text(a) for a in accepted):
            return tuple(a.strip() for a in accepted)
        checker.bad(
            where, "answer", value, f"a non-empty string (<= {MAX_TEXT_ANSWER} chars) or a list of them"
        )
        return None

    def check_entry(self, checker: Any, where: str | None, name: str, entry: object) -> TextEntry | None:
        if not checker.entry_keys(where, name, entry, _ENTRY_KEYS):
            return None
        assert isinstance(entry, Mapping)
        before = len(checker.problems)
        credit, feedback = checker.entry_common(where, name, entry)
        text = entry.get("text", MISSING)
        # A star escaped as `\*` is one character a learner types.
        if not (isinstance(text, str) and good_text(text.replace("\\*", "*"))):
            checker.bad(
                where,
                f"{name}.text",
                text,
                f"an accepted answer (a non-empty string, <= {MAX_TEXT_ANSWER} chars)",
            )
        match_case = entry.get("match_case")
        if match_case is not None and not isinstance(match_case, bool):
            checker.bad(where, f"{name}.match_case", match_case, "true or false")
        threshold = entry.get("fuzzy_threshold")
        if threshold is not None and checker.fuzzy(where, f"{name}.fuzzy_threshold", threshold):
            threshold = float(threshold)
        if len(checker.problems) > before:
            return None
        return TextEntry(text.strip(), credit, feedback, match_case, threshold)

    def candidates(self, entries: tuple) -> list:
        return [
            entry.text.replace("\\*", "*") if entry.wildcard else entry.text
            for entry in entries
            if entry.credit >= _FULL
        ]

    def derived_answer(self, checker: Any, options: tuple, entries: tuple) -> Any:
        candidates = self.candidates(entries)
        return tuple(candidates) if candidates else None

    def with_plain_answer(self, entries: tuple, answer: Any, tolerance: float) -> tuple:
        return (*entries, *(TextEntry(a, wildcard=False) for a in answer))

    def candidate_answer(self, question: Any, candidate: Any) -> Any:
        # The candidate first, the other accepted answers after it.
        return (candidate, *(a for a in question.answer if a != candidate))

    # ---------------------------------------------------------------- grading

    def normalize(self, q: Any, value: object) -> str:
        expected = f"a non-empty text of at most {MAX_TEXT_ANSWER} characters"
        if not isinstance(value, str):
            raise fail(q, value, expected)
        text = value.strip()
        if not text or len(text) > MAX_TEXT_ANSWER:
            raise fail(q, value, expected)
        return text

    def learner_fix(self, q: Any) -> Words:
        return Words(
            "Question {number}: type an answer of at most {limit} characters.",
            number=q.number,
            limit=MAX_TEXT_ANSWER,
        )

    def _fuzzy_entry(self, q: Any, answer: str) -> TextEntry | None:
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

    def matched_entry(self, q: Any, value: str) -> TextEntry | None:
        """The first entry that matches in list order (Moodle); an exact match anywhere beats a near
        (fuzzy) one. None when none matches."""
        entry = next((e for e in q.answers if _entry_matches(q, e, value)), None)
        return entry if entry is not None else self._fuzzy_entry(q, value)

    def credit(self, q: Any, value: Any) -> float:
        if q.answers:
            entry = self.matched_entry(q, value)
            return 0.0 if entry is None else clamp(entry.credit)
        folded = fold_text(value, q.match_case)
        if any(fold_text(accepted, q.match_case) == folded for accepted in q.answer):
            return 1.0
        threshold = q.fuzzy_threshold
        if threshold is not None and any(
            similarity(fold_text(accepted, q.match_case), folded, threshold) >= threshold
            for accepted in q.answer
        ):
            return 1.0
        return 0.0

    def feedback_for(self, q: Any, value: Any) -> str | None:
        entry = self.matched_entry(q, value) if q.answers else None
        return entry.feedback if entry is not None and entry.feedback else None

    def correct_normalized(self, q: Any) -> str:
        return q.answer[0]

    # ---------------------------------------------------------------- files

    def describe(self, q: Any, value: Any) -> str:
        return value

    def answer_dict(self, q: Any) -> dict[str, Any]:
        return {"answer": list(q.answer)}

    def entry_dict(self, entry: Any) -> dict[str, Any]:
        defaults = TextEntry(entry.text)
        d = {
            name: getattr(entry, name)
            for name in entry.__dataclass_fields__
            if getattr(entry, name) != getattr(defaults, name) or name == "text"
        }
        if not entry.wildcard:
            # A literal text written as an entry: escape its stars so it stays literal.
            d.pop("wildcard")
            d["text"] = entry.text.replace("*", "\\*")
        return d

    # ---------------------------------------------------------------- the page

    def from_page(self, q: Any, value: object) -> object:
        if not isinstance(value, str):
            raise PageValueError(f"{q.label()}: expected text, found {shown(value)}")
        if len(value) > MAX_TEXT_ANSWER:
            raise PageValueError(
                f"{q.label()}: answer is {len(value):,} characters, at most {MAX_TEXT_ANSWER:,} allowed"
            )
        return value

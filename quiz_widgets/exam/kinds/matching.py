"""matching: left items, each matched to one right-hand choice (Moodle's matching question). The right
choices are the pairs' right texts plus distractors (texts that match nothing), shown shuffled (seeded,
kept in the session); credit is the share of right pairs, as Moodle grades it.

In the model: ``left`` holds the left texts, ``options`` the right choices (keys A.., the author's order),
``answer`` one choice key per left item. An answer is {left text: right text}.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.exam.kinds.base import MISSING, Kind, PageValueError, fail, good_text
from quiz_widgets.i18n import Words

__all__ = ["Matching"]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ARROW = " → "


def _text(value: object) -> object:
    # YAML reads `1: one` with a number key: a number is its text, anything else stays to be named.
    return str(value) if type(value) in (int, float) else value


class Matching(Kind):
    name = "matching"
    own_keys = frozenset(("pairs", "distractors"))
    shuffled_always = True

    # ---------------------------------------------------------------- fields and checks

    def check_fields(self, checker: Any, raw: Mapping, where: str | None) -> dict[str, Any]:
        pairs = raw.get("pairs", MISSING)
        expected = "at least 2 pairs {left: right} of non-empty texts, e.g. {'S3': 'Object storage', ...}"
        if not isinstance(pairs, Mapping) or len(pairs) < 2:
            checker.bad(where, "pairs", pairs, expected)
            return {}
        before = len(checker.problems)
        lefts: list[str] = []
        seen: set[str] = set()
        for left, right in pairs.items():
            left, right = _text(left), _text(right)
            if not good_text(left):
                checker.bad(where, "pairs", left, "a left item that is a non-empty text")
            elif left.strip().casefold() in seen:
                checker.bad(
                    where, "pairs", left, "left items that differ from each other (this one is twice)"
                )
            elif not good_text(right):
                checker.bad(where, f"pairs.{left}", right, "the matching right text (a non-empty string)")
            else:
                seen.add(left.strip().casefold())
                lefts.append(left.strip())
        distractors = raw.get("distractors") or []
        if not isinstance(distractors, list) or not all(good_text(_text(d)) for d in distractors):
            checker.bad(where, "distractors", raw.get("distractors"), "a list of non-empty texts")
            distractors = []
        if len(checker.problems) > before:
            return {}
        choices: list[str] = []
        folded: set[str] = set()
        for right in pairs.values():  # a right text two left items share is one choice, as in Moodle
            text = str(_text(right)).strip()
            if text.casefold() not in folded:
                folded.add(text.casefold())
                choices.append(text)
        for distractor in distractors:
            text = str(_text(distractor)).strip()
            if text.casefold() in folded:
                checker.bad(
                    where,
                    "distractors",
                    distractor,
                    "texts different from the pairs' right texts and each other",
                )
                return {}
            folded.add(text.casefold())
            choices.append(text)
        if len(choices) > len(LETTERS):
            checker.bad(
                where, "pairs", pairs, f"at most {len(LETTERS)} right-hand choices (distractors included)"
            )
            return {}
        return {"left": tuple(lefts), "choices": tuple(zip(LETTERS, choices, strict=False))}

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        if "answer" in raw:
            checker.bad(where, "answer", raw["answer"], "no answer (a matching question's pairs are its key)")
            return None
        if not options:
            if raw.get("pairs") is None:
                checker.bad(where, "pairs", MISSING, "at least 2 pairs {left: right} of non-empty texts")
            return None  # else the pairs' problem is reported already
        key_of = {o.text.casefold(): o.key for o in options}
        return tuple(key_of[str(_text(right)).strip().casefold()] for right in raw["pairs"].values())

    # ---------------------------------------------------------------- grading

    def _right_text(self, q: Any, value: object, left: str) -> str:
        if isinstance(value, str):
            folded = value.strip().casefold()
            for option in q.options:
                if option.text.casefold() == folded:
                    return option.text
        raise fail(
            q,
            value,
            f"for {left!r} one of the right-hand choices: " + ", ".join(repr(o.text) for o in q.options),
        )

    def normalize(self, q: Any, value: object) -> dict[str, str]:
        expected = "an object {left item: right-hand choice} with every left item: " + ", ".join(
            map(repr, q.left)
        )
        if isinstance(value, (list, tuple)) and len(value) == len(q.left):
            value = dict(zip(q.left, value, strict=True))  # the right texts in the left items' order
        if not isinstance(value, Mapping):
            raise fail(q, value, expected)
        by_folded = {left.casefold(): left for left in q.left}
        result: dict[str, str] = {}
        for given_left, right in value.items():
            left = by_folded.get(given_left.strip().casefold()) if isinstance(given_left, str) else None
            if left is None or left in result:
                raise fail(q, value, expected)
            result[left] = self._right_text(q, right, left)
        if len(result) != len(q.left):
            missing = [left for left in q.left if left not in result]
            raise fail(q, value, f"{expected} (missing: {', '.join(map(repr, missing))})")
        return {left: result[left] for left in q.left}

    def _key(self, q: Any) -> dict[str, str]:
        text_of = {o.key: o.text for o in q.options}
        return {left: text_of[key] for left, key in zip(q.left, q.answer, strict=True)}

    def credit(self, q: Any, value: Any) -> float:
        key = self._key(q)
        return sum(value[left] == right for left, right in key.items()) / len(key)

    def correct_normalized(self, q: Any) -> dict[str, str]:
        return self._key(q)

    def learner_fix(self, q: Any) -> Words:
        return Words("Question {number}: choose a match for every item.", number=q.number)

    # ---------------------------------------------------------------- files

    def answer_items(self, q: Any, value: Any, rich: Any) -> list[dict[str, Any]]:
        """One pair a line: the left item rendered as the question shows it, the choice as plain text (a
        select shows text only); ``right``: the pair is a right one."""
        key = self._key(q)
        return [
            {
                "key": "",
                "text": f"{left}{ARROW}{right}",
                "html": rich(left).strip() + html.escape(ARROW + right),
                "right": key.get(left) == right,
            }
            for left, right in value.items()
        ]

    def describe(self, q: Any, value: Any) -> str:
        return "; ".join(f"{left}{ARROW}{right}" for left, right in value.items())

    def read_described(self, q: Any, text: str) -> object:
        pairs: dict[str, str] = {}
        rest = text
        for i, left in enumerate(q.left):
            prefix = f"{left}{ARROW}"
            if not rest.startswith(prefix):
                return text  # normalize() names it
            rest = rest[len(prefix) :]
            if i + 1 < len(q.left):
                end = rest.find(f"; {q.left[i + 1]}{ARROW}")
                if end < 0:
                    return text
                pairs[left], rest = rest[:end], rest[end + 2 :]
            else:
                pairs[left] = rest
        return pairs

    def wrong_part(self, q: Any, text: str) -> str:
        """Only the wrong pairs of a described answer: what most_chosen_wrong names."""
        value = self.read_described(q, text)
        if not isinstance(value, dict):
            return text
        key = self._key(q)
        return (
            "; ".join(f"{left}{ARROW}{right}" for left, right in value.items() if key.get(left) != right)
            or text
        )

    def answer_dict(self, q: Any) -> dict[str, Any]:
        key = self._key(q)
        distractors = [o.text for o in q.options if o.text not in set(key.values())]
        return {"pairs": key, **({"distractors": distractors} if distractors else {})}

    # ---------------------------------------------------------------- the page

    def page_fields(self, q: Any, shown_q: Any, rich: Any) -> dict[str, Any]:
        return {"left": [{"text": left, "html": rich(left)} for left in q.left]}

    def from_page(self, q: Any, value: object) -> object:
        """One index into the shown choices per left item, in the left items' order."""
        if not isinstance(value, list) or len(value) != len(q.left):
            raise PageValueError(
                f"{q.label()}: expected one choice index per left item, found {shown(value)}"
            )
        result = {}
        for left, index in zip(q.left, value, strict=True):
            if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(q.options):
                raise PageValueError(
                    f"{q.label()}: choice index for {left!r} must be 0..{len(q.options) - 1}, found {shown(index)}"
                )
            result[left] = q.options[index].text
        return result

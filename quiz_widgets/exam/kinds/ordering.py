"""ordering: items the learner puts in order (Moodle's ordering question). Shown shuffled (seeded, kept in
the session, never in the right order); credit is the share of items in their absolute right place.

In the model: ``options`` holds the items in the right order (keys A..), ``answer`` their keys in that
order. An answer is the list of item texts in the learner's order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.exam.kinds.base import MISSING, Kind, PageValueError, fail, good_text
from quiz_widgets.i18n import Words

__all__ = ["Ordering"]

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEPARATOR = "; "


class Ordering(Kind):
    name = "ordering"
    own_keys = frozenset(("items",))
    shuffled_always = True

    # ---------------------------------------------------------------- fields and checks

    def check_fields(self, checker: Any, raw: Mapping, where: str | None) -> dict[str, Any]:
        items = raw.get("items", MISSING)
        expected = f"a list of 2 to {len(LETTERS)} different non-empty texts, in the right order"
        if not isinstance(items, list) or not 2 <= len(items) <= len(LETTERS):
            checker.bad(where, "items", items, expected)
            return {}
        items = [str(i) if type(i) in (int, float) else i for i in items]
        seen: set[str] = set()
        for n, item in enumerate(items):
            if not good_text(item):
                checker.bad(where, f"items[{n}]", item, "a non-empty text")
                return {}
            if item.strip().casefold() in seen:
                checker.bad(
                    where, f"items[{n}]", item, "items that differ from each other (this one is twice)"
                )
                return {}
            seen.add(item.strip().casefold())
        return {"choices": tuple(zip(LETTERS, (i.strip() for i in items), strict=False))}

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        if "answer" in raw:
            checker.bad(
                where,
                "answer",
                raw["answer"],
                "no answer (an ordering question's items are in the right order)",
            )
            return None
        if not options:
            if raw.get("items") is None:
                checker.bad(
                    where, "items", MISSING, "a list of 2 or more different texts, in the right order"
                )
            return None
        return tuple(o.key for o in options)

    # ---------------------------------------------------------------- grading

    def normalize(self, q: Any, value: object) -> list[str]:
        expected = "a list of every item's text, each once, in your order: " + ", ".join(
            repr(o.text) for o in q.options
        )
        if not isinstance(value, (list, tuple)) or len(value) != len(q.options):
            raise fail(q, value, expected)
        by_folded = {o.text.casefold(): o.text for o in q.options}
        result = []
        for item in value:
            text = by_folded.get(item.strip().casefold()) if isinstance(item, str) else None
            if text is None or text in result:
                raise fail(q, value, expected)
            result.append(text)
        return result

    def credit(self, q: Any, value: Any) -> float:
        right = [o.text for o in q.options]
        return sum(a == b for a, b in zip(value, right, strict=True)) / len(right)

    def correct_normalized(self, q: Any) -> list[str]:
        return [o.text for o in q.options]

    def learner_fix(self, q: Any) -> Words:
        return Words("Question {number}: put every item in order.", number=q.number)

    # ---------------------------------------------------------------- files

    def answer_items(self, q: Any, value: Any, rich: Any) -> list[dict[str, Any]]:
        """The items in the answer's order, numbered by place, rendered as the question shows them; ``right``:
        the item is in its right place."""
        key = self.correct_normalized(q)
        return [
            {"key": str(i), "text": item, "html": rich(item), "right": i <= len(key) and key[i - 1] == item}
            for i, item in enumerate(value, 1)
        ]

    def describe(self, q: Any, value: Any) -> str:
        return SEPARATOR.join(value)

    def read_described(self, q: Any, text: str) -> object:
        """The items joined by "; " (an item's own text may hold "; "): the longest known item first."""
        known = {o.text for o in q.options}
        pieces = text.split(SEPARATOR)
        result: list[str] = []
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                if SEPARATOR.join(pieces[i:j]) in known:
                    break
            else:
                return text  # normalize() names it
            result.append(SEPARATOR.join(pieces[i:j]))
            i = j
        return result

    def answer_dict(self, q: Any) -> dict[str, Any]:
        return {"items": [o.text for o in q.options]}

    # ---------------------------------------------------------------- the page

    def from_page(self, q: Any, value: object) -> object:
        """The shown items' indexes in the learner's order (a permutation)."""
        n = len(q.options)
        if (
            not isinstance(value, list)
            or any(isinstance(i, bool) or not isinstance(i, int) for i in value)
            or sorted(value) != list(range(n))
        ):
            raise PageValueError(
                f"{q.label()}: expected the item indexes 0..{n - 1}, each once, found {shown(value)}"
            )
        return [q.options[i].text for i in value]

"""What every bank format shares (GIFT, Moodle XML, QTI): Moodle's constants and the skipped-item record.

It imports nothing from the formats' own packages, so any reader or writer can be imported first.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CATEGORY_SPLIT", "LETTERS", "MOODLE_GRADES", "NUMBER", "OPEN_END", "Skipped", "warn_skipped"]

NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)  # PHP's is_numeric, minus hex
CATEGORY_SPLIT = re.compile(r"(?<!/)/(?!/)")  # Moodle writes a "/" inside a category name as "//"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Moodle's import refuses (by default) a weight not in this list; the writers warn about the others.
MOODLE_GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
                  14.28571, 12.5, 11.11111, 10, 5, 0)  # fmt: skip
OPEN_END = 1e9  # how far a writer puts the missing end of an open numeric range


@dataclass(frozen=True)
class Skipped:
    """An item quiz_widgets cannot represent: where it starts, what it is and why it was left out."""

    line: int
    what: str
    why: str
    title: str | None = None

    def message(self, source: str) -> str:
        named = f" {self.title!r}" if self.title else ""
        return f"{source}, line {self.line}: skipped {self.what}{named}: {self.why}"


def warn_skipped(skipped: Iterable[Skipped], source: str) -> None:
    """One UserWarning per skipped item, "FILE, line N: skipped ...: why"."""
    for item in skipped:
        warnings.warn(item.message(source), UserWarning, stacklevel=2)

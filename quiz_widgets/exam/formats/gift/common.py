"""What the GIFT reader and writer share beyond formats/common.py: GIFT's own escapes and markers."""

from __future__ import annotations

import re

from quiz_widgets.exam.formats.common import (
    CATEGORY_SPLIT,
    LETTERS,
    MOODLE_GRADES,
    NUMBER,
    OPEN_END,
    Skipped,
    warn_skipped,
)

__all__ = [
    "BLANK",
    "CATEGORY_SPLIT",
    "ESCAPE",
    "FORMATS",
    "LETTERS",
    "MOODLE_GRADES",
    "NUMBER",
    "OPEN_END",
    "PHP_SPACE",
    "TRUE_FALSE",
    "WEIGHT",
    "Skipped",
    "warn_skipped",
]

BLANK = "_____"  # what Moodle puts where a missing-word item's answer block was
PHP_SPACE = " \t\n\r\0\x0b"  # PHP's trim() set: Python's strip() would also eat NBSP and friends
ESCAPE = re.compile(r"\\([\\:#={}~n])")
WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")  # Moodle's $giftanswerweightregex, anchored by match()
FORMATS = {"moodle": "html", "html": "html", "plain": "plain", "markdown": "markdown"}
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}

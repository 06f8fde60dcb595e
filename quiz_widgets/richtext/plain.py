"""Telling plain text from Markdown, so the original app's questions look exactly as they do today.

The original app's exams are plain strings ("Which AWS service ... (Choose TWO)", "2*3*4", "a_b_c"),
and Markdown would change some of them ("2*3*4" has an emphasis in CommonMark, single newlines would
join lines). So Markdown is only used when the text shows a construct an author writes on purpose; all
other text is shown as it is (escaped, line breaks kept). The test is a handful of regular expressions,
cheap enough to run on every question.
"""

from __future__ import annotations

import re

_SIGNALS = re.compile(
    "|".join(
        [
            # Block constructs at the start of a line: heading, quote, list item, fence, table rule.
            r"^ {0,3}(?:#{1,6}[ \t]|>|[-+*][ \t]+\S|\d{1,9}[.)][ \t]+\S|```|~~~)",
            r"^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|",
            r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$",
            # Inline code, strong and emphasis with word boundaries (so "2*3*4" and "a_b_c" stay plain),
            # strikethrough.
            r"`[^`\n]+`",
            r"(?<![\w*])\*{1,3}(?=[^\s*])[^*\n]*?(?<=[^\s*])\*{1,3}(?![\w*])",
            r"(?<![\w_])_{1,3}(?=[^\s_])[^_\n]*?(?<=[^\s_])_{1,3}(?![\w_])",
            r"~~(?=\S)[^~\n]*?(?<=\S)~~",
            # Links, images, reference definitions, autolinks.
            r"!?\[[^\]\n]*\]\(",
            r"\[[^\]\n]+\]\[[^\]\n]*\]",
            r"^ {0,3}\[[^\]\n]+\]:",
            r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>",
            # Math by pandoc's rules: "$x$" but not "$5 and $10"; and display "$$".
            r"(?<![\\\d$])\$(?=[^\s$])(?:[^$\n\\]|\\.)*?(?<=[^\s\\$])\$(?![\d$])",
            r"\$\$",
            # A backslash escape of punctuation is Markdown on purpose ("\*not emphasis\*").
            r"\\[!-/:-@\[-`{-~]",
        ]
    ),
    re.MULTILINE,
)


def is_plain(text: str) -> bool:
    """True when *text* has no deliberate Markdown or math, so it is shown exactly as written."""
    return _SIGNALS.search(text) is None

"""TeX in an author's HTML drawn as MathML: ``\\(...\\)`` inline and ``\\[...\\]`` displayed.

These are MathJax's delimiters: jupyterquiz rewrites its ``$...$`` to them before MathJax draws a bank's HTML
(exam/formats/jupyterquiz.py does the same), and Moodle's MathJax filter reads them in an HTML question.
Text inside ``<pre>``, ``<code>``, ``<script>``, ``<style>`` and ``<textarea>`` is left alone, as MathJax
skips those elements. Math is HTML text, so its entities are decoded before TeX reads it. The fragment is
sanitized afterwards like any other HTML; only the math changes here.
"""

from __future__ import annotations

import html
import re

__all__ = ["math_in_html"]

# Linear on hostile text: an unclosed comment or tag runs to the end instead of being retried at each "<".
_TAG = re.compile(r"<!--(?:.*?-->|.*\Z)|<[A-Za-z/!?][^>]*(?:>|\Z)", re.DOTALL)
_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)")
_CLOSE = {"(": "\\)", "[": "\\]"}
_SKIPPED = frozenset({"pre", "code", "script", "style", "textarea"})


def _draw(text: str) -> str:
    """*text* with each \\(...\\) and \\[...\\] as MathML. One pass: the next opener of each kind is kept,
    and a kind whose closer never comes again is dropped, so no stretch of text is scanned twice."""
    ahead = {kind: text.find("\\" + kind) for kind in _CLOSE}
    if all(at < 0 for at in ahead.values()):
        return text
    from .tex import render_tex  # latex2mathml's import cost, only when there is math

    out: list[str] = []
    position = 0
    while True:
        for kind, at in ahead.items():
            if 0 <= at < position:
                ahead[kind] = text.find("\\" + kind, position)
        found = [(at, kind) for kind, at in ahead.items() if at >= 0]
        if not found:
            break
        start, kind = min(found)
        end = text.find(_CLOSE[kind], start + 2)
        if end < 0:
            ahead[kind] = -1  # no closer after this opener, so none after any later one either
            continue
        tex = html.unescape(text[start + 2 : end]).strip()
        out.append(text[position:start])
        out.append(render_tex(tex, display=kind == "[") if tex else text[start : end + 2])
        position = end + 2
    out.append(text[position:])
    return "".join(out)


def math_in_html(fragment: str) -> str:
    """*fragment* with each ``\\(...\\)`` and ``\\[...\\]`` in its text (outside skipped elements) as MathML."""
    if "\\(" not in fragment and "\\[" not in fragment:
        return fragment
    out: list[str] = []
    depth = 0  # how many skipped elements are open here
    position = 0
    for tag in _TAG.finditer(fragment):
        text = fragment[position : tag.start()]
        out.append(text if depth else _draw(text))
        name = _NAME.match(tag.group())
        if name and name.group(2).lower() in _SKIPPED and not tag.group().endswith("/>"):
            depth = max(0, depth - 1) if name.group(1) else depth + 1
        out.append(tag.group())
        position = tag.end()
    rest = fragment[position:]
    out.append(rest if depth else _draw(rest))
    return "".join(out)

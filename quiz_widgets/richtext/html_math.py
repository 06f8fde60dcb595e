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

_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.DOTALL)
_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)")
_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_SKIPPED = frozenset({"pre", "code", "script", "style", "textarea"})


def _draw(text: str) -> str:
    from .tex import render_tex  # latex2mathml's import cost, only when there is math

    def one(match: re.Match[str]) -> str:
        display = match.group(2) is not None
        tex = html.unescape(match.group(2) if display else match.group(1)).strip()
        return render_tex(tex, display=display) if tex else match.group(0)

    return _MATH.sub(one, text)


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

"""Markdown (CommonMark + tables + strikethrough) with $math$ and fenced code, to unsanitized HTML.

The caller sanitizes the result. Raw HTML in Markdown is off (shown as text), math follows pandoc's rules
(so "$5 and $10" stays text), fences are coloured by highlight.py, images become data URIs or alt text.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .images import ImageFile, load_image

_ALIGN = {"text-align:left": "qw-align-left", "text-align:center": "qw-align-center",
          "text-align:right": "qw-align-right"}  # fmt: skip


def _align_classes(state: StateCore) -> None:
    # markdown-it aligns table cells with a style attribute; styles are never allowed, classes are.
    for token in state.tokens:
        if token.type in ("th_open", "td_open") and token.attrs.get("style") in _ALIGN:
            token.attrs["class"] = _ALIGN[str(token.attrs.pop("style"))]


def _math(display: bool) -> Callable[..., str]:
    def rule(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
        from .tex import render_tex  # latex2mathml only for text with math (its import is slow in Pyodide)

        out = render_tex(tokens[idx].content.strip(), display=display)
        return out + "\n" if tokens[idx].block else out

    return rule


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    from .highlight import highlight_code  # Pygments' lexers only for text with code

    return highlight_code(tokens[idx].content, tokens[idx].info)


def _code_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    from .highlight import highlight_code

    return highlight_code(tokens[idx].content)


def _image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    result = load_image(str(token.attrs.get("src", "")), env.get("base_dir"))
    if result.uri is None:
        env.setdefault("refused", []).append((str(token.attrs.get("src", "")), result.reason))
        return html.escape(alt)
    if result.source is not None:
        env.setdefault("images", []).append(result.source)
    title = token.attrs.get("title")
    title_attr = f' title="{html.escape(str(title))}"' if title else ""
    return f'<img src="{result.uri}" alt="{html.escape(alt)}"{title_attr}>'


@cache
def parser() -> MarkdownIt:
    """The one configured parser (building it costs about a millisecond, so it is built once)."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    # Pandoc's rules: no space inside the dollars, no digit right after the closing one.
    md.use(dollarmath_plugin, allow_labels=False, allow_space=False, allow_digits=False, double_inline=True)
    md.core.ruler.push("qw_align_classes", _align_classes)
    md.add_render_rule("math_inline", _math(False))
    md.add_render_rule("math_inline_double", _math(True))
    md.add_render_rule("math_block", _math(True))
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _code_block)
    md.add_render_rule("image", _image)
    return md


def markdown_html(text: str, base_dir: Path | None) -> tuple[str, list[ImageFile], list[tuple[str, str]]]:
    """(HTML, image files read, images refused with why) for *text*."""
    env: dict[str, Any] = {"base_dir": base_dir, "images": [], "refused": []}
    out = parser().render(text, env)
    return out, env["images"], env["refused"]

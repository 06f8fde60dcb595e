"""Fenced code coloured by Pygments with prefixed CSS classes (coloured by code.css, never inline styles)."""

from __future__ import annotations

import html
from functools import lru_cache

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .allowlist import CLASS_PREFIX, CODE_CLASS

_FORMATTER = HtmlFormatter(classprefix=CLASS_PREFIX, nowrap=True)
_LANGUAGE_MAX = 40


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_code(code: str, info: str = "") -> str:
    """``<pre class="qw-code"><code>`` with coloured spans; unknown languages are shown uncoloured.

    Only the first word of the fence's info string names the language, and it is only ever looked up,
    never written to the page, so a language name carrying HTML changes nothing.
    """
    language = info.strip().split(maxsplit=1)[0].lower() if info.strip() else ""
    lexer = _lexer(language) if language and len(language) <= _LANGUAGE_MAX else None
    body = html.escape(code) if lexer is None else highlight(code, lexer, _FORMATTER)
    return f'<pre class="{CODE_CLASS}"><code>{body}</code></pre>\n'

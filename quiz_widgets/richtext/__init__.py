"""Rich text for exam text: Markdown, math and code rendered in the kernel, sanitized before the page.

Self-contained (it imports only quiz_widgets.errors), so the view can call it per question::

    from quiz_widgets.richtext import render, stylesheet
    html = render(question.text, fmt="markdown", base_dir=exam.source.parent)

The page then puts the fragment with innerHTML into an element of class ``qw-rich`` and adds
``stylesheet()`` once. Nothing in the
fragment runs as script, carries an event handler or fetches anything.
"""

from __future__ import annotations

from importlib.resources import files

from .allowlist import ALLOWED_TAGS
from .images import IMAGE_MAX_BYTES, RASTER_TYPES
from .plain import is_plain
from .render import FORMATS, cache_info, clear_cache, render
from .sanitize import LINK_SCHEMES, plain_html, sanitize, sanitizer_available


def stylesheet() -> str:
    """CSS for rendered fragments: code colours from JupyterLab's theme variables, table alignment."""
    here = files(__name__)
    return "\n".join((here / name).read_text(encoding="utf-8") for name in ("richtext.css", "code.css"))


__all__ = [
    "ALLOWED_TAGS",
    "FORMATS",
    "IMAGE_MAX_BYTES",
    "LINK_SCHEMES",
    "RASTER_TYPES",
    "cache_info",
    "clear_cache",
    "is_plain",
    "plain_html",
    "render",
    "sanitize",
    "sanitizer_available",
    "stylesheet",
]

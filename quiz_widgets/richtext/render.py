"""render(): exam text in one of three formats to a sanitized HTML fragment, cached per text."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

from ..errors import ExamError, shown
from .cache import RenderCache, Rendered
from .html_math import math_in_html
from .images import ImageFile
from .plain import is_plain
from .sanitize import plain_html, sanitize, sanitizer_available

FORMATS = ("markdown", "html", "plain")
_CACHE = RenderCache()


def render(text: str, *, fmt: str = "markdown", base_dir: str | os.PathLike | None = None) -> str:
    """Exam text -> an HTML fragment that is safe to put in the page as it is.

    ``fmt`` is "markdown" (CommonMark, tables, strikethrough, $math$ as MathML, coloured fenced code,
    images next to the exam; text with no Markdown in it is shown exactly as "plain"), "html" (an
    author's HTML, e.g. a GIFT [html] item, cleaned) or "plain" (escaped text, each line break a <br>).
    Images are read from files under *base_dir* only. Results are cached, so call it when a question is
    shown rather than for a whole exam up front. Without nh3 every format gives escaped plain text.
    """
    if not isinstance(text, str):
        raise ExamError(f"rich text: found {shown(text)}, expected a string")
    if fmt not in FORMATS:
        raise ExamError(f"rich text format: found {shown(fmt)}, expected one of {', '.join(FORMATS)}")
    base = None if base_dir is None else Path(base_dir)
    key = (text, fmt, None if base is None else os.fspath(base))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit.html
    entry = _render_uncached(text, fmt, base)
    _CACHE.put(key, entry)
    return entry.html


def _render_uncached(text: str, fmt: str, base: Path | None) -> Rendered:
    if fmt == "plain" or (fmt == "markdown" and is_plain(text)) or not sanitizer_available():
        return Rendered(plain_html(text))
    images: list[ImageFile] = []
    refused: list[tuple[str, str]] = []
    if fmt == "markdown":
        # Imported here: markdown-it, Pygments and latex2mathml cost about 100 ms to import, which plain
        # questions (every question of the original app's exams) never pay.
        from .markdown import markdown_html

        fragment, images, refused = markdown_html(text, base)
    else:
        fragment = math_in_html(text)  # \( \) and \[ \] as jupyterquiz's and Moodle's MathJax draw them
    out = sanitize(
        fragment, base_dir=base, images=images, on_refused=lambda src, why: refused.append((src, why))
    )
    for src, why in refused:
        # Shown as its alt text; the author learns why once (the result is cached).
        warnings.warn(f"image {shown(src)} not shown: {why}", UserWarning, stacklevel=3)
    return Rendered(out, tuple(images))


def clear_cache() -> None:
    _CACHE.clear()


def cache_info() -> dict[str, int]:
    """Entries, characters held, hits and misses of the render cache."""
    return _CACHE.info()

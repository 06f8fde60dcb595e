"""The allow-list (allowlist.py) every rendered fragment passes through, by nh3 or, where nh3 cannot be
installed (JupyterLite's Pyodide), by the pure-Python cleaner in pure.py that applies the same list.

Whatever produced the HTML (our Markdown renderer, an author's [html] item, latex2mathml), this is the last
step before the page: only the tags, attributes, classes and URLs listed there survive. Links may only
point to http, https or mailto and open in a new tab without an opener; images only as raster data URIs.
Both cleaners share the attribute filter below, so a URL or a colour is judged by the same code.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import ModuleType

from .allowlist import (
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ATTRIBUTES,
    DROPPED_WITH_CONTENT,
    LINK_REL,
    LINK_SCHEMES,
    LINK_TARGET,
)
from .images import ImageFile, check_data_uri, load_image

BACKENDS = ("nh3", "pure")
# nh3 checks schemes before our filter sees a value; "data" must pass that first gate so the filter can
# admit raster data URIs on <img src> (and nothing else).
_NH3_SCHEMES = LINK_SCHEMES | {"data"}
# Browsers ignore ASCII whitespace and control characters inside a URL's scheme ("java\tscript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_COLOR = re.compile(r"#?[A-Za-z0-9]{1,20}")


def link_scheme_ok(value: str) -> bool:
    """True when *value* is an absolute http, https or mailto URL (what an <a href> may hold)."""
    m = _SCHEME.match(_URL_NOISE.sub("", value).lower())
    return m is not None and m.group(1) in LINK_SCHEMES


@cache
def backend() -> str | None:
    """Which cleaner applies the allow-list: "nh3", "pure" (justhtml, pure Python) or None (escaped text)."""
    try:
        import nh3  # noqa: F401
    except ImportError:
        pass
    else:
        return "nh3"
    try:
        import justhtml  # noqa: F401
    except ImportError:
        # Neither is installed. Escaped text is always safe, so rich text degrades to it.
        warnings.warn(
            "quiz_widgets.richtext: neither nh3 nor justhtml is installed, so exam text is shown as plain "
            "escaped text (Markdown, math, code colours and images are off)",
            UserWarning,
            stacklevel=3,
        )
        return None
    return "pure"


def _nh3() -> ModuleType:
    import nh3

    return nh3


def sanitizer_available() -> bool:
    """False when no sanitizer can be imported (render() then gives escaped plain text)."""
    return backend() is not None


def plain_html(text: str) -> str:
    """Escaped text with its line breaks as <br> (the "plain" format, and the fallback without nh3)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "<br>\n".join(html.escape(line, quote=False) for line in lines)


def _attribute_filter(
    base_dir: Path | None, images: list[ImageFile], on_refused: Callable[[str, str], None]
) -> Callable[[str, str, str], str | None]:
    def keep(tag: str, attr: str, value: str) -> str | None:
        if tag == "a" and attr == "href":
            return value if link_scheme_ok(value) else None
        if tag == "img" and attr == "src":
            if check_data_uri(value):
                return value
            # An author's <img src="figure.png"> in an [html] item: the same rules as Markdown images.
            result = load_image(value, base_dir)
            if result.uri is None:
                on_refused(value, result.reason)
                return None
            if result.source is not None:
                images.append(result.source)
            return result.uri
        if attr in ("mathcolor", "mathbackground"):
            return value if _COLOR.fullmatch(value) else None
        return value

    return keep


def sanitize(
    fragment: str,
    *,
    base_dir: Path | None = None,
    images: list[ImageFile] | None = None,
    on_refused: Callable[[str, str], None] | None = None,
) -> str:
    """*fragment* cleaned with the allow-list; with no sanitizer at all, the fragment escaped (never raw HTML).

    Relative <img src> are read from *base_dir* (files read are appended to *images*); *on_refused* is
    told about each image that is not shown and why.
    """
    which = backend()
    if which is None:
        return plain_html(fragment)
    keep = _attribute_filter(
        base_dir, images if images is not None else [], on_refused or (lambda src, why: None)
    )
    if which == "pure":
        from .pure import clean  # imported here: only a site without nh3 needs justhtml

        cleaned = clean(fragment, keep)
        return plain_html(fragment) if cleaned is None else cleaned
    return _nh3().clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        attribute_filter=keep,
        strip_comments=True,
        link_rel=LINK_REL,
        set_tag_attribute_values={"a": {"target": LINK_TARGET}},
        url_schemes=set(_NH3_SCHEMES),
        # A callable (not "deny") so that the filter above sees relative <img src> first; anything still
        # relative after it (a relative link) is dropped.
        url_relative=lambda url: None,
        allowed_classes={tag: set(classes) for tag, classes in ALLOWED_CLASSES.items()},
    )

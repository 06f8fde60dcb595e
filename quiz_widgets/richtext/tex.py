"""TeX to MathML (latex2mathml), refused whenever the result could be more than drawn math.

Browsers draw MathML with no script and no CDN. latex2mathml follows MathJax's extensions, so some TeX
makes links or styles (\\href, \\style, \\class ...); those, TeX it cannot read, and anything whose tree is
not plain MathML are shown as their source in a <code> element instead.
"""

from __future__ import annotations

import html
import re
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import convert_to_element

from .allowlist import MATHML_ATTRIBUTES, MATHML_TAGS, TEX_SOURCE_CLASS

_XMLNS = "xmlns"
# Link-making and HTML-injecting commands of MathJax/latex2mathml and LaTeX packages, refused by name even
# where today's latex2mathml would draw them harmlessly, so an upgrade cannot turn them into links.
_REFUSED = re.compile(
    r"\\(?:href|url|nolinkurl|hyperref|hyperlink|hypertarget|includegraphics|style|class|cssId|html\w*"
    r"|data\w*|require|mmlToken|tooltip|texttip|mathtip|toggle|unicode|input|include|def|let|newcommand"
    r"|renewcommand)(?![A-Za-z])"
)
_COLOR = re.compile(r"#?[A-Za-z0-9]{1,20}")
TEX_MAX_CHARS = 5000


class TexRefused(ValueError):
    """TeX that is shown as source; the message says why (kept for tests and debugging)."""


def _check(tree: Element) -> None:
    for el in tree.iter():
        if el.tag not in MATHML_TAGS:
            raise TexRefused(f"element <{el.tag}>")
        for name, value in el.attrib.items():
            if name == _XMLNS and el.tag == "math":
                continue
            if name not in MATHML_ATTRIBUTES:
                raise TexRefused(f"attribute {name}")
            if name in ("mathcolor", "mathbackground") and not _COLOR.fullmatch(value):
                raise TexRefused(f"colour {value!r}")
        if el.tag == "mi" and (el.text or "").startswith("\\"):
            raise TexRefused(f"unknown command {el.text}")


def _unescape_tree(tree: Element) -> None:
    # latex2mathml stores character references ("&#x0002F;") as text and unescapes after serializing,
    # which would also unescape "<" typed in \text{...}. Decoding here and letting ElementTree escape
    # keeps every character as text.
    for el in tree.iter():
        if el.text:
            el.text = html.unescape(el.text)
        if el.tail:
            el.tail = html.unescape(el.tail)
        for name, value in el.attrib.items():
            el.attrib[name] = html.unescape(value)


def tex_to_mathml(tex: str, *, display: bool) -> str:
    """MathML for *tex*; raises TexRefused when it must be shown as source instead."""
    if len(tex) > TEX_MAX_CHARS:
        raise TexRefused(f"longer than {TEX_MAX_CHARS} characters")
    m = _REFUSED.search(tex)
    if m:
        raise TexRefused(f"command {m.group(0)}")
    try:
        tree = convert_to_element(tex, display="block" if display else "inline")
    # latex2mathml signals bad TeX with its own exceptions but also with IndexError, KeyError, ... and
    # deep nesting with RecursionError; every one of them means "show the source", which the caller does.
    except Exception as err:
        raise TexRefused(f"latex2mathml: {type(err).__name__}: {err}") from err
    _unescape_tree(tree)
    _check(tree)
    # A screen reader reads the TeX source where it cannot read the MathML (the alttext fallback). < and >
    # as TeX's \lt and \gt: the same source, and the same HTML from both sanitizers (the pure one
    # leaves < unescaped in an attribute, as HTML allows).
    tree.set("alttext", re.sub(r">\s*", r"\\gt ", re.sub(r"<\s*", r"\\lt ", tex)))
    return tostring(tree, encoding="unicode", short_empty_elements=False)


def tex_source_html(tex: str, *, display: bool) -> str:
    """How refused TeX is shown: its source with its delimiters, as inline code."""
    fence = "$$" if display else "$"
    return f'<code class="{TEX_SOURCE_CLASS}">{html.escape(fence + tex + fence)}</code>'


def render_tex(tex: str, *, display: bool) -> str:
    try:
        return tex_to_mathml(tex, display=display)
    except TexRefused:
        return tex_source_html(tex, display=display)

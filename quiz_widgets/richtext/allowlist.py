"""What rendered exam text may contain: the names every other module of richtext agrees on.

Kept free of heavy imports, so plain questions (the original app's) never load markdown-it, Pygments or
latex2mathml at all.
"""

from __future__ import annotations

from pygments.token import STANDARD_TYPES

HTML_TAGS = frozenset(
    [
        "p",
        "br",
        "hr",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "sub",
        "sup",
        "small",
        "mark",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "a",
        "img",
        "span",
        "div",
        "abbr",
        "q",
        "cite",
        "figure",
        "figcaption",
    ]
)
# Every element and attribute latex2mathml uses for ordinary math. No maction, semantics, annotation(-xml),
# mglyph: they are the MathML parts that switch content or namespaces.
MATHML_TAGS = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "msub",
        "msup",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mover",
        "munder",
        "munderover",
        "mtable",
        "mtr",
        "mtd",
        "mstyle",
        "mpadded",
        "mphantom",
        "menclose",
        "merror",
        "mmultiscripts",
        "mprescripts",
        "none",
    ]
)
MATHML_ATTRIBUTES = frozenset(
    [
        "display",
        "displaystyle",
        "scriptlevel",
        "mathvariant",
        "mathsize",
        "mathcolor",
        "mathbackground",
        "stretchy",
        "fence",
        "separator",
        "form",
        "lspace",
        "rspace",
        "minsize",
        "maxsize",
        "largeop",
        "movablelimits",
        "symmetric",
        "accent",
        "accentunder",
        "width",
        "height",
        "depth",
        "voffset",
        "linethickness",
        "columnalign",
        "rowalign",
        "columnspacing",
        "rowspacing",
        "columnlines",
        "rowlines",
        "frame",
        "framespacing",
        "notation",
        "align",
        "columnspan",
        "rowspan",
        "equalrows",
        "equalcolumns",
        "linebreak",
    ]
)
ALLOWED_TAGS = HTML_TAGS | MATHML_TAGS

CLASS_PREFIX = "qw-hl-"
CODE_CLASS = "qw-code"
TEX_SOURCE_CLASS = "qw-tex-source"
ALIGN_CLASSES = frozenset({"qw-align-left", "qw-align-center", "qw-align-right"})
# Pygments' standard short token names, prefixed. A lexer's private token type gets a longer name that
# the sanitizer drops, so its text shows uncoloured, never unsafe.
TOKEN_CLASSES = frozenset(CLASS_PREFIX + name for name in STANDARD_TYPES.values() if name)

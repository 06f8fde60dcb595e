"""What rendered exam text may contain: the one allow-list both sanitizers apply (nh3, and the pure-Python
one where nh3 cannot be installed), and the names every other module of richtext agrees on.

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

# Removed with everything inside them (other unknown tags are removed but keep their text).
DROPPED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "template",
        "noscript",
        "textarea",
        "title",
        "iframe",
        "object",
        "embed",
        "noembed",
        "noframes",
        "xmp",
        "svg",
        "select",
        "frameset",
        "applet",
    ]
)
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
    "ol": frozenset({"start"}),
    "abbr": frozenset({"title"}),
    **{tag: MATHML_ATTRIBUTES for tag in MATHML_TAGS},
    "math": MATHML_ATTRIBUTES | {"xmlns", "alttext"},  # alttext: the TeX source, for screen readers
}
ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "span": TOKEN_CLASSES,
    "pre": frozenset({CODE_CLASS}),
    "code": frozenset({TEX_SOURCE_CLASS}),
    "th": ALIGN_CLASSES,
    "td": ALIGN_CLASSES,
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"
# Every link opens in a new tab (set by the sanitizer whatever the text said).
LINK_TARGET = "_blank"

"""The allow-list applied in pure Python, for where nh3 has no wheel (JupyterLite's Pyodide).

justhtml (pure Python, zero dependencies, kept against the html5lib conformance tests) parses the fragment
exactly as a browser's HTML parser builds it, MathML namespace included; this module walks that tree and
writes back only what allowlist.py allows, in the form nh3 writes it, so a question renders the same on both
paths. justhtml's own Sanitize cannot be used: it drops every MathML element, and math is what a course needs.

What a browser parses back from the output must be what was written (no mutation XSS): the output is parsed
again and must come out unchanged, else the fragment is shown as escaped text.
"""

from __future__ import annotations

from collections.abc import Callable

from justhtml import JustHTML

from .allowlist import (
    ALLOWED_CLASSES,
    ATTRIBUTES,
    DROPPED_WITH_CONTENT,
    HTML_TAGS,
    LINK_REL,
    LINK_TARGET,
    MATHML_TAGS,
)

Keep = Callable[[str, str, str], "str | None"]

# MathML elements whose children the HTML parser reads as HTML (text integration points): the only places
# an HTML element may sit inside <math>.
_MATH_TEXT_POINTS = frozenset({"mi", "mo", "mn", "ms", "mtext"})
_VOID = frozenset(
    {"br", "hr", "img", "wbr", "area", "base", "col", "embed", "input", "link", "meta", "source"}
)
# The HTML serializer adds back the newline the parser eats after these start tags.
_LEADING_NEWLINE = frozenset({"pre", "textarea", "listing"})


def _text(data: str) -> str:
    return data.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(data: str) -> str:
    # "<" and ">" too, as nh3 writes them (the HTML standard leaves them raw in a quoted value).
    return (
        data.replace("&", "&amp;")
        .replace("\xa0", "&nbsp;")
        .replace('"', "&quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _allowed(tag: str, namespace: str, parent_ns: str, parent_tag: str) -> bool:
    if namespace == "html":
        return tag in HTML_TAGS and (parent_ns == "html" or parent_tag in _MATH_TEXT_POINTS)
    if namespace == "math":
        if tag == "math":
            return parent_ns == "html"
        return tag in MATHML_TAGS and parent_ns == "math"
    return False


def _attributes(tag: str, attrs: dict[str, str | None], keep: Keep) -> list[tuple[str, str]]:
    allowed = ATTRIBUTES.get(tag, frozenset())
    classes = ALLOWED_CLASSES.get(tag)
    out: list[tuple[str, str]] = []
    for name, raw in attrs.items():
        value = raw or ""
        if name == "class" and classes is not None:
            kept = [c for c in value.split() if c in classes]
            if kept:
                out.append((name, " ".join(kept)))
        elif name in allowed:
            checked = keep(tag, name, value)
            if checked is not None:
                out.append((name, checked))
    if tag == "a":
        out += [("target", LINK_TARGET), ("rel", LINK_REL)]
    return out


def _write(node: object, out: list[str], keep: Keep, parent_ns: str, parent_tag: str) -> None:
    for child in getattr(node, "children", None) or ():
        name: str = child.name
        if name == "#text":
            out.append(_text(child.data or ""))
            continue
        if name.startswith(("#", "!")):  # comments, doctypes, processing instructions
            continue
        tag = name.lower()
        namespace = child.namespace or "html"
        if tag in DROPPED_WITH_CONTENT or namespace not in ("html", "math"):
            continue
        if not _allowed(tag, namespace, parent_ns, parent_tag):
            # Unwrapped: its children are judged as if they stood where it stood.
            _write(child, out, keep, parent_ns, parent_tag)
            continue
        attrs = "".join(f' {k}="{_attr(v)}"' for k, v in _attributes(tag, child.attrs or {}, keep))
        out.append(f"<{tag}{attrs}>")
        if namespace == "html" and tag in _VOID:
            continue
        kids = child.children or ()
        if tag in _LEADING_NEWLINE and kids and kids[0].name == "#text" and (kids[0].data or "")[:1] == "\n":
            out.append("\n")
        _write(child, out, keep, namespace, tag)
        out.append(f"</{tag}>")


def _pass(fragment: str, keep: Keep) -> str:
    out: list[str] = []
    _write(JustHTML(fragment, fragment=True, sanitize=False).root, out, keep, "html", "")
    return "".join(out)


def clean(fragment: str, keep: Keep) -> str | None:
    """*fragment* with only what the allow-list allows (*keep* judges each allowed attribute's value), or
    None when the result would not read back as itself (the caller then shows escaped text)."""
    once = _pass(fragment, keep)
    # The second pass sees only URLs already accepted (data URIs, http links), so it reads no file again.
    return once if _pass(once, keep) == once else None

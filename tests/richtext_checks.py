"""Reading rendered rich text back with the stdlib HTML parser: what a page would show and hold."""

from __future__ import annotations

import contextlib
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

# Attributes that make a browser fetch or navigate (HTML, SVG and MathML ones).
URL_ATTRIBUTES = frozenset(
    [
        "href",
        "src",
        "srcset",
        "action",
        "formaction",
        "xlink:href",
        "data",
        "poster",
        "background",
        "cite",
        "srcdoc",
        "codebase",
        "dynsrc",
        "lowsrc",
        "longdesc",
        "usemap",
        "manifest",
        "ping",
    ]
)
LINK_SCHEMES = ("http:", "https:", "mailto:")
RASTER_DATA_URI = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]*={0,2}")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]


class Fragment(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, dict(attrs)))
        if tag == "br":
            self.text.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Fragment:
    frag = Fragment()
    frag.feed(html)
    frag.close()
    return frag


def visible_text(html: str) -> str:
    """The text a reader sees, line breaks from <br> kept and the <br>'s own source newline dropped."""
    return "".join(parse(html).text).replace("\n\n", "\n").strip()


def problems(html: str, allowed_tags: frozenset[str]) -> list[str]:
    """Everything in *html* that could run, fetch, navigate or restyle the page; [] when inert."""
    found = []
    for el in parse(html).elements:
        if el.tag not in allowed_tags:
            found.append(f"element <{el.tag}> is not allowed")
        for name, value in el.attrs.items():
            value = value or ""
            if name.startswith("on"):
                found.append(f"<{el.tag} {name}> event handler")
            elif name in ("style", "id", "name"):
                found.append(f"<{el.tag} {name}> attribute")
            elif name == "class" and not all(c.startswith("qw-") for c in value.split()):
                found.append(f"<{el.tag} class={value!r}> outside the qw- classes")
            elif name in URL_ATTRIBUTES:
                squeezed = re.sub(r"[\x00-\x20\x7f]", "", value).lower()
                if el.tag == "a" and name == "href" and squeezed.startswith(LINK_SCHEMES):
                    continue
                if el.tag == "img" and name == "src" and RASTER_DATA_URI.fullmatch(value):
                    continue
                found.append(f"<{el.tag} {name}={value[:60]!r}> URL")
    return found


@contextlib.contextmanager
def sanitizer_path(which: str, monkeypatch) -> Iterator[None]:
    """render() through one sanitizer ("nh3" or "pure"), with an empty render cache before and after."""
    module = importlib.import_module("quiz_widgets.richtext.sanitize")
    from quiz_widgets.richtext import clear_cache

    if which == "nh3":
        importlib.import_module("nh3")  # the nh3 path is tested wherever nh3 installs: never skipped
    monkeypatch.setattr(module, "backend", lambda: which)
    clear_cache()
    try:
        yield
    finally:
        clear_cache()

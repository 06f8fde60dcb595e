"""Reading untrusted XML (Moodle XML, QTI) into a small tree whose elements know their line.

defusedxml's expat parser refuses entity declarations (a "billion laughs" file), external entities and
external DTD fetches before anything is expanded; the tree is built without recursion and refuses
nesting deeper than any question bank needs, so a hostile file ends in an ExamError naming it, quickly.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler, ErrorHandler

from quiz_widgets.errors import ExamError

__all__ = ["MAX_DEPTH", "Node", "parse_xml", "root_name"]

MAX_DEPTH = 64  # a Moodle question is about 6 levels deep, a QTI item about 10


class Node:
    """One element: its local name (namespace dropped), attributes (local names), children, the character
    data directly inside it (CDATA included) and the line its start tag is on."""

    __slots__ = ("attrs", "children", "line", "parts", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children: list[Node] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def path(self, *tags: str) -> Node | None:
        node: Node | None = self
        for tag in tags:
            node = node.find(tag) if node is not None else None
        return node

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        stack = [self]
        while stack:
            node = stack.pop()
            if tag is None or node.tag == tag:
                yield node
            stack.extend(reversed(node.children))


@lru_cache(maxsize=1024)  # a bank has a few dozen names, seen hundreds of thousands of times
def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class _TooDeep(Exception):
    pass


class _Builder:
    """Expat's callbacks, set on the parser directly (SAX's attribute objects cost more than the parse)."""

    def __init__(self) -> None:
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.line = lambda: 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep(self.line())
        node = Node(_local(name), {_local(k): v for k, v in attrs.items()} if attrs else {}, self.line())
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(content)


def _parser(builder: _Builder):  # type: ignore[no-untyped-def]
    from defusedxml.expatreader import DefusedExpatParser

    class Parser(DefusedExpatParser):
        def reset(self) -> None:
            super().reset()  # defusedxml's handlers: entity declarations and external references refused
            expat = self._parser
            expat.buffer_text = True
            builder.line = lambda: expat.CurrentLineNumber
            expat.StartElementHandler = builder.start
            expat.EndElementHandler = builder.end
            expat.CharacterDataHandler = builder.characters

    return Parser(forbid_dtd=False, forbid_entities=True, forbid_external=True)


def parse_xml(data: bytes | str, source: str) -> Node:
    """The root element of *data*; ExamError naming *source* (and the line) for anything else."""
    import io
    from xml.sax.xmlreader import InputSource

    import defusedxml

    builder = _Builder()
    parser = _parser(builder)
    parser.setContentHandler(ContentHandler())
    parser.setErrorHandler(ErrorHandler())
    stream = InputSource()
    if isinstance(data, str):
        # Text is already decoded (loading reads UTF-8 only): expat then ignores an encoding="..." declaration.
        stream.setCharacterStream(io.StringIO(data))
    else:
        stream.setByteStream(io.BytesIO(data))
    try:
        parser.parse(stream)
    except SAXParseException as exc:
        msg = (
            f"{source}: line {exc.getLineNumber()} column {exc.getColumnNumber() + 1}: invalid XML "
            f"({exc.getMessage()})"
        )
    except defusedxml.EntitiesForbidden:
        msg = (
            f"{source}: the XML declares entities (<!ENTITY ...>), which an exam file may not (they can "
            "expand a small file into gigabytes or read other files)"
        )
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        msg = f"{source}: the XML refers to an external file or address, which is never fetched"
    except _TooDeep as exc:
        msg = f"{source}: line {exc.args[0]}: the XML is nested more than {MAX_DEPTH} elements deep"
    except (ValueError, LookupError) as exc:  # e.g. an encoding the declaration names but Python lacks
        msg = f"{source}: cannot read the XML ({exc})"
    else:
        if builder.root is None:
            msg = f"{source}: found no XML element"
        else:
            return builder.root
    raise ExamError(msg, source=source)


def root_name(text: str) -> str | None:
    """The local name of the first element of XML *text* (without parsing the rest), or None."""
    at = 0
    while True:
        at = text.find("<", at)
        if at < 0 or at + 1 >= len(text):
            return None
        follower = text[at + 1]
        if follower in "?!":
            closer = "-->" if text.startswith("<!--", at) else ">"
            end = text.find(closer, at + 2)
            if end < 0:  # never closed: no element follows (and the search always moves forward)
                return None
            at = end + len(closer)
            continue
        name = ""
        for char in text[at + 1 : at + 200]:
            if char.isspace() or char in "/><":
                break
            name += char
        return _local(name) or None

"""Reading untrusted XML (Moodle XML, QTI) into a small tree whose elements know their line.

defusedxml's SAX parser refuses entity declarations (a "billion laughs" file), external entities and
external DTD fetches before anything is expanded; the tree is built without recursion and refuses
nesting deeper than any question bank needs, so a hostile file ends in an ExamError naming it, quickly.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class _TooDeep(Exception):
    pass


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.locator = None

    def setDocumentLocator(self, locator) -> None:  # type: ignore[no-untyped-def]
        self.locator = locator

    def startElement(self, name: str, attrs) -> None:  # type: ignore[no-untyped-def]
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep(self.locator.getLineNumber() if self.locator else 0)
        line = self.locator.getLineNumber() if self.locator else 0
        node = Node(_local(name), {_local(k): v for k, v in attrs.items()}, line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(content)


class _Strict(ErrorHandler):
    def warning(self, exception: Exception) -> None:
        pass


def parse_xml(data: bytes | str, source: str) -> Node:
    """The root element of *data*; ExamError naming *source* (and the line) for anything else."""
    import defusedxml
    import defusedxml.sax

    if isinstance(data, str):
        data = data.encode("utf-8")
    builder = _Builder()
    try:
        defusedxml.sax.parseString(data, builder, _Strict(), forbid_entities=True, forbid_external=True)
    except SAXParseException as exc:
        msg = f"{source}: line {exc.getLineNumber()} column {exc.getColumnNumber() + 1}: invalid XML ({exc.getMessage()})"
    except defusedxml.EntitiesForbidden:
        msg = f"{source}: the XML declares entities (<!ENTITY ...>), which an exam file may not (they can expand a small file into gigabytes or read other files)"
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
            end = text.find("-->", at) + 3 if text.startswith("<!--", at) else text.find(">", at) + 1
            if end <= 0:
                return None
            at = end
            continue
        name = ""
        for char in text[at + 1 : at + 200]:
            if char.isspace() or char in "/>":
                break
            name += char
        return _local(name) or None

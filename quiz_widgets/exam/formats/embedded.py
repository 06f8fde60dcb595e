"""Images that come inside a bank (Moodle XML's <file encoding="base64">, a Canvas export's web_resources/):
raster only, capped as exam images are, turned into the data URIs exam text may hold.

richtext/images.py checks every data URI again when the text is drawn; this module cannot import it (formats/
imports only errors), so it keeps the same four types and the same cap.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from urllib.parse import unquote

__all__ = ["IMAGE_MAX_BYTES", "data_uri", "decode_base64", "replace_sources", "why_not"]

IMAGE_MAX_BYTES = 1024 * 1024  # richtext.images.IMAGE_MAX_BYTES


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def why_not(raw: bytes) -> str:
    """Why *raw* cannot be an exam image, "" when it can."""
    if len(raw) > IMAGE_MAX_BYTES:
        return f"{len(raw):,} bytes, more than the {IMAGE_MAX_BYTES:,} byte limit of exam images"
    if _sniff(raw[:16]) is None:
        return "not a PNG, JPEG, GIF or WebP image (its first bytes say otherwise)"
    return ""


def data_uri(raw: bytes) -> str:
    """The data URI of raster image bytes (check why_not() first)."""
    return f"data:{_sniff(raw[:16])};base64,{base64.b64encode(raw).decode('ascii')}"


def decode_base64(text: str) -> bytes | None:
    """Base64 text (line breaks allowed) -> bytes; None when it is not base64 or is far over the cap."""
    compact = re.sub(r"\s+", "", text)
    if len(compact) > (IMAGE_MAX_BYTES * 4) // 3 + 8:
        return b"\0" * (IMAGE_MAX_BYTES + 1)  # too big: why_not() says so without decoding it all
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None


_SRC = re.compile(r"""(\bsrc\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def replace_sources(html: str, prefix: str, images: Mapping[str, str], missing: Callable[[str], None]) -> str:
    """*html* with each src="PREFIX/name" that names one of *images* (name -> data URI) replaced by its URI;
    *missing* is told each name that has none."""

    def swap(match: re.Match) -> str:
        src = match[3].strip()
        if not src.startswith(prefix):
            return match[0]
        name = unquote(src[len(prefix) :].lstrip("/").split("?", 1)[0])
        uri = images.get(name)
        if uri is None:
            missing(name)
            return match[0]
        return f"{match[1]}{match[2]}{uri}{match[2]}"

    return _SRC.sub(swap, html) if prefix in html else html

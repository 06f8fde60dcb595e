"""Images in exam text: only raster files next to the exam, embedded as data URIs (nothing is fetched).

The page must never request anything, so an image reaches it only as a ``data:image/...;base64`` URI built
here from a file under the exam's folder (or an author's own data URI that passes the same checks). The
type is read from the file's first bytes, never from its name: an SVG renamed to .png is still refused.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

IMAGE_MAX_BYTES = 1024 * 1024

# (mime type, test on the first bytes); WebP is a RIFF container whose form type is "WEBP".
_MAGIC: tuple[tuple[str, object], ...] = (
    ("image/png", lambda b: b.startswith(b"\x89PNG\r\n\x1a\n")),
    ("image/jpeg", lambda b: b.startswith(b"\xff\xd8\xff")),
    ("image/gif", lambda b: b.startswith((b"GIF87a", b"GIF89a"))),
    ("image/webp", lambda b: len(b) >= 12 and b[:4] == b"RIFF" and b[8:12] == b"WEBP"),
)
RASTER_TYPES = tuple(mime for mime, _ in _MAGIC)
_DATA_URI = re.compile(r"data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/]*={0,2})", re.ASCII)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def sniff(head: bytes) -> str | None:
    """The raster mime type *head* (a file's first bytes) starts with, or None."""
    for mime, test in _MAGIC:
        if test(head):  # type: ignore[operator]
            return mime
    return None


@dataclass(frozen=True)
class ImageFile:
    """One file an image came from, as it was when read (so a cache can tell when it changed)."""

    path: Path
    mtime_ns: int
    size: int

    def changed(self) -> bool:
        try:
            st = os.stat(self.path)
        except OSError:
            return True
        return (st.st_mtime_ns, st.st_size) != (self.mtime_ns, self.size)


@dataclass(frozen=True)
class ImageResult:
    """A data URI, or why there is none (the caller shows the alt text and says why)."""

    uri: str | None
    reason: str = ""
    source: ImageFile | None = None


def check_data_uri(value: str) -> bool:
    """True for a base64 data URI of a raster type whose bytes really are that type and within the cap."""
    m = _DATA_URI.fullmatch(value.strip())
    if m is None:
        return False
    mime, payload = m.groups()
    if len(payload) * 3 // 4 > IMAGE_MAX_BYTES:
        return False
    try:
        head = base64.b64decode(payload[:24], validate=True)
    except (binascii.Error, ValueError):
        return False
    return sniff(head) == mime


def _data_uri(raw: bytes) -> str | None:
    mime = sniff(raw[:16])
    return None if mime is None else f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


def load_image(src: str, base_dir: Path | None) -> ImageResult:
    """Resolve an image reference from exam text to a data URI, or say why it cannot be shown."""
    src = src.strip()
    if src[:5].lower() == "data:":
        return (
            ImageResult(src)
            if check_data_uri(src)
            else ImageResult(None, "not a PNG, JPEG, GIF or WebP data URI")
        )
    if _SCHEME.match(src) or src.startswith("//"):
        return ImageResult(
            None, "only files next to the exam are shown (nothing is fetched from the network)"
        )
    if base_dir is None:
        return ImageResult(None, "the exam has no folder to take images from")
    # Markdown percent-encodes link targets; the file name is the decoded text.
    name = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if not name or "\x00" in name or name.startswith(("/", "\\")) or Path(name).is_absolute():
        return ImageResult(None, "the path must be relative to the exam's folder")
    try:
        root = Path(base_dir).resolve(strict=True)
        path = (root / name).resolve(strict=True)
    except (OSError, RuntimeError):  # missing file, or a symlink loop
        return ImageResult(None, "file not found")
    # resolve() follows symlinks and "..", so this also refuses a link that points outside the folder.
    if not path.is_relative_to(root):
        return ImageResult(None, "the file is outside the exam's folder")
    if not path.is_file():  # checked before open: opening a FIFO would block the kernel
        return ImageResult(None, "not a regular file")
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            if st.st_size > IMAGE_MAX_BYTES:
                return ImageResult(
                    None, f"{st.st_size:,} bytes, more than the {IMAGE_MAX_BYTES:,} byte limit"
                )
            raw = fh.read(IMAGE_MAX_BYTES + 1)
    except OSError as err:
        return ImageResult(None, f"cannot be read ({err.strerror or err})")
    if len(raw) > IMAGE_MAX_BYTES:  # grew between fstat and read
        return ImageResult(None, f"more than the {IMAGE_MAX_BYTES:,} byte limit")
    uri = _data_uri(raw)
    if uri is None:
        return ImageResult(None, "not a PNG, JPEG, GIF or WebP file (its first bytes say otherwise)")
    return ImageResult(uri, source=ImageFile(path, st.st_mtime_ns, st.st_size))

"""JupyterLite's drive: where a file reaches storage whole, on its close, and nothing else is worth doing.

In a Pyodide kernel of a JupyterLite site the files live in the page's storage, reached through the drive
(DriveFS): each open, stat, write-back and rename is a request to the page. There an existing file is
written in place and whole (``write_whole``, ``rewrite_whole``); the temp file, fsyncs and rename that keep
a file whole on a real disk (store/atomic.py) would only add requests. Everywhere else ``saves_whole`` is
False and none of this runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["FORCE_WHOLE_WRITES", "O_BINARY", "rewrite_whole", "saves_whole", "write_whole"]

# os.open's flag for a file read or written as bytes: Windows' only (0 elsewhere). Looked up once for the
# store: getattr() of a name os lacks raises, formats and catches an AttributeError on every call.
O_BINARY: int = getattr(os, "O_BINARY", 0)


# None: decided by where the file is (saves_whole). Tests set True to take the drive's path in CPython.
FORCE_WHOLE_WRITES: bool | None = None
_whole_folders: dict[str, bool] = {}


def saves_whole(folder: Path) -> bool:
    """True where a file reaches storage whole, on its close, and nowhere before: JupyterLite's drive.

    Its files live in the page's storage: an open reads the whole file, writes change a copy in memory,
    and the close stores that copy in one request. A crash before the close leaves the old file; so a temp
    file, its fsync (a no-op there), the rename and the folder's fsync buy nothing and cost a request each
    (about 9 ms on a 2-core machine, on every answer). Only the drive's own mount says so: Pyodide under
    Node (NODEFS) writes through to a real disk, where the temp file and rename are what keep a file whole.
    """
    if FORCE_WHOLE_WRITES is not None:
        return FORCE_WHOLE_WRITES
    if sys.platform != "emscripten":
        return False
    key = str(folder)
    found = _whole_folders.get(key)
    if found is None:
        found = _on_contents_drive(key)
        if found is None:
            return False  # not there (yet): the safe path, and ask again next time
        _whole_folders[key] = found
    return found


def _on_contents_drive(folder: str) -> bool | None:  # pragma: no cover - runs in Pyodide only
    try:
        import pyodide_js

        node = pyodide_js.FS.lookupPath(os.path.abspath(folder)).node
    except Exception:  # no such folder, or not Pyodide's FS as we know it
        return None
    # JupyterLite's DriveFS is the one file system whose type talks to the contents API.
    return getattr(node.mount.type, "API", None) is not None


def write_whole(path: Path, payload: bytes) -> bool:
    """Write *payload* over the existing *path* in place; False (nothing touched) if it does not exist.

    Only where saves_whole: the close stores the file whole. No O_TRUNC, which the drive carries out at
    once as a save of an empty file; a shorter payload is padded with spaces instead (JSON ends with any
    whitespace), so the old file's tail never shows after the new text.
    """
    try:
        fd = os.open(path, os.O_WRONLY | O_BINARY)
    except FileNotFoundError:
        return False
    try:
        _write_padded(fd, payload)
    finally:
        os.close(fd)
    return True


def rewrite_whole(path: Path, change: Callable[[bytes], bytes | None], max_bytes: int) -> bool | None:
    """Read the existing *path* (up to *max_bytes* + 1 bytes) and write ``change(old)`` over it in place,
    as write_whole does; False when *change* returns None (nothing written), None if there is no file.

    Only where saves_whole: there the open reads the file and the close stores it, so a read and a write
    cost two requests together, as a write alone does. A close after no write stores the file as read.
    """
    try:
        fd = os.open(path, os.O_RDWR | O_BINARY)
    except FileNotFoundError:
        return None
    try:
        old = b""
        while len(old) <= max_bytes and (chunk := os.read(fd, max_bytes + 1 - len(old))):
            old += chunk
        payload = change(old)
        if payload is None:
            return False
        _write_padded(fd, payload)
    finally:
        os.close(fd)
    return True


def _write_padded(fd: int, payload: bytes) -> None:
    # The file's size from its end, not fstat: the drive's open has the whole file in memory already, a
    # stat would be one more request.
    size = os.lseek(fd, 0, os.SEEK_END)
    os.lseek(fd, 0, os.SEEK_SET)
    if len(payload) < size:
        payload += b"\n" + b" " * (size - len(payload) - 1)
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]

"""Reading learners' files from a shared folder or an object store, never more than MAX_FILE_BYTES each.

A class store is written by learners, so what sits there is untrusted until read and checked. Before a
byte is read:

- in a folder, each file is ``lstat``-ed and only regular files are opened: a FIFO named like a results
  file would block the report forever, and a symlink (to ``/dev/zero``, or to a file the learner cannot
  read but the instructor can) is not the learner's file. The open itself refuses symlinks and does not
  block (the name may have been swapped since the ``lstat``), and at most the cap plus one byte is read;
- in an object store, the listing's size decides: a larger object is never fetched, and the others are
  fetched as byte ranges ending at the cap, so an object replaced by a bigger one after the listing still
  costs at most the cap. The ranged GETs go out as one concurrent batch (fsspec's ``cat_ranges``).

A file that cannot be read becomes an exception in place of its bytes, for the caller to skip with a
warning naming it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from typing import Any

from quiz_widgets.store.atomic import MAX_FILE_BYTES
from quiz_widgets.store.drive import O_BINARY

__all__ = ["fetch_objects", "read_local", "read_objects"]

Content = bytes | BaseException

_KINDS = (
    (stat.S_ISLNK, "a symlink"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> ValueError:
    kind = next((name for test, name in _KINDS if test(mode)), "not a plain file")
    return ValueError(f"{kind}, not a regular file: not read")


def _too_big(size: int, limit: int) -> ValueError:
    return ValueError(f"{size:,} bytes; expected a file of at most {limit:,} bytes: not read")


def read_local(path: str | os.PathLike[str], *, follow: bool = False, limit: int = MAX_FILE_BYTES) -> Content:
    """The bytes of a regular file of at most *limit* bytes, else the reason as an exception.

    *follow*: whether a symlink may lead to the file (a path the instructor named, not one found in a
    learner's folder); its target must still be a regular file.
    """
    try:
        st = os.stat(path) if follow else os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            return _not_regular(st.st_mode)
        if st.st_size > limit:
            return _too_big(st.st_size, limit)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | O_BINARY
        if not follow:
            flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags)
        with open(fd, "rb", closefd=True) as fh:
            opened = os.fstat(fh.fileno())
            if not stat.S_ISREG(opened.st_mode):  # swapped for something else since the stat
                return _not_regular(opened.st_mode)
            # read(n) allocates n bytes up front: ask for what the stat promised (plus one byte to see
            # growth), then for the rest up to the cap only if the file grew since.
            data = fh.read(opened.st_size + 1)
            if len(data) > opened.st_size:
                data += fh.read(limit + 1 - len(data)) if len(data) <= limit else b""
        if len(data) > limit:
            return _too_big(len(data), limit)
        return data
    except OSError as err:
        return err


def read_objects(
    fs: Any, root: str, wanted: Callable[[str], bool], *, limit: int = MAX_FILE_BYTES
) -> dict[str, Content]:
    """Every object under *root* whose path *wanted* accepts (or the object *root* itself), path -> bytes
    or the reason it was not read; sorted by path."""
    root = root.rstrip("/")
    if fs.isdir(root):
        listing = fs.find(root, detail=True)
        paths = sorted(p for p in listing if wanted(p))
    else:
        try:
            listing = {root: fs.info(root)}
        except OSError as err:  # missing or refused: skipped with a warning like any unreadable file
            return {root: err}
        paths = [root]
    found, _gets = fetch_objects(fs, {p: listing[p] for p in paths}, limit=limit)
    return {p: found[p] for p in paths}


def fetch_objects(
    fs: Any, listing: dict[str, Any], *, limit: int = MAX_FILE_BYTES
) -> tuple[dict[str, Content], int]:
    """The objects of *listing* (path -> the listing's info), path -> bytes or the reason it was not read,
    and how many GETs that took (one concurrent batch of ranged GETs; none for empty or too big objects)."""
    found: dict[str, Content] = {}
    fetch: list[str] = []
    for path, info in listing.items():
        size = info.get("size")
        known = isinstance(size, int) and not isinstance(size, bool)
        if known and size > limit:
            found[path] = _too_big(size, limit)
        elif known and size == 0:
            found[path] = b""  # a range of an empty object is an error on S3; there is nothing to read
        else:
            # A store whose listing gives no size is read the same way: the range still ends at the cap.
            found[path] = b""
            fetch.append(path)
    if fetch:
        # End at the cap plus one byte: an object that grew since the listing shows itself without being
        # read whole.
        contents = fs.cat_ranges(fetch, [0] * len(fetch), [limit + 1] * len(fetch), on_error="return")
        for path, content in zip(fetch, contents, strict=True):
            if isinstance(content, (bytes, bytearray)) and len(content) > limit:
                content = _too_big(len(content), limit)
            found[path] = content if isinstance(content, BaseException) else bytes(content)
    return found, len(fetch)

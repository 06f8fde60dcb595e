"""Reading a class store again and again: one listing, then only the files that are new or changed.

A live view of a lecture hall re-reads the store every few seconds; reading every file each time cost
30 s a refresh for 6,000 objects on S3 (issue 23). A ``StoreReader`` keeps, for one source (a folder or
an fsspec URL), what each file it read turned into, beside the listing's signature of that file when it
was read. A refresh lists the store once and fetches only the files whose signature is new or differs:

- object store: size and ETag (else LastModified), as the listing gives them: S3 sets both itself, so
  learners' clocks play no part;
- folder: size, mtime, ctime and inode from ``lstat``: an atomic replace (every writer here) makes a new
  inode, an in-place write moves ctime. A file whose signature changed while it was being read is read
  again next time, so a record rewritten during a refresh is never kept stale;
- a file gone from the listing is dropped (a deleted record stops counting); one deleted between the
  listing and its fetch is simply not there (no warning: nothing is wrong with the store).

Nothing compares times with the instructor's clock, so clock skew between kernels cannot hide a change.
Every fetch goes through reading.py (regular files only, at most MAX_FILE_BYTES, sizes checked first), and
whose file it is still comes from where it sits (``folder``), never from the file.
"""

from __future__ import annotations

import math
import os
import stat
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz_widgets.teaching.reading import fetch_objects, read_local

__all__ = ["LISTING_PAGE", "ReadStats", "StoreReader", "is_url", "source_label"]

# S3 returns at most this many keys per listing request.
LISTING_PAGE = 1000


def is_url(source: str) -> bool:
    protocol, sep, _ = source.partition("://")
    return bool(sep) and protocol not in ("file", "local")


def source_label(source: str, storage_options: Mapping[str, Any] | None = None) -> str:
    """Which store *source* is, without credentials: a URL (plus its endpoint) or an absolute folder."""
    import re

    if is_url(source):
        label = re.sub(r"(://)[^/@]*@", r"\1", source.rstrip("/"))
        endpoint = (storage_options or {}).get("endpoint_url")
        return f"{label} at {endpoint}" if isinstance(endpoint, str) and endpoint else label
    return str(Path(source.removeprefix("file://")).absolute())


@dataclass
class ReadStats:
    """What one refresh did: files listed (wanted ones), fetched, kept from before, dropped, requests."""

    listed: int = 0
    fetched: int = 0
    unchanged: int = 0
    removed: int = 0
    list_requests: int = 0  # listing pages (object store) or folders walked (folder)
    get_requests: int = 0  # object GETs (object store) or files opened (folder)

    @property
    def requests(self) -> int:
        return self.list_requests + self.get_requests

    def add(self, other: ReadStats) -> None:
        for name in ("listed", "fetched", "unchanged", "removed", "list_requests", "get_requests"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Entry:
    signature: tuple | None  # None: read again next time (it changed while being read)
    kind: str
    folder: str | None  # the learner folder (first folder under the source) that holds the file
    value: Any  # what parse() made of it


# classify(parts below the source) -> a kind, or None for a file that is not read
Classify = Callable[[tuple[str, ...]], str | None]
# parse(kind, shown name, bytes or the reason it was not read, folder) -> the kept value
Parse = Callable[[str, str, "bytes | BaseException", "str | None"], Any]


def _hint(parts: tuple[str, ...]) -> str | None:
    return parts[0] if len(parts) > 1 else None


@dataclass
class StoreReader:
    """What one source holds, kept between reads; ``refresh()`` reads only what changed."""

    source: str
    classify: Classify
    parse: Parse
    storage_options: Mapping[str, Any] | None = None
    # The kind to report an empty listing of a URL as, "not found" (the report: a mistyped prefix is an
    # error); None keeps it quiet (a live view of a class nobody has answered in yet).
    missing_kind: str | None = None
    entries: dict[str, Entry] = field(default_factory=dict)  # shown name -> entry
    stats: ReadStats = field(default_factory=ReadStats)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _fs: Any = field(default=None, repr=False)

    def refresh(self) -> ReadStats:
        """List the source and fetch what is new or changed; returns (and keeps as ``stats``) what it did."""
        with self._lock:  # the view's worker thread and a cell may refresh at once
            text = os.fspath(self.source)
            stats = self._refresh_url(text) if is_url(text) else self._refresh_local(text)
            self.stats = stats
            return stats

    def items(self) -> list[tuple[str, str, str | None, Any]]:
        """(shown name, kind, folder, value) of every file in the last listing, by name."""
        with self._lock:
            return [(name, e.kind, e.folder, e.value) for name, e in sorted(self.entries.items())]

    # -- a folder -------------------------------------------------------------------------------------

    def _refresh_local(self, text: str) -> ReadStats:
        base = Path(text.removeprefix("file://"))
        stats = ReadStats()
        listing: dict[str, tuple[str | Path, tuple, str, str | None]] = {}
        if not os.path.lexists(base):
            raise FileNotFoundError(f"{base} does not exist")
        direct = not base.is_dir()  # a file named by the instructor: a symlink may lead to it
        if direct:
            kind = self.classify((base.name,))
            if kind is not None:
                listing[str(base)] = (base, _local_signature(base, follow=True), kind, None)
            stats.list_requests = 1
        else:
            # Symlinked folders are not entered (a symlinked "learner" folder is someone else's); dot
            # folders are temp and hidden ones. Strings, not Paths: 1,000 folders a refresh add up.
            stack: list[tuple[tuple[str, ...], str]] = [((), str(base))]
            while stack:
                rel, folder = stack.pop()
                stats.list_requests += 1
                try:
                    entries = list(os.scandir(folder))
                except OSError:
                    if not rel:
                        raise
                    continue  # a learner folder the instructor may not read: as os.walk, left out
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if not entry.name.startswith("."):
                            stack.append(((*rel, entry.name), entry.path))
                        continue
                    parts = (*rel, entry.name)
                    kind = self.classify(parts)
                    if kind is not None:
                        listing[entry.path] = (entry.path, _local_signature(entry.path), kind, _hint(parts))
        stats.listed = len(listing)
        stats.removed = len(self.entries.keys() - listing.keys())
        for name in self.entries.keys() - listing.keys():
            del self.entries[name]
        for name, (path, signature, kind, folder) in listing.items():
            old = self.entries.get(name)
            if old is not None and old.signature is not None and old.signature == signature:
                stats.unchanged += 1
                continue
            content = read_local(path, follow=direct)
            stats.fetched += 1
            stats.get_requests += 1
            if isinstance(content, FileNotFoundError):
                self.entries.pop(name, None)  # deleted since the listing: it is not there
                continue
            # Changed while it was read: keep what was read, but read it again next time.
            after = _local_signature(path, follow=direct)
            kept = signature if after == signature else None
            self.entries[name] = Entry(kept, kind, folder, self.parse(kind, name, content, folder))
        return stats

    # -- an object store ------------------------------------------------------------------------------

    def _filesystem(self, text: str) -> tuple[Any, str]:
        if self._fs is None:
            import fsspec.core  # lazy: only URL sources need it

            fs, root = fsspec.core.url_to_fs(text, **dict(self.storage_options or {}))
            self._fs = (fs, root.rstrip("/"))
        return self._fs

    def _refresh_url(self, text: str) -> ReadStats:
        fs, root = self._filesystem(text)
        protocol = text.partition("://")[0]
        stats = ReadStats()
        # find() always lists afresh (s3fs keeps no recursive listing), and it pages by itself.
        found = fs.find(root, detail=True)
        stats.list_requests = max(1, math.ceil(len(found) / LISTING_PAGE))
        listing: dict[str, tuple[str, Mapping, tuple, str, str | None]] = {}
        for path, info in found.items():
            if info.get("type") == "directory":
                continue
            parts = (
                tuple(path[len(root) :].strip("/").split("/")) if path != root else (path.rsplit("/")[-1],)
            )
            if any(part.startswith(".") for part in parts):
                continue
            kind = self.classify(parts)
            if kind is None:
                continue
            listing[f"{protocol}://{path}"] = (path, info, _object_signature(info), kind, _hint(parts))
        if not found and self.missing_kind is not None:
            missing = FileNotFoundError(f"{text}: no object or prefix of that name")
            name = f"{protocol}://{root}"
            self.entries = {
                name: Entry(None, self.missing_kind, None, self.parse(self.missing_kind, name, missing, None))
            }
            return stats
        stats.listed = len(listing)
        stats.removed = len(self.entries.keys() - listing.keys())
        for name in self.entries.keys() - listing.keys():
            del self.entries[name]
        changed = [
            name
            for name, (_p, _i, signature, _k, _f) in listing.items()
            # No signature (a store whose listing says nothing of versions): read it every time.
            if signature is None or name not in self.entries or self.entries[name].signature != signature
        ]
        stats.unchanged = len(listing) - len(changed)
        if changed:
            contents, stats.get_requests = fetch_objects(fs, {listing[n][0]: listing[n][1] for n in changed})
            for name in changed:
                path, _info, signature, kind, folder = listing[name]
                content = contents[path]
                stats.fetched += 1
                if isinstance(content, FileNotFoundError):
                    self.entries.pop(name, None)  # deleted since the listing
                    continue
                # An object replaced after the listing was fetched in its new version under the old
                # signature: the next listing differs and it is read again, so nothing is kept stale. A GET
                # that failed (a timeout, a refused request) is tried again at the next refresh; only a
                # refusal decided by the listing itself (too big) stands until the object changes.
                failed = isinstance(content, BaseException) and not isinstance(content, ValueError)
                kept = None if failed else signature
                self.entries[name] = Entry(kept, kind, folder, self.parse(kind, name, content, folder))
        return stats


def _local_signature(path: str | Path, *, follow: bool = False) -> tuple:
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as err:
        return ("missing", type(err).__name__)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, stat.S_IFMT(st.st_mode))


def _object_signature(info: Mapping) -> tuple | None:
    tag = info.get("ETag") or info.get("etag") or info.get("LastModified") or info.get("mtime")
    return (info.get("size"), str(tag)) if tag is not None else None

"""A small LRU of rendered fragments, bounded by entries and by characters (images make some large)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from .images import ImageFile


@dataclass(frozen=True)
class Rendered:
    html: str
    images: tuple[ImageFile, ...] = ()

    def stale(self) -> bool:
        # An image edited next to the exam is shown again at its next render, not after a restart.
        return any(image.changed() for image in self.images)


class RenderCache:
    def __init__(self, max_entries: int = 4096, max_chars: int = 64 * 1024 * 1024) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._data: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()  # the heartbeat thread and comm handlers may both render
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Rendered | None:
        with self._lock:
            entry = self._data.get(key)
            if entry is None or entry.stale():
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: Rendered) -> None:
        size = len(entry.html)
        if size > self.max_chars:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._chars -= len(old.html)
            self._data[key] = entry
            self._chars += size
            while len(self._data) > self.max_entries or self._chars > self.max_chars:
                _, dropped = self._data.popitem(last=False)
                self._chars -= len(dropped.html)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._chars = 0
            self.hits = self.misses = 0

    def info(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._data),
                "chars": self._chars,
                "hits": self.hits,
                "misses": self.misses,
            }

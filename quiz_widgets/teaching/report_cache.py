"""What ClassReport.load has read before: kept for this process, and in a cache file the instructor names.

``ClassReport.load`` reads each folder or URL through one ``StoreReader`` per store and process, so a
second load of the same store lists it and fetches only new or changed files. ``cache=`` keeps the same
between processes (``quiz-widgets report ... --cache FILE``): a JSON file of every file's listing
signature and what it was read as (an attempt, or why it was skipped). The file says nothing a report
does not (no credentials: stores are named without them), and one that cannot be read or belongs to
another version is set aside with a warning and everything is read again.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.store.atomic import atomic_write_json
from quiz_widgets.teaching.incremental import Entry, StoreReader, source_label
from quiz_widgets.teaching.records import Attempt, Outcome

__all__ = ["CACHE_KIND", "CACHE_VERSION", "ReportCacheFile", "process_reader"]

CACHE_KIND = "quiz_widgets.report_cache"
# Bumped whenever a results file would be read differently: an old cache then reads everything again.
CACHE_VERSION = 1

_READERS: dict[tuple[str, str], StoreReader] = {}
_READERS_LOCK = threading.Lock()


def process_reader(
    source: str,
    storage_options: Mapping[str, Any] | None,
    classify: Callable[[tuple[str, ...]], str | None],
    parse: Callable[..., Any],
) -> StoreReader:
    """This process's reader of *source* (made on first use): what it read last time stays known."""
    options = dict(storage_options or {})
    key = (source_label(source, options), json.dumps(options, sort_keys=True, default=repr))
    with _READERS_LOCK:
        reader = _READERS.get(key)
        if reader is None:
            reader = StoreReader(source, classify, parse, options, missing_kind="results")
            _READERS[key] = reader
        return reader


class ReportCacheFile:
    """A cache file: ``{"kind", "version", "stores": {store label: {file: {sig, folder, attempt|error}}}}``."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.stores: dict[str, dict[str, Any]] = {}
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("kind") != CACHE_KIND:
                raise ValueError("not a report cache file")
            if data.get("version") != CACHE_VERSION:
                raise ValueError(f"version {data.get('version')!r}, this quiz_widgets writes {CACHE_VERSION}")
            stores = data.get("stores")
            if not isinstance(stores, dict):
                raise ValueError("no 'stores'")
            self.stores = {
                label: {name: _entry(raw) for name, raw in files.items()} for label, files in stores.items()
            }
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as err:
            self.stores = {}
            warnings.warn(
                f"class report: cache file {self.path} not used ({err}); every file is read again",
                UserWarning,
                stacklevel=3,
            )

    def fill(self, reader: StoreReader) -> None:
        """Give *reader* what this file knows of its store, unless it already read the store itself."""
        label = source_label(reader.source, reader.storage_options)
        if not reader.entries and label in self.stores:
            reader.entries = dict(self.stores[label])

    def keep(self, reader: StoreReader) -> None:
        self.stores[source_label(reader.source, reader.storage_options)] = dict(reader.entries)

    def save(self) -> None:
        stores = {
            label: {name: _raw(entry) for name, entry in sorted(entries.items())}
            for label, entries in sorted(self.stores.items())
        }
        atomic_write_json(self.path, {"kind": CACHE_KIND, "version": CACHE_VERSION, "stores": stores})


def _raw(entry: Entry) -> dict[str, Any]:
    value = entry.value
    return {
        "sig": list(entry.signature) if entry.signature is not None else None,
        "kind": entry.kind,
        "folder": entry.folder,
        "attempt": dataclasses.asdict(value) if isinstance(value, Attempt) else None,
        "error": value if isinstance(value, str) else None,
    }


def _entry(raw: Mapping[str, Any]) -> Entry:
    sig = raw["sig"]
    if sig is not None and not isinstance(sig, list):
        raise ValueError("a signature is not a list")
    folder = raw["folder"]
    if folder is not None and not isinstance(folder, str):
        raise ValueError("a folder is not a string")
    value: Any
    if raw.get("attempt") is not None:
        fields = dict(raw["attempt"])
        outcomes = {str(k): Outcome(**o) for k, o in fields.pop("outcomes").items()}
        value = Attempt(**fields, outcomes=outcomes)
        for name in ("source", "learner", "exam", "date", "session_date"):
            if not isinstance(getattr(value, name), str):
                raise ValueError(f"an attempt's {name} is not a string")
        for name in ("score", "total", "answered"):
            if isinstance(getattr(value, name), bool) or not isinstance(getattr(value, name), int):
                raise ValueError(f"an attempt's {name} is not a whole number")
    elif isinstance(raw.get("error"), str):
        value = raw["error"]
    else:
        raise ValueError("an entry holds neither an attempt nor an error")
    return Entry(tuple(sig) if sig is not None else None, str(raw["kind"]), folder, value)

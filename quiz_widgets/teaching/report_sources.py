"""What ClassReport.load reads: folders (walked recursively), fsspec URLs, results files, results dicts, or
lists of them, as (shown name, Attempt or why it is skipped, learner folder) items, then the attempts of
those items (each attempt once) and the files skipped.

Whose attempt a file holds is decided by where it was read from, never by the file: a file below a source
folder belongs to the first folder (object prefix) under it (``<root>/ada/...`` is Ada's), and a file there
naming another learner is skipped (records.py). live.py reads a store with the same classify_results and
parse_file.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.store.atomic import parse_json_bytes
from quiz_widgets.teaching.incremental import ReadStats
from quiz_widgets.teaching.incremental import is_url as _is_url
from quiz_widgets.teaching.quiz_link import PROGRESS_PREFIX
from quiz_widgets.teaching.reading import read_local
from quiz_widgets.teaching.records import Attempt, parse_attempt

__all__ = ["UNKNOWN_LEARNER", "attempts_from_items", "classify_results", "parse_file", "read_sources"]

UNKNOWN_LEARNER = "unknown"

# (shown name, its Attempt or why it was skipped, the learner folder it sits in or None)
Item = tuple[str, Attempt | str, str | None]


def _wanted(name: str) -> bool:
    # Dot names are temp files and hidden folders; session files sit beside results in a learner's folder
    # but are not attempts.
    # Progress records (one per answer, for the live class view) are not attempts either.
    return (
        name.endswith(".json")
        and not name.startswith(".")
        and not name.startswith("session_")
        and not name.startswith(PROGRESS_PREFIX)
    )


def classify_results(parts: tuple[str, ...]) -> str | None:
    """ "results" for a file below a source that may be an attempt (incremental.py's classify). The review
    deck's state (``data/review/deck*.json``, written at each finish screen) sits in a learner's home too."""
    if parts[-3:-1] == ("data", "review"):
        return None
    return "results" if _wanted(parts[-1]) else None


def parse_file(
    _kind: str, name: str, content: bytes | BaseException | Mapping, folder: str | None
) -> Attempt | str:
    """One results file as an Attempt, or why it is skipped. *folder*: the first folder under the source
    that holds it (``<root>/ada/x.json``, ``<root>/ada/results/x.json``), whose attempt it is; None for a
    file directly in the source folder or named directly."""
    try:
        if isinstance(content, BaseException):
            raise content
        data = (
            content
            if isinstance(content, Mapping)
            else parse_json_bytes(bytes(content), f"results file {name}")
        )
        return parse_attempt(data, name, folder=folder)
    except (ValueError, OSError) as err:
        return str(err) or type(err).__name__


def read_sources(
    sources: Iterable[Any], options: dict[str, Any], cache: str | os.PathLike[str] | None
) -> tuple[list[Item], ReadStats]:
    """Every source's items and what reading them took. A folder or URL read before in this process is
    listed again and only its new or changed files are read (incremental.py, report_cache.py); *cache*
    names a file that keeps the same between processes."""
    items: list[Item] = []
    stats = ReadStats()
    cache_file = None
    if cache is not None:
        from quiz_widgets.teaching.report_cache import ReportCacheFile

        cache_file = ReportCacheFile(cache)
    for source in sources:
        _gather(source, options, items, stats, cache_file)
    if cache_file is not None:
        cache_file.save()
    return items, stats


def _gather(
    source: Any, options: dict[str, Any], items: list[Item], stats: ReadStats, cache_file: Any
) -> None:
    if isinstance(source, Mapping):
        name = str(source.get("_filepath", "<dict>"))
        items.append((name, parse_file("results", name, source, None), None))
    elif isinstance(source, (list, tuple, set, frozenset)):
        for item in source:
            _gather(item, options, items, stats, cache_file)
    elif isinstance(source, (str, os.PathLike)):
        text = os.fspath(source)
        path = Path(text.removeprefix("file://"))
        if not _is_url(text):
            if not os.path.lexists(path):
                raise FileNotFoundError(f"ClassReport.load: {path} does not exist")
            if not path.is_dir():
                # Named by the instructor: a symlink may lead to it, but only a regular file is read.
                content = read_local(path, follow=True)
                items.append((str(path), parse_file("results", str(path), content, None), None))
                return
        from quiz_widgets.teaching.report_cache import process_reader

        reader = process_reader(text, options, classify_results, parse_file)
        if cache_file is not None:
            cache_file.fill(reader)
        stats.add(reader.refresh())
        if cache_file is not None:
            cache_file.keep(reader)
        items.extend((name, value, folder) for name, _kind, folder, value in reader.items())
    else:
        raise TypeError(
            f"ClassReport.load: found {type(source).__name__}; expected a folder, a URL, a results file, "
            "a results dict or a list of them"
        )


def attempts_from_items(items: list[Item]) -> tuple[list[Attempt], list[tuple[str, str]]]:
    """The attempts of read files (copies, each attempt once) and the (file, why) of those skipped, each
    skipped file and the count of attempts found twice a warning (at ClassReport.load's caller)."""
    attempts: list[Attempt] = []
    skipped: list[tuple[str, str]] = []
    seen: set[tuple[str, str, str, str]] = set()
    duplicates = 0
    # Files read from a learner's folder first: when the same attempt is also found where no folder
    # vouches for it (a file named directly, one at the top of the store), the folder's copy is kept.
    for name, value, _folder in sorted(items, key=lambda item: item[2] is None):
        if isinstance(value, str):
            skipped.append((name, value))
            warnings.warn(f"class report: skipped {name}: {value}", UserWarning, stacklevel=4)
            continue
        # A copy: the reader keeps its attempts for the next load, and a report fills in outcomes.
        attempt = dataclasses.replace(value, outcomes=dict(value.outcomes), topics=list(value.topics))
        if not attempt.learner:
            attempt.learner = UNKNOWN_LEARNER
        # The same attempt reached twice (a collected copy and the learner's own results file).
        key = (attempt.learner, attempt.exam, attempt.date, str(attempt.score))
        if attempt.date and key in seen:
            duplicates += 1
            continue
        seen.add(key)
        attempts.append(attempt)
    if duplicates:
        warnings.warn(
            f"class report: {duplicates} attempt(s) found twice (same learner, exam, date and score) "
            "counted once",
            UserWarning,
            stacklevel=4,
        )
    return attempts, skipped

"""The files the review deck reads: session and results files under base_dir, and its own state file.

Every file is read as the store's reader reads one (os.open, fstat, os.read; at most MAX_FILE_BYTES), and
with orjson (the `fast` extra) a sound session or results file is parsed there: json's decoder and the
store's nesting walk were half of a first build. Anything orjson refuses goes through the store's reader,
which reads it or names its problem exactly as a learner opening the file would see it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:  # the `fast` extra
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the environment
    _orjson = None

from quiz_widgets.store.atomic import MAX_FILE_BYTES, read_json_and_stat
from quiz_widgets.store.drive import O_BINARY

__all__ = ["FOLDERS", "history_files", "read_bounded", "read_history_file"]

# (kind, folder under base_dir, file name prefix): the files history.py reads, of each kind.
FOLDERS = (("session", ("data", "sessions"), "session_"), ("results", ("results",), "quiz_results_"))
# Digits as "0", every other byte as "x": a run of 19 is found by a C search (a regex took 10x as long).
_DIGITS = bytes(48 if 48 <= byte <= 57 else 120 for byte in range(256))
_LONG_RUN = b"0" * 19
_SAMPLE_RUN = b"0" * 4
_READ_FLAGS = os.O_RDONLY | O_BINARY


def history_files(base_dir: Path) -> Iterator[tuple[str, str, os.DirEntry[str]]]:
    """(kind, the file's path under base_dir, its entry) for every session and results file there."""
    for kind, parts, prefix in FOLDERS:
        folder = base_dir.joinpath(*parts)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(".json"):
                yield kind, "/".join((*parts, entry.name)), entry


def read_history_file(path: str, kind: str) -> tuple[dict[str, Any], os.stat_result]:
    """A session or results file as a dict, and the fstat of what was read. The deck looks only at a few
    keys near the top, so depth does not matter to it; anything orjson refuses (bad UTF-8, bad JSON, an
    integer past 64 bits), or that is not an object or too large, goes through the store's reader; so does
    a file with a number of 19 digits or more. FileNotFoundError when it is gone; SessionError or OSError
    naming the file when it cannot be read."""
    if _orjson is not None:
        try:
            raw, st = read_bounded(path)
            # orjson reads an integer past 64 bits as a float (json: the integer; 19 digits may be one).
            if raw is not None and not _long_run(raw):
                data = _orjson.loads(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
                if isinstance(data, dict):
                    return data, st
        except FileNotFoundError:
            raise
        except (OSError, _orjson.JSONDecodeError):
            pass
    return read_json_and_stat(path, kind)


def _long_run(raw: bytes) -> bool:
    """Whether ``raw`` holds a run of 19 digits or more. Every 4th byte is looked at first: 19 bytes in a
    row hold 4 consecutive multiples of 4, so where there is a run the sample has 4 digits in a row; a
    file's dates and short numbers seldom make those, and the whole file is translated only when they do
    (the translate of every byte was a twentieth of a first build)."""
    # find() rather than `in`: bytes' `in` tries its operand as an int first, and raises and clears a
    # TypeError for every bytes it is given.
    return (
        raw[::4].translate(_DIGITS).find(_SAMPLE_RUN) != -1 and raw.translate(_DIGITS).find(_LONG_RUN) != -1
    )


def read_bounded(path: str | os.PathLike[str]) -> tuple[bytes | None, os.stat_result]:
    """The file's bytes (None when it holds more than MAX_FILE_BYTES) and its fstat. A buffered file
    object per file cost more than its fstat and read; reading MAX_FILE_BYTES + 1 would allocate those
    20 MB for every file, which cost more than parsing it."""
    fd = os.open(path, _READ_FLAGS)
    try:
        st = os.fstat(fd)
        if st.st_size > MAX_FILE_BYTES:
            return None, st
        raw = os.read(fd, st.st_size + 1)
        if len(raw) != st.st_size:  # it grew or shrank since the fstat: on to its end, up to the limit
            chunks = [raw]
            size = len(raw)
            while size <= MAX_FILE_BYTES:
                chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            raw = b"".join(chunks)
    finally:
        os.close(fd)
    return (None if len(raw) > MAX_FILE_BYTES else raw), st

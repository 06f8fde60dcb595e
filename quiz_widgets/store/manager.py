"""Session and results files of the original app's layout: SessionManager and check_session.

Sessions live in ``<base>/data/sessions/session_YYYYMMDD_HHMMSS.json`` and results in
``<base>/results/quiz_results_YYYYMMDD_HHMMSS_ffffff.json`` (see docs/architecture.md). How one file is
written and read safely is atomic.py, the listing cache listing.py, the per-session writer lock locks.py. Their public names are
re-exported here, because callers (and older code) import everything from ``quiz_widgets.store.manager``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import math
import os
import warnings
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.store.atomic import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    atomic_write_json,
    create_exclusive,
    parse_json_bytes,
    read_json_and_stat,
    read_json_file,
    sweep_stale_temp,
)
from quiz_widgets.store.drive import saves_whole
from quiz_widgets.store.listing import ListingCache, Load, gc_paused, scan
from quiz_widgets.store.locks import SessionLock
from quiz_widgets.store.results_files import aggregate_all_incorrect_answers

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "RESULTS_GLOB",
    "SESSION_GLOB",
    "SessionLock",
    "SessionManager",
    "atomic_write_json",
    "check_session",
    "parse_json_bytes",
    "read_json_file",
]

SESSION_GLOB = "session_*.json"
RESULTS_GLOB = "quiz_results_*.json"
# What a listing entry keeps of the "quiz_widgets" block: enough to find the exam. The answers and the
# question order grow with every answer and are only needed to resume, which reads the whole file.
# mode and submitted: a list shows no score of an exam before submit (labels.score_hidden).
LISTED_EXTENSION_KEYS = ("format_version", "exam_path", "exam_fingerprint", "mode", "submitted")


def _now() -> datetime:
    # One indirection so tests can freeze the clock (many sessions created "within one second").
    return datetime.now()


# --------------------------------------------------------------------------------------------------
# Structural checks


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_seconds(value: object) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def check_session(data: Mapping, source: str = "<dict>") -> None:
    """Light structural check of a session dict; SessionError naming the field on the first problem.

    Only what the seed defines is checked, and only when present: files from the original app lack
    ``quit_by_user`` and sometimes ``timer_data``, and stay valid. The ``quiz_widgets`` block belongs to
    state.py, which checks its contents on resume; here it only has to be an object.
    """

    def bad(field: str, value: object, expected: str) -> SessionError:
        return SessionError(f"session file {source}: field {field!r} is {shown(value)}; expected {expected}")

    for key in ("session_date", "exam_title"):
        if key in data and not isinstance(data[key], str):
            raise bad(key, data[key], "a string")
    if "total_questions" in data and not _is_count(data["total_questions"]):
        raise bad("total_questions", data["total_questions"], "a non-negative integer")
    if "quiz_mode" in data:
        quiz_mode = data["quiz_mode"]
        if not isinstance(quiz_mode, dict):
            raise bad("quiz_mode", quiz_mode, "an object")
        for key in ("score", "total_answered"):
            if key in quiz_mode and not _is_count(quiz_mode[key]):
                raise bad(f"quiz_mode.{key}", quiz_mode[key], "a non-negative integer")
        if "wrong_answers" in quiz_mode:
            wrong = quiz_mode["wrong_answers"]
            if not isinstance(wrong, list):
                raise bad("quiz_mode.wrong_answers", wrong, "a list")
            for i, entry in enumerate(wrong):
                if not isinstance(entry, dict):
                    raise bad(f"quiz_mode.wrong_answers[{i}]", entry, "an object")
    if "timer_data" in data:
        timer = data["timer_data"]
        if not isinstance(timer, dict):
            raise bad("timer_data", timer, "an object")
        if "elapsed_seconds" in timer and not _is_seconds(timer["elapsed_seconds"]):
            raise bad("timer_data.elapsed_seconds", timer["elapsed_seconds"], "a non-negative number")
        for key in ("completed", "auto_saved", "emergency_saved", "quit_by_user"):
            if key in timer and not isinstance(timer[key], bool):
                raise bad(f"timer_data.{key}", timer[key], "true or false")
    if "quiz_widgets" in data and not isinstance(data["quiz_widgets"], dict):
        raise bad("quiz_widgets", data["quiz_widgets"], "an object")


def _check_results(data: Mapping, source: str) -> None:
    # Just enough for the listing: the blocks we read must be objects, incorrect answers a list.
    for key in ("exam_info", "session_info", "performance", "detailed_results"):
        if key in data and not isinstance(data[key], dict):
            raise SessionError(
                f"results file {source}: field {key!r} is {shown(data[key])}; expected an object"
            )
    wrong = data.get("detailed_results", {}).get("incorrect_answers", [])
    if not isinstance(wrong, list):
        raise SessionError(
            f"results file {source}: field 'detailed_results.incorrect_answers' is {shown(wrong)}; "
            "expected a list"
        )


def _timestamp(value: object) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).timestamp()
    except (ValueError, OverflowError, OSError):
        return None


def _listing_entry(data: dict) -> dict:
    ours = data.get("quiz_widgets")
    if isinstance(ours, dict):
        data["quiz_widgets"] = {k: ours[k] for k in LISTED_EXTENSION_KEYS if k in ours}
    return data


# --------------------------------------------------------------------------------------------------
# SessionManager


class SessionManager:
    """The original app's SessionManager, made crash-safe. Folders are created on first write."""

    def __init__(self, base_dir: str | os.PathLike[str] = ".") -> None:
        self.base_dir = Path(base_dir)
        self.sessions_dir = self.base_dir / "data" / "sessions"
        self.results_dir = self.base_dir / "results"
        self._session_cache = ListingCache()
        self._results_cache = ListingCache()

    def __repr__(self) -> str:
        return f"SessionManager(base_dir={str(self.base_dir)!r})"

    # sessions ------------------------------------------------------------------------------------

    def save_session(self, data: Mapping, filepath: str | os.PathLike[str] | None = None) -> Path:
        """Write *data* atomically; None -> a new ``session_YYYYMMDD_HHMMSS[_n].json`` (never overwrites).

        An explicit *filepath* is overwritten (that is how a resumed session is saved). The in-memory
        ``_filepath`` key is never written to the file. A dict without ``session_date`` gets the current
        time, as the original app's save_session does.
        """
        payload = {k: v for k, v in data.items() if k != "_filepath"}
        if "session_date" not in payload:
            payload["session_date"] = _now().isoformat()
        if filepath is None:
            # A new session is a rare event: the moment to clear temp files that killed writers left.
            # Not where files are stored whole (JupyterLite's drive): saves write no temp file there
            # (but for a file that vanished), and the listing is a request before the feedback.
            if not saves_whole(self.sessions_dir):
                sweep_stale_temp(self.sessions_dir, "session_")
            return create_exclusive(self.sessions_dir, _now().strftime("session_%Y%m%d_%H%M%S"), payload)
        path = Path(filepath)
        try:
            atomic_write_json(path, payload)
        except FileNotFoundError:  # first save into a new folder: create it only when needed
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_json(path, payload)
        return path

    def load_session(self, path: str | os.PathLike[str]) -> dict:
        """Read and check one whole session file; the dict gets ``"_filepath"`` (str)."""
        path = Path(path)
        data = read_json_file(path, what="session")
        check_session(data, str(path))
        data["_filepath"] = str(path)
        return data

    def find_study_sessions(self) -> list[dict]:
        """Every readable session, newest first (session_date, then mtime), each with ``"_filepath"``.

        Entries are read-only summaries (dict/list subclasses whose mutating methods raise TypeError; the
        same objects on every call until their file changes): the seed's fields and any other top-level
        keys as saved, but the ``"quiz_widgets"`` block only keeps format_version, exam_path,
        exam_fingerprint, mode and submitted (its answers and question order are left out). ``load_session(entry["_filepath"])``
        gives the whole file as a dict you can change, as needed to resume; ``copy.deepcopy(entry)`` gives
        a plain, mutable copy of the summary.
        A bad file is skipped with one ``warnings.warn`` naming it and saying why; nothing raises.
        """

        def load(path: str) -> tuple[dict, float | None, os.stat_result]:
            data, st = read_json_and_stat(path, "session", check_nesting=False)  # freeze() limits depth
            check_session(data, path)
            return _listing_entry(data), _timestamp(data.get("session_date")), st

        return self._list(self.sessions_dir, SESSION_GLOB, self._session_cache, load)

    def delete_session(self, path: str | os.PathLike[str]) -> None:
        """Delete one session file; only ``session_*.json`` files directly inside sessions_dir."""
        path = Path(path)
        if os.path.realpath(path.parent) != os.path.realpath(self.sessions_dir):
            raise SessionError(
                f"session file {path}: is not inside {self.sessions_dir}; expected a file in that folder"
            )
        if not fnmatch.fnmatchcase(path.name, SESSION_GLOB):
            raise SessionError(f"session file {path}: name {path.name!r}; expected a session_*.json name")
        if path.is_dir():
            raise SessionError(f"session file {path}: is a folder; expected a session_*.json file")
        os.unlink(path)

    def clear_all_sessions(self) -> int:
        """Delete every ``session_*.json`` file in sessions_dir (not folders, not other files)."""
        count = 0
        for entry in self._session_entries():
            if not entry.is_dir():
                with contextlib.suppress(FileNotFoundError):  # someone else deleted it first
                    os.unlink(entry.path)
                    count += 1
        return count

    def _session_entries(self) -> list[os.DirEntry]:
        # Also used by the CLI to count before it asks "delete N files?".
        try:
            with os.scandir(self.sessions_dir) as it:
                return [e for e in it if fnmatch.fnmatchcase(e.name, SESSION_GLOB)]
        except FileNotFoundError:
            return []

    # results -------------------------------------------------------------------------------------

    def save_results(self, results: Mapping) -> Path:
        """Write a results file ``quiz_results_YYYYMMDD_HHMMSS_ffffff.json`` atomically, never overwriting."""
        payload = {k: v for k, v in results.items() if k != "_filepath"}
        return create_exclusive(self.results_dir, _now().strftime("quiz_results_%Y%m%d_%H%M%S_%f"), payload)

    def find_completed_results(self) -> list[dict]:
        """Whole results files with at least one incorrect answer, newest first, each with ``"_filepath"``.

        Entries are read-only, as in find_study_sessions: ``read_json_file(entry["_filepath"])`` or
        ``copy.deepcopy(entry)`` gives a dict you can change.
        """

        def load(path: str) -> tuple[dict, float | None, os.stat_result]:
            data, st = read_json_and_stat(path, "results", check_nesting=False)  # freeze() limits depth
            _check_results(data, path)
            return data, _timestamp(data.get("session_info", {}).get("completion_date")), st

        found = self._list(self.results_dir, RESULTS_GLOB, self._results_cache, load)
        return [r for r in found if r.get("detailed_results", {}).get("incorrect_answers")]

    def aggregate_all_incorrect_answers(self) -> list[dict]:
        """Wrong answers from every results file, unique by (exam, question id); see results_files.py."""
        return aggregate_all_incorrect_answers(self.find_completed_results())

    # shared listing ------------------------------------------------------------------------------

    def _list(self, folder: Path, pattern: str, cache: ListingCache, load: Load) -> list[dict]:
        with cache.lock, gc_paused():
            found, errors = scan(folder, pattern, cache, load)
        for message in errors:  # outside the lock: a warnings filter set to "error" must not deadlock
            warnings.warn(f"skipped {message}", UserWarning, stacklevel=3)
        return found

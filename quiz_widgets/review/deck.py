"""The review deck: every question a learner answered, as an FSRS card scheduled from its review history.

The history is the session and results files under ``base_dir`` (history.py reads them). The deck's state,
``<base_dir>/data/review/deck.json`` (``deck-<learner>.json`` for one learner), keeps the reviews each file
gave with that file's size and modification time, so a deck opened again reads only the files that are new
or changed; it is written atomically and rebuilt from the files when it is missing or cannot be read.

Cards are replayed from their reviews with ``fsrs.Scheduler``: its default parameters, no fuzzing (the same
files always give the same schedule) and no learning steps. An answer here is an exam question tried with
its feedback shown, not a flashcard being learnt: a question is next due in whole days (a miss the next
day), and "Study wrong answers" is there for the same sitting. A card is (exam title, question id):
editing an exam keeps the cards of the questions whose ids stay; a question no longer in its exam, or an
exam no longer found, is left out of due(), review_exam() and forecast() until it is back. The state file's
shape is state.py's.
"""

from __future__ import annotations

import asyncio
import json
import os
import warnings
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fsrs import Scheduler

try:  # the `fast` extra; the state is written with json without it
    import orjson as _orjson
except ImportError:  # pragma: no cover - depends on the environment
    _orjson = None

from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.exam import Exam, Question, load_exam
from quiz_widgets.quiz.finding import EXAM_SUFFIXES, exam_search_dirs
from quiz_widgets.review.history import REVIEW_TITLE, rating_for, review_id, reviews_of
from quiz_widgets.review.schedule import ATTEMPT as _ATTEMPT
from quiz_widgets.review.schedule import CardInfo, Replayer
from quiz_widgets.review.state import (
    card_of_row,
    card_row,
    keep_times,
    known_times,
    read_source,
    source_entry,
)
from quiz_widgets.store.atomic import MAX_FILE_BYTES, atomic_write_bytes, read_json_and_stat
from quiz_widgets.teaching.learner import check_learner

__all__ = ["STATE_VERSION", "CardInfo", "Deck"]

# 2: a study or review quiz's own exam file is no longer recorded as its cards' exam; 3: rows in groups
STATE_VERSION = 3
_FOLDERS = (("session", ("data", "sessions"), "session_"), ("results", ("results",), "quiz_results_"))
# Digits as "0", every other byte as "x": a run of 19 is found by a C search (a regex took 10x as long).
_DIGITS = bytes(48 if 48 <= byte <= 57 else 120 for byte in range(256))
_LONG_RUN = b"0" * 19
Key = tuple[str, str]  # (exam title, str(question id)): ids match as the exam matches them (by_id)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Deck:
    """Every question a learner answered under ``base_dir``, each an FSRS card (ReviewDeck without quiz()).

    ``learner``: that learner's files only, plus the files that name nobody (the original app's, and ours
    written without a learner); None: every file.
    """

    def __init__(self, base_dir: str | os.PathLike[str] = ".", learner: str | None = None) -> None:
        self.base_dir = Path(base_dir)
        if not self.base_dir.is_dir():
            # A typo must not read as "nothing answered yet" (nor leave a data/review/ folder behind).
            raise SessionError(
                f"ReviewDeck: base_dir {str(base_dir)!r} is not a folder; expected the folder that holds "
                "data/sessions/ and results/ (default: the notebook's folder, '.')"
            )
        self.learner = None if learner is None else check_learner(learner, where="ReviewDeck learner")
        name = "deck.json" if self.learner is None else f"deck-{self.learner}.json"
        self.state_path = self.base_dir / "data" / "review" / name
        self.scheduler = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
        self._replayer = Replayer(self.scheduler)
        self._exams: dict[str, Exam | None] = {}
        self._titles: dict[str, Exam] | None = None
        self._save_pending = False
        # The saved rows of the cards read from the state and not replayed since: written back as they are.
        self._saved_rows: dict[Key, list[Any]] = {}
        self._sources, cards = self._load_state()
        touched, changed = self._refresh(track=cards is not None)
        if cards is None:
            self._cards = self._replay()
        else:
            self._cards = cards
            if touched:
                self._cards = self._replay(touched)
        if changed or (cards is None and self.state_path.exists()):
            self._save()

    def refresh(self) -> None:
        """Read the files that are new or changed since this deck was made or last refreshed (a quiz's
        finish screen asks the same deck again); exams not found before are looked for again."""
        touched, changed = self._refresh()
        if touched:
            self._cards = self._replay(touched)
        if changed:
            self._save()
        if any(exam is None for exam in self._exams.values()):
            self._exams = {title: exam for title, exam in self._exams.items() if exam is not None}
            self._titles = None

    # -- the state file --------------------------------------------------------------------------------
    def _load_state(self) -> tuple[dict[str, dict[str, Any]], dict[Key, CardInfo] | None]:
        """The saved sources and cards; ({}, None) when there is no usable state (rebuilt from the files)."""
        try:
            # The raw bytes' depth is still checked; every row is checked below, which bounds the rest.
            data = _read_state(self.state_path)
        except FileNotFoundError:
            return {}, None
        except (SessionError, OSError) as exc:
            warnings.warn(
                f"{exc}; the review deck is rebuilt from the session and results files", stacklevel=3
            )
            return {}, None
        saved_sources = data.get("sources")
        when = self._replayer.when
        sources: dict[str, dict[str, Any]] = {}
        if data.get("version") == STATE_VERSION and isinstance(saved_sources, dict):
            for key, entry in saved_sources.items():
                source = read_source(entry, when)
                if source is None:
                    break
                sources[key] = source
        if (
            data.get("version") != STATE_VERSION
            or data.get("learner") != self.learner
            or not isinstance(saved_sources, dict)
            or len(sources) != len(saved_sources)
        ):
            warnings.warn(
                f"review state file {self.state_path}: not a version {STATE_VERSION} review state of "
                f"learner {self.learner!r}; the review deck is rebuilt from the session and results files",
                stacklevel=3,
            )
            return {}, None
        saved = data.get("cards")
        cards: dict[Key, CardInfo] | None = {}
        for row in saved if isinstance(saved, list) else [None]:
            info = card_of_row(row, when)
            if info is None:
                cards = None  # the reviews are sound: the cards are replayed from them
                break
            cards[(info.exam, str(info.qid))] = info  # type: ignore[index]
            self._saved_rows[(info.exam, str(info.qid))] = row  # type: ignore[index]
        if cards is None:
            self._saved_rows.clear()
        return sources, cards

    def _save(self) -> None:
        saved = self._saved_rows
        data = {
            "version": STATE_VERSION,
            "learner": self.learner,
            "sources": {key: source_entry(source) for key, source in self._sources.items()},
            "cards": [saved.get(key) or card_row(info) for key, info in self._cards.items()],
        }
        try:
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.state_path, _encode(data))
        except OSError as exc:  # the files on disk stay the truth: the next deck reads them again
            warnings.warn(f"the review state was not saved: {exc}", stacklevel=3)

    # -- reading the files -----------------------------------------------------------------------------
    def _files(self) -> Iterable[tuple[str, str, os.DirEntry[str]]]:
        for kind, parts, prefix in _FOLDERS:
            folder = self.base_dir.joinpath(*parts)
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith(prefix) and entry.name.endswith(".json"):
                    yield kind, "/".join((*parts, entry.name)), entry

    def _refresh(self, track: bool = True) -> tuple[set[Key], bool]:
        """Read the files that are new or changed since the state was saved: the cards they touch (when
        ``track``: with no saved cards every card is replayed anyway) and whether any file changed."""
        touched: set[Key] = set()
        changed = False
        seen: set[str] = set()
        saved = list(self._sources.values())
        attempts: list[tuple[dict[str, Any], set[str]]] | None = None
        for kind, key, entry in self._files():
            seen.add(key)
            old = self._sources.get(key)
            if old is not None and old.get("sig") is not None:
                try:
                    st = entry.stat()
                except OSError:
                    continue
                if old.get("sig") == [st.st_mtime_ns, st.st_size]:
                    continue
            # A file read is signed by the fstat of what was read: a stat of every new file first was
            # 1 ms in 30 of a first build.
            rows, path, sig = self._read(kind, entry)
            if sig is None:
                continue  # gone since the listing, or no longer readable: looked at again next time
            if saved and rows:  # the times deck.quiz() took are in the saved state, not in new files
                if attempts is None:  # which attempts each saved file holds (usually one): a cheap pass
                    attempts = [(source, set(map(_ATTEMPT, source["reviews"]))) for source in saved]
                wanted = set(map(_ATTEMPT, rows))
                known = known_times(source for source, names in attempts if not names.isdisjoint(wanted))
                rows = keep_times(known, rows)
            changed = True
            if track:
                touched |= {(r[0], str(r[1])) for r in rows}
                if old is not None:
                    touched |= {(r[0], str(r[1])) for r in old["reviews"]}
            self._sources[key] = {"sig": sig, "exam_path": path, "reviews": rows}
        for key in [k for k, v in self._sources.items() if k not in seen and v.get("sig") is not None]:
            # A deleted file's answers leave the history with it.
            touched |= {(r[0], str(r[1])) for r in self._sources.pop(key)["reviews"]}
            changed = True
        return touched, changed

    def _read(
        self, kind: str, entry: os.DirEntry[str]
    ) -> tuple[list[list[Any]], str | None, list[int] | None]:
        """The file's reviews, the exam path it records and its signature ([mtime_ns, size]; None when it
        could not be looked at: deleted since the listing)."""
        try:
            data, st = _read_file(entry.path, kind)
        except FileNotFoundError:
            return [], None, None  # deleted since the listing: its answers left with it
        except (SessionError, OSError) as exc:
            warnings.warn(f"review deck: skipped {exc}", stacklevel=4)
            try:  # signed, so that it is not read (nor warned about) again until it changes
                st = entry.stat()
            except OSError:
                return [], None, None
            return [], None, [st.st_mtime_ns, st.st_size]
        sig = [st.st_mtime_ns, st.st_size]
        learner = data.get("learner")
        if self.learner is not None and learner not in (None, "", self.learner):
            return [], None, sig
        return (*reviews_of(data, kind), sig)

    # -- the schedule ----------------------------------------------------------------------------------
    def _replay(self, keys: set[Key] | None = None) -> dict[Key, CardInfo]:
        """Each card (of ``keys``; None: all) replayed from its reviews (schedule.py); the others kept."""
        # The files in time order (by their first answer: a file's answers share its time), so that each
        # card's rows come in order and schedule.py need not sort them.
        tick = self._replayer.tick
        sources = sorted(
            (s["reviews"] for s in self._sources.values() if s["reviews"]), key=lambda rows: tick(rows[0][3])
        )
        if keys is not None:
            wanted = _raw_keys(keys)
            sources = [[r for r in rows if (r[0], r[1]) in wanted] for rows in sources]
        # Grouped by (title, id) as the rows hold them, then by the key: str() once per card, not per row.
        by_raw: dict[tuple[str, Any], list[list[Any]]] = {}
        for rows in sources:
            for row in rows:
                group = by_raw.get((row[0], row[1]))
                if group is None:
                    by_raw[(row[0], row[1])] = [row]
                else:
                    group.append(row)
        by_card: dict[Key, list[list[Any]]] = {}
        for (title, qid), rows in by_raw.items():
            key = (title, str(qid))
            if key in by_card:  # the same id as a number in one file and as text in another: file order
                by_card = _by_card(sources)
                break
            by_card[key] = rows
        if keys is None:
            cards = {}
            self._saved_rows.clear()
        else:
            cards = dict(self._cards)
            for key in keys:
                self._saved_rows.pop(key, None)
                if key not in by_card:
                    cards.pop(key, None)
        for number, (key, rows) in enumerate(by_card.items(), start=1):
            cards[key] = self._replayer.card(rows, number)
        return cards

    def record(
        self,
        exam_title: str,
        qid: Any,
        correct: bool,
        seconds: float | None,
        *,
        session_file: str | os.PathLike[str] | None,
        attempt: str,
        when: datetime | None = None,
        confidence: int | None = None,
    ) -> None:
        """One answer given now (deck.quiz()'s): its card rescheduled at once and the state saved;
        ``confidence``: how sure the learner said they were (1-3), which caps a right answer's rating.

        Kept under its session file until that file is read again, which then keeps this answer's time."""
        when = when or _utc_now()
        row = [
            exam_title,
            qid,
            int(rating_for(correct, seconds, confidence)),
            when.isoformat(),
            seconds,
            attempt,
        ]
        key = self._source_key(session_file)
        source = self._sources.setdefault(key, {"sig": None, "exam_path": None, "reviews": []})
        source["sig"] = None  # the file holds this answer now or soon: read it again next time
        same = (row[0], str(qid), attempt)
        source["reviews"] = [r for r in source["reviews"] if (r[0], str(r[1]), r[5]) != same]
        source["reviews"].append(row)
        self._cards = self._replay({(exam_title, str(qid))})
        self._save_soon()

    def _save_soon(self) -> None:
        """Save the state, after the current kernel message when a loop runs: record() is called while the
        widget publishes an answer, and its feedback must not wait for a whole state file to be written
        (the answer itself is in the session file already)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._save()
            return
        if not self._save_pending:
            self._save_pending = True
            loop.call_soon(self._flush)

    def _flush(self) -> None:
        self._save_pending = False
        self._save()

    def _source_key(self, session_file: str | os.PathLike[str] | None) -> str:
        if session_file is not None:
            path = Path(session_file)
            folder = self.base_dir / "data" / "sessions"
            if path.parent.resolve() == folder.resolve():
                return f"data/sessions/{path.name}"
        return "live/answers"  # a quiz not saved to this base_dir: kept in the state alone

    # -- the exams -------------------------------------------------------------------------------------
    def exam(self, title: str) -> Exam | None:
        """The exam titled ``title``, found as a session's exam is (its recorded file, else by title in
        exams/ and data/exams/); None, with one warning, when it is not found."""
        if title not in self._exams:
            recorded = next(
                (
                    s["exam_path"]
                    for s in self._sources.values()
                    if s.get("exam_path") and s["reviews"] and s["reviews"][0][0] == title
                ),
                None,
            )
            found = self._recorded_exam(recorded) or self._exams_by_title().get(title)
            if found is None:
                count = sum(1 for k in self._cards if k[0] == title)
                where = " or ".join(str(d) for d in exam_search_dirs(self.base_dir))
                also = f" (nor at its recorded file {recorded!r})" if recorded else ""
                warnings.warn(
                    f"review deck: {count} card(s) of exam {title!r} are left out: no exam with that title "
                    f"in {where}{also}; put the exam file there to review them",
                    stacklevel=3,
                )
            self._exams[title] = found
        return self._exams[title]

    def _recorded_exam(self, recorded: str | None) -> Exam | None:
        if not recorded:
            return None
        path = Path(recorded)
        path = path if path.is_absolute() else self.base_dir / path
        try:
            return load_exam(path) if path.is_file() else None
        except (ExamError, OSError):
            return None

    def _exams_by_title(self) -> dict[str, Exam]:
        """Every exam in the folders finding.py searches, by title (the first in its order wins), loaded
        once per deck: finding.py loads them again for each title, which 50 exams make 2,500 loads."""
        if self._titles is None:
            self._titles = {}
            for folder in exam_search_dirs(self.base_dir):
                if not folder.is_dir():
                    continue
                for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in EXAM_SUFFIXES):
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")  # other files' problems are not this deck's
                            exam = load_exam(path)
                    except (ExamError, OSError):
                        continue
                    self._titles.setdefault(exam.title, exam)
        return self._titles

    def _live_cards(self) -> list[tuple[CardInfo, Exam, Question]]:
        """The cards whose question is in its exam today, with both."""
        found = []
        for info in self._cards.values():
            exam = self.exam(info.exam)
            question = exam.by_id(info.qid) if exam is not None else None
            if question is not None:
                found.append((info, exam, question))
        return found

    # -- the public questions --------------------------------------------------------------------------
    @property
    def cards(self) -> dict[Key, CardInfo]:
        """Every card by (exam title, str(question id)), questions no longer found included."""
        return dict(self._cards)

    def due(self, now: datetime | None = None) -> list[tuple[str, Any]]:
        """The questions due for review at ``now`` (default: now), most overdue first:
        ``[(exam title, question id), ...]`` across every exam."""
        now = now or _utc_now()
        rows = [
            (info.card.due, exam.title, question.number, question.id)
            for info, exam, question in self._live_cards()
            if info.card.due <= now
        ]
        rows.sort(key=lambda r: (r[0], r[1], r[2]))
        return [(title, qid) for _, title, _, qid in rows]

    def review_exam(self, limit: int | None = 20, now: datetime | None = None) -> Exam:
        """An exam of the due questions (at most ``limit``, most overdue first), titled REVIEW_TITLE; each
        question's id names its card, so its answers find it. SessionError when nothing is due."""
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError(f"ReviewDeck.quiz: limit is {limit!r}; expected a whole number >= 1 or None")
        due = self.due(now)
        if not due:
            raise SessionError(f"nothing is due for review; {self.next_due_note(now)}")
        picked = due[:limit] if limit is not None else due
        questions = []
        sources: list[str] = []
        for title, qid in picked:
            exam = self.exam(title)
            assert exam is not None
            question = exam.by_id(qid)
            assert question is not None
            raw = exam.to_dict()["questions"][question.number - 1]
            raw["id"] = review_id(title, question.id)
            questions.append(raw)
            if title not in sources:
                sources.append(title)
        return load_exam(
            {
                "title": REVIEW_TITLE,
                "description": f"{len(questions)} question(s) due for review from: " + ", ".join(sources),
                "questions": questions,
            }
        )

    def next_due_note(self, now: datetime | None = None) -> str:
        """When the next card falls due, in words (for messages)."""
        now = now or _utc_now()
        later = [info.card.due for info, _, _ in self._live_cards() if info.card.due > now]
        if not later:
            return "no question has been answered yet under this folder"
        wait = min(later) - now
        return f"the next question is due in {_wait_words(wait)} ({min(later):%Y-%m-%d %H:%M} UTC)"

    def retrievability(self, info: CardInfo, when: datetime, stability_factor: float = 1.0) -> float:
        """The recall probability of a card at ``when``: FSRS's forgetting curve (the scheduler's decay and
        factor) over the days since its last review, counted in fractions of a day (fsrs's own
        get_card_retrievability counts whole days, so a question missed an hour ago would be "certain").
        ``stability_factor`` scales the card's stability (the forecast's band)."""
        card = info.card
        if card.last_review is None or card.stability is None:
            return 0.0
        decay = -float(self.scheduler.parameters[20])
        factor = 0.9 ** (1 / decay) - 1
        days = max(0.0, (when - card.last_review).total_seconds() / 86400)
        return float((1 + factor * days / (card.stability * stability_factor)) ** decay)

    def forecast_rows(self, now: datetime | None = None) -> list[dict[str, Any]]:
        """forecast()'s rows as dicts (no pandas needed): see forecast.py."""
        from quiz_widgets.review.forecast import forecast_rows

        return forecast_rows(self, self._live_cards(), now or _utc_now())

    def forecast(self, now: datetime | None = None) -> Any:
        """A pandas DataFrame, one row per exam and topic: exam, topic, seen, retrievability_now,
        retrievability_7d, predicted_score, lower, upper (fractions 0-1; the two retrievabilities are None
        for a topic with no question seen). Without pandas installed (``pip install quiz_widgets[report]``)
        the same rows come back as a list of dicts, with a warning that says so."""
        rows = self.forecast_rows(now)
        try:
            import pandas as pd
        except ImportError:
            warnings.warn(
                "ReviewDeck.forecast: pandas is not installed (pip install 'quiz_widgets[report]'); "
                "returning the rows as a list of dicts",
                stacklevel=2,
            )
            return rows
        from quiz_widgets.review.forecast import COLUMNS

        return pd.DataFrame(rows, columns=list(COLUMNS))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.base_dir)!r}, learner={self.learner!r}, {len(self._cards)} cards)"


def _read_state(path: Path) -> dict[str, Any]:
    """The state file as a dict. With orjson (the `fast` extra) it is parsed there: json's decoder was a
    third of reopening a deck of 23,000 answers; every row is checked after either way, and orjson refuses
    what nests deeper than 1,024 levels itself (json's reader checks the bytes first)."""
    if _orjson is None:
        return read_json_and_stat(path, "review state", check_nesting=False)[0]
    label = f"review state file {path}"
    raw = _read_bounded(path)[0]
    if raw is None:
        raise SessionError(f"{label}: larger than {MAX_FILE_BYTES:,} bytes; expected a smaller JSON file")
    try:
        data = _orjson.loads(raw)
    except _orjson.JSONDecodeError as exc:
        raise SessionError(f"{label}: invalid JSON ({exc}); expected JSON") from exc
    if not isinstance(data, dict):
        raise SessionError(f"{label}: not a JSON object; expected the deck's state")
    return data


def _by_card(sources: Iterable[list[list[Any]]]) -> dict[Key, list[list[Any]]]:
    """Every source's rows by card, in file order."""
    by_card: dict[Key, list[list[Any]]] = {}
    for rows in sources:
        for row in rows:
            by_card.setdefault((row[0], str(row[1])), []).append(row)
    return by_card


def _raw_keys(keys: Iterable[Key]) -> set[tuple[str, Any]]:
    """The (title, id) pairs rows may hold for these cards: an id of digits may be a number in a file."""
    raw: set[tuple[str, Any]] = set()
    for title, qid in keys:
        raw.add((title, qid))
        try:
            number = int(qid)
        except ValueError:
            continue
        if str(number) == qid:
            raw.add((title, number))
    return raw


def _read_file(path: str, kind: str) -> tuple[dict[str, Any], os.stat_result]:
    """A session or results file as a dict, and the fstat of what was read. With orjson (the `fast` extra)
    a sound file is parsed there: json's decoder and the store's nesting walk were half of a first build.
    The deck looks only at a few keys near the top, so depth does not matter to it; anything orjson refuses
    (bad UTF-8, bad JSON, an integer past 64 bits), or that is not an object or too large, goes through the
    store's reader, which reads or names the problem exactly as before; so does a file with a number of 19
    digits or more."""
    if _orjson is not None:
        try:
            raw, st = _read_bounded(path)
            # orjson reads an integer past 64 bits as a float (json: the integer; 19 digits may be one).
            if raw is not None and _LONG_RUN not in raw.translate(_DIGITS):
                data = _orjson.loads(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
                if isinstance(data, dict):
                    return data, st
        except FileNotFoundError:
            raise
        except (OSError, _orjson.JSONDecodeError):
            pass
    return read_json_and_stat(path, kind)


def _read_bounded(path: str | os.PathLike[str]) -> tuple[bytes | None, os.stat_result]:
    """The file's bytes (None when it holds more than MAX_FILE_BYTES) and its fstat, read as the store's
    reader does (os.open, fstat, os.read: a buffered file object per file cost a tenth of the reading).
    Reading MAX_FILE_BYTES + 1 would allocate those 20 MB for every file, which cost more than parsing it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
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


def _encode(data: dict[str, Any]) -> bytes:
    """The state as compact JSON. Every number in it is finite (history.py keeps finite seconds only, fsrs's
    stabilities are), so orjson, when installed, needs none of dumps_json's NaN check, which would encode
    the whole state a second time with json; nobody reads this file but the deck."""
    if _orjson is not None:
        try:
            return _orjson.dumps(data)
        except TypeError:  # orjson.JSONEncodeError: an integer past 64 bits (a question id json read)
            pass
    return json.dumps(data, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _wait_words(wait: timedelta) -> str:
    hours = wait.total_seconds() / 3600
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{round(hours)} h"
    return f"{round(hours / 24)} days"

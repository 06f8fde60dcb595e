"""The class's grades as a CSV an LMS gradebook imports: Canvas's layout or Moodle's grade import.

One row per learner, one column per exam, the grade being the counted attempt's score (right answers)
out of the exam's questions. Which attempt counts is the instructor's choice: ``best`` (the default, as
a quiz that allows several attempts grades in both LMSs), ``last`` or ``first`` (by completion date).

Canvas (Gradebook > Import): ``Student, ID, SIS User ID, SIS Login ID, Section`` then one column per
exam headed ``<title> (<assignment id>)``; Canvas matches an existing assignment by that id and offers to
create a new one for a column without it (the exam's title alone), with its points from the second
row, ``Points Possible``. Canvas finds the learner from the Student name, ID or SIS User ID (one is
enough): the ids come from the roster; without one, the quiz name stands as Student and SIS Login ID.

Moodle (Grades > Import > CSV file): a user identifier column (the importer maps it to username, ID
number or email) and one column per exam; the instructor maps each to a grade item in the importer.

The roster (a CSV the instructor exports from the LMS or writes) maps the learner names the quizzes use
to the LMS's people; learners with attempts but missing from the roster, and roster people without an
attempt, are both listed (``Gradebook.not_in_roster`` / ``.without_attempts``, and warnings), because
either usually means a typo in a name that would silently cost someone a grade. Every cell goes through
store/csv_cells.py: names and titles are typed by people and must never run as a formula.
"""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quiz_widgets.store.csv_cells import csv_text
from quiz_widgets.teaching.records import Attempt

__all__ = ["ATTEMPT_CHOICES", "LMS_CHOICES", "Gradebook", "RosterEntry", "build_gradebook", "read_roster"]

LMS_CHOICES = ("canvas", "moodle")
ATTEMPT_CHOICES = ("best", "last", "first")
CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")

# Roster headers, matched without case or spaces/underscores: the first one present wins for each field,
# so a Canvas gradebook export ("Student", "ID", "SIS Login ID", ...) works as a roster as it is.
_ROSTER_FIELDS = {
    "learner": ("learner", "quizlearner", "name"),
    "student": ("student", "fullname", "displayname"),
    "id": ("id", "canvasid", "userid"),
    "sis_user_id": ("sisuserid",),
    "sis_login_id": ("sisloginid", "login"),
    "section": ("section",),
    "username": ("username",),
    "email": ("email", "emailaddress"),
    "idnumber": ("idnumber",),
}
MAX_ROSTER_BYTES = 5_000_000


@dataclass(frozen=True)
class RosterEntry:
    learner: str  # the name the learner's quizzes carry
    student: str = ""
    id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    username: str = ""
    email: str = ""
    idnumber: str = ""


@dataclass
class Gradebook:
    """What ``to_gradebook`` wrote: the CSV's header and rows, and who did not match the roster."""

    lms: str
    header: list[str]
    rows: list[list[Any]]
    path: Path | None = None
    not_in_roster: list[str] = field(default_factory=list)  # learners with attempts, not in the roster
    without_attempts: list[str] = field(default_factory=list)  # roster learners with no attempt

    def csv(self) -> str:
        return csv_text(self.header, self.rows)


def _key(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def read_roster(path: str | os.PathLike[str]) -> list[RosterEntry]:
    """The roster CSV: one person a row, a ``learner`` column (the name in the quizzes; else ``SIS Login
    ID``, ``username`` or ``email`` is taken as that name) and any of Student, ID, SIS User ID, SIS Login
    ID, Section, username, email, idnumber. ValueError naming the file and line for a bad roster."""
    source = Path(path)
    size = source.stat().st_size
    if size > MAX_ROSTER_BYTES:
        raise ValueError(f"roster {source}: {size:,} bytes; a roster is at most {MAX_ROSTER_BYTES:,}")
    try:
        text = source.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"roster {source}: not UTF-8 text (byte {err.start}); save it as CSV UTF-8"
        ) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ValueError(f"roster {source}: empty; expected a header row (learner, ID, Section, ...)")
    keys = [_key(h) for h in header]
    columns: dict[str, int] = {}
    for name, aliases in _ROSTER_FIELDS.items():
        for alias in aliases:
            if alias in keys:
                columns[name] = keys.index(alias)
                break
    if "learner" not in columns:
        # A roster straight from the LMS: the login (or username, email) is the name learners typed.
        for fallback in ("sis_login_id", "username", "email"):
            if fallback in columns:
                columns["learner"] = columns[fallback]
                break
        else:
            raise ValueError(
                f"roster {source}, line 1: no 'learner' column (the name learners give in the quiz); "
                f"found {', '.join(header)}"
            )
    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        learner = values["learner"]
        if not learner or learner.casefold() == "points possible":
            continue  # Canvas's export has a Points Possible row and may list a test student unnamed
        if learner in seen:
            raise ValueError(
                f"roster {source}, line {line}: learner {learner!r} again (first on line {seen[learner]})"
            )
        seen[learner] = line
        entries.append(RosterEntry(**values))
    return entries


def _entry(person: RosterEntry | Mapping[str, Any]) -> RosterEntry:
    if isinstance(person, RosterEntry):
        return person
    fields = set(RosterEntry.__dataclass_fields__)
    if not isinstance(person, Mapping) or not person.get("learner") or set(person) - fields:
        raise ValueError(
            f"gradebook roster: found {person!r}; expected a RosterEntry or a dict with 'learner' and any of "
            + ", ".join(sorted(fields - {"learner"}))
        )
    return RosterEntry(**{k: str(v) for k, v in person.items()})


def _counted(attempts: list[Attempt], which: str) -> Attempt:
    by_date = sorted(attempts, key=lambda a: a.date)
    if which == "first":
        return by_date[0]
    if which == "last":
        return by_date[-1]
    # Best: the highest share of the exam; the earlier one on a tie, so the choice is stable.
    return max(by_date, key=lambda a: (a.score / a.total if a.total else 0.0, -by_date.index(a)))


def _points(value: int | float) -> int | float:
    return int(value) if float(value).is_integer() else round(float(value), 4)


def build_gradebook(
    attempts: Iterable[Attempt],
    lms: str,
    *,
    roster: Iterable[RosterEntry | Mapping[str, Any]] | None = None,
    attempt: str = "best",
    assignment_ids: Mapping[str, str | int] | None = None,
) -> Gradebook:
    """The gradebook of *attempts* for *lms* ("canvas" or "moodle"); see the module's docstring."""
    if lms not in LMS_CHOICES:
        raise ValueError(f"gradebook: found LMS {lms!r}, expected one of {', '.join(LMS_CHOICES)}")
    if attempt not in ATTEMPT_CHOICES:
        raise ValueError(
            f"gradebook: found attempt {attempt!r}, expected one of {', '.join(ATTEMPT_CHOICES)}"
        )
    ids = {str(k): str(v) for k, v in (assignment_ids or {}).items()}
    grouped: dict[tuple[str, str], list[Attempt]] = {}
    for a in attempts:
        grouped.setdefault((a.learner, a.exam), []).append(a)
    exams = sorted({exam for _, exam in grouped})
    counted = {key: _counted(group, attempt) for key, group in grouped.items()}
    # The exam's points: its question count as the attempts give it (the largest, should they differ).
    possible = {exam: max(a.total for (_, e), a in counted.items() if e == exam) for exam in exams}
    learners = sorted({learner for learner, _ in grouped})

    people = [_entry(p) for p in roster] if roster is not None else None
    by_name = {p.learner: p for p in people} if people is not None else {}
    not_in_roster = [name for name in learners if people is not None and name not in by_name]
    without = [p.learner for p in people or () if p.learner not in learners]
    # Roster order is the class list's order; learners it lacks follow, so their grades are not lost.
    order = [p.learner for p in people] + not_in_roster if people is not None else learners

    def grade(name: str, exam: str) -> Any:
        found = counted.get((name, exam))
        return "" if found is None else _points(found.score)

    if lms == "canvas":
        columns = [f"{exam} ({ids[exam]})" if exam in ids else exam for exam in exams]
        header = [*CANVAS_IDENTITY, *columns]
        rows: list[list[Any]] = [["Points Possible", "", "", "", "", *(possible[e] for e in exams)]]
        for name in order:
            p = by_name.get(name)
            identity = (
                [p.student or name, p.id, p.sis_user_id, p.sis_login_id or p.learner, p.section]
                if p
                else [name, "", "", name, ""]
            )
            rows.append([*identity, *(grade(name, e) for e in exams)])
    else:
        extra = [
            (label, attr)
            for label, attr in (("ID number", "idnumber"), ("Email address", "email"))
            if any(getattr(p, attr) for p in people or ())
        ]
        header = ["Username", *(label for label, _ in extra), *exams]
        rows = []
        for name in order:
            p = by_name.get(name)
            cells = [getattr(p, attr) if p else "" for _, attr in extra]
            rows.append(
                [(p.username if p and p.username else name), *cells, *(grade(name, e) for e in exams)]
            )

    book = Gradebook(lms, header, rows, None, not_in_roster, without)
    if not_in_roster:
        warnings.warn(
            f"gradebook: {len(not_in_roster)} learner(s) with attempts are not in the roster: "
            f"{', '.join(not_in_roster)} (their rows carry the quiz name only)",
            UserWarning,
            stacklevel=3,
        )
    if without:
        warnings.warn(
            f"gradebook: {len(without)} roster learner(s) have no attempt: {', '.join(without)}",
            UserWarning,
            stacklevel=3,
        )
    return book

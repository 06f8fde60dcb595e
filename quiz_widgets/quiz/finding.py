"""Finding the exam a saved session belongs to.

Our sessions record the exam's path; the original app's record only its title, and it keeps exams in
``exams/`` beside ``data/``. A session with neither match fails with a message that says where we looked
and how to pass the exam, because a learner who cannot resume needs to know what to do next.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.exam import Exam, load_exam

EXAM_SUFFIXES = (".json", ".yaml", ".yml", ".md")


def base_dir_of(session_path: str | os.PathLike) -> Path:
    """The folder above ``data/sessions/`` (the project folder), else the session file's own folder."""
    folder = Path(session_path).resolve().parent
    if folder.name == "sessions" and folder.parent.name == "data":
        return folder.parent.parent
    return folder


def exam_search_dirs(base: Path, extra: Iterable[str | os.PathLike] = ()) -> list[Path]:
    return [base / "exams", base / "data" / "exams", *(Path(d) for d in extra)]


def _exam_files(folders: Iterable[Path]) -> Iterable[Path]:
    for folder in folders:
        if folder.is_dir():
            yield from sorted(
                p for p in folder.rglob("*") if p.suffix.lower() in EXAM_SUFFIXES and p.is_file()
            )


def find_exam_for_session(
    data: Mapping, base: str | os.PathLike, search_dirs: Iterable[str | os.PathLike] = ()
) -> Exam:
    """The exam of a session: by its recorded path, else by title in the usual folders."""
    base = Path(base)
    ours = data.get("quiz_widgets")
    recorded = ours.get("exam_path") if isinstance(ours, Mapping) else None
    if isinstance(recorded, str) and recorded:
        path = Path(recorded)
        if not path.is_absolute():
            path = base / path
        if path.is_file():
            return load_exam(path)
    title = data.get("exam_title")
    folders = exam_search_dirs(base, search_dirs)
    if isinstance(title, str):
        for path in _exam_files(folders):
            try:
                exam = load_exam(path)
            except (ExamError, OSError) as exc:
                warnings.warn(f"skipped {path} while looking for exam {title!r}: {exc}", stacklevel=2)
                continue
            if exam.title == title:
                return exam
    where = ", ".join(str(f) for f in folders)
    recorded_note = f" Its recorded exam file {recorded!r} does not exist." if recorded else ""
    raise SessionError(
        f"{data.get('_filepath', '<session>')}: no exam titled {title!r} was found in {where}.{recorded_note} "
        "Pass it explicitly: QuizWidget.resume(path, exam='path/to/exam.json'), "
        "or name more folders with search_dirs=[...]."
    )

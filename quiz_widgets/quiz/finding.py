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
from quiz_widgets.exam import Exam, kinds, load_exam

EXAM_SUFFIXES = (".json", ".yaml", ".yml", ".md")

# The exams of the quizzes this process started that are in no file (QuizWidget.from_questions, an exam
# dict), by the folder their sessions are saved under and their title: their sessions record no exam path,
# and the review deck finds their questions here while the kernel runs (a new kernel knows them again when
# the cell runs again). By folder too: another folder's "Quiz" is another quiz.
_IN_MEMORY: dict[tuple[Path, str], Exam] = {}


def _folder(base_dir: str | os.PathLike[str]) -> Path:
    try:
        return Path(base_dir).resolve()
    except OSError:
        return Path(os.path.abspath(base_dir))


def remember_exam(exam: Exam, base_dir: str | os.PathLike[str]) -> None:
    """Keep ``exam`` for remembered_exam() when it is in no file and could be written to one (a quiz the
    deck may review: no generated question, no code checked by a Python function)."""
    if (
        exam.source is None
        and not exam.generators
        and all(kinds.get(q.kind).in_files(q) for q in exam.questions)
    ):
        _IN_MEMORY[(_folder(base_dir), exam.title)] = exam


def remembered_exam(title: str, base_dir: str | os.PathLike[str]) -> Exam | None:
    """The exam titled ``title`` of a quiz this process started under ``base_dir`` that is in no file."""
    return _IN_MEMORY.get((_folder(base_dir), title))


def forget_exams() -> None:
    """Forget the exams remember_exam() kept (what a new kernel knows; tests)."""
    _IN_MEMORY.clear()


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

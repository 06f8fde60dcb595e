"""Finding the exam a saved session belongs to.

Our sessions record the exam's path; the original app's record only its title, and it keeps exams in
``exams/`` beside ``data/``. A session with neither match fails with a message that says where we looked
and how to pass the exam, because a learner who cannot resume needs to know what to do next.
"""

from __future__ import annotations

import os
import sys
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
        key = (_folder(base_dir), exam.title)
        before = _IN_MEMORY.get(key)
        if before is not None and _another_quiz(before, exam):
            warnings.warn(
                f"two quizzes titled {exam.title!r} under {key[0]}: the review deck knows a question by its "
                f"quiz's title and id, so their questions with the same id share one review card (and "
                f"this one's questions are the ones reviewed). Give each quiz its own title "
                f"(title=..., or the %%quiz line).",
                UserWarning,
                stacklevel=_first_caller_outside(),
            )
        _IN_MEMORY[key] = exam


def _first_caller_outside() -> int:
    """warnings' stacklevel of the caller's first frame outside this package (the notebook's cell): the
    quiz starts through more or fewer of our frames from QuizWidget(...), from_questions and %%quiz."""
    package = str(Path(__file__).resolve().parents[1])
    frame, level = sys._getframe(1), 1  # the caller of this function: stacklevel 1 for its warn()
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def _another_quiz(before: Exam, exam: Exam) -> bool:
    """Whether ``exam`` is another quiz than ``before`` under the same title, not an edit of it: every id
    both have asks another question (an edit keeps most questions as they were)."""
    if before.fingerprint == exam.fingerprint:
        return False
    texts = {str(q.id): q.text for q in before.questions}
    shared = [q for q in exam.questions if str(q.id) in texts]
    return bool(shared) and all(texts[str(q.id)] != q.text for q in shared)


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

"""Study quizzes of wrong answers: find the source exams of results files, build the study exam and save it
under ``<base>/data/exams/study`` so its session records an exam_path and resumes later.

Plain functions of the project folder, the extra exam folders and the results data; SessionBrowser calls
them (building the exam itself is results.build_study_exam()).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError
from quiz_widgets.exam import Exam
from quiz_widgets.quiz.finding import exam_search_dirs, find_exam_for_session
from quiz_widgets.quiz.results import STUDY_SUFFIX, build_study_exam
from quiz_widgets.store.atomic import atomic_write_json
from quiz_widgets.store.frozen import as_mapping

__all__ = ["exams_for", "save_study_exam", "write_study_exam"]


def write_study_exam(
    results: Sequence[Mapping[str, Any]], base_dir: str | os.PathLike[str], exam_dirs: Sequence[Path]
) -> tuple[Path, list[str]]:
    """Build the study exam of ``results`` and save it; returns its path and the warnings of the build
    (e.g. a wrong answer whose question is no longer in its exam), as strings."""
    exams = exams_for(results, base_dir, exam_dirs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        study = build_study_exam(results, exams)
    path = save_study_exam(study, base_dir)
    return path, [str(w.message) for w in caught]


def exams_for(
    results: Iterable[Mapping[str, Any]], base_dir: str | os.PathLike[str], exam_dirs: Sequence[Path]
) -> list[Exam]:
    """The source exams of results files, by recorded exam_file_path, else by title."""
    base = Path(base_dir)
    found: dict[tuple[str, str], Exam] = {}
    problems: list[str] = []
    for data in results:
        info = as_mapping(data.get("exam_info"))
        title = info.get("title") if isinstance(info.get("title"), str) else ""
        path = info.get("exam_file_path") if isinstance(info.get("exam_file_path"), str) else ""
        key = (title, path)
        if key in found:
            continue
        candidates = [title]
        if title.endswith(STUDY_SUFFIX):
            candidates.append(title[: -len(STUDY_SUFFIX)])
        for candidate in candidates:
            lookup = {
                "exam_title": candidate,
                "quiz_widgets": {"exam_path": path},
                "_filepath": data.get("_filepath", "<results>"),
            }
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    found[key] = find_exam_for_session(lookup, base, exam_dirs)
                break
            except SessionError:
                continue
        else:
            problems.append(f"{Path(str(data.get('_filepath', '<results>'))).name}: exam {title!r}")
    if not found:
        where = ", ".join(str(d) for d in exam_search_dirs(base, exam_dirs))
        raise SessionError(
            f"cannot build a study quiz: the exam of {'; '.join(problems[:3])} was not found "
            f"(looked for its recorded file and by title in {where}). "
            "Name the folder holding it: SessionBrowser(base_dir, exam_dirs=['path/to/exams'])."
        )
    return list(found.values())


def save_study_exam(exam: Exam, base_dir: str | os.PathLike[str]) -> Path:
    """Write a study exam to ``<base>/data/exams/study/<title>_<timestamp>.json`` (atomic, never
    overwriting), so the session of a study quiz records an exam_path and resumes later."""
    folder = Path(base_dir) / "data" / "exams" / "study"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{_slug(exam.title)}_{datetime.now().strftime('%Y%m%d_%H%M%S')}"
    for n in range(1, 10_000):
        path = folder / (f"{stem}.json" if n == 1 else f"{stem}_{n}.json")
        if not path.exists():
            atomic_write_json(path, exam.to_dict())
            return path
    raise OSError(f"cannot write in {folder}: no free name for {stem}.json")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return slug[:60].strip("-") or "study"

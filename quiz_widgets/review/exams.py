"""The exams of the review deck's cards: found as a session's exam is, once per deck.

A card names its exam by title. Its exam is the file a session of that exam recorded, else the first exam
with that title in the folders finding.py searches (exams/ and data/exams/ under base_dir), else the exam
of a quiz this kernel ran that is in no file (QuizWidget.from_questions: finding.remember_exam). A card whose
exam is not found is left out of due(), review_exam() and forecast() until it is back; a warning names an
exam that was a file, but not one written in the notebook (a new kernel knows it when the cell runs again).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from quiz_widgets.errors import ExamError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.quiz.finding import EXAM_SUFFIXES, exam_search_dirs, remembered_exam

__all__ = ["ExamFinder"]


class ExamFinder:
    """The exams under ``base_dir`` by title, each looked for once (None: not found, warned about once)."""

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = base_dir
        self._exams: dict[str, Exam | None] = {}
        self._titles: dict[str, Exam] | None = None

    def exam(
        self, title: str, sources: Iterable[dict[str, Any]], cards: Iterable[tuple[str, str]]
    ) -> Exam | None:
        """The exam titled ``title``: the file a source of it recorded, else by title, else the exam of a
        quiz this kernel ran that is in no file; None when it is not found: with one warning that counts
        its cards (``cards``: the deck's keys), unless its attempts were at an exam in no file (written in
        the notebook), where advice to put a file there cannot apply and the cards wait quietly for the
        cell to run again."""
        if title not in self._exams:
            mine = [s for s in sources if s["groups"] and s["groups"][0][0] == title]
            recorded = next((s["exam_path"] for s in mine if s.get("exam_path")), None)
            found = (
                self._recorded_exam(recorded)
                or self._exams_by_title().get(title)
                or remembered_exam(title, self.base_dir)
            )
            if found is None and not any(s.get("inline") for s in mine):
                count = sum(1 for key in cards if key[0] == title)
                where = " or ".join(str(d) for d in exam_search_dirs(self.base_dir))
                also = f" (nor at its recorded file {recorded!r})" if recorded else ""
                warnings.warn(
                    f"review deck: {count} card(s) of exam {title!r} are left out: no exam with that title "
                    f"in {where}{also}; put the exam file there to review them",
                    stacklevel=4,
                )
            self._exams[title] = found
        return self._exams[title]

    def look_again(self) -> None:
        """Look again for the exams not found (a file may have been put there since)."""
        if any(exam is None for exam in self._exams.values()):
            self._exams = {title: exam for title, exam in self._exams.items() if exam is not None}
            self._titles = None

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

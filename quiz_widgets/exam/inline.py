"""Exams written in a notebook: a list of question dicts, or YAML text of one (QuizWidget.from_questions,
the ``%%quiz`` cell magic).

A short check between two lessons has no file and no ids: a question without an id is known by its position
(1..n), as in an exam file (the checker's one rule); the exam gets the title it is given. Problems are named as for files, with the question's number and
id, and for YAML text the line its question starts on.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence

from quiz_widgets.errors import ExamError
from quiz_widgets.errors import shown as found

# The loader's own YAML reading (no aliases, errors with line and column) and building (errors naming the
# source), so a cell's text is read exactly as an exam file is.
from quiz_widgets.exam.loading import _build, _is_jupyterquiz, _parse_yaml
from quiz_widgets.exam.model import Exam

__all__ = ["DEFAULT_TITLE", "exam_from_questions"]

DEFAULT_TITLE = "Quiz"


def exam_from_questions(
    questions: Sequence[Mapping] | Mapping | str, *, title: str | None = None, source: str | None = None
) -> Exam:
    """An Exam from question dicts (our exam format, or jupyterquiz's), an exam dict, or YAML text of either.

    ``title`` names the exam (it wins over a title in an exam dict); without one the dict's title, else
    "Quiz". ``source`` is how errors name where the text came from ("<questions>", "%%quiz cell").
    """
    if title is not None and (not isinstance(title, str) or not title.strip()):
        raise ExamError(f"title: found {found(title)}, expected a non-empty string", source=source)
    lines: list[int] | None = None
    if isinstance(questions, str):
        source = source or "<YAML text>"
        text = questions
        data: object = _parse_yaml(text, source)
        lines = _item_lines(text, data)
    else:
        source = source or "<questions>"
        try:
            data = copy.deepcopy(questions)  # the caller may keep editing their list
        except RecursionError:
            raise ExamError(f"{source}: the data is nested too deeply", source=source) from None
        except Exception as exc:  # a value that refuses to be copied
            raise ExamError(f"{source}: cannot copy the questions ({exc})", source=source) from None
    if isinstance(data, Mapping):
        exam = dict(data)
        if title is not None:
            exam["title"] = title
        exam.setdefault("title", DEFAULT_TITLE)
        items = exam.get("questions")
    elif isinstance(data, Sequence) and not isinstance(data, (str, bytes)):
        items = list(data)
        exam = {"title": title or DEFAULT_TITLE, "questions": items}
    else:
        raise ExamError(
            f"{source}: found {found(data)}, expected a list of questions (each a dict with 'question', "
            "'type', 'answer', ...) or an exam dict with 'title' and 'questions'",
            source=source,
        )
    if isinstance(items, list) and items and _is_jupyterquiz(items):
        from quiz_widgets.exam.formats.jupyterquiz import read_jupyterquiz

        exam = read_jupyterquiz(items, source, title=str(exam["title"]))
    try:
        return _build(exam, source, None)
    except ExamError as err:
        if not lines:
            raise
        raise ExamError([_with_line(p, source, lines) for p in err.problems], source=source) from None


def _item_lines(text: str, data: object) -> list[int] | None:
    """The 1-based line each question of the YAML text starts on (a top-level list, or 'questions:')."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if isinstance(node, yaml.MappingNode):
        node = next((value for key, value in node.value if getattr(key, "value", None) == "questions"), None)
    if not isinstance(node, yaml.SequenceNode):
        return None
    return [item.start_mark.line + 1 for item in node.value]


_QUESTION = re.compile(r"question (\d+)\b")


def _with_line(problem: str, source: str, lines: list[int]) -> str:
    prefix = f"{source}: "
    if not problem.startswith(prefix):
        return problem
    rest = problem[len(prefix) :]
    match = _QUESTION.match(rest)
    if match is None or not 0 < int(match[1]) <= len(lines):
        return problem
    return f"{prefix}line {lines[int(match[1]) - 1]}: {rest}"

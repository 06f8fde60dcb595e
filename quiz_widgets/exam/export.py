"""Writing an Exam back out: the YAML exam format (``quiz-widgets import``), Moodle GIFT, Moodle XML and a
Canvas QTI 1.2 zip (``export``).

The YAML is the exam's own dict (Exam.to_dict: the questions as read, extension keys included), so loading
it gives the same questions; text with line breaks is written as YAML block text an instructor can edit.
"""

from __future__ import annotations

import warnings
from typing import Any

import yaml

from quiz_widgets.exam.model import Exam

__all__ = ["exam_gift", "exam_moodle_xml", "exam_qti", "exam_yaml"]


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> Any:
    # Block style ("|") keeps Markdown, code and math readable; YAML cannot write trailing spaces on a line
    # in block style, so such text stays quoted (which loads the same).
    style = "|" if "\n" in value and not any(line.endswith(" ") for line in value.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _generated(exam: Exam) -> list[str]:
    """A file carries no code: each generated question is written as the one variant the exam holds."""
    if not exam.generators:
        return []
    which = ", ".join(f"{gen.position} ({gen.name})" for gen in exam.generators.values())
    return [f"generated questions written as one fixed variant each (files carry no code): questions {which}"]


def exam_yaml(exam: Exam) -> str:
    """The exam in the YAML exam format, loadable by load_exam with the same questions."""
    for note in _generated(exam):
        warnings.warn(note, UserWarning, stacklevel=2)
    return yaml.dump(
        exam.to_dict(),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def exam_gift(exam: Exam) -> tuple[str, list[str]]:
    """(GIFT text Moodle imports, what GIFT cannot say about this exam, one message per problem)."""
    from quiz_widgets.exam.formats.gift import write_gift

    text, problems = write_gift(exam.to_dict())
    return text, _generated(exam) + problems


def exam_moodle_xml(exam: Exam) -> tuple[str, list[str]]:
    """(Moodle XML that Moodle imports and reads back the same, what Moodle XML cannot say about this exam)."""
    from quiz_widgets.exam.formats.moodle_xml import write_moodle_xml

    text, problems = write_moodle_xml(exam.to_dict())
    return text, _generated(exam) + problems


def exam_qti(exam: Exam) -> tuple[bytes, list[str]]:
    """(a zip Canvas imports as a QTI .zip file, what QTI 1.2 cannot say about this exam)."""
    from quiz_widgets.exam.formats.qti import write_qti_zip

    text, problems = write_qti_zip(exam.to_dict())
    return text, _generated(exam) + problems

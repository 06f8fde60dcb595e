"""The ``%%quiz`` cell magic: a short quiz written in a notebook cell, as YAML.

    %load_ext quiz_widgets

    %%quiz Warm-up --mode exam
    - question: What is $2 + 2$?
      type: numeric
      answer: 4

The line holds the title, then QuizWidget's keyword arguments as ``--name value`` (``--shuffle`` alone means
True; numbers and true/false are read as such). The body is what QuizWidget.from_questions reads. The quiz is
the cell's value, so it is shown, and ``_`` holds it for Python.
"""

from __future__ import annotations

import inspect
import re
import shlex
from functools import partial
from typing import Any

from quiz_widgets.errors import ExamError
from quiz_widgets.ui.quiz_widget import QuizWidget

__all__ = ["load_ipython_extension", "parse_quiz_line", "quiz_magic"]

CELL_SOURCE = "%%quiz cell"
_OPTION = re.compile(r"--([A-Za-z_][A-Za-z0-9_-]*)(?:=(.*))?\Z", re.DOTALL)


def quiz_options() -> list[str]:
    """QuizWidget's keyword arguments a cell may set (what its signature takes, so new ones come free)."""
    names = [
        name
        for name, param in inspect.signature(QuizWidget.__init__).parameters.items()
        if param.kind is inspect.Parameter.KEYWORD_ONLY and not name.startswith("_")
    ]
    return sorted(names)


def _value(text: str) -> Any:
    lowered = text.lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    if lowered in ("none", "null"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_quiz_line(line: str) -> tuple[str | None, dict[str, Any]]:
    """(title, keyword arguments) from the magic's line; ExamError naming the option for a bad one."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        raise ExamError(
            f"{CELL_SOURCE}: the line {line!r} cannot be read ({exc})", source=CELL_SOURCE
        ) from None
    allowed = quiz_options()
    title: list[str] = []
    options: dict[str, Any] = {}
    i = 0
    while i < len(words):
        word = words[i]
        match = _OPTION.match(word)
        if match is None:
            title.append(word)
            i += 1
            continue
        name = match[1].replace("-", "_")
        if name not in allowed:
            raise ExamError(
                f"{CELL_SOURCE}: option --{match[1]}: found an unknown option, expected one of "
                + ", ".join(f"--{n}" for n in allowed),
                source=CELL_SOURCE,
            )
        if match[2] is not None:
            options[name] = _value(match[2])
            i += 1
        elif i + 1 < len(words) and not words[i + 1].startswith("--"):
            options[name] = _value(words[i + 1])
            i += 2
        else:
            options[name] = True
            i += 1
    return (" ".join(title) or None), options


def quiz_magic(line: str, cell: str) -> QuizWidget:
    """``%%quiz Title [--option value ...]``: the cell's YAML questions as a quiz (the cell's value).

    An ExamError is shown as IPython shows a UsageError: its message alone, without a traceback through
    this module (the message names the cell's line and question)."""
    try:
        title, options = parse_quiz_line(line)
        # An empty first line stands for the %%quiz line, so YAML's line numbers are the ones the cell shows.
        return QuizWidget.from_questions("\n" + cell, title=title, _source=CELL_SOURCE, **options)
    except ExamError as err:
        err._render_traceback_ = partial(_one_line, err)  # type: ignore[attr-defined]
        raise
    except (ValueError, TypeError) as err:
        # A bad option value (--attempt again) is the cell's mistake too: one line naming the cell, not a
        # traceback through QuizWidget's internals.
        shown = type(err)(f"{CELL_SOURCE}: {err}")
        shown._render_traceback_ = partial(_one_line, shown)  # type: ignore[attr-defined]
        raise shown from None


def _one_line(err: Exception) -> list[str]:
    # IPython shows what an exception's _render_traceback_ returns in place of its traceback.
    return [f"{type(err).__name__}: {err}"]


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext quiz_widgets``: registers the ``%%quiz`` cell magic."""
    ipython.register_magic_function(quiz_magic, magic_kind="cell", magic_name="quiz")

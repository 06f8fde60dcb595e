"""``quiz-widgets marimo NOTEBOOK.ipynb -o app.py``: a course notebook for marimo, its quizzes kept.

``marimo convert`` comments out every IPython magic, so a ``%%quiz`` cell would reach marimo as a comment
and the course would lose its quiz. This module first rewrites each ``%%quiz`` cell of a copy of the notebook
as the same quiz made by ``QuizWidget.from_questions`` and wrapped in ``mo.ui.anywidget``, then (for a ``.py``
output) runs ``marimo convert`` on the copy. The cell's line is read by magics.parse_quiz_line, the code the
magic runs, so both read a line alike; the YAML body is passed on unchanged, after the same check the magic
makes, so a broken cell is reported here (notebook, cell, line, question) and nothing is written.

IPython expands ``{expression}`` and ``$name`` in a magic's line before the magic sees it; the converted call
evaluates the same expression in Python (``--base_dir {base}`` becomes ``base_dir=base``), so marimo sees
which cell's variable the quiz uses.

Only ``add_marimo_parser`` runs for every command: the rest (which imports the widgets) waits until
``quiz-widgets marimo`` runs.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quiz_widgets.errors import ExamError

__all__ = ["add_marimo_parser", "convert_notebook", "quiz_cell_code", "write_marimo"]

MAGIC = "%%quiz"
# Underscored names are local to a marimo cell, so every converted cell can import them without clashing
# with the notebook's own `mo` or `QuizWidget` (marimo refuses a name defined by two cells).
CELL_HEADER = (
    "# {magic_line}\n"
    "# (converted by quiz-widgets marimo: the same quiz, as QuizWidget.from_questions)\n"
    "import marimo as _mo\n"
    "from quiz_widgets import QuizWidget as _QuizWidget\n\n"
)


def _marked_expansions(line: str) -> tuple[str, dict[str, str]]:
    """The line with each expression IPython would expand replaced by a marker, and marker -> f-string field.

    Found by IPython's own formatter over the whole line, as the magic's line is expanded (its quirks
    included: a ``$name`` followed by an odd number of quotes stays text). A line it cannot read, or with an
    expression that is no Python, is left as it is, as IPython leaves it."""
    from IPython.utils.text import DollarFormatter

    try:
        parts = list(DollarFormatter().parse(line))
        for _literal, field, _spec, _conversion in parts:
            if field is not None:
                compile(field, "<%%quiz line>", "eval")  # IPython evals each; one that cannot be stops all
    except (ValueError, SyntaxError):
        return line, {}
    text, fields = [], {}
    for literal, field, spec, conversion in parts:
        text.append(literal)  # "$$" and "{{" already read as "$" and "{", as IPython shows them
        if field is not None:
            marker = f"\0{len(fields)}\0"
            fields[marker] = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            text.append(marker)
    return "".join(text), fields


_MARKER = re.compile(r"\0\d+\0")


def _python_value(value: Any, fields: dict[str, str]) -> str:
    """Python source for one value of the magic's line: IPython's expansions become Python expressions."""
    if not isinstance(value, str):
        return repr(value)
    field = fields.get(value)
    if field is not None and "!" not in field and ":" not in field:
        # "--base_dir {base}": the expression itself (a number stays a number), and marimo sees the variable.
        return field if field.isidentifier() else f"({field})"
    pieces = _MARKER.split(value)
    if len(pieces) == 1:
        return repr(value)
    text = pieces[0].replace("{", "{{").replace("}", "}}")
    for marker, piece in zip(_MARKER.findall(value), pieces[1:], strict=True):
        text += "{" + fields[marker] + "}" + piece.replace("{", "{{").replace("}", "}}")
    return "f" + repr(text)


def _python_text(body: str) -> str:
    # A raw triple-quoted string keeps the YAML as the teacher wrote it ($\frac{d}{dx}$ stays readable);
    # text such a string cannot hold is written as a plain string literal.
    if '"""' not in body and not body.endswith(("\\", '"')) and "\r" not in body:
        return 'r"""\n' + body + '"""'
    return repr("\n" + body)


def quiz_cell_code(line: str, body: str, *, where: str = "%%quiz cell") -> str:
    """The Python cell standing for ``%%quiz LINE`` + BODY: the same quiz, from_questions in mo.ui.anywidget.

    ExamError (naming ``where``, and the line and question for the YAML) for a cell the magic would refuse."""
    from quiz_widgets.exam.inline import exam_from_questions
    from quiz_widgets.magics import CELL_SOURCE, parse_quiz_line

    marked, fields = _marked_expansions(line)
    try:
        title, options = parse_quiz_line(marked)
    except ExamError as err:
        said = str(err).removeprefix(f"{CELL_SOURCE}: ")  # `where` names the cell better
        for marker, field in fields.items():
            said = said.replace(marker, "{" + field + "}").replace(repr(marker)[1:-1], "{" + field + "}")
        raise ExamError(f"{where}: {said}", source=where) from None
    exam_from_questions("\n" + body, source=where)  # the magic's check of the questions, before any writing
    args = [_python_text(body)]
    if title is not None:
        args.append(f"title={_python_value(title, fields)}")
    args += [f"{name}={_python_value(value, fields)}" for name, value in options.items()]
    call = "_QuizWidget.from_questions(\n" + "".join(f"        {a},\n" for a in args) + "    )"
    return CELL_HEADER.format(magic_line=f"{MAGIC} {line}".rstrip()) + f"_mo.ui.anywidget(\n    {call}\n)\n"


def _quiz_cell(source: str) -> tuple[str, str] | None:
    """(line, body) of a %%quiz cell (IPython drops blank lines before a cell magic), else None."""
    lines = source.splitlines(keepends=True)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return None
    first = lines[0].rstrip("\r\n")
    if first != MAGIC and not first.startswith(MAGIC + " "):
        return None
    return first[len(MAGIC) :].strip(), "".join(lines[1:])


def convert_notebook(notebook: dict[str, Any], *, name: str = "notebook") -> tuple[dict[str, Any], int]:
    """A copy of a notebook (nbformat 4 JSON) whose %%quiz cells are from_questions cells, and how many.

    ExamError naming ``name`` and the cell (1-based, as the notebook shows them) for a cell that cannot be
    converted; every problem of every cell is listed, and nothing is returned."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ExamError(f"{name}: not a Jupyter notebook (no list of cells)", source=name)
    copy = json.loads(json.dumps(notebook))
    problems: list[str] = []
    converted = 0
    for number, cell in enumerate(copy["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        found = _quiz_cell(source)
        if found is None:
            continue
        try:
            code = quiz_cell_code(*found, where=f"{name}, cell {number}")
        except ExamError as err:
            problems += err.problems
            continue
        cell["source"] = code.splitlines(keepends=True)
        cell["outputs"] = []
        cell["execution_count"] = None
        converted += 1
    if problems:
        raise ExamError(problems, source=name)
    return copy, converted


def _marimo_command() -> list[str] | None:
    if importlib.util.find_spec("marimo") is not None:
        return [sys.executable, "-m", "marimo"]
    found = shutil.which("marimo")
    return [found] if found else None


def write_marimo(notebook: str | os.PathLike, output: str | os.PathLike) -> int:
    """Convert NOTEBOOK's %%quiz cells and write OUTPUT: a marimo app (.py, through ``marimo convert``) or
    the converted notebook (.ipynb). Returns how many quizzes were converted; ExamError, nothing written,
    for a notebook or cell that cannot be converted or a marimo that is missing or fails."""
    path, out = Path(notebook), Path(output)
    if out.suffix not in (".py", ".ipynb"):
        raise ExamError(f"{out}: write a marimo app (.py) or a notebook (.ipynb)", source=str(out))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExamError(f"{path}: cannot read the notebook ({exc})", source=str(path)) from None
    copy, count = convert_notebook(data, name=str(path))
    text = json.dumps(copy, indent=1, ensure_ascii=False) + "\n"
    command = _marimo_command() if out.suffix == ".py" else None
    if out.suffix == ".py" and command is None:
        raise ExamError(
            f"{out}: marimo is not installed here (pip install marimo), or write {out.with_suffix('.ipynb')} "
            "and run `marimo convert` on it where marimo is",
            source=str(out),
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".quiz-widgets-") as scratch:
        # Written next to the output and renamed into place: a failed run leaves no half-written file.
        converted = Path(scratch) / (path.stem + ".ipynb")
        converted.write_text(text, encoding="utf-8")
        result = converted
        if command is not None:
            result = Path(scratch) / out.name
            done = subprocess.run(
                [*command, "convert", str(converted), "-o", str(result)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0 or not result.exists():
                raise ExamError(
                    f"{path}: marimo convert failed ({done.returncode}): {done.stderr.strip()[-2000:]}",
                    source=str(path),
                )
        os.replace(result, out)
    return count


def add_marimo_parser(sub: argparse._SubParsersAction, fail: Callable[[ExamError], int]) -> None:
    marimo = sub.add_parser(
        "marimo",
        help="convert a notebook for marimo, keeping its %%%%quiz cells (as QuizWidget.from_questions)",
    )
    marimo.add_argument("notebook", metavar="NOTEBOOK.ipynb", help="the Jupyter notebook to convert")
    marimo.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="app.py: the marimo app (runs marimo convert); OUT.ipynb: only the notebook with its quizzes converted",
    )
    marimo.set_defaults(func=lambda args: _cmd_marimo(args, fail))


def _cmd_marimo(args: argparse.Namespace, fail: Callable[[ExamError], int]) -> int:
    try:
        count = write_marimo(args.notebook, args.output)
    except ExamError as err:
        return fail(err)
    print(f"wrote {args.output}: {count} %%quiz cell{'s' if count != 1 else ''} as QuizWidget.from_questions")
    return 0

"""`quiz-widgets marimo NOTEBOOK.ipynb -o app.py`: a course notebook for marimo that keeps its quizzes.

`marimo convert` alone comments every `%%quiz` cell out. The command rewrites them as QuizWidget.from_questions
in mo.ui.anywidget, then runs the real `marimo convert`; the app is run by marimo itself (App.run, in a
process of its own) and its quiz compared with the one the magic makes in a real kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import marimo  # noqa: F401  (the test extra has it: these tests run marimo itself, they never skip)
import pytest

from quiz_widgets.cli import main
from quiz_widgets.convert import convert_notebook, quiz_cell_code

REPO = Path(__file__).resolve().parent.parent
INSTRUCTOR = REPO / "notebooks" / "instructor.ipynb"

# Runs a marimo app file as marimo does (App.run: every cell, in order of their dependencies) and prints,
# for each quiz it shows in mo.ui.anywidget, its exam, its mode and where its first answer was saved.
RUN_APP = """
import importlib.util, json, sys
import marimo
spec = importlib.util.spec_from_file_location("app", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
outputs, defs = module.app.run()
quizzes = []
for output in outputs:
    if isinstance(output, marimo.ui.anywidget):
        quiz = output.widget
        quiz.answer("A")
        quizzes.append({"exam": quiz.state.exam.to_dict(), "mode": quiz.mode,
                        "session": str(quiz.session_path)})
print(json.dumps({"base": defs.get("base"), "quizzes": quizzes}))
"""


def _cell(kind: str, source: str) -> dict:
    cell = {"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)}
    if kind == "code":  # as a run notebook has them
        cell |= {
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "old"}],
            "execution_count": 3,
        }
    return cell


def _notebook(*cells: tuple[str, str]) -> dict:
    return {
        "cells": [_cell(kind, source) for kind, source in cells],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _cell_source(notebook: dict, title: str) -> str:
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and source.startswith(f"%%quiz {title}"):
            return source
    raise AssertionError(f"no %%quiz {title} cell")


def test_the_instructor_notebook_as_a_marimo_app_keeps_its_quiz(tmp_path: Path, kernel) -> None:
    course = tmp_path / "course"
    shutil.copytree(REPO / "notebooks", course, ignore=shutil.ignore_patterns("data", ".ipynb_checkpoints"))
    app = course / "app.py"

    assert main(["marimo", str(course / "instructor.ipynb"), "-o", str(app)]) == 0
    text = app.read_text(encoding="utf-8")
    assert "# %%quiz Check: derivatives" in text  # marimo's comment of the magic is gone: a live cell now
    assert "magic command not supported" not in text.split("Check: derivatives")[0].rsplit("@app.cell", 1)[1]

    scratch = tmp_path / "scratch"  # the app's tempfile.mkdtemp() lands here, not in the machine's /tmp
    scratch.mkdir()
    ran = subprocess.run(
        [sys.executable, "-c", RUN_APP, str(app)],
        cwd=course,
        env=dict(os.environ, TMPDIR=str(scratch)),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    shown = json.loads(ran.stdout.strip().splitlines()[-1])
    converted = [q for q in shown["quizzes"] if q["exam"]["title"] == "Check: derivatives"]
    assert len(converted) == 1, [q["exam"]["title"] for q in shown["quizzes"]]
    # --base_dir {base}: IPython's expansion became Python's, so the answer is saved in the course's folder.
    assert Path(converted[0]["session"]).is_relative_to(shown["base"])

    # The same cell through the magic, in a real kernel.
    cell = _cell_source(json.loads(INSTRUCTOR.read_text(encoding="utf-8")), "Check: derivatives")
    kernel.execute(f"%load_ext quiz_widgets\nimport json\nbase = {str(tmp_path / 'magic')!r}")
    kernel.execute(cell)
    out, _, _ = kernel.execute(
        'quiz = _\nquiz.answer("A")\n'
        'print(json.dumps({"exam": quiz.state.exam.to_dict(), "mode": quiz.mode, '
        '"session": str(quiz.session_path), "base": base}))'
    )
    magic = json.loads(out.strip().splitlines()[-1])
    assert Path(magic["session"]).is_relative_to(magic["base"])
    assert converted[0]["exam"] == magic["exam"]
    assert converted[0]["mode"] == magic["mode"]
    assert len(magic["exam"]["questions"]) == 3


# IPython expands {expressions} and $names in the line (a $name only where an even number of quotes follows).
LINE = "Week {week}: halves --mode exam --time_limit 90 --shuffle --learner='{who}-x' --base_dir $folder"
BODY = "- question: What is $\\frac{1}{2}$ of 4?\n  type: numeric\n  answer: 2\n- question: 1 + 1?\n  type: numeric\n  answer: 2\n"

# Both quizzes in one kernel, each in its own folder so neither continues the other's attempt.
SETTINGS = """
import json
def settings(quiz):
    quiz.answer(2)
    return json.dumps({"exam": quiz.state.exam.to_dict(), "title": quiz.exam_title, "mode": quiz.mode,
                       "time_limit": quiz.time_limit, "session": str(quiz.session_path),
                       "learner": json.loads(quiz.session_path.read_text())["learner"]})
"""


def _magic_and_converted(kernel, tmp_path: Path, line: str) -> tuple[dict, dict]:
    """The quiz of ``%%quiz LINE`` and of its converted cell, run in one kernel (each with its own folder)."""
    code = quiz_cell_code(line, BODY)
    kernel.execute(f"%load_ext quiz_widgets\nweek, who = 3, 'ada'\nfolder = {str(tmp_path / 'magic')!r}")
    kernel.execute(SETTINGS)
    kernel.execute(f"%%quiz {line}\n{BODY}")
    out, _, _ = kernel.execute("print(settings(_))")
    magic = json.loads(out.strip().splitlines()[-1])

    # The converted cell as marimo runs it, its last expression (what marimo shows) kept in a name.
    shown = code.replace("\n_mo.ui.anywidget(", "\nshown = _mo.ui.anywidget(", 1)
    assert shown != code
    kernel.execute(f"folder = {str(tmp_path / 'marimo')!r}\n" + shown)
    out, _, _ = kernel.execute("print(type(shown).__module__, settings(shown.widget))")
    module, _, text = out.strip().splitlines()[-1].partition(" ")
    assert module.startswith("marimo.")  # shown in mo.ui.anywidget
    return magic, json.loads(text)


def test_the_converted_call_is_the_magics_quiz_with_ipythons_expansions_done_by_python(
    tmp_path: Path, kernel
) -> None:
    magic, converted = _magic_and_converted(kernel, tmp_path, LINE)
    assert converted["title"] == magic["title"] == "Week 3: halves"
    assert converted["learner"] == magic["learner"] == "ada-x"
    assert converted["mode"] == magic["mode"] == "exam"
    assert converted["time_limit"] == magic["time_limit"] == 90
    assert converted["exam"] == magic["exam"]
    assert converted["exam"]["questions"][0]["question"] == "What is $\\frac{1}{2}$ of 4?"  # raw: \f kept
    assert Path(magic["session"]).is_relative_to(tmp_path / "magic")
    assert Path(converted["session"]).is_relative_to(tmp_path / "marimo")


def test_what_ipython_leaves_unexpanded_stays_text(tmp_path: Path, kernel) -> None:
    # A $name before an odd number of quotes, and a line whose braces IPython cannot read (it then expands
    # nothing in it): the text as written, in the magic and in the converted call alike.
    magic, converted = _magic_and_converted(kernel, tmp_path, 'Costs "$week\'s" {week} --attempt new')
    assert converted["title"] == magic["title"] == "Costs $week's 3"
    magic, converted = _magic_and_converted(kernel, tmp_path, "Sets {week and $who} --attempt new")
    assert converted["title"] == magic["title"] == "Sets {week and $who}"
    assert converted["exam"] == magic["exam"]


def test_only_quiz_cells_change_and_their_old_outputs_go(tmp_path: Path) -> None:
    notebook = _notebook(
        ("markdown", "%%quiz in a markdown cell is text"),
        ("code", "\n%%quiz Loops\n- question: Leaves a loop?\n  options: [break, pass]\n  answer: A\n"),
        ("code", "print('%%quiz')"),
    )
    copy, count = convert_notebook(notebook, name="course.ipynb")
    assert count == 1
    assert copy["cells"][0] == notebook["cells"][0] and copy["cells"][2] == notebook["cells"][2]
    code = "".join(copy["cells"][1]["source"])
    assert code.startswith("# %%quiz Loops\n") and "title='Loops'" in code
    assert copy["cells"][1]["outputs"] == [] and copy["cells"][1]["execution_count"] is None
    assert notebook["cells"][1]["outputs"]  # the caller's notebook is untouched


def test_bad_cells_are_named_with_their_line_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "course.ipynb"
    source.write_text(
        json.dumps(
            _notebook(
                ("code", "x = 1"),
                ("code", "%%quiz Fine\n- question: ok?\n  type: trueFalse\n  answer: A\n"),
                ("code", "%%quiz Colours --colour red\n- question: ok\n  answer: 1\n"),
                ("code", "%%quiz Typo\n- question: ok\n  type: nope\n"),
            )
        ),
        encoding="utf-8",
    )
    for out in ("app.py", "copy.ipynb"):
        assert main(["marimo", str(source), "-o", str(tmp_path / out)]) == 1
        err = capsys.readouterr().err
        assert f"{source}, cell 3: option --colour: found an unknown option" in err
        assert f"{source}, cell 4: line 2: question 1 (id 1): field 'type': found 'nope'" in err
        assert not (tmp_path / out).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course.ipynb"]


def test_an_ipynb_output_is_the_notebook_with_its_quizzes_converted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "for-marimo.ipynb"
    assert main(["marimo", str(INSTRUCTOR), "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    converted = json.loads(out.read_text(encoding="utf-8"))
    original = json.loads(INSTRUCTOR.read_text(encoding="utf-8"))
    assert len(converted["cells"]) == len(original["cells"])
    sources = ["".join(c["source"]) for c in converted["cells"] if c["cell_type"] == "code"]
    assert not any(s.lstrip().startswith("%%quiz") for s in sources)
    assert sum("_QuizWidget.from_questions(" in s for s in sources) == 1


def test_an_unknown_output_kind_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["marimo", str(INSTRUCTOR), "-o", str(tmp_path / "app.txt")]) == 1
    assert "write a marimo app (.py) or a notebook (.ipynb)" in capsys.readouterr().err
    assert not (tmp_path / "app.txt").exists()

"""The shipped notebooks: written by scripts/make_notebooks.py, and what running them leaves in a clone.

What they show after Run All in JupyterLab is tests/browser/test_tour.py; their outputs are checked by strict
nbval in the test command.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"


def test_notebooks_are_what_make_notebooks_writes() -> None:
    """An edit made in a notebook and not in scripts/make_notebooks.py is lost on the next regeneration."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_notebooks.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_quickstart_leaves_nothing_for_git_in_the_clone(tmp_path: Path) -> None:
    """A newcomer takes the quickstart, finishes and studies the wrong answers: `git status` stays clean."""
    clone = tmp_path / "clone"
    (clone / "notebooks").mkdir(parents=True)
    shutil.copy(REPO / ".gitignore", clone / ".gitignore")
    subprocess.run(["git", "init", "-q", str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "add", ".gitignore"], check=True)
    nb = nbformat.read(NOTEBOOKS / "quickstart.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    learner = (
        code
        + "\nquiz.answer('A')\nquiz.next()\nquiz.answer('A')\nquiz.finish()\n"
        + "study = quiz.study_wrong_answers()\nstudy.answer('A')\nstudy.close()\nquiz.close()\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", learner],
        cwd=clone / "notebooks",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    written = sorted(str(p.relative_to(clone)) for p in clone.rglob("*.json"))
    assert any(p.startswith("data/exams/study/") for p in written), written
    status = subprocess.run(
        ["git", "-C", str(clone), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert status.stdout.splitlines() == ["A  .gitignore"], status.stdout


def _markdown(name: str) -> str:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_quickstart_says_a_one_answer_question_is_answered_on_click_or_key() -> None:
    """It said "Enter submits": a single-choice question (19 of the sample's 24) is answered the moment an
    option is clicked or its key pressed; Enter submits only a multi-answer pick or a typed answer."""
    keys = next(line for line in _markdown("quickstart.ipynb").splitlines() if line.startswith("Keys:"))
    assert "the moment" in keys and "click" in keys, keys
    # Enter is named for the questions it does submit: where several options are chosen (or typed answers).
    assert "several" in keys.split("**Enter**")[0], keys


def test_what_the_quickstart_prints_stays_true_after_an_answer(tmp_path: Path) -> None:
    """A printed "where you are" line (0 of 24 answered) was wrong after the first click, though it stayed
    on the page: every printed output must read the same once the learner has answered."""
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.read(NOTEBOOKS / "quickstart.ipynb", as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code"]
    stored = [
        "".join(o.get("text", "") for o in c.outputs if o.get("output_type") == "stream") for c in cells
    ]
    # Run every cell, answer one question as a click does, then run each cell again: same printed text.
    program = "import contextlib, io, json\nouts = []\n"
    program += "".join(f"exec({c.source!r})\n" for c in cells)
    program += "quiz.answer('C')\n"
    program += "".join(
        f"buf = io.StringIO()\nwith contextlib.redirect_stdout(buf):\n    exec({c.source!r})\nouts.append(buf.getvalue())\n"
        for c in cells
    )
    program += "quiz.close()\nprint(json.dumps(outs))\n"
    run = subprocess.run(
        [sys.executable, "-c", program],
        cwd=tmp_path / "notebooks",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    after = json.loads(run.stdout.splitlines()[-1])
    assert after == stored, "a printed line of the quickstart went stale after one answer"


def test_every_quiz_in_the_notebooks_has_a_title_a_person_gave_it() -> None:
    """The GIFT bank's quiz was titled "networking", its file's name: a bank has no title, the notebook
    gives one."""
    stems = {p.stem for p in (NOTEBOOKS / "banks").iterdir()}
    titles = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                text = output.get("data", {}).get("text/plain", "")
                if text.startswith("QuizWidget("):
                    titles.append((path.name, text.split("\n")[1].removeprefix("Quiz: ")))
    assert titles, "no quiz output in the notebooks"
    assert [t for t in titles if t[1] in stems] == []


def test_no_notebook_cell_makes_python_warn_when_it_is_compiled() -> None:
    """question-kinds had "$\\pi$" in a plain string: an invalid escape, which Python 3.12 and later show
    as a SyntaxWarning in the cell's output (3.11, which CI runs, hides it as a DeprecationWarning)."""
    import warnings

    from IPython.core.inputtransformer2 import TransformerManager

    transform = TransformerManager().transform_cell
    found = []
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1):
            if cell.cell_type != "code":
                continue
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                compile(transform(cell.source), f"{path.name} cell {number}", "exec")
            found += [f"{path.name} cell {number}: {w.message}" for w in caught]
    assert found == []


def test_previous_sessions_says_why_its_demo_sessions_show_no_time(tmp_path: Path) -> None:
    """The demo answers from Python in a fraction of a second, so the browser's Time column reads 0:00:00
    for both sessions: the notebook says so where the browser is, or a newcomer takes it for a bug."""
    nb = nbformat.read(NOTEBOOKS / "previous-sessions.ipynb", as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    program = (
        first.source
        + "\nprint(json.dumps([row['time'] for row in SessionBrowser(base_dir=demo).sessions]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", "import json\n" + program],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    times = json.loads(run.stdout.splitlines()[-1])
    assert len(times) == 2 and all(t.startswith("0:00:0") for t in times), times  # seconds, on a slow machine
    cells = nb.cells
    browser = next(
        i for i, c in enumerate(cells) if c.cell_type == "code" and "SessionBrowser(" in c.source and i > 2
    )
    told = "\n".join(c.source for c in cells[:browser] if c.cell_type == "markdown")
    assert "0:00:00" in told, "nothing above the browser says why its Time column reads 0:00:00"

"""The shipped notebooks: written by scripts/make_notebooks.py, and what running them leaves in a clone.

What they show after Run All in JupyterLab is tests/browser/test_tour.py; their outputs are checked by strict
nbval in the test command.
"""

from __future__ import annotations

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

"""Moodle XML and Canvas QTI banks read in Pyodide under Node: defusedxml (pure Python) installs from the
site's own wheels and the readers' tests pass there as they do in CPython."""

from __future__ import annotations

from pathlib import Path

from .pyodide_env import PyodideIndex
from .test_pyodide_core import _outcomes, _pytest_in_pyodide


def test_bank_readers_pass_in_pyodide(pyodide_index: PyodideIndex, tmp_path: Path) -> None:
    # The commands' tests build the CLI (the lite build's imports) and the zip bomb test packs 60 MB:
    # what a notebook in JupyterLite does is load_exam, which the rest cover.
    proc, root = _pytest_in_pyodide(
        pyodide_index,
        tmp_path,
        [
            "-q",
            "/repo/tests/test_moodle_xml.py",
            "/repo/tests/test_qti.py",
            "-k",
            "not commands and not bomb",
        ],
    )
    outcomes = _outcomes(root)
    bad = {k: v for k, v in outcomes.items() if v != "passed"}
    assert "platform emscripten" in proc.stdout
    assert len(outcomes) >= 25, f"only {len(outcomes)} tests ran in Pyodide"
    assert not bad, f"{len(bad)} of {len(outcomes)} bank tests did not pass in Pyodide: {bad}"

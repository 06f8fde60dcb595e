"""scripts/lab.sh, the README's main command, on a clone whose .venv has not installed quiz_widgets yet.

The clone is a copy of the project in a temporary folder. Its fresh .venv sees this test run's packages
(a .pth file), so pip finds JupyterLab & co. installed and only builds quiz_widgets: the real install step
in seconds instead of the newcomer's minute or two. `--version` makes JupyterLab print and exit.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_lab_sh_shows_pips_progress_while_it_installs(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(REPO / name, clone / name)
    for folder in ("quiz_widgets", "scripts"):
        shutil.copytree(REPO / folder, clone / folder, ignore=shutil.ignore_patterns("__pycache__"))
    venv = clone / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    purelib = Path(
        subprocess.run(
            [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (purelib / "test-run-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # JupyterLab's command comes with its package, which this .venv borrows rather than installs.
    (venv / "bin" / "jupyter").symlink_to(Path(sys.executable).parent / "jupyter")

    run = subprocess.run(
        ["bash", str(clone / "scripts" / "lab.sh"), "--version"],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        stdin=subprocess.DEVNULL,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    log = run.stderr
    assert "==> installing quiz_widgets[lab] into .venv" in log
    # What pip is doing, package by package, while the newcomer waits.
    assert "Requirement already satisfied: jupyterlab" in log, log
    assert "Successfully installed quiz_widgets" in log.replace("quiz-widgets", "quiz_widgets"), log
    assert run.stdout.strip().splitlines()[-1][:1].isdigit()  # then JupyterLab ran (its version)
    # JupyterLab's news and update prompts, which covered the quiz's question map, default to off there.
    overrides = json.loads((venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"] == {
        "fetchNews": "false",
        "checkForUpdates": False,
    }

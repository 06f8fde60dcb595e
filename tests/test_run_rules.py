"""A missing prerequisite skips on a developer's machine and fails in CI (tests/run_flags.py).

Each case runs pytest in a child process on a real test module, with the prerequisite really absent: the
compat folder pointed at an empty path, Playwright shadowed by a package whose import fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
UNSET = ("CI", "QUIZ_WIDGETS_REQUIRE_BROWSER", "QUIZ_WIDGETS_REQUIRE_COMPAT", "QUIZ_WIDGETS_COMPAT_DIR")


def run_pytest(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET and not k.startswith("PYTEST_")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rsf",
            "-p",
            "no:cacheprovider",
            f"--rootdir={REPO_ROOT}",
            *args,
        ],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=240,
    )


@pytest.mark.parametrize("module", ["test_compat_exams.py", "test_compat_sessions.py"])
@pytest.mark.parametrize(
    ("extra", "required"),
    [({}, False), ({"CI": "true"}, True), ({"QUIZ_WIDGETS_REQUIRE_COMPAT": "1"}, True)],
    ids=["local", "ci", "require-flag"],
)
def test_missing_compat_folder(module: str, extra: dict, required: bool, tmp_path: Path) -> None:
    env = {"QUIZ_WIDGETS_COMPAT_DIR": str(tmp_path / "no-such-folder"), **extra}
    proc = run_pytest([str(TESTS_DIR / module)], env, REPO_ROOT)
    out = proc.stdout + proc.stderr
    assert "no-such-folder" in out, out[-3000:]  # the message says where it looked
    if required:
        assert proc.returncode == 1, out[-3000:]
        assert " passed" not in out and " skipped" not in out, out[-3000:]
        assert "must run, not skip" in out, out[-3000:]
    else:
        assert proc.returncode == 0, out[-3000:]
        assert " skipped" in out and " failed" not in out, out[-3000:]


@pytest.mark.parametrize(("extra", "required"), [({}, False), ({"QUIZ_WIDGETS_REQUIRE_BROWSER": "1"}, True)])
def test_view_harness_without_playwright(extra: dict, required: bool, tmp_path: Path) -> None:
    shadow = tmp_path / "shadow" / "playwright"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('playwright is not installed (test shadow)')\n")
    env = {"PYTHONPATH": str(shadow.parent), **extra}
    target = f"{TESTS_DIR / 'test_view_harness.py'}::test_renders_question_with_accessible_names"
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("Chromium is missing here, so the harness never reaches its Playwright check")
    proc = run_pytest([target], env, REPO_ROOT)
    out = proc.stdout + proc.stderr
    assert "test shadow" in out, out[-3000:]
    if required:
        assert proc.returncode == 1 and ("1 error" in out or "1 failed" in out), out[-3000:]
        assert "must run, not skip" in out, out[-3000:]
    else:
        assert proc.returncode == 0 and "1 skipped" in out, out[-3000:]

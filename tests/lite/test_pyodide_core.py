"""quiz_widgets' kernel-side core in Pyodide under Node (the npm core the site ships, local wheels only).

Each test starts Node with run_pyodide.mjs, installs the wheel built from this checkout with micropip and
runs pytest inside Pyodide: the project's own unit tests that need no kernel or subprocess, then
scenarios of JupyterLite (tests/lite/pyodide_scenarios.py) across two Pyodide runs, as a page reload is.
"""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from quiz_widgets.store.locks import LEASE_SECONDS

from .pyodide_env import PyodideIndex, run_python

REPO_ROOT = Path(__file__).resolve().parents[2]

# The core's unit tests that run in Pyodide: no kernel, no subprocess, no compiled-only dependency
# (test_exam.py needs jsonschema, whose rpds-py has no wasm wheel; test_storage.py starts processes).
CORE_TEST_MODULES = (
    "test_state.py",
    "test_grading.py",
    "test_results.py",
    "test_markdown_exam.py",
    "test_state_properties.py",
    "test_storage_fuzz.py",
    "test_raw_nesting.py",
)


def _pytest_in_pyodide(index: PyodideIndex, tmp_path: Path, args: list[str], *, shared: Path | None = None):
    packages = "quiz-widgets,pytest,hypothesis"
    out = tmp_path / "out"
    out.mkdir(parents=True, exist_ok=True)
    mounts = {"/repo": REPO_ROOT, "/index": index.folder, "/out": out}
    if shared is not None:
        mounts["/shared"] = shared
    started = time.monotonic()
    proc = run_python(
        index,
        main="/repo/tests/lite/pyodide_main.py",
        argv=[
            packages,
            "/repo/tests",
            "-p",
            "no:cacheprovider",
            "--noconftest",
            "--junitxml=/out/junit.xml",
            *args,
        ],
        mounts=mounts,
        config_dir=tmp_path,
    )
    took = time.monotonic() - started
    print(f"pyodide run took {took:.1f} s\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    # Failures of the harness itself are RuntimeErrors, so an xfail (raises=AssertionError) never hides them.
    if "blocked a network request" in proc.stderr:
        raise RuntimeError(f"Pyodide tried to go online:\n{proc.stderr[-2000:]}")
    junit = out / "junit.xml"
    if not junit.is_file():
        if "Pyodide has suffered a fatal error" in proc.stderr:
            raise AssertionError(f"Pyodide died (exit {proc.returncode}):\n{proc.stderr[-1500:]}")
        raise RuntimeError(f"pytest did not run in Pyodide (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc, ET.parse(junit).getroot()


def _outcomes(root: ET.Element) -> dict[str, str]:
    found = {}
    for case in root.iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = [child.tag for child in case if child.tag in ("failure", "error", "skipped")]
        found[name] = kinds[0] if kinds else "passed"
    return found


def test_core_unit_tests_pass_in_pyodide(pyodide_index: PyodideIndex, tmp_path: Path) -> None:
    proc, root = _pytest_in_pyodide(
        pyodide_index, tmp_path, ["-q", *(f"/repo/tests/{m}" for m in CORE_TEST_MODULES)]
    )
    outcomes = _outcomes(root)
    bad = {k: v for k, v in outcomes.items() if v != "passed"}
    assert "platform emscripten" in proc.stdout
    assert len(outcomes) >= 100, f"only {len(outcomes)} tests ran in Pyodide"
    assert not bad, f"{len(bad)} of {len(outcomes)} core tests did not pass in Pyodide: {bad}"
    assert proc.returncode == 0


def _scenario(index: PyodideIndex, tmp_path: Path, shared: Path, test: str) -> str:
    _proc, root = _pytest_in_pyodide(
        index, tmp_path / test, ["-q", f"/repo/tests/lite/pyodide_scenarios.py::{test}"], shared=shared
    )
    outcomes = _outcomes(root)
    assert len(outcomes) == 1, outcomes
    detail = [c.text or c.get("message", "") for case in root.iter("testcase") for c in case]
    return next(iter(outcomes.values())) + "".join(f"\n{d}" for d in detail if d)[-3000:]


def test_new_session_is_saved_in_pyodide(pyodide_index: PyodideIndex, tmp_path: Path) -> None:
    """The first answer of a new quiz lands in a new session file (os.link does not exist in Pyodide)."""
    shared = tmp_path / "drive"
    shared.mkdir()
    outcome = _scenario(pyodide_index, tmp_path, shared, "test_first_kernel_answers_and_saves")
    assert outcome.startswith("passed"), outcome
    assert len(list((shared / "data" / "sessions").glob("session_*.json"))) == 1


def test_session_resumes_writable_after_a_reload(pyodide_index: PyodideIndex, tmp_path: Path) -> None:
    """The first kernel's lease outlives it (nothing runs when a tab closes); once stale, a new kernel
    resumes the session writable. That the copy waits for a live lease is test_lease_lock.py's and the
    Chromium test's."""
    shared = tmp_path / "drive"
    shared.mkdir()
    first = _scenario(pyodide_index, tmp_path, shared, "test_first_kernel_answers_and_saves")
    assert first.startswith("passed"), first
    (lease,) = (shared / "data" / "sessions" / ".locks").glob("session_*.json.lock")
    left = json.loads(lease.read_text("utf-8"))["heartbeat"] + LEASE_SECONDS - time.time()
    time.sleep(max(0.0, left) + 0.5)  # a reload after the old tab's lease went stale
    second = _scenario(pyodide_index, tmp_path, shared, "test_reloaded_kernel_resumes_writable")
    assert second.startswith("passed"), second


def test_deeply_nested_session_file_is_skipped_in_pyodide(
    pyodide_index: PyodideIndex, tmp_path: Path
) -> None:
    shared = tmp_path / "drive"
    shared.mkdir()
    outcome = _scenario(pyodide_index, tmp_path, shared, "test_deeply_nested_file_is_skipped")
    assert outcome.startswith("passed"), outcome

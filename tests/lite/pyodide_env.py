"""Pyodide under Node for the tests: a local package folder (the site's Pyodide core, pure wheels, a lock
listing only them) and a runner.

    index = make_index(cache_dir, folder, project_wheel, extra=("pytest", "hypothesis"))
    proc = run_python(index, main="/repo/tests/lite/pyodide_main.py", argv=[...], mounts={"/repo": REPO})
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import Requirement

from quiz_widgets.lite.lockfile import site_lock
from quiz_widgets.lite.pyodide_core import CORE_FILES, fetch_core, kernel_pyodide_version
from quiz_widgets.lite.wheels import WheelCache, kernel_wheels, pyodide_markers, read_wheel, resolve

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")


@dataclass(frozen=True)
class PyodideIndex:
    folder: Path
    wheels: Mapping[str, Path]  # canonical name -> wheel file in ``folder``


def make_index(cache_dir: Path, folder: Path, project_wheel: Path, extra: Sequence[str] = ()) -> PyodideIndex:
    """The core (symlinked from the cache), quiz_widgets' wheel, every pure dependency and ``extra``."""
    core = fetch_core(cache_dir, kernel_pyodide_version())
    core_lock = json.loads((core / "pyodide-lock.json").read_text("utf-8"))
    python = core_lock["info"]["python"]
    markers = pyodide_markers(python)
    own = read_wheel(project_wheel, markers)
    wheels = resolve(
        [Requirement(own.name), *map(Requirement, extra)],
        cache=WheelCache(cache_dir / "wheels", ".".join(python.split(".")[:2])),
        lock_versions={n: p["version"] for n, p in core_lock["packages"].items()},
        provided={**kernel_wheels(markers), own.name: own},
        markers=markers,
    )
    folder.mkdir(parents=True, exist_ok=True)
    for name in CORE_FILES:
        if name != "pyodide-lock.json":
            (folder / name).symlink_to(core / name)
    for wheel in wheels.values():  # copies: a symlink would lead out of the folder mounted in Pyodide
        shutil.copy2(wheel.path, folder / wheel.path.name)
    (folder / "pyodide-lock.json").write_text(json.dumps(site_lock(core_lock, wheels)), "utf-8")
    return PyodideIndex(folder, {n: folder / w.path.name for n, w in wheels.items()})


def run_python(
    index: PyodideIndex,
    *,
    main: str,
    argv: Sequence[str],
    mounts: Mapping[str, Path],
    config_dir: Path,
    timeout: float = 600,
) -> subprocess.CompletedProcess:
    """Run ``main`` (a path inside Pyodide's FS) with run_pyodide.mjs; output captured as text."""
    assert NODE, "node is needed for the Pyodide tests"
    config = {
        "indexURL": str(index.folder),
        "mounts": {k: str(v) for k, v in mounts.items()},
        "main": main,
        "argv": list(argv),
    }
    config_path = config_dir / "run_pyodide.json"
    config_path.write_text(json.dumps(config), "utf-8")
    return subprocess.run(
        [NODE, str(HERE / "run_pyodide.mjs"), str(config_path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )

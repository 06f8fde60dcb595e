"""A site's wheels carry bytecode compiled by Pyodide's own Python, and Pyodide imports it instead of
compiling the source again (shown under Node with the site's Pyodide core)."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from importlib.resources import files
from pathlib import Path

from quiz_widgets.lite.precompile import precompiled
from quiz_widgets.lite.pyodide_core import fetch_core, kernel_pyodide_version

NODE = shutil.which("node")


def _wheel(folder: Path) -> Path:
    path = folder / "qwprobe-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("qwprobe/__init__.py", 'VALUE = "compiled at build time"\n')
        zf.writestr("qwprobe/broken.py", "def (:\n")  # a syntax error stays source, never fails the build
        zf.writestr("qwprobe-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: qwprobe\nVersion: 1.0\n")
        zf.writestr("qwprobe-1.0.dist-info/RECORD", "")
    return path


def test_the_compiled_bytecode_is_what_pyodide_imports(tmp_path: Path, lite_cache: Path) -> None:
    assert NODE, "node is needed for the Pyodide tests"
    core = fetch_core(lite_cache, kernel_pyodide_version())
    source = _wheel(tmp_path)
    compiled = precompiled(core, [source], tmp_path / "cache", NODE)[source]
    assert compiled.name == source.name
    with zipfile.ZipFile(compiled) as zf:
        names = zf.namelist()
        record = zf.read("qwprobe-1.0.dist-info/RECORD").decode()
    pyc = [n for n in names if n.endswith(".pyc")]
    assert len(pyc) == 1 and pyc[0].startswith("qwprobe/__pycache__/__init__.cpython-3"), names
    assert pyc[0] in record
    # Edit the source after compiling: if Pyodide imports the old value, it ran the .pyc, not the .py.
    edited = tmp_path / "edited" / source.name
    edited.parent.mkdir()
    with zipfile.ZipFile(compiled) as zin, zipfile.ZipFile(edited, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(
                info, b'VALUE = "edited source"\n' if info.filename == "qwprobe/__init__.py" else data
            )
    script = tmp_path / "run.mjs"
    script.write_text(files("quiz_widgets.lite").joinpath("precompile.mjs").read_text("utf-8"), "utf-8")
    code = (
        "import sys, zipfile\nzipfile.ZipFile('/in/" + source.name + "').extractall('/tmp/site')\n"
        "sys.path.insert(0, '/tmp/site')\nimport qwprobe\nprint('VALUE=' + qwprobe.VALUE)\n"
    )
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps({"indexURL": str(core), "mounts": {"/in": str(edited.parent)}, "code": code}), "utf-8"
    )
    done = subprocess.run([NODE, str(script), str(config)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "VALUE=compiled at build time" in done.stdout
    # Cached: a second build compiles nothing (the same file is returned, untouched).
    before = compiled.stat().st_mtime_ns
    assert precompiled(core, [source], tmp_path / "cache", NODE)[source] == compiled
    assert compiled.stat().st_mtime_ns == before

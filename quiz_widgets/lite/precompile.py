"""Wheels with their bytecode compiled by the site's own Python (Pyodide under Node), cached.

Pyodide never writes bytecode (its files live in memory for one page), so every import in the kernel
compiles the module's source again, on each page load: measured in a site, compiling what the first
question imports took most of its time (justhtml alone 1.4 s). Pyodide's own packages ship compiled for
this reason; the wheels of a site built here come from the package index as source, so they are compiled
once at build time, by the same Python (version and bytecode) the kernel runs, into each module's
``__pycache__`` as unchecked hash-based .pyc files (the source stays for tracebacks; the .pyc is used
without comparing dates, which a wheel's files do not keep).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from quiz_widgets.lite.errors import LiteBuildError
from quiz_widgets.lite.tools import run

# Runs inside Pyodide: each (source, target) wheel pair under /in -> /out.
_COMPILE = r"""
import base64, csv, hashlib, importlib.util, io, json, warnings, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def _row(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return [name, f"sha256={digest}", str(len(data))]

warnings.simplefilter("ignore")  # a package's SyntaxWarnings are its own business here
for name in json.loads(JOBS):
    with zipfile.ZipFile("/in/" + name) as zin, zipfile.ZipFile("/out/" + name, "w", zipfile.ZIP_DEFLATED) as zout:
        record = next((n for n in zin.namelist() if n.endswith(".dist-info/RECORD")), None)
        rows = []
        for info in zin.infolist():
            if info.filename == record or info.is_dir():
                continue
            data = zin.read(info)
            zout.writestr(info, data)
            rows.append(_row(info.filename, data))
            top = info.filename.split("/", 1)[0]
            if not info.filename.endswith(".py") or top.endswith((".data", ".dist-info")):
                continue
            try:
                code = compile(data, info.filename, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                continue
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            cached = importlib.util.cache_from_source(info.filename)
            zout.writestr(cached, pyc)
            rows.append(_row(cached, pyc))
        if record is not None:
            out = io.StringIO()
            csv.writer(out, lineterminator="\n").writerows([*rows, [record, "", ""]])
            zout.writestr(record, out.getvalue())
"""


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:24]


def precompiled(core: Path, wheels: Iterable[Path], cache: Path, node: str) -> dict[Path, Path]:
    """Each wheel's compiled copy (same file name), from ``cache`` or made now in one Pyodide run."""
    result: dict[Path, Path] = {}
    todo: dict[str, tuple[Path, Path]] = {}
    for wheel in wheels:
        target = cache / _digest(wheel) / wheel.name
        result[wheel] = target
        if not target.is_file():
            todo[wheel.name] = (wheel, target)
    if not todo:
        return result
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".compile-") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "in").mkdir()
        (tmp / "out").mkdir()
        for name, (wheel, _) in todo.items():
            shutil.copy2(wheel, tmp / "in" / name)
        config = {
            "indexURL": str(core),
            "mounts": {"/in": str(tmp / "in"), "/out": str(tmp / "out")},
            "code": f"JOBS = {json.dumps(json.dumps(sorted(todo)))}\n{_COMPILE}",
        }
        (tmp / "config.json").write_text(json.dumps(config), "utf-8")
        with tempfile.TemporaryDirectory() as script_dir:
            # Copied out of the package: an installed wheel may be a zip, and node needs a file.
            script = Path(script_dir) / "precompile.mjs"
            script.write_text(files(__package__).joinpath("precompile.mjs").read_text("utf-8"), "utf-8")
            run(
                [node, str(script), str(tmp / "config.json")], what="compiling the wheels' modules in Pyodide"
            )
        for name, (_, target) in todo.items():
            made = tmp / "out" / name
            if not made.is_file():
                raise LiteBuildError(f"compiling {name} in Pyodide gave no wheel")
            target.parent.mkdir(parents=True, exist_ok=True)
            made.replace(target)
    return result

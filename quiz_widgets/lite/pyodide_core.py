"""The Pyodide core (npm package ``pyodide`` at the version the JupyterLite kernel expects), cached."""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from quiz_widgets.lite.errors import LiteBuildError
from quiz_widgets.lite.tools import require, run

# What the kernel loads from the core: the rest of the npm package (types, consoles, source maps) is not
# needed in a site.
CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def kernel_pyodide_version() -> str:
    """The Pyodide version the installed jupyterlite-pyodide-kernel was built for."""
    try:
        from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION
    except ImportError as err:
        raise LiteBuildError(
            'jupyterlite-pyodide-kernel is not installed: pip install "quiz_widgets[lite]"'
        ) from err
    return PYODIDE_VERSION


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in CORE_FILES)


def fetch_core(cache_dir: Path, version: str) -> Path:
    """A folder holding CORE_FILES of npm ``pyodide@version``; downloaded once into ``cache_dir``."""
    dest = cache_dir / f"pyodide-{version}"
    if _complete(dest):
        return dest
    npm = require("npm", why=f"once, to download the Pyodide {version} core from the npm registry")
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".fetch-") as tmp:
        # npm pack checks the tarball against the registry's integrity hash.
        out = run(
            [npm, "pack", f"pyodide@{version}", "--json", "--pack-destination", tmp],
            what=f"downloading pyodide@{version} from the npm registry",
        )
        try:
            tarball = Path(tmp) / json.loads(out)[0]["filename"]
        except (ValueError, LookupError, TypeError) as err:
            raise LiteBuildError(f"npm pack printed something unexpected: {out[:200]!r}") from err
        unpacked = Path(tmp) / "unpacked"
        with tarfile.open(tarball) as tar:
            # The "data" filter refuses links and paths out of the folder (Python 3.10.12+).
            safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
            tar.extractall(unpacked, **safe)
        package = unpacked / "package"
        meta = json.loads((package / "package.json").read_text("utf-8"))
        if meta.get("version") != version:
            raise LiteBuildError(f"npm gave pyodide {meta.get('version')!r}, expected {version!r}")
        missing = [name for name in CORE_FILES if not (package / name).is_file()]
        if missing:
            raise LiteBuildError(f"npm pyodide@{version} lacks {', '.join(missing)}")
        staged = Path(tmp) / "core"
        staged.mkdir()
        for name in CORE_FILES:
            shutil.copy2(package / name, staged / name)
        if _complete(dest):
            return dest  # a build beside this one got it first: theirs may be in use, keep it
        if dest.exists():  # a partial folder from an interrupted build
            shutil.rmtree(dest)
        try:
            staged.rename(dest)
        except OSError:
            if not _complete(dest):
                raise
    return dest

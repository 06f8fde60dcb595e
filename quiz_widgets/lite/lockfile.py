"""The site's ``pyodide-lock.json``: the core's lock with its packages replaced by the site's own wheels.

Only wheels that are in the site are listed, so nothing the kernel loads from the lock can point at a
file that is not there (or at a host); an unknown package then fails clearly in ``%pip install``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from packaging.utils import canonicalize_name

from quiz_widgets.lite.errors import LiteBuildError
from quiz_widgets.lite.wheels import OPTIONAL_IN_PYODIDE, LocalWheel


def site_lock(core_lock: Mapping[str, Any], wheels: Mapping[str, LocalWheel]) -> dict[str, Any]:
    """A lock for wheels stored beside it (``file_name`` relative, ``sha256`` of the local file)."""
    packages: dict[str, dict[str, Any]] = {}
    for name, wheel in sorted(wheels.items()):
        depends = sorted({canonicalize_name(r.name) for r in wheel.requires} - set(OPTIONAL_IN_PYODIDE))
        missing = [d for d in depends if d not in wheels]
        if missing:
            raise LiteBuildError(
                f"{wheel.path.name} needs {', '.join(missing)}, which the site does not hold"
            )
        packages[name] = {
            "name": name,
            "version": wheel.version,
            "file_name": wheel.path.name,
            "install_dir": "site",
            "sha256": wheel.sha256,
            "package_type": "package",
            "imports": list(wheel.imports),
            "depends": depends,
            "unvendored_tests": False,
        }
    return {"info": dict(core_lock["info"]), "packages": packages}

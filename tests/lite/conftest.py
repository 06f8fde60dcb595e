"""Fixtures for the JupyterLite tests: the download cache, quiz_widgets' wheel, a local Pyodide index.

The cache is the build's own (``.cache/lite`` in the work tree, or $QUIZ_WIDGETS_LITE_CACHE): the first run
on a fresh clone downloads the Pyodide core (npm) and the pure wheels once; later runs are offline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz_widgets.lite.build import CACHE_ENV
from quiz_widgets.lite.wheels import build_project_wheel

from .pyodide_env import PyodideIndex, make_index

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def lite_cache() -> Path:
    import os

    return Path(os.environ.get(CACHE_ENV) or REPO_ROOT / ".cache" / "lite")


@pytest.fixture(scope="session")
def project_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """quiz_widgets' wheel built from this checkout, once per test session."""
    return build_project_wheel(REPO_ROOT, tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def pyodide_index(
    lite_cache: Path, project_wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> PyodideIndex:
    return make_index(
        lite_cache,
        tmp_path_factory.mktemp("pyodide-index"),
        project_wheel,
        extra=("micropip", "pytest", "hypothesis"),
    )

"""Shared fixtures: repository paths and real Jupyter kernels.

Markers (registered in pyproject.toml): ``kernel``, ``browser``, ``compat``. Tests that use the kernel
fixtures are marked ``kernel`` automatically, tests under tests/browser/ or using a ``browser`` fixture
``browser``, so ``-m "not browser"`` / ``-m "not kernel"`` select reliably. ``compat`` tests skip
without the original app's files, and fail instead in CI (run_flags.py says when).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
if str(TESTS_DIR) not in sys.path:  # so tests can `import kernel_utils` / `from browser import lab_utils`
    sys.path.insert(0, str(TESTS_DIR))

from kernel_utils import RunningKernel, start_kernel  # noqa: E402
from run_flags import require_compat  # noqa: E402
from widget_utils import recording_comms  # noqa: E402, F401  (a fixture for every test module)


def _installed_from_another_tree() -> bool:
    """True when quiz_widgets is installed editable from another folder than this one (a git worktree)."""
    import json
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    try:
        direct = json.loads(metadata.distribution("quiz_widgets").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, ValueError):
        return False
    if not direct.get("dir_info", {}).get("editable"):
        return False
    return Path(unquote(urlparse(direct.get("url", "")).path)).resolve() != REPO_ROOT


# In a second worktree the editable install still points at the first: kernels and servers the tests start
# would run the other tree's code. PYTHONPATH puts this tree first for them (no-op in a normal checkout).
if _installed_from_another_tree():
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))

# Playwright must never download a browser: we use Debian's /usr/bin/chromium.
os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

KERNEL_FIXTURES = {"kernel", "kernel_factory"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    browser_dir = TESTS_DIR / "browser"
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & KERNEL_FIXTURES and item.get_closest_marker("kernel") is None:
            item.add_marker(pytest.mark.kernel)
        path = Path(str(getattr(item, "path", "")))
        # The view harness drives Chromium too (its ``browser`` fixture), though it lives outside browser/.
        in_browser = browser_dir in path.parents or "browser" in names
        if in_browser and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    # Before skip marks are evaluated, so an empty parameter list of a compat module fails in CI too.
    if item.get_closest_marker("compat") is not None:
        require_compat()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def exams_dir() -> Path:
    """The sample exams shipped in the package, quiz_widgets/exam/samples (read only: copy before writing)."""
    return REPO_ROOT / "quiz_widgets" / "exam" / "samples"


@pytest.fixture
def kernel_factory(tmp_path: Path) -> Iterator[Callable[..., RunningKernel]]:
    """Start real ipykernels: ``k = kernel_factory(cwd=None, extra_env=None)``.

    Default cwd is a fresh folder ``tmp_path/"kernel-N"``. Several kernels may share a cwd (two
    processes on one session folder). Everything still running at teardown is killed.
    """
    started: list[RunningKernel] = []

    def start(
        cwd: str | os.PathLike | None = None,
        *,
        extra_env: dict[str, str] | None = None,
        startup_timeout: float = 60,
    ) -> RunningKernel:
        folder = Path(cwd) if cwd is not None else tmp_path / f"kernel-{len(started)}"
        km, kc = start_kernel(folder, extra_env=extra_env, startup_timeout=startup_timeout)
        k = RunningKernel(km=km, kc=kc, cwd=folder)
        started.append(k)
        return k

    yield start
    for k in started:
        k.close()


@pytest.fixture
def kernel(kernel_factory: Callable[..., RunningKernel], tmp_path: Path) -> RunningKernel:
    """One real ipykernel (this venv's python, editable quiz_widgets), cwd ``tmp_path / "work"``.

    ``kernel.execute(code)`` -> ExecResult (unpacks as stdout, data, error; raises on a cell error),
    ``kernel.shutdown()`` / ``restart()`` / ``sigterm()`` / ``sigkill()`` / ``interrupt()``,
    ``kernel.pid``, ``kernel.cwd``, ``kernel.log()``.
    """
    return kernel_factory(tmp_path / "work")

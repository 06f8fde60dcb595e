"""Browser fixtures: one JupyterLab server per session, one Chromium per module, a fresh page and folder
per test.

    def test_x(page, lab, lab_dir):
        open_notebook(page, lab, lab_dir.notebook("quickstart.ipynb"))
        run_all(page)
        output_locator(page, "button").first.click()

Chromium is Debian's /usr/bin/chromium (Playwright never downloads one). If it is missing the browser
tests are skipped, unless QUIZ_WIDGETS_REQUIRE_BROWSER=1 (set by scripts/test.sh under CI=true), in which
case they fail. On a failure a screenshot and the page's console log go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .lab_utils import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LabDir,
    LabServer,
    copy_repo_files,
    shutdown_sessions,
    start_lab,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
_phase_key = pytest.StashKey[dict]()


def _require_browser() -> bool:
    return os.environ.get("QUIZ_WIDGETS_REQUIRE_BROWSER", "").lower() in ("1", "true", "yes")


def _no_browser(reason: str):
    if _require_browser():
        pytest.fail(f"{reason} (QUIZ_WIDGETS_REQUIRE_BROWSER=1: browser tests must run)", pytrace=False)
    pytest.skip(f"{reason}; install it with: sudo apt-get install -y chromium")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    rep = yield
    item.stash.setdefault(_phase_key, {})[rep.when] = rep
    return rep


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """One JupyterLab server for the whole session (see lab_utils.start_lab)."""
    server = start_lab(tmp_path_factory.mktemp("lab"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def lab_dir(lab: LabServer, request: pytest.FixtureRequest) -> Iterator[LabDir]:
    """A fresh folder in the Lab root with copies of the repo's notebooks/ and data/.

    Its notebooks are at ``lab_dir.notebook("NAME.ipynb")``. At teardown its kernels are shut down
    (gracefully, via the REST API) and the theme setting is reset.
    """
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[:80]
    path = lab.root_dir / name
    n = 1
    while path.exists():
        n += 1
        path = lab.root_dir / f"{name}-{n}"
    path.mkdir(parents=True)
    copy_repo_files(REPO_ROOT, path)
    d = LabDir(path=path, rel=path.name)
    yield d
    try:
        shutdown_sessions(lab, d.rel + "/")
    except Exception as exc:  # the server may be gone; don't hide the test's own result
        print(f"lab_dir teardown: could not shut down sessions: {exc!r}")
    (lab.settings_dir / "@jupyterlab/apputils-extension/themes.jupyterlab-settings").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium launched by Playwright (sync API), shared by the tests of one module.

    Module scope on purpose: while a sync Playwright is alive the main thread looks like it runs an
    asyncio loop, so asyncio.run() and other sync_playwright() users in later modules would fail.
    """
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _no_browser(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed")
    os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception:
        pw.stop()
        raise
    try:
        yield b
    finally:
        b.close()
        pw.stop()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator[object]:
    """A new page in its own browser context (1280x900). Screenshot + console log on failure."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(f"[{m.type}] {m.text}"))
    pg.on("pageerror", lambda e: console.append(f"[pageerror] {e}"))
    pg.console_log = console  # for tests that want to assert on it
    yield pg
    reports = request.node.stash.get(_phase_key, {})
    failed = any(r.failed for r in reports.values())
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        except Exception as exc:
            print(f"screenshot failed: {exc!r}")
        (ARTIFACTS / f"{stem}.console.txt").write_text("\n".join(console))
    context.close()


@pytest.fixture
def lab_log(lab: LabServer):
    """Callable returning the server log so far (for failure messages)."""
    return lab.log


def pytest_sessionfinish(session, exitstatus):
    # Keep test-artifacts/ only when something was written into it.
    if ARTIFACTS.is_dir() and not any(ARTIFACTS.iterdir()):
        shutil.rmtree(ARTIFACTS, ignore_errors=True)

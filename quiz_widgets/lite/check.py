"""``quiz-widgets lite build ... --check``: open the built site in headless Chromium and answer one question.

A teacher learns before publishing that the site starts its kernel offline, runs the opening notebook and
gives feedback to a click. The site is served from 127.0.0.1 exactly as built (no special headers), in a
fresh browser profile; only the page's copy of ``jupyter-lite.json`` is changed, to reach JupyterLab's
command API (``exposeAppInBrowser``). Needs Playwright (``pip install playwright``) and a Chromium:
``$QUIZ_WIDGETS_CHROMIUM``, else Debian's ``/usr/bin/chromium``, else Playwright's own.

The same steps, timed, are the JupyterLite rows of ``python -m benchmarks`` (``SiteVisit``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from quiz_widgets.lite.errors import LiteBuildError

CHROMIUM_ENV = "QUIZ_WIDGETS_CHROMIUM"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
]
KERNEL_START_MS = 240_000  # a cold profile on a slow laptop: Pyodide, every wheel, the kernel
_CLASS_REPR = re.compile(r"<class '([\w.]+)'>")
_CURRENT = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
_KERNEL = f"({_CURRENT} && {_CURRENT}.sessionContext.session && {_CURRENT}.sessionContext.session.kernel)"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # a build log is no place for each request
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """The site on ``http://127.0.0.1:PORT/`` from a thread, as any static host serves it."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _chromium_path() -> str | None:
    env = os.environ.get(CHROMIUM_ENV)
    if env:
        return env
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium that resolves no host but 127.0.0.1 (a request elsewhere fails, and is seen)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise LiteBuildError(f"--check needs Playwright ({err}): pip install playwright") from err
    pw = sync_playwright().start()
    try:
        args = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        try:
            browser = pw.chromium.launch(executable_path=_chromium_path(), args=args, headless=True)
        except Exception as err:  # Playwright raises its own Error for a missing or broken browser
            raise LiteBuildError(
                f"--check could not start Chromium ({str(err).splitlines()[0]}): install it "
                f"(apt-get install chromium, or playwright install chromium) or set ${CHROMIUM_ENV}"
            ) from err
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


@dataclass
class SiteVisit:
    """One fresh browser profile on a served site; every request is recorded, times are in seconds."""

    browser: object
    base: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(60_000)
        self.context.on("request", lambda r: self.requests.append(r.url))
        # The page's copy of the config only: the site on disk stays as published.
        self.context.route("**/jupyter-lite.json", self._expose_app)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console.append(f"[{m.type}] {m.text}"))

    @staticmethod
    def _expose_app(route: object) -> None:
        response = route.fetch()
        config = json.loads(response.text())
        config.setdefault("jupyter-config-data", {})["exposeAppInBrowser"] = True
        route.fulfill(response=response, body=json.dumps(config))

    def open(self, url_path: str = "") -> str:
        """Load ``url_path`` (the site's front page by default); the notebook JupyterLab opened on."""
        self.page.goto(self.base + url_path)
        self.page.wait_for_function(
            f"() => {{ const w = {_CURRENT}; return !!w && !!w.context && !!w.sessionContext; }}",
            timeout=KERNEL_START_MS,
        )
        return self.page.evaluate(f"() => {_CURRENT}.context.path")

    def wait_kernel_idle(self, timeout_ms: float = KERNEL_START_MS) -> None:
        self.page.wait_for_function(
            f"() => {{ const k = {_KERNEL}; return !!k && k.status === 'idle'; }}", timeout=timeout_ms
        )

    def execute(self, code: str, timeout_ms: float = 120_000) -> dict:
        """Run *code* in the notebook's kernel (no cell added): stdout, stderr, error, seconds."""
        return self.page.evaluate(
            f"""async ([code, timeout]) => {{
                const k = {_KERNEL};
                const out = {{stdout: '', stderr: '', error: null, seconds: null}};
                const t0 = performance.now();
                const future = k.requestExecute({{code, stop_on_error: true, store_history: false}});
                future.onIOPub = (msg) => {{
                    const t = msg.header.msg_type, c = msg.content;
                    if (t === 'stream') out[c.name === 'stderr' ? 'stderr' : 'stdout'] += c.text;
                    else if (t === 'error') out.error = c.ename + ': ' + c.evalue;
                }};
                const timer = new Promise((resolve) => setTimeout(() => resolve(null), timeout));
                const reply = await Promise.race([future.done, timer]);
                if (!reply) out.error = `no reply after ${{timeout}} ms`;
                out.seconds = (performance.now() - t0) / 1000;
                return out;
            }}""",
            [code, timeout_ms],
        )

    def run_all(self, timeout_ms: float = KERNEL_START_MS) -> list[str]:
        """Run every cell; the error and stderr outputs the learner would see."""
        self.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.page.wait_for_timeout(200)
        self.wait_kernel_idle(timeout_ms)
        return self.page.evaluate(
            f"""() => {{
                const out = [];
                for (const cell of {_CURRENT}.content.model.cells) {{
                    if (cell.type !== 'code') continue;
                    for (let i = 0; i < cell.outputs.length; i++) {{
                        const o = cell.outputs.get(i).toJSON();
                        if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue);
                        else if (o.output_type === 'stream' && o.name === 'stderr') out.push([].concat(o.text).join(''));
                    }}
                }}
                return out;
            }}"""
        )

    def answer_first_question(self, timeout_ms: float = 60_000) -> float:
        """Click the first option of the first quiz on screen; seconds from the click to its feedback."""
        option = self.page.locator(".jp-OutputArea-output .qw-question .qw-option:not([disabled])").first
        option.wait_for(timeout=timeout_ms)
        started = time.perf_counter()
        option.click()
        self.page.locator(".jp-OutputArea-output .qw-feedback-region .qw-verdict").first.wait_for(
            timeout=timeout_ms
        )
        return time.perf_counter() - started

    def outside_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"
        ]

    def close(self) -> None:
        self.context.close()


def notebook_url(path: str) -> str:
    return "lab/index.html?path=" + quote(path)


def check_site(site: str | os.PathLike, *, log=None) -> dict:
    """Open *site* as a learner does (its front page), run the opening notebook and answer one question.

    Returns what was seen (the notebook, seconds to a ready kernel, to the run and to feedback); raises
    LiteBuildError saying what went wrong, the first thing a teacher must fix.
    """
    if _loop_running():
        # Playwright's sync API refuses to run beside a running asyncio loop (a notebook cell, a test that
        # already drives a browser): the check then runs in a thread of its own, which has none.
        result: dict = {}

        def work() -> None:
            try:
                result["seen"] = _check_site(site, log)
            except BaseException as err:  # handed back to the caller's thread below
                result["error"] = err

        worker = threading.Thread(target=work, name="quiz-widgets-lite-check")
        worker.start()
        worker.join()
        if "error" in result:
            raise result["error"]
        return result["seen"]
    return _check_site(site, log)


def _loop_running() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _check_site(site: str | os.PathLike, log) -> dict:
    say = log or (lambda _msg: None)
    site = Path(site)
    if not (site / "index.html").is_file():
        raise LiteBuildError(f"{site} is not a built site (no index.html)")
    with serve(site) as base, chromium() as browser:
        visit = SiteVisit(browser, base)
        try:
            started = time.perf_counter()
            notebook = visit.open()
            say(f"check: the site opened on {notebook}")
            visit.wait_kernel_idle()
            ready = time.perf_counter() - started
            say(f"check: kernel ready after {ready:.1f} s")
            # The Pyodide kernel names an error by its class's repr ("<class 'ZeroDivisionError'>").
            problems = [_CLASS_REPR.sub(r"\1", p) for p in visit.run_all()]
            if problems:
                raise LiteBuildError(f"check: running {notebook} showed: " + " | ".join(problems)[:800])
            ran = time.perf_counter() - started - ready
            try:
                feedback = visit.answer_first_question()
            except Exception as err:
                raise LiteBuildError(
                    f"check: no quiz question answered in {notebook} ({str(err).splitlines()[0]}): "
                    "the opening notebook should show a quiz (or name another with --open)"
                ) from err
            outside = visit.outside_requests()
            if outside:
                raise LiteBuildError(f"check: the page asked for something outside the site: {outside[:3]}")
            return {"notebook": notebook, "kernel_s": ready, "run_s": ran, "feedback_s": feedback}
        finally:
            visit.close()

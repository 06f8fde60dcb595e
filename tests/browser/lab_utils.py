"""Driving JupyterLab from Playwright (sync API): a server for the session, helpers for the page.

Server: :func:`start_lab` / :class:`LabServer` (used by the ``lab`` fixture in conftest.py).
Page helpers (``page`` is a Playwright Page, ``lab`` a LabServer, ``name`` a path relative to the
Lab root such as ``lab_dir.notebook("quickstart.ipynb")``):

    open_notebook(page, lab, name)        run_all(page)              execute_in_kernel(page, code)
    save_notebook(page)                    restart_kernel(page)       set_theme(page, "dark")
    output_locator(page)                   notebook_errors(page)      write_notebook(path, cells)
    lab_api(lab, "GET", "/api/sessions")   wait_kernel_idle(page)

A quiz in a notebook (``questions`` as QuizWidget.from_questions takes them, the widget kept as ``quiz``):

    root = start_quiz(page, lab, lab_dir, "x.ipynb", QUESTIONS, title="T", mode="exam")
    wait_quiz_idle(page)                   kernel_repr(page, "quiz.total_answered")
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
# Screenshots go to test-artifacts/; QUIZ_WIDGETS_UPDATE_SCREENSHOTS=1 refreshes the ones in docs/ (the
# README's pictures), so a test run never dirties the work tree.
_REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = (
    _REPO / "docs" / "screenshots"
    if os.environ.get("QUIZ_WIDGETS_UPDATE_SCREENSHOTS") == "1"
    else _REPO / "test-artifacts" / "screenshots"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]

# --------------------------------------------------------------------------------------------------
# server


@dataclass
class LabServer:
    url: str  # "http://127.0.0.1:PORT/" (ends with /)
    token: str
    port: int
    root_dir: Path
    base_dir: Path  # holds root/, config/, runtime/, settings/, workspaces/, lab.log
    proc: subprocess.Popen
    log_path: Path
    settings_dir: Path
    _workspaces: Any = field(default_factory=lambda: count(1))

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def tree_url(self, name: str, *, workspace: str | None = None) -> str:
        """URL that opens ``name`` in a fresh workspace (no tabs restored from earlier tests)."""
        ws = workspace or f"qw-{os.getpid()}-{next(self._workspaces)}"
        return f"{self.url}lab/workspaces/{ws}/tree/{quote(name)}?reset&token={self.token}"

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM (the server shuts its kernels down gracefully), SIGKILL after ``timeout`` s."""
        return stop_process(self.proc, timeout)


def stop_process(proc: subprocess.Popen, timeout: float = 15) -> int | None:
    """SIGTERM, so a Jupyter server shuts its kernels down gracefully; SIGKILL after ``timeout`` s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return proc.returncode


def wait_until(predicate, timeout: float = 10.0, what: str = "condition", interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy (returned), or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# JupyterLab settings that keep a test page quiet and offline.
_QUIET_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
}


def start_lab(
    base_dir: str | os.PathLike | None = None, *, timeout: float = 60, transport: str = "ipc"
) -> LabServer:
    """Start JupyterLab on 127.0.0.1 (free port, random token, temporary config/runtime/settings/
    workspaces dirs; JUPYTER_DATA_DIR unchanged so ipywidgets' and anywidget's labextensions load).
    ``transport``: its kernels' ("tcp" as a user's Lab: for timings taken with nothing running beside).
    Returns once /api/status answers; raises RuntimeError with the server log otherwise."""
    base = Path(base_dir) if base_dir else Path(tempfile.mkdtemp(prefix="quiz-widgets-lab-"))
    dirs = {k: base / k for k in ("root", "config", "runtime", "settings", "workspaces")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    for rel, value in _QUIET_SETTINGS.items():
        f = dirs["settings"] / rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))

    token = secrets.token_hex(24)
    port = free_port()
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(dirs["config"]),
        JUPYTER_RUNTIME_DIR=str(dirs["runtime"]),
        JUPYTERLAB_SETTINGS_DIR=str(dirs["settings"]),
        JUPYTERLAB_WORKSPACES_DIR=str(dirs["workspaces"]),
        JUPYTER_PLATFORM_DIRS="1",
    )
    env.pop("JPY_PARENT_PID", None)
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        # A first port to try: taken by another process before the server binds it, the server tries the
        # next ones (port_retries), and its server file in runtime/ says which one it got.
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={dirs['root']}",
        "--LabApp.expose_app_in_browser=True",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.open_browser=False",
        # Kernels over Unix sockets in runtime/, not TCP ports. jupyter_client picks free ports, lets them go,
        # and the kernel binds them a second or more later: a port taken meanwhile (another process's kernel
        # or connection, as when the tests without a browser run beside these) kills the kernel, and the
        # restarter tries the same taken port five times and drops it. The page then waits for a kernel that
        # never comes. The transport is invisible to the view and the quiz, which is what these tests test.
        f"--KernelManager.transport={transport}",
    ]
    log_path = base / "lab.log"
    log = open(log_path, "wb")  # noqa: SIM115 - owned by the child process
    proc = subprocess.Popen(cmd, cwd=dirs["root"], env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    server = LabServer(
        url=f"http://127.0.0.1:{port}/",
        token=token,
        port=port,
        root_dir=dirs["root"],
        base_dir=base,
        proc=proc,
        log_path=log_path,
        settings_dir=dirs["settings"],
    )
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    server_file = dirs["runtime"] / f"jpserver-{proc.pid}.json"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}:\n{server.log()}")
        try:
            server.port = json.loads(server_file.read_text())["port"]
        except (OSError, ValueError, KeyError):
            time.sleep(0.2)  # not written yet (or half written): the server is still starting
            continue
        server.url = f"http://127.0.0.1:{server.port}/"
        try:
            with urllib.request.urlopen(f"{server.url}api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
            last_error = exc
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"JupyterLab did not answer /api/status within {timeout}s ({last_error!r}):\n{server.log()}"
    )


def lab_api(lab: LabServer, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
    """Call the server's REST API (``path`` like "/api/sessions"); returns parsed JSON or None."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(
        f"{lab.url}{path.lstrip('/')}",
        data=data,
        method=method,
        headers={"Authorization": f"token {lab.token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=timeout) as r:
        raw = r.read()
    return json.loads(raw) if raw else None


def shutdown_sessions(lab: LabServer, under: str = "") -> int:
    """Delete every session whose path starts with ``under`` (graceful kernel shutdown). Returns count."""
    n = 0
    for s in lab_api(lab, "GET", "/api/sessions") or []:
        if s.get("path", "").startswith(under):
            try:
                lab_api(lab, "DELETE", f"/api/sessions/{s['id']}")
                n += 1
            except urllib.error.HTTPError:
                pass
    return n


@dataclass
class LabDir:
    """A per-test folder inside the Lab root holding copies of notebooks/ and data/."""

    path: Path  # absolute
    rel: str  # relative to the Lab root, "/"-separated

    def notebook(self, name: str) -> str:
        """Lab path of notebooks/NAME in this folder, for open_notebook."""
        return f"{self.rel}/notebooks/{name}"

    def lab_path(self, *parts: str) -> str:
        return "/".join([self.rel, *parts])


def copy_repo_files(repo_root: Path, dest: Path) -> None:
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "sessions", "results")
    for sub in ("notebooks", "data"):
        src = repo_root / sub
        if src.is_dir():
            shutil.copytree(src, dest / sub, ignore=ignore, dirs_exist_ok=True)
        else:
            (dest / sub).mkdir(parents=True, exist_ok=True)


def write_notebook(path: str | os.PathLike, cells: list[str], *, markdown: list[str] | None = None) -> Path:
    """Write a python3 notebook with one code cell per string (``markdown`` cells go first)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(m) for m in markdown or []]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


# --------------------------------------------------------------------------------------------------
# page helpers

_CURRENT = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
_KERNEL = (
    f"({_CURRENT} && {_CURRENT}.sessionContext && {_CURRENT}.sessionContext.session"
    f" && {_CURRENT}.sessionContext.session.kernel)"
)


def wait_kernel_idle(page, timeout: float = 60_000) -> None:
    """Wait until the current notebook's kernel reports 'idle' (timeout in ms)."""
    page.wait_for_function(
        f"() => {{ const k = {_KERNEL}; return !!k && k.status === 'idle'; }}", timeout=timeout
    )


def open_notebook(page, lab: LabServer, name: str, *, timeout: float = 60_000) -> None:
    """Open Lab path ``name`` in a fresh workspace and wait until its kernel is idle (timeout in ms).

    If the kernel never gets there, the error says what Lab's kernel reported and what the server
    logged meanwhile: that log is gone once the run ends, and a rare failure needs it to be explained.
    """
    log_start = lab.log_path.stat().st_size if lab.log_path.exists() else 0
    page.goto(lab.tree_url(name))
    page.wait_for_function("() => !!window.jupyterapp", timeout=timeout)
    page.wait_for_function(
        f"(name) => {{ const w = {_CURRENT}; return !!w && !!w.context && w.context.path === name; }}",
        arg=name,
        timeout=timeout,
    )
    try:
        wait_kernel_idle(page, timeout)
    except Exception as exc:
        try:
            status = page.evaluate(f"() => {{ const k = {_KERNEL}; return k ? k.status : 'no kernel'; }}")
        except Exception as why:  # the page may be gone too; the log below still says something
            status = f"unknown ({why!r})"
        with open(lab.log_path, "rb") as f:
            f.seek(log_start)
            logged = f.read().decode(errors="replace")[-6000:]
        raise AssertionError(
            f"{name}: Lab's kernel was not idle within {timeout / 1000:.0f} s; its status: {status}.\n"
            f"What the server logged since the notebook was opened:\n{logged}"
        ) from exc


def notebook_errors(page) -> list[str]:
    """Error outputs in the current notebook's model, as 'ename: evalue' plus traceback text."""
    return page.evaluate(
        f"""() => {{
            const w = {_CURRENT};
            const errors = [];
            const cells = w.content.model.cells;
            for (let i = 0; i < cells.length; i++) {{
                const c = cells.get(i);
                if (c.type !== 'code') continue;
                for (const o of c.outputs.toJSON()) {{
                    if (o.output_type === 'error') {{
                        errors.push(`cell ${{i}}: ${{o.ename}}: ${{o.evalue}}\\n` + (o.traceback || []).join('\\n')
                            .replace(/\\x1b\\[[0-9;]*[A-Za-z]/g, ''));
                    }}
                }}
            }}
            return errors;
        }}"""
    )


def run_all(page, *, timeout: float = 120_000, raise_on_error: bool = True) -> list[str]:
    """notebook:run-all-cells, wait for the kernel to be idle; raise AssertionError on error outputs
    (unless ``raise_on_error=False``). Returns the error texts."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_kernel_idle(page, timeout)
    errors = notebook_errors(page)
    if errors and raise_on_error:
        raise AssertionError("notebook cells raised:\n" + "\n\n".join(errors))
    return errors


def execute_in_kernel(page, code: str, *, timeout: float = 30_000) -> dict:
    """Run ``code`` in the current notebook's kernel from the page (no cell is added).

    Returns {"status", "stdout", "stderr", "result" (text/plain or None), "error"}; raises AssertionError
    if the code raised.
    """
    res = page.evaluate(
        f"""async ([code, timeout]) => {{
            const k = {_KERNEL};
            const out = {{stdout: '', stderr: '', result: null, error: null, status: null}};
            const future = k.requestExecute({{code, stop_on_error: true, store_history: false}});
            future.onIOPub = (msg) => {{
                const t = msg.header.msg_type, c = msg.content;
                if (t === 'stream') out[c.name === 'stderr' ? 'stderr' : 'stdout'] += c.text;
                else if (t === 'execute_result') out.result = c.data['text/plain'] ?? null;
                else if (t === 'error') out.error = c.ename + ': ' + c.evalue + '\\n' + c.traceback.join('\\n');
            }};
            const timer = new Promise((resolve) => setTimeout(() => resolve(null), timeout));
            const reply = await Promise.race([future.done, timer]);
            out.status = reply ? reply.content.status : `timeout after ${{timeout}} ms`;
            return out;
        }}""",
        [code, timeout],
    )
    if res["status"] != "ok" or res["error"]:
        import re

        err = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", res["error"] or res["status"])
        raise AssertionError(f"kernel code raised:\n{code}\n--- error ---\n{err}")
    return res


def save_notebook(page, *, timeout: float = 30_000) -> None:
    """docmanager:save, then wait until the model is not dirty."""
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function(
        f"() => {{ const w = {_CURRENT}; return !!w && !w.context.model.dirty; }}", timeout=timeout
    )


def restart_kernel(page, *, timeout: float = 60_000) -> None:
    """Restart the current notebook's kernel (no dialog; graceful, like Lab's Restart) and wait idle."""
    page.evaluate(f"async () => {{ await {_CURRENT}.sessionContext.restartKernel(); }}")
    wait_kernel_idle(page, timeout)


THEMES = {"dark": "JupyterLab Dark", "light": "JupyterLab Light"}


def set_theme(page, theme: str, *, timeout: float = 30_000) -> None:
    """apputils:change-theme to 'dark' or 'light' and wait until the body carries it.

    The choice is saved in the session's settings dir; the ``lab_dir`` fixture resets it after each test.
    """
    name = THEMES[theme]
    page.evaluate("(theme) => window.jupyterapp.commands.execute('apputils:change-theme', {theme})", name)
    page.wait_for_function(
        "(theme) => document.body.dataset.jpThemeName === theme", arg=name, timeout=timeout
    )


def output_locator(page, selector: str | None = None):
    """Locator scoped to output areas (``.jp-OutputArea-output``), optionally narrowed by ``selector``.

    Lab has progress bars and buttons of its own: always look for widget parts through this.
    """
    loc = page.locator(".jp-OutputArea-output")
    return loc.locator(selector) if selector else loc


# --------------------------------------------------------------------------------------------------
# a quiz in a notebook

QUIZ_ROOT = ".jp-OutputArea-output .qw-root"


def quiz_cell(questions: list[dict], **options: Any) -> str:
    """A cell showing a new attempt at ``questions`` as ``quiz`` (``options`` go to from_questions)."""
    args = "".join(f", {key}={value!r}" for key, value in options.items())
    return (
        "from quiz_widgets import QuizWidget\n"
        f"quiz = QuizWidget.from_questions({questions!r}, attempt='new'{args})\n"
        "quiz"
    )


def start_quiz(
    page,
    lab: LabServer,
    lab_dir: LabDir,
    name: str,
    questions: list[dict],
    *,
    ready: str = ".qw-option:not([disabled])",
    cells: tuple[str, ...] = (),
    **options: Any,
):
    """Write notebooks/``name`` (the quiz's cell, then ``cells``), open it, run it all and return the quiz's
    root locator once its first ``ready`` element shows and the quiz is idle."""
    write_notebook(lab_dir.path / "notebooks" / name, [quiz_cell(questions, **options), *cells])
    open_notebook(page, lab, lab_dir.notebook(name))
    run_all(page)
    root = output_locator(page, ".qw-root").first
    root.locator(ready).first.wait_for()
    wait_quiz_idle(page)
    return root


def wait_quiz_idle(page) -> None:
    """The reply to the quiz's last message came back: its controls work again."""
    page.wait_for_function(
        "(s) => { const r = document.querySelector(s); return r && !r.classList.contains('qw-pending'); }",
        arg=QUIZ_ROOT,
    )


def kernel_repr(page, expr: str) -> str:
    """repr() of ``expr`` evaluated in the current notebook's kernel."""
    return execute_in_kernel(page, f"print(repr({expr}))")["stdout"].strip()

"""A site built by ``build_site`` in Debian's Chromium, served by ``python -m http.server`` on 127.0.0.1.

The site's contents are a course folder of this file's own (a notebook and an exam). Each test gets a
fresh browser context, so a fresh browser storage (the JupyterLite drive). Chromium resolves no host but
127.0.0.1, and every request the page, its workers and its service worker make is recorded: none may go
elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser.lab_utils import (
    CHROMIUM,
    CHROMIUM_ARGS,
    execute_in_kernel,
    free_port,
    output_locator,
    run_all,
    stop_process,
    wait_kernel_idle,
    wait_until,
)
from browser.test_richtext_e2e import MATH_AND_CODE, assert_inert, hostile_questions, watch_page
from run_flags import browser_required, missing
from test_richtext_paths import BENIGN, BENIGN_HTML

from quiz_widgets.lite import build_site
from quiz_widgets.lite.startup import WARM_IMPORTS
from quiz_widgets.richtext import render
from quiz_widgets.store.locks import LEASE_SECONDS

pytestmark = pytest.mark.browser
REPO_ROOT = Path(__file__).resolve().parents[2]

EXAM = {
    "title": "Offline site check",
    "questions": [
        {
            "id": 1,
            "question": "Two plus two?",
            "options": ["Three", "Four"],
            "type": "singleChoice",
            "answer": "B",
        },
        {
            "id": 2,
            "question": "Capital of Italy?",
            "options": ["Rome", "Oslo"],
            "type": "singleChoice",
            "answer": "A",
        },
        {
            "id": 3,
            "question": "Three times three?",
            "options": ["Nine", "Six"],
            "type": "singleChoice",
            "answer": "A",
        },
    ],
}
QUIZ_CELL = 'from quiz_widgets import QuizWidget\nquiz = QuizWidget("data/exams/offline.json")\nquiz'
KERNEL_START = 180_000  # ms: Pyodide, the wheels and the kernel in a cold browser profile


def _notebook(cells: list[str]) -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python", "display_name": "Python (Pyodide)", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": c,
            }
            for i, c in enumerate(cells)
        ],
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, lite_cache: Path, project_wheel: Path) -> Path:
    course = tmp_path_factory.mktemp("course")
    (course / "data" / "exams").mkdir(parents=True)
    (course / "data" / "exams" / "offline.json").write_text(json.dumps(EXAM), "utf-8")
    (course / "quiz.ipynb").write_text(json.dumps(_notebook([QUIZ_CELL])), "utf-8")
    # Rich text: math and code first, then one question per hostile payload (each also in every other field).
    rich = {"title": "Rich text in Lite", "questions": [*MATH_AND_CODE, *hostile_questions()]}
    for i, q in enumerate(rich["questions"], 1):
        q["id"] = i
    (course / "data" / "exams" / "rich.json").write_text(json.dumps(rich), "utf-8")
    (course / "rich.ipynb").write_text(
        json.dumps(
            _notebook(
                ['from quiz_widgets import QuizWidget\nquiz = QuizWidget("data/exams/rich.json")\nquiz']
            )
        ),
        "utf-8",
    )
    (course / "browse.ipynb").write_text(
        json.dumps(
            _notebook(["from quiz_widgets import SessionBrowser\nbrowser = SessionBrowser()\nbrowser"])
        ),
        "utf-8",
    )
    started = time.monotonic()
    out = build_site(
        [course],
        tmp_path_factory.mktemp("lite") / "site",
        cache_dir=lite_cache,
        wheel=project_wheel,
        open_path="quiz.ipynb",
    )
    print(f"build_site took {time.monotonic() - started:.1f} s")
    # The tests drive JupyterLab through window.jupyterapp, as tests/browser does.
    config_path = out / "jupyter-lite.json"
    config = json.loads(config_path.read_text("utf-8"))
    config["jupyter-config-data"]["exposeAppInBrowser"] = True
    config_path.write_text(json.dumps(config), "utf-8")
    return out


@contextlib.contextmanager
def _serve(folder: Path) -> Iterator[str]:
    """``python -m http.server --bind 127.0.0.1`` on ``folder``: no special headers, as any static host."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "-d", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"

    def up() -> bool:
        try:
            with urllib.request.urlopen(url + "index.html", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        wait_until(up, timeout=20, what="python -m http.server")
        yield url
    finally:
        stop_process(proc, timeout=5)


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    with _serve(site) as url:
        yield url


def _no_browser(reason: str) -> None:
    # The project's rule (run_flags.py): skip on a developer's machine, fail where browsers are required.
    missing(
        f"{reason}; install it with: sudo apt-get install -y chromium",
        required=browser_required(),
        flag_name="QUIZ_WIDGETS_REQUIRE_BROWSER=1",
    )


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _no_browser(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("the playwright package is not installed")

    pw = sync_playwright().start()
    try:
        # Any host but 127.0.0.1 fails to resolve: an attempt shows in the record, and goes nowhere.
        args = [*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args, headless=True)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        pw.stop()


class Visit:
    """One browser context (its own storage) with every request recorded."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(60_000)
        self.requests: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"[{m.type}] {m.text}"))

    def open(self, notebook: str) -> None:
        self.page.goto(f"{self.base}lab/index.html?path={notebook}")
        self.page.wait_for_function("() => !!window.jupyterapp", timeout=KERNEL_START)
        self.page.wait_for_function(
            "(n) => { const w = window.jupyterapp.shell.currentWidget; return !!w && !!w.context"
            " && w.context.path === n; }",
            arg=notebook,
            timeout=KERNEL_START,
        )
        wait_kernel_idle(self.page, KERNEL_START)

    def outside_requests(self) -> list[str]:
        return [
            u
            for u in self.requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != "127.0.0.1"
        ]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(chromium, served: str) -> Iterator[Visit]:
    v = Visit(chromium, served)
    yield v
    v.close()


def _answer_first_question(v: Visit) -> None:
    run_all(v.page, timeout=KERNEL_START)
    root = output_locator(v.page, ".qw-root").first if output_locator(v.page, ".qw-root").count() else v.page
    root.get_by_role("radio", name="Four").click()
    v.page.locator(".qw-feedback-region .qw-verdict").wait_for()
    v.page.get_by_role("button", name="Next", exact=True).wait_for()


def _drive_sessions(v: Visit) -> list[dict]:
    res = execute_in_kernel(
        v.page,
        "import glob, json\nprint(json.dumps([{'file': p, 'answered': json.load(open(p))['quiz_mode']"
        "['total_answered']} for p in sorted(glob.glob('data/sessions/session_*.json'))]))",
        timeout=60_000,
    )
    return json.loads(res["stdout"])


def test_site_runs_a_quiz_offline_and_saves_in_the_browser_storage(visit: Visit) -> None:
    started = time.monotonic()
    visit.open("quiz.ipynb")
    print(f"kernel idle after {time.monotonic() - started:.1f} s")
    _answer_first_question(visit)
    sessions = _drive_sessions(visit)
    assert [s["answered"] for s in sessions] == [1], sessions
    state = execute_in_kernel(visit.page, "print(quiz.total_answered, quiz.read_only, repr(quiz.warning))")
    assert state["stdout"].split()[:2] == ["1", "False"], state
    assert visit.outside_requests() == [], visit.outside_requests()
    print(f"open, run and answer took {time.monotonic() - started:.1f} s")


def test_session_survives_a_reload_and_resumes_writable(visit: Visit) -> None:
    started = time.monotonic()
    visit.open("quiz.ipynb")
    _answer_first_question(visit)
    visit.page.reload()
    visit.page.wait_for_function("() => !!window.jupyterapp", timeout=KERNEL_START)
    wait_kernel_idle(visit.page, KERNEL_START)
    sessions = _drive_sessions(visit)
    assert [s["answered"] for s in sessions] == [1], sessions
    assert visit.outside_requests() == [], visit.outside_requests()
    # What the quickstart tells a learner to do after a reload: resume the session file.
    state = execute_in_kernel(
        visit.page,
        "from quiz_widgets import QuizWidget\n"
        f"quiz = QuizWidget.resume({sessions[0]['file']!r})\n"
        "print(quiz.total_answered, quiz.read_only, repr(quiz.warning))",
        timeout=60_000,
    )
    print(f"open, answer, reload, resume took {time.monotonic() - started:.1f} s: {state['stdout']}")
    assert state["stdout"].split()[0] == "1", state
    if state["stdout"].split()[1] == "True":
        # The old tab's lease is not stale yet: this copy says so, then takes over on its own heartbeat.
        assert f"takes over within {LEASE_SECONDS:.0f} s" in state["stdout"], state

        def writable() -> bool:
            return execute_in_kernel(visit.page, "print(quiz.read_only)")["stdout"].strip() == "False"

        wait_until(writable, timeout=3 * LEASE_SECONDS, what="the resumed copy taking over", interval=1.0)
        print(f"writable {time.monotonic() - started:.1f} s after the first open")
    # The next question is whichever the quiz's order puts there: answer it right, whichever it is.
    quiz_next = execute_in_kernel(
        visit.page,
        "quiz.next()\nprint(quiz.answer({1: 'Four', 2: 'Rome', 3: 'Nine'}[quiz.state.current_question.id]))",
    )
    assert quiz_next["stdout"].strip() == "True", quiz_next
    assert [s["answered"] for s in _drive_sessions(visit)] == [2]


def _drive_calls(v: Visit) -> list[tuple[str, str]]:
    """Every request of the kernel to the browser's storage from now on, as (method, path): JupyterLite's
    DriveFS sends each file-system call as a synchronous POST to the service worker's /api/drive."""
    calls: list[tuple[str, str]] = []

    def seen(request) -> None:
        if "/api/drive" in request.url:
            call = json.loads(request.post_data or "{}").get("data", {})
            calls.append((call.get("method", "?"), call.get("path", "")))

    v.context.on("request", seen)
    return calls


def _settle(v: Visit, calls: list, until=lambda: True, quiet_ms: int = 1500) -> None:
    """Let the page run (Playwright hands over its request events only while it waits) until *until*
    holds and no drive request came for *quiet_ms*."""
    seen, quiet = -1, 0
    for _ in range(600):
        v.page.wait_for_timeout(100)
        quiet = quiet + 100 if len(calls) == seen else 0
        seen = len(calls)
        if until() and quiet >= quiet_ms:
            return
    raise AssertionError(f"the drive did not settle: {calls[-10:]}")


def test_an_answer_waits_for_a_few_drive_requests_for_its_own_file_alone(visit: Visit) -> None:
    """Counted where they cost (the page's storage), not timed. A session's first answer made 27 requests
    before its feedback (folders, the file, two resolutions of its path, the lease); later answers 2."""
    calls = _drive_calls(visit)
    visit.open("quiz.ipynb")
    run_all(visit.page, timeout=KERNEL_START)
    # The quiz on screen makes its folders before any answer (and no session file).
    _settle(visit, calls, until=lambda: ("mknod", "/data/sessions/.locks") in calls)
    assert not [c for c in calls if "session_" in c[1]], calls
    root = output_locator(visit.page, ".qw-root").first
    for number, limit in ((1, 5), (2, 2)):
        start = len(calls)
        root.locator(".qw-question .qw-option:not([disabled])").first.click()
        root.locator(".qw-feedback-region .qw-verdict").wait_for()
        _settle(visit, calls)
        answer = calls[start:]
        (path,) = {p for _, p in answer if p.startswith("/data/sessions/session_")}
        stored = answer.index(("put", path))  # the answer on the drive; its feedback follows
        # Up to that, nothing but the session file: no folder made or checked, no path resolved, no lease
        # (the heartbeat's renewal of the lease may come in between: it is not this answer's).
        renewal = [c for c in answer[:stored] if c[1].endswith(".json.lock") and number > 1]
        own = [c for c in answer[: stored + 1] if c not in renewal]
        assert all(p == path for _, p in own), answer
        assert len(own) <= limit, (number, answer)
        assert len(answer) <= {1: 11, 2: 3 + 2}[number], (number, answer)
        if number == 1:
            root.get_by_role("button", name="Next", exact=True).click()
            root.locator(".qw-feedback-region .qw-verdict").wait_for(state="detached")
    assert [s["answered"] for s in _drive_sessions(visit)] == [2]
    assert visit.outside_requests() == [], visit.outside_requests()


def test_hostile_nested_session_file_is_skipped_by_the_session_browser(visit: Visit) -> None:
    visit.open("browse.ipynb")
    execute_in_kernel(
        visit.page,
        "import os\nos.makedirs('data/sessions', exist_ok=True)\n"
        "open('data/sessions/session_20240101_000000.json', 'w').write('[' * 10000 + ']' * 10000)",
    )
    # Not awaited: the command's promise settles only when the cells finish, and a hung kernel never does.
    visit.page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    # A kernel that hangs answers nothing: execute_in_kernel then fails with its timeout.
    state = execute_in_kernel(visit.page, "print(len(browser.sessions))", timeout=30_000)
    assert state["stdout"].strip() == "0", state
    assert visit.outside_requests() == [], visit.outside_requests()


@pytest.fixture(scope="module")
def demo_url(
    tmp_path_factory: pytest.TempPathFactory, lite_cache: Path, project_wheel: Path
) -> Iterator[str]:
    """The demo site: ``quiz-widgets lite build notebooks -o SITE``, served like any other."""
    from quiz_widgets.cli import main

    out = tmp_path_factory.mktemp("demo") / "site"
    code = main(
        [
            "lite",
            "build",
            str(REPO_ROOT / "notebooks"),
            "-o",
            str(out),
            "--cache-dir",
            str(lite_cache),
            "--wheel",
            str(project_wheel),
        ]
    )
    assert code == 0
    config = json.loads((out / "jupyter-lite.json").read_text("utf-8"))
    config["jupyter-config-data"]["exposeAppInBrowser"] = True
    (out / "jupyter-lite.json").write_text(json.dumps(config), "utf-8")
    with _serve(out) as url:
        yield url


def test_demo_site_quickstart_runs_and_saves(chromium, demo_url: str) -> None:
    v = Visit(chromium, demo_url)
    try:
        v.open("quickstart.ipynb")
        run_all(v.page, timeout=KERNEL_START)
        v.page.locator(".qw-question .qw-option:not([disabled])").first.click()
        v.page.locator(".qw-feedback-region .qw-verdict").wait_for()
        assert [s["answered"] for s in _drive_sessions(v)] == [1]
        assert v.outside_requests() == [], v.outside_requests()
    finally:
        v.close()


def _cell_problems(v: Visit) -> list[str]:
    """Error and stderr outputs of the open notebook: what a learner would see and could not act on."""
    return v.page.evaluate(
        """() => {
            const out = [];
            for (const cell of window.jupyterapp.shell.currentWidget.content.model.cells) {
                for (let i = 0; i < (cell.outputs ? cell.outputs.length : 0); i++) {
                    const o = cell.outputs.get(i).toJSON();
                    if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue);
                    else if (o.output_type === 'stream' && o.name === 'stderr') out.push([].concat(o.text).join(''));
                }
            }
            return out;
        }"""
    )


def test_the_front_page_opens_the_course_notebook_not_the_launcher(visit: Visit) -> None:
    visit.page.goto(visit.base)
    visit.page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return !!w && !!w.context && w.context.path === 'quiz.ipynb'; }",
        timeout=KERNEL_START,
    )
    wait_kernel_idle(visit.page, KERNEL_START)
    assert visit.page.locator(".jp-Launcher").count() == 0
    run_all(visit.page, timeout=KERNEL_START)
    assert _cell_problems(visit) == []
    visit.page.locator(".jp-OutputArea-output .qw-question .qw-option").first.wait_for()
    assert visit.outside_requests() == [], visit.outside_requests()


def test_the_kernel_imports_what_a_quiz_needs_before_any_cell_runs(visit: Visit) -> None:
    """The first quiz cell was 1-3 s after a ready kernel, most of it imports: the site's kernel makes them
    in the background once it is up (lite/startup.py), and leaves no name in the learner's namespace."""
    visit.open("quiz.ipynb")  # no cell run
    check = (
        "import json, sys\n"
        f"print(json.dumps([[m for m in {list(WARM_IMPORTS)!r} if m not in sys.modules],"
        " [k for k in globals() if 'qw' in k]]))"
    )

    def all_imported() -> bool:
        missing_modules, names = json.loads(execute_in_kernel(visit.page, check, timeout=120_000)["stdout"])
        assert names == []
        return missing_modules == []

    wait_until(all_imported, timeout=60, what=f"the kernel to import {', '.join(WARM_IMPORTS)}")
    run_all(visit.page, timeout=KERNEL_START)
    assert _cell_problems(visit) == []
    visit.page.locator(".jp-OutputArea-output .qw-question .qw-option").first.wait_for()


def test_rich_text_renders_in_lite_as_on_a_server(visit: Visit) -> None:
    """nh3 has no wheel in the site: the pure-Python sanitizer gives the same HTML as nh3 on the host."""
    visit.open("rich.ipynb")
    # Images need the exam's folder on both sides: the texts without one.
    texts = [(t, "markdown") for t in BENIGN if "fig.png" not in t]
    texts += [(t, "html") for t in BENIGN_HTML if "fig.png" not in t]
    res = execute_in_kernel(
        visit.page,
        "import json\nfrom quiz_widgets.richtext import render\nfrom quiz_widgets.richtext.sanitize import backend\n"
        f"print(json.dumps([backend(), [render(t, fmt=f) for t, f in {texts!r}]]))",
        timeout=120_000,
    )
    which, in_lite = json.loads(res["stdout"])
    assert which == "pure"
    assert in_lite == [render(t, fmt=f) for t, f in texts]  # the host renders with nh3


def test_math_and_code_are_drawn_and_hostile_text_stays_inert_in_lite(visit: Visit) -> None:
    dialogs, requests = watch_page(visit.page)
    visit.open("rich.ipynb")
    run_all(visit.page, timeout=KERNEL_START)
    assert _cell_problems(visit) == []
    root = output_locator(visit.page, ".qw-root").first
    root.locator(".qw-question math mfrac").first.wait_for()
    total = len(MATH_AND_CODE) + len(hostile_questions())
    for number in range(1, total + 1):
        root.locator(".qw-progress-text").filter(has_text=f"Question {number} of {total}").wait_for()
        if number == 2:
            assert root.locator(".qw-question pre.qw-code span[class^='qw-hl-']").count() > 3
        assert_inert(visit.page, dialogs, requests, f"question {number}")
        if number > len(MATH_AND_CODE):
            root.locator(".qw-question .qw-option").first.click()
            root.locator(".qw-feedback-region .qw-verdict").wait_for()
            assert_inert(visit.page, dialogs, requests, f"feedback of question {number}")
        if number < total:
            execute_in_kernel(visit.page, f"quiz.goto({number + 1})")
    assert visit.outside_requests() == [], visit.outside_requests()


def test_check_answers_a_question_in_the_built_site_and_names_what_fails(site: Path, tmp_path: Path) -> None:
    from quiz_widgets.lite import LiteBuildError
    from quiz_widgets.lite.check import check_site

    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _no_browser(f"{CHROMIUM} is missing")
    seen = check_site(site)
    assert seen["notebook"] == "quiz.ipynb" and seen["feedback_s"] > 0, seen
    # The same site whose opening notebook fails: the check says what a learner would see.
    broken = tmp_path / "broken"
    shutil.copytree(site, broken)
    (broken / "files" / "quiz.ipynb").write_text(json.dumps(_notebook(["1 / 0"])), "utf-8")
    with pytest.raises(LiteBuildError, match=r"running quiz\.ipynb showed: ZeroDivisionError"):
        check_site(broken)

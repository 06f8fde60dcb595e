"""JupyterLite rows, measured in Chromium against a site built by ``build_site`` (each beside its baseline).

- first question: page load to the quiz's first option on screen, against page load to a bare ``print(1)``
  output in the same site (a fresh browser profile each, interleaved), and against the same in a copy of
  the site whose kernel skips the background imports of lite/startup.py (the kernel start without what
  this project adds to it); and the quiz cell alone after a ready kernel against the ``print(1)`` cell;
- click to feedback: a click on an option to its verdict, against a bare anywidget round trip (a click that
  sends a message the kernel answers) in the same kernel, interleaved.

Needs the ``lite`` extra, Playwright and a Chromium (see quiz_widgets/lite/check.py); the site is built into
a temporary folder from this checkout with the download cache ``.cache/lite``. Run alone:
``python benchmarks/bench_lite.py [rounds]``. Also prints the site's size by part.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_browser import PING_CELL, percentile
from run import Row, register

ROUNDS = 3  # page loads per side (each about 10-30 s)
CLICKS = 30  # click-to-feedback pairs in one page (the first is a session's first answer)
QUESTIONS = CLICKS + 2
FIRST_QUESTION_RATIO = 1.3
QUIZ_CELL_MS = 500
FEEDBACK_MS = 150

QUIZ_CELL = 'from quiz_widgets import QuizWidget\nquiz = QuizWidget("data/exams/bench.json")\nquiz'


def _notebook(cells: list[str]) -> dict:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
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


def _course(folder: Path) -> Path:
    exam = {
        "title": "Lite benchmark",
        "questions": [
            {
                "id": i,
                "question": f"Question {i}: which is *right*?",
                "options": ["Right", "Wrong"],
                "answer": "A",
            }
            for i in range(1, QUESTIONS + 1)
        ],
    }
    (folder / "data" / "exams").mkdir(parents=True)
    (folder / "data" / "exams" / "bench.json").write_text(json.dumps(exam), "utf-8")
    (folder / "quiz.ipynb").write_text(json.dumps(_notebook([QUIZ_CELL, PING_CELL])), "utf-8")
    (folder / "bare.ipynb").write_text(json.dumps(_notebook(["print(1)"])), "utf-8")
    return folder


def site_size(site: Path) -> dict[str, int]:
    """Bytes of the site by part: Pyodide's core, the wheels, JupyterLab, everything else."""
    parts = {"pyodide core": 0, "wheels": 0, "jupyterlab (build/, extensions/)": 0, "other": 0}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        size = path.stat().st_size
        if rel.endswith(".whl"):
            parts["wheels"] += size
        elif rel.startswith("static/pyodide/"):
            parts["pyodide core"] += size
        elif rel.startswith(("build/", "extensions/")):
            parts["jupyterlab (build/, extensions/)"] += size
        else:
            parts["other"] += size
    parts["total"] = sum(parts.values())
    return parts


def _first_output(browser, base: str, notebook: str, selector: str) -> tuple[float, float]:
    """(page load to *selector* on screen, the cell run alone after a ready kernel), in seconds."""
    from quiz_widgets.lite.check import SiteVisit, notebook_url

    visit = SiteVisit(browser, base)
    try:
        started = time.perf_counter()
        visit.open(notebook_url(notebook))
        visit.wait_kernel_idle()
        ready = time.perf_counter()
        # Only the first cell: the question (or the bare output) is what a learner waits for.
        visit.page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell')")
        visit.page.locator(f".jp-OutputArea-output {selector}").first.wait_for(timeout=120_000)
        done = time.perf_counter()
        assert visit.outside_requests() == [], visit.outside_requests()
        return done - started, done - ready
    finally:
        visit.close()


def drive_call(request: object) -> str | None:
    """What a request of the kernel to the browser's storage asks for ("get /drive/data", ...), or None
    for any other request. The kernel's file system (JupyterLite's DriveFS) sends each call as a
    synchronous POST to the service worker's ``/api/drive`` (JupyterLite's drivefs.js)."""
    if "/api/drive" not in request.url:
        return None
    try:
        call = json.loads(request.post_data or "{}").get("data", {})  # {data: {method, path, ...}, ...}
    except (ValueError, AttributeError):
        call = {}
    return f"{call.get('method', request.method)} {call.get('path', '')}"


def _clicks(browser, base: str) -> tuple[dict[str, list[float]], dict[str, list[int]], list[str]]:
    """CLICKS interleaved pairs in one page, timed in the page (bench_browser.timed_clicks): the quiz's
    click to its verdict and the bare anywidget round trip, in ms; and the drive requests of each answer
    before its feedback and in all (up to the next click on the ping), with the first answer's list."""
    from bench_browser import timed_clicks

    from quiz_widgets.lite.check import SiteVisit, notebook_url

    visit = SiteVisit(browser, base)
    drive: list[str] = []
    visit.context.on("request", lambda r: (call := drive_call(r)) is not None and drive.append(call))
    try:
        visit.open(notebook_url("quiz.ipynb"))
        visit.wait_kernel_idle()
        visit.run_all()
        at: dict[tuple[str, int], int] = {}
        times = timed_clicks(visit.page, CLICKS, mark=lambda step, n: at.__setitem__((step, n), len(drive)))
        # An answer's requests: from its pair's ping (after which the answer is clicked) to the next pair's.
        counts = {
            "before feedback": [at["quiz", n] - at["bare", n] for n in range(1, CLICKS + 1)],
            "answer": [at["bare", n + 1] - at["bare", n] for n in range(1, CLICKS)],
        }
        first = drive[at["bare", 1] : at["bare", 2]]
        assert visit.outside_requests() == [], visit.outside_requests()
        return times, counts, first
    finally:
        visit.close()


def without_startup_imports(site: Path, copy: Path) -> Path:
    """A copy of *site* whose kernel does not load the startup wheel (lite/startup.py): the kernel start
    the site would have without its background imports, to show what they cost a bare kernel."""
    from quiz_widgets.lite.build import KERNEL_PLUGIN
    from quiz_widgets.lite.startup import NAME

    shutil.copytree(site, copy)
    for config_path in copy.rglob("jupyter-lite.json"):
        config = json.loads(config_path.read_text("utf-8"))
        plugins = config.get("jupyter-config-data", {}).get("litePluginSettings", {})
        options = plugins.get(KERNEL_PLUGIN, {}).get("loadPyodideOptions", {})
        if NAME in options.get("packages", []):
            options["packages"].remove(NAME)
            config_path.write_text(json.dumps(config), "utf-8")
    return copy


def measure(rounds: int = ROUNDS) -> tuple[list[Row], dict[str, int], list[str]]:
    """The Lite rows, the site's size by part and the drive requests of a session's first answer.
    ``rounds=0``: the click-to-feedback rows alone (no page-load rows)."""
    from quiz_widgets.lite import build_site
    from quiz_widgets.lite.check import chromium, serve

    with tempfile.TemporaryDirectory(prefix="qw-bench-lite-") as tmp:
        course = _course(Path(tmp) / "course")
        site = build_site([course], Path(tmp) / "site", open_path="quiz.ipynb")
        plain = without_startup_imports(site, Path(tmp) / "plain")
        size = site_size(site)
        with serve(site) as base, serve(plain) as plain_base, chromium() as browser:
            bare_load, bare_cell, quiz_load, quiz_cell, plain_load = [], [], [], [], []
            # Interleaved, and the order turned each round: a busy neighbour or a warm-up of the browser
            # then lands on every side alike.
            sides = ["bare", "quiz", "plain"]
            for i in range(rounds):
                for side in sides[i % 3 :] + sides[: i % 3]:
                    if side == "bare":
                        load, cell = _first_output(browser, base, "bare.ipynb", "pre")
                        bare_load.append(load)
                        bare_cell.append(cell)
                    elif side == "plain":
                        plain_load.append(_first_output(browser, plain_base, "bare.ipynb", "pre")[0])
                    else:
                        load, cell = _first_output(browser, base, "quiz.ipynb", ".qw-option")
                        quiz_load.append(load)
                        quiz_cell.append(cell)
            clicks, requests, first_answer = _clicks(browser, base)
    return (
        _rows(rounds, bare_load, bare_cell, quiz_load, quiz_cell, plain_load, clicks, requests),
        size,
        first_answer,
    )


def _rows(rounds, bare_load, bare_cell, quiz_load, quiz_cell, plain_load, clicks, requests) -> list[Row]:
    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    rows = []
    if rounds:
        first, bare_first = ms(quiz_load), ms(bare_load)
        rows += [
            Row(
                f"lite: page load to the first question ({rounds} fresh profiles)",
                first,
                "page load to print(1)'s output",
                bare_first,
                target=f"<= {FIRST_QUESTION_RATIO}x",
                passed=first <= FIRST_QUESTION_RATIO * bare_first,
            ),
            Row(
                "lite: page load to the first question, against a kernel without startup imports",
                first,
                "page load to print(1)'s output there",
                ms(plain_load),
                target=f"<= {FIRST_QUESTION_RATIO}x",
                passed=first <= FIRST_QUESTION_RATIO * ms(plain_load),
            ),
            Row(
                "lite: page load to print(1)'s output",
                bare_first,
                "the same, the site without startup imports",
                ms(plain_load),
                note="what the background imports cost a bare kernel, no target",
            ),
            Row(
                "lite: the quiz cell after a ready kernel",
                ms(quiz_cell),
                "the print(1) cell after a ready kernel",
                ms(bare_cell),
                target=f"< {QUIZ_CELL_MS} ms",
                passed=ms(quiz_cell) < QUIZ_CELL_MS,
            ),
        ]
    quiz, bare = clicks["quiz"], clicks["bare"]
    for label, p, limit in (("p50", 50, FEEDBACK_MS), ("p95", 95, 2 * FEEDBACK_MS)):
        rows.append(
            Row(
                f"lite: click to feedback, {label} of {CLICKS} (in the page)",
                percentile(quiz, p),
                f"bare anywidget round trip, {label}",
                percentile(bare, p),
                target=f"< {limit} ms",
                passed=percentile(quiz, p) < limit,
            )
        )
    rows += [
        Row(
            "lite: click to feedback, a session's first answer",
            quiz[0],
            "bare anywidget round trip just before it",
            bare[0],
            note="makes the session's file, then (after the reply) its lease; in the p95 above",
        ),
        Row(
            "lite: drive requests before the feedback, a session's first answer",
            requests["before feedback"][0],
            unit="requests",
            note="/api/drive, counted in Playwright",
        ),
        Row(
            "lite: drive requests before the feedback, later answers (max)",
            max(requests["before feedback"][1:]),
            unit="requests",
            note=f"median {statistics.median(requests['before feedback'][1:]):.0f}",
        ),
        Row(
            "lite: drive requests per answer in all, a session's first answer",
            requests["answer"][0],
            unit="requests",
            note="from its click to the next (Next, the heartbeat's renewals)",
        ),
        Row(
            "lite: drive requests per answer in all, later answers (max)",
            max(requests["answer"][1:]),
            unit="requests",
            note=f"median {statistics.median(requests['answer'][1:]):.0f}",
        ),
    ]
    return rows


@register
def bench_lite() -> list[Row]:
    if os.environ.get("QUIZ_WIDGETS_BENCH_LITE", "1") == "0":
        return [Row("lite: skipped (QUIZ_WIDGETS_BENCH_LITE=0)", None)]
    rows, size, _first = measure()
    rows.append(Row("lite: site size", size["total"] / 1e6, unit="MB", note="size, no target"))
    print("site size by part:", {k: f"{v / 1e6:.1f} MB" for k, v in size.items()}, file=sys.stderr)
    return rows


if __name__ == "__main__":
    from run import format_table

    rows, size, first = measure(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)
    print(format_table(rows))
    print({k: f"{v / 1e6:.1f} MB" for k, v in size.items()})
    print(f"a session's first answer made {len(first)} drive requests:", *first, sep="\n  ")

"""How fast the SessionBrowser list appears for many saved sessions.

``bench_session_browser(n=2000)`` writes ``n`` realistic session files (our format, 12 answers each) in a
temporary folder and returns rows ``{"name", "value", "unit", "limit"}``:

- ``browser_list_cold_s``: ``SessionBrowser(base)`` with an empty listing cache (every file read once);
- ``browser_refresh_warm_s``: ``refresh()`` again (SessionManager's listing cache: stat only);
- ``browser_sync_bytes``: size of the JSON the page receives for the list.

Run alone: ``python benchmarks/bench_browser.py [n]``.

``bench_lab_feedback(clicks=40)``: a quiz's click to feedback in JupyterLab (a local server, Chromium),
interleaved with a bare anywidget round trip in the same kernel and page, both timed in the page from the
click event to the answer in the DOM (p50 and p95 of each, target p95 <= 1.5x the bare p95), and to the end of
the frame that shows it (no target). Needs the test
environment (JupyterLab, Playwright, Chromium). Run alone: ``python benchmarks/bench_browser.py lab [clicks]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

LIMIT_SECONDS = 1.0


def _session(i: int, start: datetime) -> dict[str, Any]:
    answered = 12
    answers = [{"question_id": q, "answer": "A", "correct": q % 3 != 0} for q in range(1, answered + 1)]
    wrong = [
        {
            "question_id": a["question_id"],
            "question": f"Question {a['question_id']}: which statement about cloud elasticity is true?",
            "your_answer": "Elasticity applies only to storage.",
            "correct_answer": "Resources grow and shrink automatically to track demand.",
        }
        for a in answers
        if not a["correct"]
    ]
    return {
        "session_date": (start + timedelta(minutes=i)).isoformat(),
        "exam_title": f"Practice Exam {i % 7 + 1}",
        "total_questions": 50,
        "quiz_mode": {"score": answered - len(wrong), "total_answered": answered, "wrong_answers": wrong},
        "timer_data": {
            "elapsed_seconds": 60 * (i % 90),
            "completed": False,
            "auto_saved": True,
            "emergency_saved": i % 11 == 0,
            "quit_by_user": i % 5 == 0,
        },
        "quiz_widgets": {
            "format_version": 1,
            "exam_path": "data/exams/practice.json",
            "exam_fingerprint": "0" * 64,
            "question_order": list(range(1, 51)),
            "answers": answers,
            "elapsed_seconds": 60.0 * (i % 90),
        },
    }


def write_sessions(base: Path, n: int) -> None:
    folder = base / "data" / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2024, 1, 1, 9, 0, 0)
    for i in range(n):
        stamp = (start + timedelta(minutes=i)).strftime("%Y%m%d_%H%M%S")
        (folder / f"session_{stamp}.json").write_text(json.dumps(_session(i, start), indent=2))


def bench_session_browser(n: int = 2000, base: Path | None = None) -> list[dict[str, Any]]:
    from quiz_widgets.ui.session_browser import SessionBrowser

    with tempfile.TemporaryDirectory(prefix="qw-bench-browser-") as tmp:
        folder = Path(base) if base is not None else Path(tmp)
        write_sessions(folder, n)
        started = time.perf_counter()
        browser = SessionBrowser(folder)
        cold = time.perf_counter() - started
        assert len(browser.sessions) == n, len(browser.sessions)
        started = time.perf_counter()
        browser.refresh()
        warm = time.perf_counter() - started
        synced = len(json.dumps(browser.view.get_state(["sessions", "results"])))
        browser.close()
    return [
        {"name": f"browser_list_cold_s[{n}]", "value": round(cold, 4), "unit": "s", "limit": LIMIT_SECONDS},
        {
            "name": f"browser_refresh_warm_s[{n}]",
            "value": round(warm, 4),
            "unit": "s",
            "limit": LIMIT_SECONDS,
        },
        {"name": f"browser_sync_bytes[{n}]", "value": synced, "unit": "bytes", "limit": None},
    ]


# -- JupyterLab: click to feedback against a bare anywidget round trip in the same kernel -----------------

LAB_CLICKS = 40
LAB_P95_RATIO = 1.5
# The baseline of every click-to-feedback row (bench_lite's too): a bare anywidget round trip.
PING_CELL = '''import anywidget


class Ping(anywidget.AnyWidget):
    _esm = """export default { render({ model, el }) {
      const b = document.createElement('button'); b.className = 'bench-ping'; b.textContent = 'ping';
      const out = document.createElement('span'); out.className = 'bench-pong';
      model.on('msg:custom', (m) => { out.textContent = String(m.n); });
      let n = 0; b.onclick = () => { n += 1; model.send({ n }); };
      el.append(b, out);
    } }"""

    def __init__(self) -> None:
        super().__init__()
        self.on_msg(lambda widget, content, buffers: self.send({"n": content["n"]}))


ping = Ping()
ping'''

# Both clocks run in the page (performance.now()): from the click event (capture phase, before any
# handler of the view) to the answer in the DOM (a MutationObserver: the verdict, the pong). Playwright's
# actionability checks, its round trips to the browser and its polling are in neither figure. Shared by
# the Lab rows here and the Lite rows of bench_lite.py.
FEEDBACK_INSTRUMENT = """() => {
    const m = window.__qwBench = {t0: null, quiz: [], bare: [], quizFrame: [], bareFrame: []};
    document.addEventListener('click', (e) => {
        if (e.target instanceof Element && e.target.closest('.qw-option, .bench-ping')) {
            m.t0 = performance.now();
        }
    }, true);
    // The frame that shows it: a task posted from the next animation frame runs once that frame is made.
    const framed = (list, t0) => requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => list.push(performance.now() - t0);
        channel.port2.postMessage(0);
    });
    const region = document.querySelector('.jp-OutputArea-output .qw-root .qw-feedback-region');
    new MutationObserver(() => {
        if (m.t0 !== null && region.querySelector('.qw-verdict')) {
            m.quiz.push(performance.now() - m.t0); framed(m.quizFrame, m.t0); m.t0 = null;
        }
    }).observe(region, {childList: true, subtree: true});
    const pong = document.querySelector('.jp-OutputArea-output .bench-pong');
    new MutationObserver(() => {
        if (m.t0 !== null) { m.bare.push(performance.now() - m.t0); framed(m.bareFrame, m.t0); m.t0 = null; }
    }).observe(pong, {childList: true, characterData: true, subtree: true});
}"""


def timed_clicks(
    page: Any, clicks: int, *, seed: int = 7, mark: Callable[[str, int], None] | None = None
) -> dict[str, list[float]]:
    """*clicks* interleaved pairs in one page that shows a quiz and the bare Ping: a click on the ping,
    then on the quiz's first option, each timed in the page (FEEDBACK_INSTRUMENT), then Next.

    Returns ``{"quiz": [...], "bare": [...]}`` in milliseconds, to the answer in the DOM, and
    ``"quizFrame"``/``"bareFrame"``: to the end of the frame that shows it (FEEDBACK_INSTRUMENT). ``mark(step, n)``, when given, is called
    after each step ("bare", "quiz", "next") of pair *n* (from 1): where a caller counts what happened.
    """
    import random

    rng = random.Random(seed)
    out = page.locator(".jp-OutputArea-output")
    out.locator(".bench-ping").wait_for()
    quiz = out.locator(".qw-root").first
    quiz.locator(".qw-question .qw-option:not([disabled])").first.wait_for()
    page.evaluate(FEEDBACK_INSTRUMENT)
    step = mark or (lambda _step, _n: None)
    for n in range(1, clicks + 1):
        page.wait_for_timeout(rng.uniform(150, 250))  # a person reading, then clicking
        out.locator(".bench-ping").click()
        page.wait_for_function("(n) => window.__qwBench.bare.length === n", arg=n)
        step("bare", n)
        page.wait_for_timeout(rng.uniform(150, 250))
        quiz.locator(".qw-question .qw-option:not([disabled])").first.click()
        page.wait_for_function("(n) => window.__qwBench.quiz.length === n", arg=n)
        step("quiz", n)
        quiz.get_by_role("button", name="Next", exact=True).click()
        quiz.locator(".qw-feedback-region .qw-verdict").wait_for(state="detached")
        step("next", n)
    page.wait_for_function(f"() => window.__qwBench.quizFrame.length === {clicks}")
    page.wait_for_function(f"() => window.__qwBench.bareFrame.length === {clicks}")
    data = page.evaluate("() => window.__qwBench")
    assert len(data["quiz"]) == len(data["bare"]) == clicks, data
    return {key: data[key] for key in ("quiz", "bare", "quizFrame", "bareFrame")}


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[max(0, round(p / 100 * len(s)) - 1)]


def bench_lab_feedback(clicks: int = LAB_CLICKS) -> list[dict[str, Any]]:
    """Click to feedback of a quiz in JupyterLab (Chromium, a local server), interleaved with a bare
    anywidget round trip (a click whose message the kernel answers) in the same kernel and page.

    Needs JupyterLab, Playwright and Chromium (the test environment). Rows in milliseconds.
    """
    repo = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(repo / "tests" / "browser"))
    from lab_utils import open_notebook, run_all, start_lab, write_notebook

    from quiz_widgets.lite.check import chromium

    with tempfile.TemporaryDirectory(prefix="qw-bench-lab-") as tmp:
        lab = start_lab(Path(tmp) / "lab", transport="tcp")  # as a user's Lab (the tests use Unix sockets)
        try:
            root = lab.root_dir
            exam = {
                "title": "Lab benchmark",
                "questions": [
                    {"id": i, "question": f"Question {i}", "options": {"A": "a", "B": "b"}, "answer": "A"}
                    for i in range(1, clicks + 2)
                ],
            }
            (root / "bench.json").write_text(json.dumps(exam))
            quiz_cell = (
                "from quiz_widgets import QuizWidget\nquiz = QuizWidget('bench.json', base_dir='.')\nquiz"
            )
            write_notebook(root / "bench.ipynb", [quiz_cell, PING_CELL])
            with chromium() as browser:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                open_notebook(page, lab, "bench.ipynb")
                run_all(page)
                data = timed_clicks(page, clicks)
                context.close()
        finally:
            lab.stop()
    rows = []
    for what, quiz_ms, bare_ms in (
        ("", data["quiz"], data["bare"]),
        (", to its frame", data["quizFrame"], data["bareFrame"]),
    ):
        for label, p in (("p50", 50), ("p95", 95)):
            ours, bare = percentile(quiz_ms, p), percentile(bare_ms, p)
            rows.append(
                {
                    "name": f"lab click to feedback{what} {label}",
                    "value": round(ours, 1),
                    "unit": "ms",
                    "baseline": round(bare, 1),
                    "ratio": round(ours / bare, 2),
                    "clicks": len(quiz_ms),
                }
            )
    # The target is on the DOM rows, as the issue set it; the frame rows say what a learner sees: the
    # same end for both sides (the bare view's style and layout happen in its frame, the quiz's in focus()).
    rows[1]["limit"] = f"<= {LAB_P95_RATIO}x the bare p95"
    rows[1]["passed"] = rows[1]["ratio"] <= LAB_P95_RATIO
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["lab"]:
        for row in bench_lab_feedback(int(sys.argv[2]) if len(sys.argv) > 2 else LAB_CLICKS):
            print(row)
        raise SystemExit(0)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for row in bench_session_browser(count):
        print(f"{row['name']:32} {row['value']:>12} {row['unit']}")

"""Click-to-feedback latency of QuizWidget in JupyterLab, over 50 answers paced like a person.

The time is taken in the page with performance.now(): from the option's click event (a capture listener
on the document) to the feedback verdict being inserted into the feedback region (a MutationObserver).
It covers page -> websocket -> server -> kernel (grade + save the session file) -> back -> render.

Run with -s to see the numbers; they are also written to test-artifacts/latency.txt.
"""

from __future__ import annotations

import json
import os
import random
import statistics
from pathlib import Path

import pytest

from .lab_utils import execute_in_kernel, open_notebook, output_locator, run_all, write_notebook

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
N = 50

# Kernel side, to tell the kernel's share (grading + saving the session file, fsync included) from the
# rest (websocket, server, page render): time the controller's handling of each answer message.
KERNEL_TIMER = """
import time as _t
_ctl = quiz._ctl
_handle, _save = _ctl.handle_message, _ctl.writer.save
_kernel_ms, _save_ms = [], []
def _timed_handle(content):
    t = _t.perf_counter()
    try:
        return _handle(content)
    finally:
        if isinstance(content, dict) and content.get("type") == "answer":
            _kernel_ms.append((_t.perf_counter() - t) * 1000)
def _timed_save(*a, **k):
    t = _t.perf_counter()
    try:
        return _save(*a, **k)
    finally:
        _save_ms.append((_t.perf_counter() - t) * 1000)
_ctl.handle_message, _ctl.writer.save = _timed_handle, _timed_save
"""

# Target: p95 < 50 ms. It is REPORTED, not asserted: the machines are shared and noisy, so the assertion
# below is only a loose guard (p95 < 250 ms) that catches a real regression (say a second sync frame
# waiting on a delayed ACK, or a blocking save) without failing on a busy neighbour.
TARGET_P95_MS = 50
GUARD_P95_MS = 250

INSTRUMENT = """() => {
    const root = document.querySelector('.jp-OutputArea-output .qw-root');
    const region = root.querySelector('.qw-feedback-region');
    const m = window.__qwLatency = {t0: null, samples: [], missed: 0, sent: [], arrived: []};
    // Breakdown: click -> answer message handed to the kernel connection (page), -> first comm_msg back
    // (websocket + server + kernel), -> verdict in the DOM (page render).
    const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
    let tSent = null, tArrived = null;
    kernel.anyMessage.connect((_, args) => {
        if (m.t0 === null || args.msg.header.msg_type !== 'comm_msg') return;
        if (args.direction === 'send' && tSent === null) tSent = performance.now();
        if (args.direction === 'recv' && tSent !== null && tArrived === null) tArrived = performance.now();
    });
    document.addEventListener('click', (e) => {
        if (e.target instanceof Element && e.target.closest('.qw-root .qw-option')) {
            if (m.t0 !== null) m.missed += 1;   // a click whose feedback never came
            m.t0 = performance.now();
        }
    }, true);
    new MutationObserver(() => {
        if (m.t0 !== null && region.querySelector('.qw-verdict')) {
            const now = performance.now();
            m.samples.push(now - m.t0);
            m.sent.push(tSent === null ? null : tSent - m.t0);
            m.arrived.push(tArrived === null ? null : now - tArrived);
            m.t0 = null; tSent = null; tArrived = null;
        }
    }).observe(region, {childList: true, subtree: true});
}"""


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def med(values: list) -> str:
    known = [v for v in values if v is not None]
    return f"{statistics.median(known):.1f}" if known else "n/a"


def make_exam(n: int) -> dict:
    return {
        "title": f"Latency {n}",
        "questions": [
            {
                "id": i,
                "question": f"Question number {i}: which option is right?",
                "options": {"A": f"alpha {i}", "B": f"bravo {i}", "C": f"charlie {i}", "D": f"delta {i}"},
                "answer": "ABCD"[i % 4],
                "explanation": f"Because {i}.",
            }
            for i in range(1, n + 1)
        ],
    }


def test_click_to_feedback_latency(page, lab, lab_dir):
    exam_path = lab_dir.path / "data" / "exams" / "latency.json"
    exam_path.parent.mkdir(parents=True, exist_ok=True)
    exam_path.write_text(json.dumps(make_exam(N)))
    write_notebook(
        lab_dir.path / "latency.ipynb",
        [
            "from quiz_widgets import QuizWidget\n"
            "quiz = QuizWidget('data/exams/latency.json', base_dir='.')\nquiz"
        ],
    )
    open_notebook(page, lab, lab_dir.lab_path("latency.ipynb"))
    run_all(page)
    root = output_locator(page, ".qw-root").first
    root.wait_for()
    page.evaluate(INSTRUMENT)
    execute_in_kernel(page, KERNEL_TIMER)

    rng = random.Random(7)
    progress = root.locator(".qw-progress-text")
    verdict = root.locator(".qw-feedback-region .qw-verdict")
    next_button = root.get_by_role("button", name="Next", exact=True)
    for i in range(1, N + 1):
        progress.filter(has_text=f"Question {i} of {N}").wait_for()
        option = root.locator(".qw-question .qw-option:not([disabled])").nth(rng.randrange(4))
        option.wait_for()
        page.wait_for_timeout(rng.uniform(150, 250))  # a person reading, then clicking
        option.click()
        verdict.wait_for()
        got = page.evaluate("() => window.__qwLatency.samples.length")
        assert got == i, f"answer {i}: the click produced no feedback ({got} samples)"
        next_button.click()

    root.locator(".qw-finished").wait_for()
    data = page.evaluate("() => window.__qwLatency")
    samples: list[float] = data["samples"]
    assert data["missed"] == 0 and data["t0"] is None
    assert len(samples) == N, "every click must produce feedback"

    kernel = json.loads(
        execute_in_kernel(page, "import json; print(json.dumps([_kernel_ms, _save_ms]))")["stdout"]
    )
    kernel_ms, save_ms = kernel
    assert len(kernel_ms) == N

    p50, p95, worst = percentile(samples, 50), percentile(samples, 95), max(samples)
    report = (
        f"QuizWidget click-to-feedback latency in JupyterLab, {N} answers paced 150-250 ms:\n"
        f"  p50 {p50:.1f} ms   p95 {p95:.1f} ms   max {worst:.1f} ms   mean {statistics.mean(samples):.1f} ms\n"
        f"  target p95 < {TARGET_P95_MS} ms: {'met' if p95 < TARGET_P95_MS else 'NOT met'} "
        f"(reported only); asserted guard p95 < {GUARD_P95_MS} ms\n"
        f"  kernel share (handling the answer message, incl. the session save): p50 "
        f"{percentile(kernel_ms, 50):.1f} ms, p95 {percentile(kernel_ms, 95):.1f} ms; session saves p50 "
        f"{percentile(save_ms, 50):.1f} ms, p95 {percentile(save_ms, 95):.1f} ms ({len(save_ms)} saves)\n"
        f"  breakdown p50: click->message sent {med(data['sent'])} ms, reply arrived->verdict in DOM "
        f"{med(data['arrived'])} ms; the rest is websocket + server + kernel\n"
        f"  samples (ms): {', '.join(f'{s:.1f}' for s in samples)}\n"
        # The tests without a browser run beside this one (scripts/test.sh): say how busy the machine was.
        f"  load average over the last minute: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
    )
    print("\n" + report)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "latency.txt").write_text(report)

    assert p95 < GUARD_P95_MS, report

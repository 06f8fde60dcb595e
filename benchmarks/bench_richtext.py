"""Rich text benchmarks: rendering one question (first call and cached) against today's plain path.

Rendering is lazy (per question, when shown) and cached, so the first question of a 10,000-question bank
costs one question's render on top of loading the bank, never the whole bank's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_storage import _exam
from run import Row, median_ms, register

from quiz_widgets.richtext import clear_cache, render

PLAIN = {
    "question": "Which AWS service should be used to decouple the tiers of a web application? (Choose TWO)",
    "options": ["Amazon SQS.", "Amazon EC2 Auto Scaling.", "Amazon SNS.", "AWS Cost Explorer.", "Amazon S3."],
}
MARKDOWN = {
    "question": (
        "The **cost** of a run is $c = n \\cdot p$ for $n$ requests at price $p$:\n\n"
        "| requests | price |\n|---:|---:|\n| 1,000 | 0.20 |\n| 10,000 | 1.80 |\n\n"
        "```python\ndef cost(n: int, p: float) -> float:\n    return n * p  # dollars\n```\n\n"
        "What is $$\\sum_{i=1}^{3} c_i$$ for the three runs?"
    ),
    "options": ["$2.00$", "$2.20$ (the `cost` of both)", "*none* of these", "$$\\frac{11}{5}$$"],
}


def _texts(q: dict) -> list[str]:
    return [q["question"], *q["options"]]


def _render_all(texts: list[str], base_dir: Path | None = None) -> None:
    for t in texts:
        render(t, base_dir=base_dir)


def _todays_payload_ms(exam_dict: dict) -> float:
    """What showing a question costs today: building the payload the page receives for it."""
    from quiz_widgets.exam import load_exam
    from quiz_widgets.kernel.protocol import question_payload

    question = load_exam(exam_dict).questions[0]
    return median_ms(lambda: question_payload(question, 0), repeat=201)


def _cold_markdown_ms() -> float:
    """First Markdown render in a fresh interpreter: the imports and the parser, paid once per kernel."""
    code = (
        "import time, json, quiz_widgets.richtext as r\n"
        "t = time.perf_counter()\n"
        f"r.render({MARKDOWN['question']!r})\n"
        "print(json.dumps((time.perf_counter() - t) * 1000))\n"
    )
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout))
    return sorted(runs)[1]


@register
def bench_richtext() -> list[Row]:
    plain_texts, md_texts = _texts(PLAIN), _texts(MARKDOWN)
    one_exam = {"title": "t", "questions": [{"id": 1, "type": "singleChoice", "answer": "A",
                                             "question": PLAIN["question"], "options": PLAIN["options"]}]}  # fmt: skip
    today = _todays_payload_ms(one_exam)
    base = "question_payload (today)"

    _render_all(
        md_texts
    )  # imports and the parser once, as any kernel pays them at its first Markdown question
    plain_first = median_ms(lambda: _render_all(plain_texts), repeat=201, setup=clear_cache)
    plain_cached = median_ms(lambda: _render_all(plain_texts), repeat=201)
    md_first = median_ms(lambda: _render_all(md_texts), repeat=21, setup=clear_cache)
    md_cached = median_ms(lambda: _render_all(md_texts), repeat=201)
    cold = _cold_markdown_ms()
    rows = [
        Row("richtext: plain question + 5 options, first call", plain_first, base, today,
            target="< 0.5 ms", passed=plain_first < 0.5),
        Row("richtext: plain question + 5 options, cached", plain_cached, base, today,
            target="< 0.1 ms", passed=plain_cached < 0.1),
        Row("richtext: Markdown question (math, table, code) + 4 options, first call", md_first, base, today,
            target="< 20 ms", passed=md_first < 20),
        Row("richtext: Markdown question + 4 options, cached", md_cached, base, today,
            target="< 0.1 ms", passed=md_cached < 0.1),
        Row("richtext: first Markdown render in a fresh kernel (imports + parser)", cold,
            target="< 500 ms", passed=cold < 500, note="once per kernel; plain text never pays it"),
    ]  # fmt: skip
    rows.extend(_bank_rows(10_000))
    return rows


def _bank_rows(n: int) -> list[Row]:
    from quiz_widgets.exam import load_exam

    tmp = tempfile.mkdtemp()
    try:
        path = Path(tmp) / "bank.json"
        data = _exam(n)
        data["questions"][0]["question"] = MARKDOWN["question"]  # the worst case for the first question
        path.write_text(json.dumps(data))
        load_ms = median_ms(lambda: load_exam(path), repeat=5)
        exam = load_exam(path)
        first = exam.questions[0]
        texts = [first.text, *(o.text for o in first.options)]
        first_ms = median_ms(lambda: _render_all(texts, path.parent), repeat=21, setup=clear_cache)
        every = [t for q in exam.questions for t in (q.text, *(o.text for o in q.options))]
        all_ms = median_ms(lambda: _render_all(every, path.parent), repeat=3, setup=clear_cache)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        clear_cache()
    return [
        Row(f"richtext: {n:,}-question bank, render question 1 when shown", first_ms,
            "load_exam of the bank", load_ms, target="< 5% of baseline", passed=first_ms < 0.05 * load_ms),
        Row(f"richtext: {n:,}-question bank, rendering every question up front", all_ms,
            "load_exam of the bank", load_ms, note="what lazy rendering avoids; no target"),
    ]  # fmt: skip

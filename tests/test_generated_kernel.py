"""Generated questions in real kernels: the variant a learner was asked survives SIGKILL and comes back in a
new kernel (the cell run again, attempt="continue") without its generator being asked for a new one; a new
attempt then asks a new variant."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from kernel_scenarios import kernel_in

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(240)]

MARK = "QWGEN:"

# The notebook's cell: a generator that records every seed it is called with (the probe's too).
CELL = """
import json, random
from quiz_widgets import QuizWidget
SEEDS = []
def ohms_law(rng):
    SEEDS.append(rng.getstate()[1][:4])
    volts, ohms = rng.randint(5, 24), rng.choice([100, 220, 470])
    return {"question": f"A {volts} V source drives a {ohms} Ω resistor. The current, in mA?",
            "type": "numeric", "answer": round(1000 * volts / ohms, 3), "tolerance": 0.5}
quiz = QuizWidget.from_questions(
    [ohms_law, {"id": "cap", "question": "Capital of France?", "type": "text", "answer": "Paris"}],
    title="Circuits", base_dir=BASE, learner="ada", autosave_interval=0.5)
def _report(**extra):
    q = quiz.state.exam.by_id(1)
    out = {"path": str(quiz.session_path), "text": q.text, "key": q.answer, "calls": len(SEEDS),
           "answers": quiz.state.answers, "number": quiz.question.get("number"), "continued": quiz.continued}
    out.update(extra)
    print(MARK + json.dumps(out), flush=True)
"""


def report(k: Any, code: str) -> dict[str, Any]:
    out = k.execute(code, timeout=60).stdout
    lines = [line for line in out.splitlines() if line.startswith(MARK)]
    assert lines, out
    return json.loads(lines[-1][len(MARK) :])


def test_a_variant_resumes_after_sigkill_and_a_new_attempt_asks_another(tmp_path: Path) -> None:
    cell = f"MARK = {MARK!r}\nBASE = {str(tmp_path)!r}\n" + CELL
    with kernel_in(tmp_path) as k:
        before = report(k, cell + "quiz.answer(quiz.state.exam.by_id(1).answer + 40)\n_report()\n")
        time.sleep(1.0)
        k.sigkill()
    assert before["calls"] == 2  # the probe, then this attempt's variant
    saved = json.loads(Path(before["path"]).read_text("utf-8"))["quiz_widgets"]
    assert saved["variants"]["1"]["question"] == before["text"]
    with kernel_in(tmp_path) as k:
        after = report(k, cell + "quiz.goto(1)\n_report()\n")  # the same cell in a new kernel
        assert after["path"] == before["path"] and after["continued"]
        assert after["calls"] == 1  # the probe only: the kept variant is shown, no new one made
        assert (after["text"], after["key"], after["answers"]) == (
            before["text"],
            before["key"],
            before["answers"],
        )
        new = report(k, "quiz.start_new_attempt()\n_report()\n")
    assert new["path"] != before["path"] or new["answers"] == []
    assert new["calls"] == 2 and new["text"] != before["text"]

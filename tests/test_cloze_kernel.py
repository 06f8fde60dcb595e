"""Cloze in real kernels: an answered cloze question and the one on screen survive SIGKILL; a new kernel resumes
the session with each blank's value, its credit and the same shuffled choices."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from kernel_scenarios import kernel_in

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(240)]

MARK = "QWCLOZE:"
EXAM = {
    "title": "Cloze drill",
    "questions": [
        {"id": "cap", "type": "cloze", "question": "{2:SHORTANSWER:=Paris} and {1:NUMERICAL:=4:0}"},
        {"id": "mix", "type": "cloze", "question": "Pick {1:MULTICHOICE_S:=a~b~c~d~e} and {1:MRS:=x~=y~z}"},
    ],
}
REPORT = """
import json
from quiz_widgets import QuizWidget
def _report(**extra):
    out = {"path": str(quiz.session_path), "answers": quiz.state.answers, "points": quiz.points,
           "number": quiz.question.get("number"),
           "choices": [[c["text"] for c in b.get("choices", [])] for b in quiz.question.get("blanks", [])]}
    out.update(extra)
    print(MARK + json.dumps(out), flush=True)
"""


def report(k: Any, code: str) -> dict[str, Any]:
    out = k.execute(f"MARK = {MARK!r}\n" + REPORT + code, timeout=60).stdout
    lines = [line for line in out.splitlines() if line.startswith(MARK)]
    assert lines, out
    return json.loads(lines[-1][len(MARK) :])


def test_a_cloze_answer_resumes_after_sigkill_in_a_new_kernel(tmp_path: Path) -> None:
    exam = tmp_path / "exams" / "cloze.json"
    exam.parent.mkdir(parents=True)
    exam.write_text(json.dumps(EXAM), "utf-8")
    with kernel_in(tmp_path) as k:
        before = report(
            k,
            f"quiz = QuizWidget({str(exam)!r}, base_dir={str(tmp_path)!r}, autosave_interval=0.5)\n"
            "right = quiz.answer(['Paris', '5'])\nquiz.next()\n_report(right=right)\n",
        )
        time.sleep(1.0)
        k.sigkill()
    assert before["right"] is False and before["points"] == pytest.approx(2 / 3)
    assert before["number"] == 2 and sorted(before["choices"][0]) == list("abcde")
    with kernel_in(tmp_path) as k:
        after = report(
            k,
            f"quiz = QuizWidget.resume({before['path']!r}, autosave_interval=0)\n"
            "on_screen = quiz.question.get('number')\n"
            "right = quiz.answer(['a', ['y', 'x']])\n"
            "_report(right=right, on_screen=on_screen)\n",
        )
    assert after["on_screen"] == 2
    assert after["answers"][0] == before["answers"][0]
    assert after["answers"][0]["answer"] == ["Paris", 5.0]
    assert after["right"] is True and after["points"] == pytest.approx(2 / 3 + 1)
    assert after["choices"] == before["choices"]  # the _S blanks' order is the same in the new kernel

"""Confidence levels in real kernels: a CBM quiz killed with SIGKILL after two answers continues in a new
kernel with both levels and its setting (the cell re-run as written), and its results file holds every
level and Moodle's CBM score beside the plain score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kernel_scenarios import kernel_in
from test_study_modes_kernel import report, write_exam

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(240)]


def test_levels_survive_sigkill_and_reach_the_results_file(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)  # 8 questions, answers ABCDABCD
    cell = (
        "from quiz_widgets import QuizWidget\n"
        f"quiz = QuizWidget({str(exam)!r}, base_dir={str(tmp_path)!r}, confidence='cbm')\n"
    )
    with kernel_in(tmp_path) as k:
        before = report(
            k,
            cell + "quiz.answer('A', confidence=3); quiz.next(); quiz.answer('C', confidence=2)\n"
            "_report(cbm=quiz.cbm_score)\n",
        )
        k.sigkill()  # each answer was on disk before its feedback: nothing more is needed
    assert before["cbm"] == 3 - 2
    saved = json.loads(Path(before["path"]).read_text("utf-8"))
    assert saved["quiz_widgets"]["confidence"] == "cbm"
    assert [a["confidence"] for a in saved["quiz_widgets"]["answers"]] == [3, 2]
    assert set(saved["quiz_mode"]) == {"score", "total_answered", "wrong_answers"}  # the original app's

    with kernel_in(tmp_path) as k:
        after = report(
            k,
            cell + "assert quiz.continued, 'the unfinished attempt was not continued'\n"
            "levels = [quiz.state.confidence_of(i) for i in (1, 2)]\n"
            "for value, level in zip('CDABCD', (1, 1, 3, 3, 2, 2)):\n"
            "    quiz.answer(value, confidence=level); quiz.next()\n"
            "_report(levels=levels, cbm=quiz.cbm_score, score=quiz.score, results=str(quiz.results_path),\n"
            "        calibration=quiz.summary['calibration'])\n",
        )
    assert after["path"] == before["path"] and after["levels"] == [3, 2]
    # Right: 1 (C3), 3 (C1), 4 (C1), 5 (C3), 6 (C3), 7 (C2), 8 (C2); wrong: 2 (C2).
    assert after["score"] == 7 and after["cbm"] == 3 - 2 + 1 + 1 + 3 + 3 + 2 + 2
    results = json.loads(Path(after["results"]).read_text("utf-8"))
    assert results["performance"]["cbm_score"] == after["cbm"]
    assert results["performance"]["score"] == 7
    assert [a["confidence"] for a in results["quiz_widgets"]["answers"]] == [3, 2, 1, 1, 3, 3, 2, 2]
    odd = next(row for row in after["calibration"] if row["topic"] == "Odd")  # ids 1, 3, 5, 7
    assert {lv["level"]: (lv["right"], lv["answered"]) for lv in odd["levels"]} == {
        3: (2, 2),
        2: (1, 1),
        1: (1, 1),
    }

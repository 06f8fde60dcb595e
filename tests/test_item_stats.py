"""Moodle's item statistics and Cronbach's alpha on a small class, against values computed by hand
(tests/grades_class.py has the marks)."""

from __future__ import annotations

import math
import warnings

import pytest
from grades_class import EXAM, class_results, exam_dict

from quiz_widgets.exam import load_exam
from quiz_widgets.teaching.report import ClassReport


@pytest.fixture
def report() -> ClassReport:
    return ClassReport.load(class_results())


def _items(report: ClassReport) -> dict[str, dict]:
    return {r["question_id"]: r for r in report.item_rows() if r["exam"] == EXAM}


def test_first_attempts_by_hand(report: ClassReport) -> None:
    items = _items(report)
    # Gus's second attempt (all right) is not counted: seven first attempts per question.
    assert {r["attempts"] for r in items.values()} == {7}
    q1, q3, q4 = items["1"], items["3"], items["4"]
    # Q1 marks 1 1 1 1 0 0 0: facility 4/7; sd sqrt((4*(3/7)^2 + 3*(4/7)^2) / 6) = sqrt(2/7).
    assert q1["facility"] == pytest.approx(4 / 7)
    assert q1["sd"] == pytest.approx(math.sqrt(2 / 7))
    # Rest scores 2 2 1 1 2 1 0 (mean 9/7): sum dx*dy = (3*6 + 4*6)/49 = 6/7, sum dx^2 = 12/7,
    # sum dy^2 = 24/7: point-biserial (6/7) / sqrt(12/7 * 24/7) = 6 / sqrt(288) = 0.35355.
    assert q1["point_biserial"] == pytest.approx(6 / math.sqrt(288))
    # Both sorted: marks 0 0 0 1 1 1 1 against rests 0 1 1 1 2 2 2: sum of products of deviations 13/7;
    # efficiency = (6/7) / (13/7) = 6/13.
    assert q1["discriminative_efficiency"] == pytest.approx(6 / 13)
    # Groups of round(0.27 * 7) = 2: top ann, ben (3 each), bottom gus (0), fay (1).
    assert q1["discrimination_index"] == pytest.approx(1.0)
    assert q3["facility"] == pytest.approx(3 / 7)
    assert q3["point_biserial"] == pytest.approx(0.2830692585)
    assert q3["discriminative_efficiency"] == pytest.approx(5 / 12)
    # Q4: right only for eve and fay, so the strong learners do worse: top 0, bottom (fay 1, gus 0) 0.5.
    assert q4["discrimination_index"] == pytest.approx(-0.5)
    assert q4["point_biserial"] == pytest.approx(-0.5752237416)
    assert q4["discriminative_efficiency"] == pytest.approx(-0.75)
    assert q4["most_chosen_wrong"] == "gamma"  # ann, ben, cat, dan; gus alpha


def test_flags_name_what_to_look_at(report: ClassReport) -> None:
    q4 = _items(report)["4"]["look_at"]
    assert "negative discrimination" in q4
    assert "strong learners pick 'gamma'" in q4  # ann and ben (top) chose it, the bottom group did not
    assert "negative" not in _items(report)["1"]["look_at"]
    # With the exam known (after a regrade) the options nobody picked are named.
    regraded = report.regrade(load_exam(exam_dict()))
    flags = {r["question_id"]: r["look_at"] for r in regraded.item_rows()}
    assert "nobody picks 'delta'" in flags["4"]
    assert "nobody picks 'beta', 'delta'" in flags["1"]


def test_facility_near_one_or_zero_is_flagged() -> None:
    everyone = []
    for name in ("a", "b", "c", "d", "e"):
        data = class_results()[0]
        data["learner"] = name
        everyone.append(data)
    rows = ClassReport.load(everyone).item_rows()
    flags = {r["question_id"]: r["look_at"] for r in rows}
    assert flags["1"] == "almost everybody right"  # five of five
    assert flags["4"] == "almost nobody right"  # none of five


def test_cronbach_alpha_by_hand(report: ClassReport) -> None:
    (row,) = report.reliability_rows()
    # Item variances (n-1): 2/7, 2/7, 2/7, 5/21; score variance 8/7; alpha = 4/3 (1 - (23/21)/(8/7)) = 1/18.
    assert row == {"exam": EXAM, "attempts": 7, "questions": 4, "alpha": pytest.approx(1 / 18)}


def test_pandas_tables(report: ClassReport) -> None:
    items = report.items
    assert list(items.columns[:8]) == [
        "exam",
        "question_id",
        "attempts",
        "facility",
        "sd",
        "discrimination_index",
        "discriminative_efficiency",
        "point_biserial",
    ]
    assert report.reliability.loc[0, "alpha"] == pytest.approx(1 / 18)


def test_html_report_lists_flagged_items(report: ClassReport, tmp_path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        page = report.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Items to look at" in page
    assert "strong learners pick &#x27;gamma&#x27;" in page or "strong learners pick &#39;gamma&#39;" in page
    assert "Cronbach" in page


def test_a_hostile_answer_in_a_flag_is_escaped(tmp_path) -> None:
    data = class_results()
    lure = '<img src=x onerror="alert(1)">'
    for learner in data[:2]:  # ann and ben, the top group, answer Q4 with it
        learner["quiz_widgets"]["answers"][3]["your_answer"] = lure
    report = ClassReport.load(data)
    assert (
        f"strong learners pick {lure!r}" in {r["question_id"]: r for r in report.item_rows()}["4"]["look_at"]
    )
    page = report.to_html(tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img src=x onerror=" in page

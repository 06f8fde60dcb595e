"""report.regrade(exam): every attempt scored again against a corrected exam, by question id (a fixed
key, a dropped question); the regraded report's gradebook; the CLI's --regrade."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import yaml
from grades_class import EXAM, class_results, exam_dict, results

from quiz_widgets.cli import main as cli_main
from quiz_widgets.exam import load_exam
from quiz_widgets.teaching.report import ClassReport


def _scores(report: ClassReport, *, first_only: bool = True) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for a in report.attempt_list:
        if not first_only or a.learner not in out:
            out[a.learner] = (a.score, a.total)
    return out


def test_fixed_key_scores_every_attempt_again() -> None:
    report = ClassReport.load(class_results())
    # Q4's key was wrong: gamma is the right answer, not beta.
    fixed = report.regrade(load_exam(exam_dict(key={1: "alpha", 2: "alpha", 3: "alpha", 4: "gamma"})))
    scores = _scores(fixed)
    # ann, ben, cat, dan answered gamma (now right); eve and fay beta (now wrong); gus alpha (still wrong).
    assert scores == {
        "ann": (4, 4),
        "ben": (4, 4),
        "cat": (3, 4),
        "dan": (3, 4),
        "eve": (1, 4),
        "fay": (0, 4),
        "gus": (0, 4),
    }
    assert fixed.regrade_summary.changed == 6 + 1  # gus's second try answered beta on Q4: 4 -> 3
    assert [a.score for a in fixed.attempt_list if a.learner == "gus"] == [0, 3]
    # The original report is unchanged, and the item statistics follow the new key.
    assert _scores(report)["ann"] == (3, 4)
    q4 = {r["question_id"]: r for r in fixed.item_rows()}["4"]
    assert q4["facility"] == pytest.approx(4 / 7) and q4["discrimination_index"] > 0


def test_dropped_question_leaves_score_and_total() -> None:
    fixed = ClassReport.load(class_results()).regrade(load_exam(exam_dict(drop=(3,))))
    scores = _scores(fixed)
    assert scores["ann"] == (2, 3) and scores["cat"] == (2, 3) and scores["dan"] == (1, 3)
    assert fixed.regrade_summary.dropped == ["3"]
    assert {r["question_id"] for r in fixed.item_rows()} == {"1", "2", "4"}
    assert all("3" not in a.outcomes for a in fixed.attempt_list)


def test_gradebook_of_the_regraded_report(tmp_path: Path) -> None:
    fixed = ClassReport.load(class_results()).regrade(load_exam(exam_dict(drop=(4,))))
    fixed.to_gradebook("canvas", tmp_path / "g.csv")
    rows = list(csv.reader(io.StringIO((tmp_path / "g.csv").read_text(encoding="utf-8"))))
    assert rows[1][5] == "3"  # points possible: three questions left
    assert {r[0]: r[5] for r in rows[2:]}["eve"] == "1"


def test_other_exams_are_kept_and_a_wrong_title_is_an_error() -> None:
    other = results("ann")
    other["exam_info"]["title"] = "Another exam"
    report = ClassReport.load([*class_results(), other])
    fixed = report.regrade(load_exam(exam_dict(drop=(1,))))
    kept = [a for a in fixed.attempt_list if a.exam == "Another exam"]
    assert [(a.score, a.total) for a in kept] == [(3, 4)]
    wrong = exam_dict()
    wrong["title"] = "Greek letterz"
    with pytest.raises(
        ValueError, match="no attempt of exam 'Greek letterz'; the report holds 'Another exam', "
    ):
        report.regrade(load_exam(wrong))


def test_an_answer_the_new_question_cannot_read_keeps_its_grade() -> None:
    data = results("ann")
    data["quiz_widgets"]["answers"][0]["your_answer"] = "omega"  # an option text the exam no longer has
    data["quiz_widgets"]["answers"][0]["correct"] = True
    with pytest.warns(UserWarning, match=r"old grade kept: <dict>: question 1: .*omega"):
        fixed = ClassReport.load([data]).regrade(load_exam(exam_dict()))
    assert fixed.attempt_list[0].outcomes["1"].correct is True


def test_cli_regrade_then_gradebook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    for data in class_results():
        target = folder / data["learner"] / f"r_{data['session_info']['completion_date'][:10]}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data), encoding="utf-8")
    exam_file = tmp_path / "fixed.yaml"
    exam_file.write_text(yaml.safe_dump(exam_dict(key={1: "alpha", 2: "alpha", 3: "alpha", 4: "gamma"})))
    out = tmp_path / "grades.csv"
    code = cli_main(
        ["report", str(folder), "--regrade", str(exam_file), "--gradebook", "moodle", "-o", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0
    assert f"regraded 8 attempt(s) of {EXAM!r}: 7 score(s) changed" in printed
    assert dict(list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))[1:])["ann"] == "4"


def test_cli_regrade_with_a_bad_exam(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exam_file = tmp_path / "broken.yaml"
    exam_file.write_text("title: x\nquestions: 3\n")
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "r.json").write_text(json.dumps(results("ann")), encoding="utf-8")
    assert cli_main(["report", str(folder), "--regrade", str(exam_file)]) == 1
    assert "broken.yaml" in capsys.readouterr().err


def _mixed_exam(primes: list[str], number: float, tolerance: float) -> dict:
    return {
        "title": "Mixed",
        "questions": [
            {
                "id": "primes",
                "type": "multiChoice",
                "question": "Pick the primes",
                "options": ["2", "4", "5; or 7", "9"],
                "answer": primes,
            },
            {"id": "pi", "type": "numeric", "question": "pi?", "answer": number, "tolerance": tolerance},
            {"id": "cap", "type": "text", "question": "Capital of Italy?", "answer": ["Rome", "Roma"]},
        ],
    }


def _mixed_results(learner: str, answers: list[tuple[str, bool, str]]) -> dict:
    score = sum(correct for _, correct, _ in answers)
    return {
        "learner": learner,
        "exam_info": {"title": "Mixed", "total_questions": 3},
        "session_info": {"completion_date": "2025-03-01T10:00:00"},
        "performance": {"score": score, "total_answered": 3},
        "quiz_widgets": {
            "answers": [{"question_id": q, "correct": c, "your_answer": a} for q, c, a in answers]
        },
    }


def test_multiple_choice_numbers_and_texts_are_read_back() -> None:
    # Keyed 2 and 9, pi 3.0 exactly, Rome: then corrected to 2 and "5; or 7" (an option text holding "; "),
    # pi within 0.01 and Roma accepted as before.
    ann = _mixed_results(
        "ann", [("primes", False, "2; 5; or 7"), ("pi", False, "3.14"), ("cap", True, "Roma")]
    )
    ben = _mixed_results("ben", [("primes", True, "2; 9"), ("pi", True, "3"), ("cap", False, "Paris")])
    report = ClassReport.load([ann, ben])
    fixed = report.regrade(load_exam(_mixed_exam(["A", "C"], 3.1416, 0.01)))
    outcomes = {a.learner: {q: o.correct for q, o in a.outcomes.items()} for a in fixed.attempt_list}
    assert outcomes == {
        "ann": {"primes": True, "pi": True, "cap": True},
        "ben": {"primes": False, "pi": False, "cap": False},
    }
    assert _scores(fixed) == {"ann": (3, 3), "ben": (0, 3)}


def test_an_original_app_file_keeps_the_grades_it_cannot_show() -> None:
    # The original app's file lists wrong answers only: gus's Q4 answer (alpha) is there to grade again;
    # his right answers are not (none here), ann's inferred right ones keep their grade.
    old_app = []
    for data in class_results()[:7]:
        del data["quiz_widgets"]
        old_app.append(data)
    report = ClassReport.load(old_app)
    with pytest.warns(UserWarning, match=r"answer\(s\) of 'Greek letters' carry no answer text"):
        fixed = report.regrade(load_exam(exam_dict(key={1: "alpha", 2: "alpha", 3: "alpha", 4: "alpha"})))
    scores = _scores(fixed)
    assert scores["gus"] == (1, 4)  # alpha on Q4 is now right
    assert scores["ann"] == (3, 4)  # her wrong gamma stays wrong; her right answers are kept
    assert fixed.regrade_summary.kept > 0

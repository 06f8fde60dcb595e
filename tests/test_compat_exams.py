"""Every exam from the original app loads as it is (needs ../shared/compat/quizpython)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from run_flags import COMPAT

from quiz_widgets.exam import exam_schema, load_exam

# Without the folder these tests skip, or fail in CI: the rule is in run_flags.py (via conftest.py).
pytestmark = pytest.mark.compat

EXPECTED_SIZES = {"exam_1.json": 50, "tDojo_exam_2.json": 65, "tDojo_exam_1_missed.json": 21, "exam_1.md": 50}


def _exam_files() -> list[Path]:
    if not COMPAT.is_dir():
        return []
    return sorted((COMPAT / "exams").glob("*.json")) + sorted((COMPAT / "exams-markdown").glob("*.md"))


def test_all_expected_exams_are_there():
    assert {p.name for p in _exam_files()} >= set(EXPECTED_SIZES)


@pytest.mark.parametrize("path", _exam_files(), ids=lambda p: p.name)
def test_exam_loads(path):
    exam = load_exam(path)
    if path.name in EXPECTED_SIZES:
        assert len(exam) == EXPECTED_SIZES[path.name]
    assert exam.title
    for q in exam:
        assert q.kind in ("singleChoice", "multiChoice")
        assert q.is_correct(q.correct_normalized())
        assert q.correct_text()
    jsonschema.validate(exam.to_dict(), exam_schema(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("path", sorted((COMPAT / "exams").glob("*.json")), ids=lambda p: p.name)
def test_original_json_matches_schemas_and_round_trips(path):
    raw = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(raw, exam_schema(), cls=jsonschema.Draft202012Validator)
    original_schema = json.loads((COMPAT / "question_schema.json").read_text(encoding="utf-8"))
    exam = load_exam(path)
    jsonschema.validate(exam.to_dict(), original_schema)  # what we write stays readable by the app
    assert exam.to_dict() == raw


def test_markdown_matches_json_twin():
    md = load_exam(COMPAT / "exams-markdown" / "exam_1.md")
    js = load_exam(COMPAT / "exams" / "exam_1.json")
    assert md.title == js.title
    for a, b in zip(md, js, strict=True):
        assert (a.id, a.text, a.kind, a.options, a.answer) == (b.id, b.text, b.kind, b.options, b.answer)


def test_wrong_answer_texts_match_results_files():
    # The app writes option texts ("AWS API.") into wrong_answers; describe() must produce the same.
    exams = {p.name: load_exam(p) for p in (COMPAT / "exams").glob("*.json")}
    checked = 0
    for results_path in sorted((COMPAT / "results").glob("*.json")):
        results = json.loads(results_path.read_text(encoding="utf-8"))
        source = Path(results.get("exam_info", {}).get("exam_file_path", "")).name
        exam = exams.get(source)
        if exam is None:
            continue
        for entry in results["detailed_results"]["incorrect_answers"]:
            q = exam.by_id(entry["question_id"])
            expected = entry["correct_answer"]
            if (
                q is None
                or q.text != entry["question"]
                or not isinstance(expected, str)
                or len(expected) == 1
            ):
                continue  # older files hold letters, study exams renumber: compare only option texts
            assert q.correct_text() == expected
            checked += 1
    assert checked > 0

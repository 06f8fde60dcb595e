"""The sample exams ship inside the package and open by name, so a `pip install` user has an exam to take."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from quiz_widgets import ExamError, QuizWidget, load_exam
from quiz_widgets.exam import exam_schema
from quiz_widgets.exam.loading import SAMPLES_DIR, sample_names

SAMPLES = {"cloud-basics": "Cloud Concepts Practice Exam", "python-basics": "Python Basics Quiz"}


@pytest.mark.parametrize(("name", "title"), SAMPLES.items())
def test_load_exam_by_sample_name(name: str, title: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # nowhere near the repository's files
    exam = load_exam(name)
    assert exam.title == title and len(exam) > 0
    assert exam.source is not None and exam.source.parent == SAMPLES_DIR
    assert exam.source.stem == name


def test_samples_are_valid_exam_files() -> None:
    assert set(sample_names()) == set(SAMPLES)
    schema = exam_schema()
    for path in SAMPLES_DIR.iterdir():
        if path.suffix == ".json":
            jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_unknown_name_lists_the_samples(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExamError) as info:
        load_exam("cloud-basic")
    message = str(info.value)
    assert "cloud-basic" in message and "cloud-basics" in message and "python-basics" in message


def test_an_existing_file_wins_over_a_sample(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("cloud-basics").write_text(
        json.dumps(
            {"title": "Mine", "questions": [{"id": 1, "question": "1 + 1?", "type": "numeric", "answer": 2}]}
        )
    )
    assert load_exam("cloud-basics").title == "Mine"


@pytest.mark.parametrize("text", ["cloud-basics.json", os.path.join("sub", "cloud-basics")])
def test_paths_are_never_sample_names(text: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError):
        load_exam(text)


def test_quiz_widget_opens_a_sample_and_resumes_it(tmp_path: Path, recording_comms) -> None:
    quiz = QuizWidget("cloud-basics", base_dir=tmp_path, autosave_interval=0)
    try:
        assert quiz.exam_title == SAMPLES["cloud-basics"]
        quiz.answer("A")
        path = quiz.session_path
    finally:
        quiz.close()
    again = QuizWidget.resume(path)
    try:
        assert again.exam_title == SAMPLES["cloud-basics"] and again.total_answered == 1
    finally:
        again.close()

"""A small generated class for the report tests: 5 learners x 4 questions, numbers checkable by hand.

Right (1) / wrong (0) per learner, questions Q1..Q4:

    ada   1 1 1 1   score 4
    bob   1 1 1 0   score 3
    cy    1 1 0 0   score 2
    dee   1 0 1 0   score 2
    eve   1 0 0 0   score 1   (an original-app file: wrong answers only, letters as lists)

ada..dee are collected files (``<root>/<learner>/<name>.json`` with "learner" and every answer);
eve's is the original app's results layout in ``<root>/eve/results/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EXAM = "Geo and Maths"
QUESTIONS = {
    1: ("Capital of Italy?", "geo", "Rome"),
    2: ("Capital of France?", "geo", "Paris"),
    3: ("2 + 2?", "math", "4"),
    4: ("Pick the primes. (Choose TWO)", "math", "2; 3"),
}
MATRIX = {
    "ada": [1, 1, 1, 1],
    "bob": [1, 1, 1, 0],
    "cy": [1, 1, 0, 0],
    "dee": [1, 0, 1, 0],
    "eve": [1, 0, 0, 0],
}
WRONG = {  # (learner, question) -> the wrong answer given
    ("dee", 2): "Lyon",
    ("eve", 2): "Lyon",
    ("cy", 3): "5",
    ("eve", 3): "22",
    ("bob", 4): "2; 9",
    ("cy", 4): "Nice",
    ("dee", 4): "Nice",
    ("eve", 4): ["B", "D"],
}
SECONDS = {"ada": 10, "bob": 20, "cy": 30, "dee": 40}  # seconds on every question


def results(learner: str, *, day: int = 1) -> dict[str, Any]:
    marks = MATRIX[learner]
    score = sum(marks)
    wrong = [
        {
            "question_id": qid,
            "question": QUESTIONS[qid][0],
            "your_answer": WRONG[(learner, qid)],
            "correct_answer": QUESTIONS[qid][2],
        }
        for qid, mark in zip(QUESTIONS, marks, strict=True)
        if not mark
    ]
    data: dict[str, Any] = {
        "exam_info": {
            "title": EXAM,
            "total_questions": 4,
            "shuffle_enabled": False,
            "exam_file_path": "geo.json",
        },
        "session_info": {
            "completion_date": f"2025-03-0{day}T10:00:00.000000",
            "time_taken": "00:01:40",
            "time_taken_seconds": 100,
        },
        "performance": {
            "score": score,
            "total_answered": 4,
            "accuracy_percentage": 25.0 * score,
            "completion_percentage": 100.0,
            "incorrect_count": 4 - score,
        },
        "detailed_results": {"correct_answers": score, "incorrect_answers": wrong},
    }
    if learner != "eve":
        data["learner"] = learner
        data["quiz_widgets"] = {
            "format_version": 1,
            "answers": [
                {
                    "question_id": qid,
                    "question": QUESTIONS[qid][0],
                    "topic": QUESTIONS[qid][1],
                    "correct": bool(mark),
                    "your_answer": QUESTIONS[qid][2] if mark else WRONG[(learner, qid)],
                    "seconds": SECONDS[learner],
                }
                for qid, mark in zip(QUESTIONS, marks, strict=True)
            ],
        }
    return data


def write_class(root: Path) -> Path:
    for learner in MATRIX:
        if learner == "eve":
            folder = root / "eve" / "results"
            name = "quiz_results_20250301_100000_000000.json"
        else:
            folder = root / learner
            name = f"quiz_results_20250301_100000_000000-{learner[:2]}0001.json"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(results(learner), indent=2), encoding="utf-8")
    return root

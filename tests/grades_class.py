"""A small class for the gradebook, item statistics and regrade tests: 7 learners x 4 one-answer
questions (options alpha, beta, gamma, delta), first attempts checkable by hand.

    learner  Q1 Q2 Q3 Q4   score      (Q1-Q3 key: alpha; Q4 key: beta)
    ann       1  1  1  0   3          Q4: ann and ben answer gamma (strong learners' lure)
    ben       1  1  1  0   3
    cat       1  1  0  0   2
    dan       1  0  1  0   2
    eve       0  1  0  1   2
    fay       0  0  0  1   1
    gus       0  0  0  0   0          gus tries again on day 5 and gets all four right

A wrong answer is gamma, except gus's Q4, alpha. Nobody picks delta.
"""

from __future__ import annotations

from typing import Any

EXAM = "Greek letters"
OPTIONS = ["alpha", "beta", "gamma", "delta"]
KEY = {1: "alpha", 2: "alpha", 3: "alpha", 4: "beta"}
MATRIX = {
    "ann": [1, 1, 1, 0],
    "ben": [1, 1, 1, 0],
    "cat": [1, 1, 0, 0],
    "dan": [1, 0, 1, 0],
    "eve": [0, 1, 0, 1],
    "fay": [0, 0, 0, 1],
    "gus": [0, 0, 0, 0],
}
LEARNERS = list(MATRIX)


def exam_dict(key: dict[int, str] | None = None, drop: tuple[int, ...] = ()) -> dict[str, Any]:
    key = key or KEY
    return {
        "title": EXAM,
        "questions": [
            {
                "id": qid,
                "type": "singleChoice",
                "question": f"Question {qid}: pick one",
                "options": list(OPTIONS),
                "answer": "ABCD"[OPTIONS.index(key[qid])],
            }
            for qid in KEY
            if qid not in drop
        ],
    }


def results(learner: str, marks: list[int] | None = None, *, day: int = 1) -> dict[str, Any]:
    marks = marks if marks is not None else MATRIX[learner]
    index = LEARNERS.index(learner)
    answers = []
    for qid, mark in zip(KEY, marks, strict=True):
        wrong = "alpha" if (learner, qid) == ("gus", 4) else "gamma"
        answers.append(
            {
                "question_id": qid,
                "question": f"Question {qid}: pick one",
                "correct": bool(mark),
                "your_answer": KEY[qid] if mark else wrong,
            }
        )
    score = sum(marks)
    return {
        "learner": learner,
        "exam_info": {"title": EXAM, "total_questions": 4},
        # Distinct times in learner order: the report sorts attempts by date.
        "session_info": {"completion_date": f"2025-03-0{day}T10:{index:02d}:00"},
        "performance": {"score": score, "total_answered": 4},
        "detailed_results": {
            "incorrect_answers": [
                {"question_id": a["question_id"], "your_answer": a["your_answer"]}
                for a in answers
                if not a["correct"]
            ]
        },
        "quiz_widgets": {"answers": answers},
    }


def class_results() -> list[dict[str, Any]]:
    return [results(name) for name in LEARNERS] + [results("gus", [1, 1, 1, 1], day=5)]

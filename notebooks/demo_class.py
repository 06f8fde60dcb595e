"""A made-up class for instructor-report.ipynb: 20 learners' results files in a temporary folder.

Real results come from quizzes made with ``QuizWidget(exam, collect_to=...)``; this module writes the same
files without anyone taking a quiz, so the report notebook runs anywhere. It uses quiz_widgets' internals
(the quiz state and the results writer) to make files exactly as a finished quiz writes them; the notebook
itself shows only the public API. tests/test_report_notebook.py checks the notebook's figures against these
files by hand.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from quiz_widgets import load_exam
from quiz_widgets.quiz.results import build_results
from quiz_widgets.quiz.state import Clock, QuizState
from quiz_widgets.store.atomic import atomic_write_json
from quiz_widgets.teaching.records import answer_entries

QUESTIONS = [  # id, text, topic, options (the first one is right), the chance a learner gets it right
    (1, "Which service stores objects?", "storage", ["Amazon S3", "Amazon EC2", "AWS Lambda"], 0.9),
    (2, "Which storage class suits archives?", "storage", ["S3 Glacier", "S3 Standard", "EBS"], 0.5),
    (3, "What runs code without servers?", "compute", ["AWS Lambda", "Amazon EC2", "Amazon VPC"], 0.8),
    (4, "What resizes a fleet of servers?", "compute", ["Auto Scaling", "CloudFront", "Route 53"], 0.6),
    (5, "Who patches the EC2 host?", "security", ["AWS", "The customer", "Both"], 0.35),
    (6, "What grants least privilege?", "security", ["IAM policies", "The root user", "A VPC"], 0.7),
]
TITLE = "Cloud basics check"


def make_class(learners: int = 20, seed: int = 7) -> Path:
    """Write the results of `learners` learners (the first five try twice) to a new temporary folder, one
    folder per learner as collect_to does, and return it. A fixed seed: the same numbers on every run."""
    exam = load_exam(
        {
            "title": TITLE,
            "questions": [
                {"id": i, "question": q, "topic": t, "options": o, "answer": "A"}
                for i, q, t, o, _ in QUESTIONS
            ],
        }
    )
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="class-"))
    written = 0
    for n in range(1, learners + 1):
        learner = f"learner{n:02d}"
        (folder / learner).mkdir()
        skill = rng.uniform(-0.25, 0.25)
        for attempt in range(2 if n <= 5 else 1):
            day = f"2025-03-{1 + attempt:02d}"
            state = QuizState(exam, session_date=f"{day}T09:{n:02d}:00")
            state.learner = learner
            seconds = []
            for _qid, _text, _topic, _options, chance in QUESTIONS:
                right = rng.random() < chance + skill + 0.1 * attempt
                state.answer(0 if right else rng.choice([1, 2]))
                seconds.append(rng.randint(10, 90))
            state.clock = Clock(float(sum(seconds)))
            results = build_results(state, completion_date=f"{day}T10:{n:02d}:00")
            results["quiz_widgets"]["answers"] = answer_entries(state, seconds)
            name = f"quiz_results_202503{1 + attempt:02d}_10{n:02d}00_000000-{n:02d}{attempt}.json"
            atomic_write_json(folder / learner / name, results)
            written += 1
    print(f"{written} attempts by {learners} learners written")
    return folder

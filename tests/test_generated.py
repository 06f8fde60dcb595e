"""Generated questions (issue 20.5) in one process: a callable taking a random.Random beside question dicts,
a variant per learner and attempt, kept in the session and results, resumed without calling the generator,
a clear ExamError for a bad generator, no code from files, the key kept until submit, the class report."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from widget_utils import recording_comms  # noqa: F401

from quiz_widgets import QuizWidget
from quiz_widgets.errors import ExamError
from quiz_widgets.exam import load_exam
from quiz_widgets.exam.export import exam_gift, exam_yaml
from quiz_widgets.exam.generated import attempt_seed, variant_rng, vary
from quiz_widgets.exam.inline import exam_from_questions
from quiz_widgets.kernel.controller import VIEW_TRAITS
from quiz_widgets.quiz.codec import EXTENSION_KEY, from_session, to_session
from quiz_widgets.teaching.item_stats import item_rows
from quiz_widgets.teaching.records import parse_attempt
from quiz_widgets.teaching.regrade import regrade_attempts
from quiz_widgets.teaching.report import ClassReport


def ohms_law(rng: random.Random) -> dict[str, Any]:
    volts, ohms = rng.randint(5, 24), rng.choice([100, 220, 470])
    return {
        "question": f"A {volts} V source drives a {ohms} Ω resistor. The current, in mA?",
        "type": "numeric",
        "answer": round(1000 * volts / ohms, 3),
        "tolerance": 0.5,
    }


STATIC = {"id": "cap", "question": "Capital of France?", "type": "text", "answer": "Paris"}
CALLS: list[int] = []


def counted(rng: random.Random) -> dict[str, Any]:
    CALLS.append(1)
    return ohms_law(rng)


def quiz(tmp_path: Path, questions: list | None = None, **kwargs: Any) -> QuizWidget:
    kwargs.setdefault("learner", "ada")
    kwargs.setdefault("attempt", "new")
    return QuizWidget.from_questions(
        questions or [ohms_law, STATIC], title="Circuits", base_dir=tmp_path, autosave_interval=0, **kwargs
    )


def key_of(q: QuizWidget, qid: object = 1) -> float:
    return q.state.exam.by_id(qid).answer  # type: ignore[union-attr, return-value]


def session(q: QuizWidget) -> dict[str, Any]:
    return json.loads(Path(q.session_path).read_text("utf-8"))


# ---------------------------------------------------------------------------------------- the exam
def test_a_generator_sits_beside_question_dicts_with_its_position_as_id() -> None:
    exam = exam_from_questions([ohms_law, STATIC], title="Circuits")
    assert [q.id for q in exam] == [1, "cap"] and exam.questions[0].kind == "numeric"
    assert "resistor" in exam.questions[0].text
    variant = vary(exam, 7)
    assert variant.questions[0].text == ohms_law(variant_rng(7, 1))["question"]
    assert variant.fingerprint == exam.fingerprint and variant.questions[1] == exam.questions[1]


def test_a_generator_naming_its_id_keeps_it_in_every_variant() -> None:
    def named(rng: random.Random) -> dict[str, Any]:
        return {"id": "ohm", **ohms_law(rng)}

    exam = load_exam({"title": "Circuits", "questions": [STATIC, named]})  # an Exam built from Python
    assert [q.id for q in exam] == ["cap", "ohm"]
    texts = {vary(exam, seed).questions[1].text for seed in range(20)}
    assert len(texts) > 5  # variants differ, under one id
    assert {vary(exam, seed).questions[1].id for seed in range(5)} == {"ohm"}


def test_two_uses_of_one_generator_ask_different_variants() -> None:
    variant = vary(exam_from_questions([ohms_law, ohms_law]), 3)
    assert variant.questions[0].text != variant.questions[1].text


@pytest.mark.parametrize(
    ("generator", "said"),
    [
        (lambda rng: 1 / 0, "question 2: generator '<lambda>' raised ZeroDivisionError: division by zero"),
        (
            lambda rng: "What is 2 + 2?",
            "question 2: generator '<lambda>' returned 'What is 2 + 2?', expected",
        ),
        (lambda rng: {"question": "x", "type": "numeric", "answer": "five"}, "expected a finite number"),
        (lambda rng: {"question": "x", "type": "numeric", "answer": {1, 2}}, "cannot be saved as JSON"),
    ],
)
def test_a_bad_generator_is_an_exam_error_naming_it_and_its_position(generator: Any, said: str) -> None:
    with pytest.raises(ExamError) as caught:
        exam_from_questions([STATIC, generator], title="Circuits")
    assert said in str(caught.value) and "'<lambda>'" in str(caught.value)
    assert "question 2" in str(caught.value)


def test_a_bad_generator_opens_no_quiz_and_writes_nothing(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    def broken(rng: random.Random) -> dict[str, Any]:
        raise KeyError("volts")

    with pytest.raises(ExamError, match=r"question 1: generator 'broken' raised KeyError"):
        quiz(tmp_path, [broken, STATIC])
    assert recording_comms == []  # checked before any comm opened
    assert not list(tmp_path.rglob("*.json"))


def test_a_variant_with_another_id_than_the_probes_is_refused() -> None:
    def drifting(rng: random.Random) -> dict[str, Any]:
        return {"id": f"q{rng.randint(1, 10**9)}", **ohms_law(rng)}

    exam = exam_from_questions([drifting])
    with pytest.raises(ExamError, match="keeps one id in every variant"):
        vary(exam, 99)


def test_the_fingerprint_is_the_same_in_another_process() -> None:
    """Generator identity is its position, id and name, never the function object's address."""
    code = (
        "import random\n"
        "def ohms_law(rng):\n"
        "    v = rng.randint(5, 24)\n"
        "    return {'question': f'{v} V?', 'type': 'numeric', 'answer': v}\n"
        "from quiz_widgets.exam.inline import exam_from_questions\n"
        "e = exam_from_questions([ohms_law, {'question': 'q', 'type': 'numeric', 'answer': 1}], title='C')\n"
        "from quiz_widgets.exam.generated import vary\n"
        "print(e.fingerprint, vary(e, 12345).questions[0].text)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1] and len(runs[0].split()[0]) == 64


def test_the_attempt_seed_is_made_of_learner_exam_and_attempt() -> None:
    seeds = {attempt_seed(learner, "f" * 64, n) for learner in ("ada", "bob") for n in (1, 2)}
    assert len(seeds) == 4 and attempt_seed("ada", "f" * 64, 1) == attempt_seed("ada", "f" * 64, 1)


# ------------------------------------------------------------------------------------- files carry no code
def test_code_in_an_exam_file_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    code = f"lambda rng: open({str(marker)!r}, 'w')"
    yaml_file = tmp_path / "exam.yaml"
    yaml_file.write_text(
        "title: T\nquestions:\n"
        f"  - {json.dumps(code)}\n"
        f"  - {{question: Q, type: numeric, answer: 1, generator: {json.dumps(code)}}}\n",
        "utf-8",
    )
    json_file = tmp_path / "exam.json"
    json_file.write_text(
        json.dumps({"title": "T", "questions": [{"question": "Q", "type": "numeric", "answer": 1}, code]}),
        "utf-8",
    )
    for path in (yaml_file, json_file):
        with pytest.raises(ExamError, match=r"question \d: found .lambda rng"):
            load_exam(path)
    with pytest.raises(ExamError, match=r"found .lambda rng"):
        exam_from_questions(f"- {json.dumps(code)}\n")  # %%quiz's YAML text
    with pytest.raises(ExamError, match=r"found .lambda rng"):
        exam_from_questions([code])  # a string in a Python list is text, not a generator
    yaml_file.write_text(
        f"title: T\nquestions:\n  - {{question: Q, type: numeric, answer: 1, generator: {json.dumps(code)}}}\n",
        "utf-8",
    )
    exam = load_exam(yaml_file)
    assert exam.generators == {} and not marker.exists()


# ---------------------------------------------------------------------------------- learners and attempts
def test_each_learner_and_attempt_gets_its_own_variant(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    ada = quiz(tmp_path / "a", learner="ada")
    bob = quiz(tmp_path / "b", learner="bob")
    ada_again = quiz(tmp_path / "c", learner="ada")
    assert ada.question["text"] == ada_again.question["text"]  # attempt 1 of ada in any folder
    texts = {quiz(tmp_path / f"l{i}", learner=f"learner{i}").question["text"] for i in range(12)}
    assert len(texts) > 4 and bob.question["id"] == ada.question["id"] == 1
    seen = [ada.question["text"]]
    ada.answer(key_of(ada))
    for _ in range(4):  # every new attempt asks a new variant (its number is in the seed)
        ada.start_new_attempt()
        seen.append(ada.question["text"])
        ada.answer(key_of(ada))
    assert len(set(seen)) >= 4
    numbers = [
        json.loads(p.read_text("utf-8"))[EXTENSION_KEY]["variant_seed"]
        for p in sorted((tmp_path / "a").rglob("session_*.json"))
    ]
    assert len(set(numbers)) == 5


def test_seed_fixes_the_variant_for_everyone(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    texts = {quiz(tmp_path / name, learner=name, seed=5).question["text"] for name in ("ada", "bob", "cy")}
    assert texts == {ohms_law(variant_rng(5, 1))["question"]}


def test_the_variant_is_kept_and_resumed_without_calling_the_generator(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    q = quiz(tmp_path, [counted, STATIC])
    text, key = q.question["text"], key_of(q)
    assert q.answer(key + 100) is False
    saved = session(q)[EXTENSION_KEY]
    assert saved["variants"]["1"]["question"] == text and saved["variants"]["1"]["answer"] == key
    CALLS.clear()
    again = quiz(tmp_path, [counted, STATIC], attempt="continue")  # the cell run again
    assert again.session_path == q.session_path and CALLS == [1]  # the probe only: no new variant
    again.goto(1)
    assert again.question["text"] == text and key_of(again) == key
    assert again.state.answers[0]["answer"] == key + 100
    state = from_session(session(q), again.state.exam)
    assert state.exam.questions[0].text == text


def test_a_tampered_variant_in_a_session_is_refused(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    q = quiz(tmp_path)
    q.answer(1.0)
    data = session(q)
    data[EXTENSION_KEY]["variants"]["1"]["answer"] = "not a number"
    with pytest.raises(ValueError, match=r"variants.*question 1: generator 'ohms_law'.*finite number"):
        from_session(data, load_exam(q.state.exam))


def test_results_keep_the_variant_and_the_report_groups_variants(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    results = []
    for i in range(6):
        q = quiz(tmp_path / f"l{i}", learner=f"learner{i}")
        key = key_of(q)
        # Two learners slip by a factor of 1000 (amperes for milliamperes), one is right, the rest vary.
        given = key / 1000 if i < 3 else key if i == 3 else key + 7 * i
        q.answer(given)
        q.answer("Paris")
        q.submit()
        data = json.loads(Path(q.results_path).read_text("utf-8"))
        assert data[EXTENSION_KEY]["variants"]["1"]["question"] == q.state.exam.questions[0].text
        results.append(parse_attempt(data, f"learner{i}/r.json", folder=f"learner{i}"))
    rows = {row["question_id"]: row for row in item_rows(results)}
    assert set(rows) == {"1", "cap"} and rows["1"]["attempts"] == 6
    assert rows["1"]["facility"] == pytest.approx(1 / 6)
    assert rows["1"]["most_chosen_wrong"] == "0.001 times the key"
    report = ClassReport(results)
    questions = {row["question_id"]: row for row in report.question_rows()}
    assert questions["1"]["most_chosen_wrong"] == "0.001 times the key" and questions["1"]["attempts"] == 6
    html = report.to_html(tmp_path / "report.html", lang="de").read_text("utf-8")
    assert "das 0.001-Fache der richtigen Antwort" in html
    # A regrade keeps each variant's grade: the corrected exam holds another variant than each learner's.
    again, summary = regrade_attempts(results, exam_from_questions([ohms_law, STATIC], title="Circuits"))
    assert (
        [a.score for a in again] == [a.score for a in results] and summary.variants == 6 and summary.kept == 0
    )


def test_exam_mode_keeps_each_variant_key_until_submit(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    """Two generated exams that differ only in their keys give the page the same state until submit."""

    def right(rng: random.Random) -> dict[str, Any]:
        v = rng.randint(1, 9)
        return {"question": f"{v} times 3?", "type": "numeric", "answer": v * 3, "explanation": "Multiply."}

    def wrong(rng: random.Random) -> dict[str, Any]:
        return {**right(rng), "answer": right(random.Random(0))["answer"] + 1000}

    right.__qualname__ = wrong.__qualname__ = "times_three"  # the same exam, but for the key
    quizzes = [quiz(tmp_path / n, [g, STATIC], mode="exam", seed=3) for n, g in (("a", right), ("b", wrong))]

    def seen(q: QuizWidget) -> dict:
        return {n: getattr(q, n) for n in VIEW_TRAITS if n not in ("elapsed", "clock_running")}

    assert quizzes[0].question["text"] == quizzes[1].question["text"]
    for name, arg in [("answer", 6), ("next", None), ("answer", "Paris"), ("goto", 1), ("answer", 9)]:
        for q in quizzes:
            getattr(q, name)() if arg is None else getattr(q, name)(arg)
        assert seen(quizzes[0]) == seen(quizzes[1]), name
    for q in quizzes:
        q.submit()
    assert quizzes[0].summary != quizzes[1].summary  # the keys show once submitted


def test_a_session_round_trip_keeps_the_variant(tmp_path: Path, recording_comms) -> None:  # noqa: F811
    q = quiz(tmp_path, seed=11)
    q.answer(key_of(q))
    data = to_session(q.state)
    assert data[EXTENSION_KEY]["variant_seed"] == 11
    other = vary(exam_from_questions([ohms_law, STATIC], title="Circuits"), 12)
    state = from_session(data, other)  # whatever variant the exam object holds, the saved one wins
    assert state.exam.questions[0].text == q.state.exam.questions[0].text and state.score == 1


def test_studying_wrong_answers_asks_the_variant_answered_wrongly(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    q = quiz(tmp_path)
    text, key = q.question["text"], key_of(q)
    q.answer(key * 2)
    q.answer("Paris")
    q.finish()
    q.study_wrong_answers()
    assert q.total == 1 and q.question["text"] == text
    assert q.answer(key) is True


def test_a_generator_failing_for_a_new_attempt_leaves_the_attempt_on_screen(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    calls: list[int] = []

    def third_time_fails(rng: random.Random) -> dict[str, Any]:
        calls.append(1)
        if len(calls) == 3:  # the probe, this attempt, then the new attempt's variant
            raise ValueError("no resistor left")
        return ohms_law(rng)

    q = quiz(tmp_path, [third_time_fails, STATIC])
    q.answer(1.0)
    path, text = q.session_path, q.state.exam.questions[0].text
    with pytest.raises(
        ExamError, match="question 1: generator 'third_time_fails' raised ValueError: no resistor"
    ):
        q.start_new_attempt()
    assert q.session_path == path and not q.state.quit_by_user and not q.closed
    assert q.answer("Paris") is True and q.state.exam.questions[0].text == text
    q.start_new_attempt()  # the generator works again: a new attempt with a new variant
    assert q.total_answered == 0 and q.state.exam.questions[0].text != text


def test_exporting_a_generated_exam_says_each_generator_is_one_fixed_variant() -> None:
    exam = exam_from_questions([STATIC, ohms_law], title="Circuits")
    with pytest.warns(UserWarning, match=r"one fixed variant each .*questions 2 \(ohms_law\)"):
        text = exam_yaml(exam)
    assert (
        load_exam({"title": "Circuits", **yaml.safe_load(text)}).questions[1].text == exam.questions[1].text
    )
    gift, problems = exam_gift(exam)
    assert "resistor" in gift and "questions 2 (ohms_law)" in problems[0]
    assert exam_gift(exam_from_questions([STATIC]))[1] == []


def test_a_generated_choice_question_resumes_with_its_shuffled_options(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    def bigger(rng: random.Random) -> dict[str, Any]:
        a, b, c = rng.sample(range(10, 99), 3)
        return {
            "question": "Which is the largest?",
            "options": [str(a), str(b), str(c)],
            "answer": "ABC"[[a, b, c].index(max(a, b, c))],
        }

    q = quiz(tmp_path, [bigger, STATIC], shuffle_options=True)
    shown = [o["text"] for o in q.question["options"]]
    q.next()
    q.answer("Paris")
    again = quiz(tmp_path, [bigger, STATIC], shuffle_options=True, attempt="continue")
    assert again.session_path == q.session_path
    again.goto(1)
    assert [o["text"] for o in again.question["options"]] == shown
    question = again.state.exam.questions[0]
    right = next(o.text for o in question.options if o.key in question.answer)
    shown_key = next(
        o["key"] for o in again.question["options"] if o["text"] == right
    )  # as the learner sees it
    assert again.answer(shown_key) is True


def test_a_generator_may_return_any_kind_a_matching_question_resumes(
    tmp_path: Path,
    recording_comms,  # noqa: F811
) -> None:
    def squares(rng: random.Random) -> dict[str, Any]:
        numbers = rng.sample(range(2, 30), 3)
        return {
            "type": "matching",
            "question": "Match each number to its square.",
            "pairs": {str(n): str(n * n) for n in numbers},
            "distractors": [str(rng.randint(900, 999))],
        }

    q = quiz(tmp_path, [squares, STATIC])
    pairs = q.state.exam.questions[0].raw["pairs"]
    assert q.question["kind"] == "matching"
    assert q.answer(dict(pairs)) is True
    again = quiz(tmp_path, [squares, STATIC], attempt="continue")
    assert again.session_path == q.session_path
    assert again.state.exam.questions[0].raw["pairs"] == pairs and again.state.answers[0]["correct"] is True

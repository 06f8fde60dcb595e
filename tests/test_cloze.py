"""The cloze kind (issue 20.4): Moodle's embedded answers graded as Moodle's multianswer, its checks naming the
question and the blank, what the page gets (never the key), the feedback per blank, study, review, exam mode,
shuffled choices, files and the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from quiz_widgets import QuizWidget, load_exam
from quiz_widgets.cli import main
from quiz_widgets.errors import AnswerError, ExamError
from quiz_widgets.exam.inline import exam_from_questions

CAPITAL = "The capital of France is {1:SHORTANSWER:=Paris} and 2 + 2 = {1:NUMERICAL:=4:0}."
MIXED = (
    "<p>{2:SHORTANSWER_C:=Rome#Yes~%50%rome#Mind the capital~*#No}, {1:NUMERICAL:=3.14:0.01~%50%3:0.2}, "
    "{1:MULTICHOICE:=red#warm~blue~green}, {2:MULTIRESPONSE:=2~=4~5}</p>"
)


def question(text: str, **extra):  # type: ignore[no-untyped-def]
    return exam_from_questions([{"id": "c", "type": "cloze", "question": text, **extra}]).questions[0]


def quiz(tmp_path: Path, text: str = CAPITAL, **kwargs) -> QuizWidget:  # type: ignore[no-untyped-def]
    return QuizWidget.from_questions(
        [{"id": "c", "type": "cloze", "question": text, "format": "html"}],
        title="Cloze",
        base_dir=str(tmp_path),
        autosave_interval=0,
        **kwargs,
    )


def test_the_product_example_answers_with_one_value_per_blank(tmp_path: Path):
    q = quiz(tmp_path)
    assert q.answer(["Paris", 4]) is True
    assert q.points == 1
    other = quiz(tmp_path / "2")
    assert other.answer(["Lyon", "4"]) is False
    assert other.points == 0.5  # each blank one mark


def test_credit_is_each_blanks_fraction_weighted_by_its_mark_as_moodle():
    q = question(MIXED)
    right = q.normalize(["Rome", 3.14, "red", ["2", "4"]])
    assert q.credit(right) == 1 and q.is_correct(right)
    # Blank 1 (2 marks) at 50%: case matters in SHORTANSWER_C; blank 2 (1 mark) right within 0.01.
    half = q.normalize(["rome", "3.141", "red", ["2", "4"]])
    assert q.credit(half) == pytest.approx((2 * 0.5 + 1 + 1 + 2) / 6)
    # '*' catches any other text at 0; a number within the second tolerance gets 50%; a wrong choice 0;
    # multiresponse: 2 right, 5 wrong takes one right share back (Moodle's -1/total without %N%).
    low = q.normalize(["Paris", "3.1", "blue", ["2", "5"]])
    assert q.credit(low) == pytest.approx((0 + 0.5 + 0 + 2 * 0) / 6)
    assert q.feedback_for(low) == "1. No"
    assert q.feedback_for(right) == "1. Yes\n\n3. warm"
    assert q.describe(half) == '⟦1⟧ rome ⟦2⟧ 3.141 ⟦3⟧ red ⟦4⟧ ["2", "4"]'
    assert q.correct_text() == '⟦1⟧ Rome ⟦2⟧ 3.14 ⟦3⟧ red ⟦4⟧ ["2", "4"]'


def test_a_results_files_answer_text_reads_back_to_the_same_answer():
    from quiz_widgets.exam import kinds

    q = question(MIXED)
    for value in (["Rome", 3.14, "red", ["2", "4"]], ["x ⟦2⟧ y", None, "blue", None]):
        normalized = q.normalize(value)
        text = q.describe(normalized)
        assert q.normalize(kinds.get("cloze").read_described(q, text)) == normalized


def test_a_blank_may_be_left_empty_but_not_every_blank():
    q = question(CAPITAL)
    assert q.credit(q.normalize(["Paris", None])) == 0.5
    assert q.credit(q.normalize(["Paris", ""])) == 0.5
    with pytest.raises(
        AnswerError, match=r"question 1 \(id c\): answer: .* expected at least one blank filled in"
    ):
        q.normalize([None, " "])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Paris", "a list of 2 values, one per blank in order"),
        (["Paris"], "a list of 2 values, one per blank in order"),
        (["Paris", "four"], "a number in blank 2 of 2"),
        (["Paris", True], "a number in blank 2 of 2"),
        (["x" * 1001, 4], "a text of at most 1000 characters in blank 1 of 2"),
    ],
)
def test_a_bad_answer_is_an_answer_error_naming_the_blank(value, expected):
    with pytest.raises(AnswerError) as err:
        question(CAPITAL).normalize(value)
    assert str(err.value).startswith("question 1 (id c): answer: found ") and expected in str(err.value)


def test_choices_are_named_by_their_text():
    q = question("{1:MULTICHOICE:=cat~dog} {1:MULTIRESPONSE:=a b~=c~d}")
    assert q.normalize(["CAT", ["c", "a b"]]) == ["cat", ["a b", "c"]]
    with pytest.raises(AnswerError, match=r"one of 'cat', 'dog' in blank 1 of 2"):
        q.normalize(["cow", None])
    with pytest.raises(AnswerError, match=r"a list of choices from 'a b', 'c', 'd' in blank 2 of 2"):
        q.normalize([None, ["e"]])


def test_a_malformed_blank_is_an_exam_error_naming_the_question_and_the_blank(tmp_path: Path):
    with pytest.raises(ExamError) as err:
        exam_from_questions([{"question": "ok?", "type": "text", "answer": "ok"},
                             {"id": "geo", "type": "cloze", "question": "Paris is in {1:SA:%50%France}."}])  # fmt: skip
    assert str(err.value) == (
        "<questions>: question 2 (id geo): blank 1 '{1:SA:%50%France}': no answer is fully right "
        "(mark one with = or %100%)"
    )
    with pytest.raises(ExamError, match=r"field 'answer': found 'x', expected no 'answer'"):
        exam_from_questions([{"type": "cloze", "question": CAPITAL, "answer": "x"}])
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"title": "t", "questions": [{"type": "cloze", "question": "{1:NM:=x}"}]}))
    assert main(["validate", str(bad)]) == 1


def test_the_page_gets_controls_and_never_the_key(tmp_path: Path):
    q = quiz(tmp_path, MIXED.replace("{1:MULTICHOICE:", "{1:MULTICHOICE_S:"))
    payload = q.question
    assert payload["text"] == "<p>⟦1⟧, ⟦2⟧, ⟦3⟧, ⟦4⟧</p>"
    assert payload["cloze_html"] == (
        '<p><span class="qw-blank-slot" data-blank="1"></span>, <span class="qw-blank-slot" data-blank="2"></span>, '
        '<span class="qw-blank-slot" data-blank="3"></span>, <span class="qw-blank-slot" data-blank="4"></span></p>'
    )
    rows = payload["blanks"]
    assert [(r["number"], r["of"], r["kind"]) for r in rows] == [
        (1, 4, "shortanswer"),
        (2, 4, "numerical"),
        (3, 4, "multichoice"),
        (4, 4, "multiresponse"),
    ]
    assert sorted(c["text"] for c in rows[2]["choices"]) == ["blue", "green", "red"]
    text = json.dumps(payload)
    for secret in ("Rome", "rome", "3.14", "warm", "Mind the capital", "SHORTANSWER", "=red"):
        assert secret not in text, secret


def test_the_page_state_is_the_same_for_two_keys_until_the_answer(tmp_path: Path):
    one = quiz(tmp_path / "a", "Capital: {1:SA:=Paris}, {1:MC:=red~blue}, {1:NM:=4:0}", mode="exam")
    two = quiz(tmp_path / "b", "Capital: {1:SA:=Washington D.C.}, {1:MC:red~=blue}, {1:NM:=5:1}", mode="exam")
    skip = {"elapsed", "clock_running", "time_left", "layout"}

    def state(q: QuizWidget) -> dict:
        return {k: v for k, v in q.get_state().items() if k not in skip}

    assert state(one) == state(two)
    for q in (one, two):
        assert q.answer(["Paris", "red", 4]) is None  # exam mode: nothing said before submit
    assert state(one) == state(two)
    assert one.question["given"] == {"value": ["Paris", 0, 4.0]}


def test_the_page_answers_with_choice_indexes_and_gets_each_blanks_result(tmp_path: Path):
    from quiz_widgets.exam import kinds

    q = quiz(tmp_path, MIXED)
    exam_q = q.state.exam.questions[0]
    value = kinds.get("cloze").from_page(exam_q, ["Rome", "3", 2, [0, 1]])
    assert value == ["Rome", "3", "green", ["2", "4"]]
    assert q.answer(value) is False
    blanks = q.feedback["blanks"]
    assert [(b["given"], b["correct"], b["right_answer"], b["feedback"]) for b in blanks] == [
        ("Rome", True, "Rome", "Yes"),
        ("3", False, "3.14 ± 0.01", ""),  # a numerical blank with its tolerance, as Moodle shows it
        ("green", False, "red", ""),
        ("2, 4", True, "2, 4", ""),
    ]
    assert blanks[1]["fraction"] == 0.5
    from quiz_widgets.exam.kinds.base import PageValueError

    for bad in (["Rome"], ["Rome", "3", 7, [0]], ["Rome", "3", "red", [0]], ["Rome", {}, 0, [0]]):
        with pytest.raises(PageValueError, match=r"question 1 \(id c\)"):
            kinds.get("cloze").from_page(exam_q, bad)


def test_shuffled_choices_are_shuffled_per_attempt_and_kept_in_the_session(tmp_path: Path):
    """_S blanks are shuffled by the attempt's seed (not the question id: every learner and attempt saw the same
    order), kept in the session's option_orders, so a resume shows the same order."""
    text = "{1:MULTICHOICE_S:=a~b~c~d~e~f~g} {1:MULTICHOICE:=a~b~c~d~e~f~g} {1:MRS:=a~=b~c~d~e~f~g}"

    def orders(q: QuizWidget) -> list[list[str]]:
        return [[c["text"] for c in row["choices"]] for row in q.question["blanks"]]

    first = quiz(tmp_path / "1", text, seed=1)
    shown = orders(first)
    assert sorted(shown[0]) == list("abcdefg") and sorted(shown[2]) == list("abcdefg")
    assert shown[1] == list("abcdefg")  # MULTICHOICE without _S keeps the author's order
    assert orders(quiz(tmp_path / "1b", text, seed=1)) == shown  # the seed decides
    seen = {json.dumps(orders(quiz(tmp_path / str(seed), text, seed=seed))) for seed in range(2, 8)}
    assert len(seen | {json.dumps(shown)}) > 3  # other attempts, other orders
    # The page's choice indexes still name the author's alternatives, whatever the order shown.
    picked = next(c["index"] for c in first.question["blanks"][0]["choices"] if c["text"] == "a")
    assert first.state.answer_of("c") is None
    first.answer(["a", None, None])
    assert first.state.answer_of("c")["answer"][0] == "a" and picked == 0
    # A resume shows the order of the attempt, read from the session (not drawn again).
    exam_file = tmp_path / "r" / "exams" / "cloze.json"
    exam_file.parent.mkdir(parents=True)
    exam_file.write_text(
        json.dumps({"title": "Cloze", "questions": [{"id": "c", "type": "cloze", "question": text}]})
    )
    second = QuizWidget(str(exam_file), base_dir=str(tmp_path / "r"), seed=5, autosave_interval=0)
    kept = orders(second)
    second.save()
    saved = json.loads(Path(second.session_path).read_text("utf-8"))
    (kept_keys,) = saved["quiz_widgets"]["option_orders"].values()
    assert [key for key in kept_keys if key.startswith("1.")] == [f"1.{'abcdefg'.index(c)}" for c in kept[0]]
    again = QuizWidget.resume(str(second.session_path), autosave_interval=0)
    assert orders(again) == kept


def test_study_shows_the_answer_and_review_lists_it(tmp_path: Path):
    q = quiz(tmp_path, mode="study")
    q.show_answer()
    assert q.feedback["revealed"] is True and q.feedback["correct_answer"] == "⟦1⟧ Paris ⟦2⟧ 4"
    # The page draws the shown answer per blank (each empty, beside its right answer), not with markers.
    assert [(b["given"], b["right_answer"]) for b in q.feedback["blanks"]] == [("—", "Paris"), ("—", "4")]
    p = quiz(tmp_path / "p")
    p.answer(["Lyon", 4])
    p.finish()
    rows = p.review()
    assert "⟦1⟧ Lyon ⟦2⟧ 4" in str(rows)


def test_review_and_finish_screens_fill_the_blanks_with_the_answer_given(tmp_path: Path):
    """The page's review rows and the finish screen's wrong answers carry the text with a slot per blank (never
    the raw markers as HTML) and each blank's result, as the feedback after answering."""
    q = QuizWidget.from_questions(
        [
            {"id": "c", "type": "cloze", "question": CAPITAL},
            {"id": "d", "type": "cloze", "question": "Blue is {1:MC:=blue~red}."},
        ],
        title="Cloze",
        base_dir=str(tmp_path),
        autosave_interval=0,
    )
    q.answer(["Lyon", 4])
    q.finish()
    wrong = q.summary["wrong"] + q.summary["partial"]
    (listed,) = [row for row in wrong if "Lyon" in json.dumps(row)]
    q.review()
    row = next(r for r in q.review_rows if r["question_id"] == "c")
    skipped = next(r for r in q.review_rows if r["question_id"] == "d")
    for shown in (row, listed):
        assert "⟦" not in shown["question_html"]
        assert shown["question_html"].count('class="qw-blank-slot"') == 2
        assert [(b["given"], b["correct"], b["right_answer"]) for b in shown["blanks"]] == [
            ("Lyon", False, "Paris"),
            ("4", True, "4"),
        ]
    assert "⟦" not in skipped["question_html"] and 'data-blank="1"' in skipped["question_html"]
    # Not answered: each blank empty ("—"), beside its right answer.
    assert [(b["given"], b["correct"], b["right_answer"]) for b in skipped["blanks"]] == [
        ("—", False, "blue")
    ]


def test_results_files_keep_the_answer_per_blank(tmp_path: Path):
    q = quiz(tmp_path)
    q.answer(["Lyon", 4])
    q.finish()
    (path,) = sorted((tmp_path / "results").glob("*.json"))
    results = json.loads(path.read_text("utf-8"))
    (answer,) = results["quiz_widgets"]["answers"]
    assert (answer["your_answer"], answer["credit"]) == ("⟦1⟧ Lyon ⟦2⟧ 4", 0.5)
    assert answer["question"] == "The capital of France is ⟦1⟧ and 2 + 2 = ⟦2⟧."


def test_the_schema_knows_cloze_and_validate_reads_it(tmp_path: Path):
    from quiz_widgets.exam.loading import exam_schema

    schema = exam_schema()
    assert "cloze" in schema["$defs"]["question"]["properties"]["type"]["enum"]
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump({"title": "t", "questions": [{"type": "cloze", "question": CAPITAL}]}))
    assert main(["validate", str(good)]) == 0
    assert len(load_exam(good)) == 1
    import jsonschema

    jsonschema.validate({"title": "t", "questions": [{"type": "cloze", "question": CAPITAL}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "t", "questions": [{"type": "cloze", "question": "no blanks"}]}, schema)


def test_a_moodle_bank_with_cloze_loads_and_grades_as_moodle(tmp_path: Path):
    bank = Path(__file__).resolve().parent / "fixtures" / "moodle" / "bank.xml"
    with pytest.warns(UserWarning):
        exam = load_exam(bank)
    drag = next(q for q in exam.questions if q.title == "Drag words")
    assert drag.credit(drag.normalize(["nucleus", "ribosomes"])) == 1
    assert drag.credit(drag.normalize(["vacuole", "ribosomes"])) == 0.5


def test_results_regrade_and_the_class_report_name_the_wrong_blank(tmp_path: Path):
    from quiz_widgets.teaching.item_stats import item_rows
    from quiz_widgets.teaching.records import parse_attempt

    results = []
    for n, value in enumerate([["Paris", 5], ["Paris", "5"], ["Lyon", 4], ["Paris", 4]]):
        q = quiz(tmp_path / str(n), learner=f"l{n}")
        q.answer(value)
        q.finish()
        path = Path(q.results_path)
        results.append(parse_attempt(json.loads(path.read_text("utf-8")), str(path), folder=f"l{n}"))
    exam = q.state.exam
    rows = {r["question_id"]: r for r in item_rows(results, exams={exam.title: exam})}
    assert rows["c"]["most_chosen_wrong"] == "⟦2⟧ 5"  # only the wrong blank, named by its number
    bare = {r["question_id"]: r for r in item_rows(results)}
    assert bare["c"]["most_chosen_wrong"] == "⟦1⟧ Paris ⟦2⟧ 5"  # without the exam: the answer as given
    from quiz_widgets.teaching.regrade import regrade_attempts

    fixed = exam_from_questions(
        [{"id": "c", "type": "cloze", "format": "html", "question": CAPITAL.replace("=4:0", "=5:0")}],
        title="Cloze",
    )
    again, _ = regrade_attempts(results, fixed)
    assert [a.score for a in again] == [1, 1, 0, 0]  # each kept answer graded again, blank by blank


def test_a_blank_inside_an_attribute_never_opens_markup_there(tmp_path: Path):
    q = quiz(tmp_path, '<p title="{1:SA:=x}">Fill {1:SA:=y}</p><abbr title="{1:SA:=z}">z</abbr>')
    html = q.question["cloze_html"]
    assert html.count("qw-blank-slot") == 1 and 'data-blank="2"' in html
    assert 'title="⟦1⟧"' in html


RADIOS = (
    "Pick {1:MULTICHOICE_V:red~=blue} or {1:MCH:=yes~no}, then {1:MULTICHOICE_VS:=a~b~c} and {1:MCHS:x~=y}."
)


def _layouts(q: QuizWidget) -> list[str]:
    return [row["layout"] for row in q.question["blanks"]]


def test_radio_blanks_carry_their_layout_through_files_and_a_resume(tmp_path: Path):
    """Moodle's MULTICHOICE_V / _H (and _S forms) are radio buttons on the page: the payload says which layout,
    and every way the question travels (YAML, Moodle XML, a session resumed) keeps it."""
    from quiz_widgets.exam.export import exam_moodle_xml, exam_yaml

    first = quiz(tmp_path / "a", RADIOS, seed=3)
    assert _layouts(first) == ["vertical", "horizontal", "vertical", "horizontal"]
    assert "blue" not in json.dumps([row.get("index") for row in first.question["blanks"]])
    exam = first.state.exam
    (tmp_path / "x.yaml").write_text(exam_yaml(exam), "utf-8")
    xml, problems = exam_moodle_xml(exam)
    assert problems == []
    (tmp_path / "x.xml").write_text(xml, "utf-8")
    for path in ("x.yaml", "x.xml"):
        again = QuizWidget(str(tmp_path / path), base_dir=str(tmp_path / path[2:]), autosave_interval=0)
        assert _layouts(again) == _layouts(first), path
    first.save()
    resumed = QuizWidget.resume(str(first.session_path), exam=exam, autosave_interval=0)
    assert resumed.question["blanks"] == first.question["blanks"]


def test_a_canvas_export_says_the_radio_blanks_become_dropdowns(tmp_path: Path):
    from quiz_widgets.exam.export import exam_qti

    exam = exam_from_questions(
        [
            {
                "id": "r",
                "type": "cloze",
                "question": "Pick {1:MULTICHOICE_V:=a~b} {1:MC:=c~d}",
                "format": "html",
            }
        ]
    )
    _, problems = exam_qti(exam)
    assert any("blank 1" in p and "radio buttons" in p and "dropdown" in p for p in problems), problems
    _, none = exam_qti(
        exam_from_questions([{"id": "d", "type": "cloze", "question": "{1:MC:=c~d}", "format": "html"}])
    )
    assert none == []

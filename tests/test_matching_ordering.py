"""matching and ordering (issue 20, items 2 and 3): checks naming the question, Moodle's partial credit,
the seeded shuffle kept in the session, what the page gets and sends, results files, the class report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quiz_widgets.errors import AnswerError, ExamError
from quiz_widgets.exam import exam_schema, load_exam, validate_exam
from quiz_widgets.kernel import protocol
from quiz_widgets.quiz import arrange
from quiz_widgets.quiz.review import review_rows
from quiz_widgets.quiz.state import QuizState

MATCHING = {
    "id": "m",
    "type": "matching",
    "question": "Match each service to its kind of storage.",
    "pairs": {"S3": "Object storage", "EBS": "Block storage", "EFS": "File storage"},
    "distractors": ["Tape storage"],
}
ORDERING = {
    "id": "o",
    "type": "ordering",
    "question": "Order the steps of a TCP handshake.",
    "items": ["SYN", "SYN-ACK", "ACK"],
}
EXAM = {"title": "Kinds", "questions": [MATCHING, ORDERING]}


def exam():
    return load_exam(EXAM)


def test_matching_credit_is_the_share_of_right_pairs_as_moodle():
    q = exam().questions[0]
    right = {"S3": "Object storage", "EBS": "Block storage", "EFS": "File storage"}
    one_wrong = {**right, "EFS": "Tape storage"}
    assert q.credit(q.normalize(right)) == 1.0 and q.is_correct(q.normalize(right))
    assert q.credit(q.normalize(one_wrong)) == pytest.approx(2 / 3)
    assert not q.is_correct(q.normalize(one_wrong))
    # Left and right texts as typed (case, spaces), or the right texts in the left items' order.
    assert q.normalize({" s3": "object STORAGE", "ebs": "Block storage", "EFS": "File storage"}) == right
    assert q.normalize(["Object storage", "Block storage", "File storage"]) == right
    assert q.correct_normalized() == right
    assert q.describe(one_wrong) == "S3 → Object storage; EBS → Block storage; EFS → Tape storage"


@pytest.mark.parametrize(
    "value",
    [
        {"S3": "Object storage"},
        {"S3": "Object storage", "EBS": "Block storage", "XYZ": "File storage"},
        {"S3": "Nope", "EBS": "Block storage", "EFS": "File storage"},
        "S3",
        ["Object storage"],
    ],
)
def test_a_matching_answer_it_cannot_read_names_the_question(value):
    q = exam().questions[0]
    with pytest.raises(AnswerError, match=r"question 1 \(id m\): answer"):
        q.normalize(value)


def test_ordering_credit_is_the_share_of_items_in_their_absolute_place():
    q = exam().questions[1]
    assert q.credit(q.normalize(["SYN", "SYN-ACK", "ACK"])) == 1.0
    assert q.credit(q.normalize(["ACK", "SYN", "SYN-ACK"])) == 0.0  # each one place off: none in place
    assert q.credit(q.normalize(["SYN", "ACK", "SYN-ACK"])) == pytest.approx(1 / 3)
    for bad in (["SYN", "SYN", "ACK"], ["SYN", "ACK"], "SYN, SYN-ACK, ACK", ["SYN", "SYN-ACK", "FIN"]):
        with pytest.raises(AnswerError, match=r"question 2 \(id o\)"):
            q.normalize(bad)


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ({"type": "matching", "question": "x", "pairs": {"a": "b"}}, "field 'pairs'.*at least 2 pairs"),
        ({"type": "matching", "question": "x", "pairs": {"a": "b", "A ": "c"}}, "left items that differ"),
        ({"type": "matching", "question": "x", "pairs": {"a": "b", "c": ""}}, r"field 'pairs.c'"),
        (
            {"type": "matching", "question": "x", "pairs": {"a": "b", "c": "d"}, "distractors": ["B"]},
            "field 'distractors'.*different from the pairs",
        ),
        (
            {"type": "matching", "question": "x", "pairs": {"a": "b", "c": "d"}, "answer": {"a": "b"}},
            "field 'answer'.*pairs are its key",
        ),
        ({"type": "matching", "question": "x"}, "field 'pairs': found nothing"),
        ({"type": "ordering", "question": "x", "items": ["one"]}, "field 'items'.*2 to 26"),
        ({"type": "ordering", "question": "x", "items": ["one", "One"]}, r"field 'items\[1\]'.*differ"),
        (
            {"type": "ordering", "question": "x", "items": ["a", "b"], "options": ["a", "b"]},
            "field 'options'",
        ),
        ({"type": "numeric", "question": "x", "answer": 1, "items": ["a", "b"]}, "only ordering questions"),
    ],
)
def test_bad_matching_and_ordering_questions_are_named(question, says):
    problems = validate_exam({"title": "T", "questions": [{"id": 9, **question}]}, "bank.json")
    assert problems and all(p.startswith("bank.json: question 1 (id 9): ") for p in problems)
    assert any(__import__("re").search(says, p) for p in problems), problems
    with pytest.raises(ExamError):
        load_exam({"title": "T", "questions": [{"id": 9, **question}]})


def test_the_schema_knows_both_kinds():
    import jsonschema

    schema = exam_schema()
    jsonschema.validate(EXAM, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "T", "questions": [{**ORDERING, "items": "SYN"}]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"title": "T", "questions": [{**MATCHING, "pairs": ["S3"]}]}, schema)


def test_choices_and_items_are_shown_shuffled_by_the_seed_and_independent_of_the_key():
    first = arrange.arrange(exam(), seed=4)
    again = arrange.arrange(exam(), seed=4)
    assert first.option_orders == again.option_orders and set(first.option_orders) == {"m", "o"}
    # Another key with the same texts (the items in another order, other pairs) is shown the same way.
    other = load_exam({"title": "Kinds", "questions": [
        {**MATCHING, "pairs": {"S3": "Block storage", "EBS": "Object storage", "EFS": "File storage"}},
        {**ORDERING, "items": ["ACK", "SYN", "SYN-ACK"]},
    ]})  # fmt: skip
    text = {q.id: {o.key: o.text for o in q.options} for q in exam()}
    other_text = {q.id: {o.key: o.text for o in q.options} for q in other}
    shown = {qid: [text[qid][k] for k in keys] for qid, keys in first.option_orders.items()}
    shown_other = {
        qid: [other_text[qid][k] for k in keys]
        for qid, keys in arrange.arrange(other, seed=4).option_orders.items()
    }
    assert shown == shown_other
    orders = {tuple(arrange.arrange(exam(), seed=s).option_orders["o"]) for s in range(30)}
    assert len(orders) > 3  # the seed decides: more than one order comes out


def test_answers_and_the_shuffle_survive_the_session_file(tmp_path):
    from quiz_widgets.quiz.codec import from_session, to_session

    ex = exam()
    a = arrange.arrange(ex, seed=9)
    state = QuizState(ex, order=a.order, option_orders=a.option_orders)
    state.answer({"S3": "Object storage", "EBS": "File storage", "EFS": "Block storage"})
    state.answer(["SYN", "SYN-ACK", "ACK"])
    assert state.score == 1 and state.points == pytest.approx(1 + 1 / 3)
    saved = json.loads(json.dumps(to_session(state)))
    back = from_session(saved, ex)
    assert back.option_orders == state.option_orders
    assert back.answers == state.answers and back.points == pytest.approx(state.points)


def test_the_page_gets_no_key_before_the_answer_and_sends_indexes():
    ex = exam()
    a = arrange.arrange(ex, seed=2)
    state = QuizState(ex, order=a.order, option_orders=a.option_orders, mode="exam")
    q = ex.questions[0]
    payload = protocol.question_payload(q, 0, state=state)
    assert [left["text"] for left in payload["left"]] == ["S3", "EBS", "EFS"]
    shown = [o["text"] for o in payload["options"]]
    assert sorted(shown) == sorted(["Object storage", "Block storage", "File storage", "Tape storage"])
    # Labels and texts only: which right text goes with which left item is nowhere in it.
    assert set(payload) == {"id", "number", "text", "html", "kind", "topic", "options", "left", "flagged",
                            "answered", "carried"}  # fmt: skip
    assert [sorted(o) for o in payload["options"]] == [["html", "key", "text"]] * 4
    # One index into the shown choices per left item.
    picks = [shown.index("Object storage"), shown.index("Block storage"), shown.index("Tape storage")]
    intent = protocol.parse_message({"type": "answer", "value": picks}, state.shown_question(q))
    assert intent.value == {"S3": "Object storage", "EBS": "Block storage", "EFS": "Tape storage"}
    for bad in ([0, 1], [0, 1, 9], [0, 1, True], "0,1,2"):
        with pytest.raises(protocol.MessageError, match=r"question 1 \(id m\)"):
            protocol.parse_message({"type": "answer", "value": bad}, state.shown_question(q))
    state.answer(intent.value)
    # Exam mode: the answer so far comes back to the page (to change it), still without the key.
    again = protocol.question_payload(q, 0, state=state)
    assert again["given"] == {
        "value": {"S3": "Object storage", "EBS": "Block storage", "EFS": "Tape storage"}
    }
    o = ex.questions[1]
    items = [i["text"] for i in protocol.question_payload(o, 1, state=state)["options"]]
    order = [items.index(t) for t in ("SYN", "SYN-ACK", "ACK")]
    assert protocol.parse_message({"type": "answer", "value": order}, state.shown_question(o)).value == [
        "SYN", "SYN-ACK", "ACK"
    ]  # fmt: skip
    for bad in ([0, 0, 1], [0, 1], [0, 1, 3], None):
        with pytest.raises(protocol.MessageError, match=r"question 2 \(id o\)"):
            protocol.parse_message({"type": "answer", "value": bad}, state.shown_question(o))


def test_results_regrade_and_the_class_report_name_the_wrong_pair_and_order(tmp_path: Path):
    from quiz_widgets.exam import kinds

    q, o = exam().questions
    wrong = {"S3": "Object storage", "EBS": "Block storage", "EFS": "Tape storage"}
    text = q.describe(wrong)
    matching = kinds.get("matching")
    assert matching.read_described(q, text) == wrong  # a results file's text graded again
    assert matching.wrong_part(q, text) == "EFS → Tape storage"
    order = ["SYN", "ACK", "SYN-ACK"]
    assert kinds.get("ordering").read_described(o, o.describe(order)) == order
    assert kinds.get("ordering").wrong_part(o, o.describe(order)) == "SYN; ACK; SYN-ACK"


def test_written_back_as_exam_fields():
    data = exam().to_dict()
    assert data["questions"][0]["pairs"] == MATCHING["pairs"]
    assert data["questions"][1]["items"] == ORDERING["items"]
    assert load_exam(data).questions[0].left == ("S3", "EBS", "EFS")


GIFT_MATCHING = """::Storage:: Match each service to its kind of storage. {
   =S3 -> Object storage
   =EBS -> Block storage
   =EFS -> File storage
   = -> Tape storage
}
"""


def test_gift_matching_is_read_and_written_as_moodle_does():
    from quiz_widgets.exam.export import exam_gift
    from quiz_widgets.exam.formats.gift import read_gift

    data, skipped = read_gift(GIFT_MATCHING, "bank.gift")
    assert skipped == []  # it was skipped before
    q = data["questions"][0]
    assert q["type"] == "matching" and q["distractors"] == ["Tape storage"]
    assert q["pairs"] == {"S3": "Object storage", "EBS": "Block storage", "EFS": "File storage"}
    exam_ = load_exam(data)
    text, warnings = exam_gift(exam_)
    assert "\t=S3 -> Object storage\n" in text and "\t= -> Tape storage\n" in text and warnings == []
    again, _ = read_gift(text)
    assert again["questions"][0]["pairs"] == q["pairs"]
    with pytest.raises(ExamError, match=r"bank.gift, line 2: question 1: .*'->'"):
        read_gift("Match. {\n =S3 Object storage\n =EBS -> Block storage\n}\n", "bank.gift")


def test_moodle_xml_matching_is_read_and_written_and_ordering_is_left_out_with_a_warning():
    from quiz_widgets.exam.export import exam_gift, exam_moodle_xml
    from quiz_widgets.exam.formats.moodle_xml.reader import read_moodle_xml

    xml, warnings = exam_moodle_xml(exam())
    assert '<question type="matching">' in xml and xml.count("<subquestion") == 4
    assert warnings == ["question 2 (id o): left out: Moodle XML's standard types have no ordering question "
                        "(qtype_ordering is a plugin)"]  # fmt: skip
    data, skipped = read_moodle_xml(xml, "bank.xml")
    q = data["questions"][0]
    assert q["pairs"] == MATCHING["pairs"] and q["distractors"] == ["Tape storage"] and skipped == []
    assert exam_gift(exam())[1] == ["question 2 (id o): left out: GIFT has no ordering questions"]


def test_canvas_qti_matching_is_read_and_written():
    from quiz_widgets.exam.formats.qti.reader import read_qti
    from quiz_widgets.exam.formats.qti.writer import write_qti

    xml, warnings = write_qti(exam().to_dict())
    assert "<fieldentry>matching_question</fieldentry>" in xml and xml.count("<response_lid") == 3
    assert any("left out: Canvas's QTI 1.2" in w for w in warnings)
    data, _ = read_qti(xml, "canvas.xml")
    q = data["questions"][0]
    assert (
        q["type"] == "matching" and q["pairs"] == MATCHING["pairs"] and q["distractors"] == ["Tape storage"]
    )
    assert load_exam(data).questions[0].credit({"S3": "Object storage", "EBS": "File storage",
                                                "EFS": "Block storage"}) == pytest.approx(1 / 3)  # fmt: skip


def test_study_show_answer_review_results_and_regrade(tmp_path: Path):
    from quiz_widgets import QuizWidget
    from quiz_widgets.teaching.regrade import kept_answer

    study = QuizWidget(EXAM, base_dir=tmp_path, mode="study", shuffle=True, shuffle_options=True, seed=3)
    shown = study.show_answer()
    assert "→" in shown or "SYN; SYN-ACK; ACK" in shown  # the right pairs or the right order, as text
    quiz = QuizWidget(EXAM, base_dir=tmp_path / "q", shuffle_options=True, seed=3, autosave_interval=0)
    assert quiz.answer({"S3": "Object storage", "EBS": "Block storage", "EFS": "Tape storage"}) is False
    quiz.next()
    assert quiz.answer(["SYN", "SYN-ACK", "ACK"]) is True
    assert quiz.points == pytest.approx(1 + 2 / 3) and quiz.score == 1
    rows = {row["question_id"]: row for row in quiz.review()}
    assert rows["m"]["your_answer"] == "S3 → Object storage; EBS → Block storage; EFS → Tape storage"
    assert rows["m"]["correct_answer"] == "S3 → Object storage; EBS → Block storage; EFS → File storage"
    quiz.finish()
    results = json.loads(Path(quiz.results_path).read_text("utf-8"))
    text = json.dumps(results, ensure_ascii=False)
    assert "EFS → Tape storage" in text
    q = exam().questions[0]
    assert q.credit(q.normalize(kept_answer(q, rows["m"]["your_answer"]))) == pytest.approx(2 / 3)


def test_the_class_report_names_only_the_wrong_pair(tmp_path: Path):
    from quiz_widgets import QuizWidget
    from quiz_widgets.teaching.report import ClassReport

    paths = []
    for n, (wrong_ebs, order) in enumerate(
        [("Tape storage", ["SYN", "ACK", "SYN-ACK"]), ("File storage", ["SYN", "ACK", "SYN-ACK"]),
         ("Tape storage", ["ACK", "SYN", "SYN-ACK"])]
    ):  # fmt: skip
        quiz = QuizWidget(EXAM, base_dir=tmp_path / str(n), seed=n, autosave_interval=0, learner=f"l{n}")
        quiz.answer({"S3": "Object storage", "EBS": wrong_ebs, "EFS": "File storage"})
        quiz.next()
        quiz.answer(order)
        quiz.finish()
        paths.append(quiz.results_path)
    report = ClassReport.load(*paths)
    report.exams = {"Kinds": exam()}  # as regrade(exam) gives it: the report knows the questions
    rows = {row["question_id"]: row for row in report.item_rows()}
    assert rows["m"]["most_chosen_wrong"] == "EBS → Tape storage"  # the wrong pair, not the whole answer
    assert rows["o"]["most_chosen_wrong"] == "SYN; ACK; SYN-ACK"  # the order given most often
    assert {r["question_id"]: r["most_chosen_wrong"] for r in report.question_rows()}[
        "m"
    ] == "EBS → Tape storage"


def test_an_answer_is_shown_as_its_items_rendered_one_per_line():
    """Feedback, review and finish screens draw an ordering answer as its items (rich text, as the question showed
    them: `SYN` as code, not in backticks) numbered by place, and a matching answer one pair per line."""
    rich_ordering = {**ORDERING, "items": ["`SYN`", "`SYN-ACK`", "*ACK*"]}
    ex = load_exam({"title": "Kinds", "questions": [MATCHING, rich_ordering]})
    state = QuizState(ex)
    pairs = protocol.feedback_payload(
        state.answer({"S3": "Object storage", "EBS": "Tape storage", "EFS": "File storage"}), state=state
    )
    assert [(i["key"], i["text"]) for i in pairs["your_answer_items"]] == [
        ("", "S3 → Object storage"), ("", "EBS → Tape storage"), ("", "EFS → File storage")
    ]  # fmt: skip
    assert [i["text"] for i in pairs["correct_answer_items"]][1] == "EBS → Block storage"
    # Which pairs and places were right, so the page can mark them (the answer is graded: no key leaks here).
    assert [i["right"] for i in pairs["your_answer_items"]] == [True, False, True]
    assert all(i["right"] for i in pairs["correct_answer_items"])
    result = state.answer(["`SYN`", "*ACK*", "`SYN-ACK`"])
    order = protocol.feedback_payload(result, state=state)
    assert [(i["key"], i["html"]) for i in order["your_answer_items"]] == [
        ("1", "<p><code>SYN</code></p>\n"), ("2", "<p><em>ACK</em></p>\n"), ("3", "<p><code>SYN-ACK</code></p>\n")
    ]  # fmt: skip
    assert [i["key"] for i in order["correct_answer_items"]] == ["1", "2", "3"]
    assert [i["right"] for i in order["your_answer_items"]] == [True, False, False]
    assert order["your_answer"] == "`SYN`; *ACK*; `SYN-ACK`"  # results files keep the text as before
    rows = protocol.review_payload(review_rows(state), state, None)
    assert [i["key"] for i in rows[1]["your_answer_items"]] == ["1", "2", "3"]

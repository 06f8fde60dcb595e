"""Loading and validating exams: formats, extensions, every problem reported, robustness."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import AnswerError, ExamError, SessionError
from quiz_widgets.exam import KINDS, Exam, Option, Question, exam_schema, load_exam, validate_exam
from quiz_widgets.exam.formats.cloze_syntax import escape

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exams"
DATA_FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".json", ".yaml", ".yml", ".md"))
GOOD_FILES = [p for p in DATA_FILES if p.stem != "many_problems"]


def single(qid=1, **extra):
    q = {"id": qid, "question": "Pick the fruit.", "options": {"A": "Apple", "B": "Brick", "C": "Chair"}}
    q.update({"type": "singleChoice", "answer": "A"})
    q.update(extra)
    return q


def exam_of(*questions, **top):
    return {"title": "T", "questions": list(questions), **top}


def problems_of(data):
    return validate_exam(data, "cloud.json")


# ------------------------------------------------------------------ errors


def test_error_classes():
    assert issubclass(ExamError, ValueError)
    assert issubclass(AnswerError, ExamError)
    assert issubclass(SessionError, ValueError)
    err = ExamError(["cloud.json: a", "cloud.json: b", "cloud.json: c"], source="cloud.json")
    assert err.problems == ["cloud.json: a", "cloud.json: b", "cloud.json: c"]
    assert err.source == "cloud.json"
    lines = str(err).splitlines()
    assert lines[0] == "cloud.json: 3 problems"
    assert len(lines) == 4
    assert str(ExamError("just one")) == "just one"
    assert ExamError("x").problems == ["x"]


# ------------------------------------------------------------------ fixtures and formats


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_fixture_exams_load(path):
    exam = load_exam(path)
    assert isinstance(exam, Exam)
    assert len(exam) == len(exam.questions) > 0
    assert exam.source == path.resolve()
    assert exam.source.is_absolute()
    assert len(exam.fingerprint) == 64
    assert [q.number for q in exam] == list(range(1, len(exam) + 1))
    for q in exam:
        assert q.kind in KINDS
        assert q.is_correct(q.correct_normalized())
        assert q.correct_text()


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda p: p.name)
def test_fixture_exams_match_shipped_schema(path):
    schema = exam_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    data = load_exam(path).to_dict()
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    if path.suffix != ".md":
        raw = json.loads(path.read_text()) if path.suffix == ".json" else yaml.safe_load(path.read_text())
        jsonschema.validate(raw, schema, cls=jsonschema.Draft202012Validator)


def test_schema_rejects_broken_fixture():
    data = json.loads((FIXTURES / "many_problems.json").read_text())
    assert not jsonschema.Draft202012Validator(exam_schema()).is_valid(data)


def test_original_format_fields():
    exam = load_exam(FIXTURES / "original_format.json")
    assert exam.title == "Kitchen Basics Practice"
    q1 = exam.questions[0]
    assert q1 == exam.by_id(1) == exam.by_id("1")
    assert q1.label() == "question 1 (id 1)"
    assert q1.options[1] == Option("B", "A slotted spoon.")
    assert q1.answer == ("B",)
    q2 = exam.by_id(2)
    assert q2.kind == "multiChoice" and q2.answer == ("A", "E")
    assert exam.by_id(5).kind == "singleChoice"  # "type" left out -> the default
    assert exam.by_id(7).label() == "question 6 (id 7)"
    assert exam.by_id(6) is None
    assert exam.by_id([1]) is None


def test_extensions():
    exam = load_exam(FIXTURES / "extensions.yaml")
    assert exam.description.startswith("A short mixed quiz")
    q = exam.by_id("planets-1")
    assert [o.key for o in q.options] == ["A", "B", "C", "D"]
    assert q.options[0].feedback == "Venus is second." and q.options[2].feedback is None
    assert q.topic == "Planets" and q.explanation.startswith("Mercury")
    tf = exam.by_id("moon-1")
    assert [o.text for o in tf.options] == ["True", "False"] and tf.answer == ("B",)
    assert exam.by_id("moon-2").answer == ("A",)
    num = exam.by_id("sun-1")
    assert num.kind == "numeric" and num.answer == 8.3 and num.tolerance == 0.5 and num.options == ()
    text = exam.by_id("sun-2")
    assert text.answer == ("Hydrogen", "H")
    assert exam.by_id(7).answer == 8.0


def test_true_false_answer_forms():
    for answer, key in [(True, "A"), (False, "B"), ("True", "A"), ("false", "B"), ("B", "B"), ("a", "A")]:
        exam = load_exam(exam_of({"id": 1, "question": "Q?", "type": "trueFalse", "answer": answer}))
        assert exam.questions[0].answer == (key,)


def test_mapping_input_is_copied_and_exam_passes_through():
    data = exam_of(single())
    exam = load_exam(data)
    data["questions"][0]["options"]["A"] = "changed"
    assert exam.questions[0].options[0].text == "Apple"
    assert exam.questions[0].raw["options"]["A"] == "Apple"
    assert exam.source is None
    assert load_exam(exam) is exam


def test_to_dict_round_trip_and_fingerprint(tmp_path):
    exam = load_exam(FIXTURES / "extensions.yaml")
    again = load_exam(exam.to_dict())
    assert again.fingerprint == exam.fingerprint
    assert again.questions == exam.questions
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(exam.to_dict()))
    assert load_exam(path).fingerprint == exam.fingerprint
    changed = exam.to_dict()
    changed["questions"][0]["answer"] = "C"
    assert load_exam(changed).fingerprint != exam.fingerprint
    # the title is not part of the fingerprint: it covers the questions only
    assert load_exam({**exam.to_dict(), "title": "Other"}).fingerprint == exam.fingerprint


def test_to_dict_of_questions_built_in_code():
    q = Question(
        id=1,
        number=1,
        text="Q?",
        kind="multiChoice",
        options=(Option("A", "x"), Option("B", "y", "why")),
        answer=("A", "B"),
    )
    exam = Exam(title="Made", questions=(q,))
    data = exam.to_dict()
    assert data["questions"][0] == {
        "id": 1,
        "question": "Q?",
        "options": {"A": "x", "B": "y"},
        "type": "multiChoice",
        "answer": ["A", "B"],
        "feedback": {"B": "why"},
    }
    assert load_exam(data).questions[0] == q


def test_question_and_exam_are_frozen_and_hashable():
    exam = load_exam(exam_of(single()))
    with pytest.raises(AttributeError):
        exam.title = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        exam.questions[0].text = "x"  # type: ignore[misc]
    assert hash(exam.questions[0]) == hash(load_exam(exam_of(single())).questions[0])


# ------------------------------------------------------------------ problems


def test_valid_exam_has_no_problems():
    assert problems_of(exam_of(single())) == []


@pytest.mark.parametrize(
    ("question", "fragments"),
    [
        (single(answer="F"), ["'answer'", "'F'", "A, B, C"]),
        (single(type="multiChoice", answer="A"), ["'answer'", "a list"]),
        (single(type="multiChoice", answer=["A", "A"]), ["'answer'", "different"]),
        (single(type="multiChoice", answer=[]), ["'answer'", "[]"]),
        (single(question=""), ["'question'", "non-empty"]),
        (single(question=None), ["'question'", "None"]),
        (single(options={}), ["'options'", "{}"]),
        (single(options=["only one"]), ["'options'", "2 to 26"]),
        (single(options={"a": "x", "b": "y"}), ["'options'", "capital letters"]),
        (single(options={"A": "same", "B": "Same"}), ["'options.B'", "different"]),
        (single(options={"A": "x", "B": [3]}), ["'options.B'", "[3]"]),  # a number is text: "3"
        (single(options={"A": "x", "B": True}), ["'options.B'", "True"]),  # YAML's yes, not text
        (single(options={"A": "x", "B": float("inf")}), ["'options.B'", "inf"]),
        (single(type="essay"), ["'type'", "'essay'", "numeric"]),
        (single(type="numeric", options=None, answer="ten"), ["'answer'", "finite number"]),
        (single(type="numeric", options=None, answer=float("nan")), ["'answer'", "nan"]),
        (single(type="numeric", options=None, answer=1, tolerance=-1), ["'tolerance'", ">= 0"]),
        (single(type="numeric", answer=1), ["'options'", "no options"]),
        (single(type="text", options=None, answer=""), ["'answer'", "non-empty"]),
        (single(type="text", options=None, answer=[]), ["'answer'", "non-empty"]),
        (single(type="trueFalse", options=None, answer="maybe"), ["'answer'", "'maybe'"]),
        (single(type="trueFalse", answer="A"), ["'options'", "exactly 2"]),
        (single(feedback={"Z": "no such option"}), ["'feedback'", "'Z'"]),
        (single(explanation=5), ["'explanation'", "5", "string"]),
        (single(tolerance=0.5), ["'tolerance'", "only numeric"]),
        (single(qid=True), ["'id'", "True"]),
        (single(qid=None), ["'id'", "None"]),
        (single(qid=""), ["'id'", "''"]),
    ],
)
def test_problem_names_file_question_field_found_expected(question, fragments):
    problems = problems_of(exam_of(single(qid=100), question))
    assert len(problems) == 1, problems
    message = problems[0]
    assert message.startswith("cloud.json: question 2")
    assert "expected" in message and "found" in message
    for fragment in fragments:
        assert fragment in message


def test_missing_question_field_says_nothing_found():
    q = single()
    del q["answer"]
    [message] = problems_of(exam_of(q))
    assert "question 1 (id 1): field 'answer': found nothing" in message


def test_duplicate_ids_including_int_and_str():
    problems = problems_of(exam_of(single(1), single(2), single("1")))
    assert problems == [
        "cloud.json: question 3 (id 1): field 'id': found '1', "
        "expected a unique id (question 1 has the same id)"
    ]


def test_every_problem_is_reported():
    with pytest.raises(ExamError) as info:
        load_exam(FIXTURES / "many_problems.json")
    err = info.value
    assert len(err.problems) == 6
    assert str(err).splitlines()[0].endswith("many_problems.json: 6 problems")
    assert any("question 2 (id 1)" in p and "unique" in p for p in err.problems)
    assert all("many_problems.json" in p for p in err.problems)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ([1, 2], "top level"),
        ("text", "top level"),
        (None, "top level"),
        ({"questions": [single()]}, "'title'"),
        ({"title": "T", "questions": []}, "'questions'"),
        ({"title": "T", "questions": {"a": 1}}, "'questions'"),
        ({"title": "T"}, "'questions'"),
        ({"title": "T", "questions": ["nope"]}, "question 1: found 'nope'"),
        ({"title": "T", "description": 3, "questions": [single()]}, "'description'"),
    ],
)
def test_top_level_problems(data, fragment):
    problems = validate_exam(data)
    assert problems and all(p.startswith("<dict>: ") for p in problems)
    assert any(fragment in p for p in problems), problems
    if isinstance(data, dict):
        with pytest.raises(ExamError):
            load_exam(data)


def test_found_value_is_cut_to_80_chars():
    [message] = problems_of(exam_of(single(answer="Z" * 500)))
    found = message.split("found ", 1)[1].split(", expected")[0]
    assert len(found) <= 80 and found.endswith("...")


# ------------------------------------------------------------------ files


def test_bad_json_syntax_has_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "title": "T",\n  "questions": [,]\n}')
    with pytest.raises(ExamError) as info:
        load_exam(path)
    assert "broken.json: line 3 column" in str(info.value)


def test_bad_yaml_syntax_has_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("title: T\nquestions:\n  - id: 1\n    question: [unclosed\n")
    with pytest.raises(ExamError) as info:
        load_exam(path)
    assert "broken.yaml: line" in str(info.value) and "column" in str(info.value)


def test_yaml_aliases_are_refused(tmp_path):
    path = tmp_path / "bomb.yml"
    path.write_text("a: &a [x, x]\nb: &b [*a, *a]\ntitle: T\nquestions: [*b]\n")
    with pytest.raises(ExamError, match="aliases"):
        load_exam(path)


def test_yaml_top_level_list_is_exam_error(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n")
    with pytest.raises(ExamError, match="top level"):
        load_exam(path)


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_exam(tmp_path / "nope.json")
    with pytest.raises(FileNotFoundError):
        load_exam(str(tmp_path / "nope.yaml"))


def test_directory_binary_and_non_utf8_files_are_exam_errors(tmp_path):
    folder = tmp_path / "dir.json"
    folder.mkdir()
    with pytest.raises(ExamError, match=r"dir\.json"):
        load_exam(folder)
    binary = tmp_path / "image.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(ExamError, match="binary"):
        load_exam(binary)
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("title: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ExamError, match="UTF-8"):
        load_exam(latin)


def test_utf8_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(exam_of(single())).encode())
    assert len(load_exam(path)) == 1


def test_deeply_nested_json_is_exam_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"title": "T", "questions": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(ExamError, match=r"deep\.json"):
        load_exam(path)


def test_deeply_nested_dict_is_exam_error():
    nested: list = []
    for _ in range(50_000):
        nested = [nested]
    with pytest.raises(ExamError):
        load_exam(exam_of(single(extra=nested)))


def test_wrong_source_type():
    with pytest.raises(ExamError, match="expected a path"):
        load_exam(42)  # type: ignore[arg-type]


def test_unicode_and_html_are_kept_as_plain_text():
    exam = load_exam(exam_of(single(question="<script>alert(1)</script> ¿Qué?")))
    assert exam.questions[0].text == "<script>alert(1)</script> ¿Qué?"


def test_large_exam_loads_fast(tmp_path):
    questions = [
        {
            "id": i,
            "question": f"Question {i}?",
            "type": "singleChoice",
            "answer": "C",
            "options": {"A": f"a{i}", "B": f"b{i}", "C": f"c{i}", "D": f"d{i}"},
        }
        for i in range(1, 10_001)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"title": "Big", "questions": questions}))
    # How fast is measured in benchmarks/ (python -m benchmarks), not here: these machines are shared.
    exam = load_exam(path)
    assert len(exam) == 10_000
    assert exam.questions[-1].id == 10_000 and exam.questions[-1].correct_text() == "c10000"


# ------------------------------------------------------------------ property: round trip

_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip)


@st.composite
def valid_question(draw, qid):
    kind = draw(st.sampled_from(KINDS))
    q = {"id": qid, "question": draw(_text), "type": kind}
    if draw(st.booleans()):
        q["topic"] = draw(_text)
    if draw(st.booleans()):
        q["explanation"] = draw(_text)
    if kind in ("singleChoice", "multiChoice", "trueFalse"):
        count = 2 if kind == "trueFalse" else draw(st.integers(2, 6))
        texts = draw(
            st.lists(_text, min_size=count, max_size=count, unique_by=lambda t: t.strip().casefold())
        )
        keys = "ABCDEF"[:count]
        q["options"] = texts if draw(st.booleans()) else dict(zip(keys, texts, strict=True))
        if kind == "multiChoice":
            q["answer"] = draw(st.lists(st.sampled_from(keys), min_size=1, unique=True))
        else:
            q["answer"] = draw(st.sampled_from(keys))
    elif kind == "matching":
        fold = lambda t: t.strip().casefold()  # noqa: E731
        lefts = draw(st.lists(_text, min_size=2, max_size=4, unique_by=fold))
        rights = draw(st.lists(_text, min_size=len(lefts), max_size=len(lefts)))
        q["pairs"] = dict(zip(lefts, rights, strict=True))
        taken = {fold(r) for r in rights}
        extra = draw(st.lists(_text.filter(lambda t: fold(t) not in taken), max_size=2, unique_by=fold))
        if extra:
            q["distractors"] = extra
    elif kind == "ordering":
        q["items"] = draw(st.lists(_text, min_size=2, max_size=5, unique_by=lambda t: t.strip().casefold()))
    elif kind == "numeric":
        q["answer"] = draw(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-1000, 1000))
        q["tolerance"] = draw(st.floats(0, 10))
    elif kind == "cloze":
        word = draw(st.text("abxyzÄé*&#}~ ", min_size=1, max_size=8).filter(str.strip))
        stem = q["question"].replace("{", "(").replace("⟦", "[")
        q["question"] = (
            f"{stem} {{2:SHORTANSWER:={escape(word)}}} {{:NUMERICAL:={draw(st.integers(-99, 99))}:0.5}}"
        )
    elif kind == "code":
        value = st.integers(-1000, 1000) | _text | st.lists(st.integers(-9, 9), max_size=3)
        q["function"] = draw(st.sampled_from(["area", "f", "_total2"]))
        q["cases"] = draw(
            st.lists(st.tuples(st.lists(value, max_size=3), value).map(list), min_size=1, max_size=4)
        )
        if draw(st.booleans()):
            q["starter"] = draw(_text)
    else:
        q["answer"] = draw(_text | st.lists(_text, min_size=1, max_size=3))
    return q


@st.composite
def valid_exam(draw):
    count = draw(st.integers(1, 5))
    ids = draw(
        st.lists(st.integers(0, 10**6) | _text, min_size=count, max_size=count, unique_by=lambda v: str(v))
    )
    return {"title": draw(_text), "questions": [draw(valid_question(qid)) for qid in ids]}


_SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(exam_schema())


@settings(max_examples=150, deadline=None)
@given(valid_exam())
def test_generated_exams_round_trip(data):
    assert validate_exam(data) == []
    _SCHEMA_VALIDATOR.validate(data)
    exam = load_exam(data)
    again = load_exam(json.loads(json.dumps(exam.to_dict())))
    assert again.questions == exam.questions
    assert again.fingerprint == exam.fingerprint
    for q in exam:
        assert q.is_correct(q.correct_normalized())


def test_mapping_proxy_input():
    from types import MappingProxyType

    exam = load_exam(MappingProxyType(exam_of(single())))
    assert len(exam) == 1


def test_path_with_a_nul_byte_is_an_exam_error() -> None:
    with pytest.raises(ExamError, match="not a usable file path"):
        load_exam("exam\x00.json")


# ------------------------------------------------------------------ the extended format (GIFT, jupyterquiz)

from quiz_widgets.exam import NumericEntry, TextEntry  # noqa: E402


def test_fingerprints_of_todays_exams_are_unchanged():
    # Values computed by the code before the format grew: saved sessions must keep matching their exams.
    assert load_exam(FIXTURES / "original_format.json").fingerprint == (
        "e7107d5719c207471aae4077e6867ed92e1d2aeaa3baf9d88303b59cf9e6f032"
    )
    assert load_exam(FIXTURES / "extensions.yaml").fingerprint == (
        "61443b6044696032304ba7c91096b6c15f3db7d5fe7dafa554f2e434ae8f4150"
    )


def test_extended_fixture_fields():
    exam = load_exam(FIXTURES / "extended.yaml")
    assert exam.format == "markdown"
    multi = exam.by_id("weights-multi")
    assert multi.title == "Prime numbers"
    assert multi.weights == {"A": 33.33333, "B": 33.33333, "C": 33.33333, "D": -100.0}
    assert multi.incorrect_feedback.startswith("Look for")
    single = exam.by_id("weights-single")
    assert single.answer == ("A",) and single.weights == {"A": 100.0, "B": 50.0, "C": 0.0}
    num = exam.by_id("numeric-entries")
    assert num.precision == 3 and num.answer == 3.14
    assert num.answers[1] == NumericEntry(
        min=3.0, max=3.3, credit=50.0, feedback="Close, but not to two decimals."
    )
    assert num.answers[3].max_exclusive
    both = exam.by_id("numeric-answer-and-entries")
    assert both.answers[-1] == NumericEntry(value=8.0)  # the plain answer, checked last
    text = exam.by_id("text-entries")
    assert text.format == "plain" and text.fuzzy_threshold == 0.8 and text.answer == ("Paris",)
    case = exam.by_id("text-case")
    assert case.format == "html" and case.match_case
    assert case.answers[-1] == TextEntry("Na", wildcard=False)
    assert case.answers[2].match_case is False


def test_exam_format_is_the_default_for_its_questions():
    exam = load_exam(exam_of(single(), single(2, format="plain"), format="html"))
    assert [q.format for q in exam] == ["html", "plain"]
    assert exam.to_dict()["format"] == "html"
    assert load_exam(exam_of(single())).questions[0].format == "markdown"
    assert "format" not in load_exam(exam_of(single())).to_dict()


def test_extended_round_trip(tmp_path):
    exam = load_exam(FIXTURES / "extended.yaml")
    again = load_exam(exam.to_dict())
    assert again.questions == exam.questions and again.fingerprint == exam.fingerprint
    assert again.format == exam.format


def test_extended_questions_built_in_code_round_trip():
    questions = (
        Question(
            id="w",
            number=1,
            text="Q?",
            kind="multiChoice",
            options=(
                Option("A", "x", weight=50.0),
                Option("B", "y", weight=50.0),
                Option("C", "z", weight=-50.0),
            ),
            answer=("A", "B"),
            title="Weighted",
        ),
        Question(
            id="n",
            number=2,
            text="N?",
            kind="numeric",
            options=(),
            answer=2.0,
            answers=(NumericEntry(min=1.0, max=3.0), NumericEntry(value=0.0, credit=0.0, feedback="No.")),
            precision=2,
            incorrect_feedback="Try 2.",
        ),
        Question(
            id="t",
            number=3,
            text="T?",
            kind="text",
            options=(),
            answer=("a*b",),
            answers=(TextEntry("x*y", credit=50.0), TextEntry("a*b", wildcard=False)),
            match_case=True,
            fuzzy_threshold=0.9,
            format="plain",
        ),
    )
    data = Exam(title="Made", questions=questions).to_dict()
    assert data["questions"][0]["weights"] == {"A": 50.0, "B": 50.0, "C": -50.0}
    assert data["questions"][2]["answers"] == [{"text": "x*y", "credit": 50.0}, {"text": "a\\*b"}]
    jsonschema.validate(data, exam_schema(), cls=jsonschema.Draft202012Validator)
    rebuilt = load_exam(data).questions
    assert rebuilt[0] == questions[0]
    assert rebuilt[1].answers == questions[1].answers and rebuilt[1].precision == 2
    assert (
        rebuilt[2].is_correct("a*b") and not rebuilt[2].is_correct("aXb") and rebuilt[2].credit("xQy") == 0.5
    )


@pytest.mark.parametrize(
    ("question", "fragments"),
    [
        (single(format="rtf"), ["'format'", "'rtf'", "markdown, html, plain"]),
        (single(title=5), ["'title'", "5", "a string"]),
        (single(weights={"A": 100, "Z": 5}), ["'weights'", "'Z'", "option letters (A, B, C)"]),
        (single(weights={"A": 150}), ["'weights.A'", "150", "-100 to 100"]),
        (single(weights={"A": 80, "B": 20}), ["'weights'", "one option with weight 100"]),
        (single(weights={"A": 100}, answer="B"), ["'answer'", "'B'", "weight 100 (A)"]),
        (single(type="multiChoice", weights={"A": 50, "B": 40}, answer=["A", "B"]), ["add up to 100", "90"]),
        (
            single(type="multiChoice", weights={"A": 50, "B": 50}, answer=["A"]),
            ["'answer'", "positive weight (A, B)"],
        ),
        (single(weights="A"), ["'weights'", "an object of option letter"]),
        (single(answers=[{"text": "x"}]), ["'answers'", "no answers list"]),
        (single(precision=2), ["'precision'", "only numeric"]),
        (
            {"id": 1, "question": "N?", "type": "numeric", "weights": {"A": 1}, "answer": 1},
            ["'weights'", "only choice"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answer": 1, "precision": 0},
            ["'precision'", "0", "1 to 100"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answer": 1, "precision": True},
            ["'precision'", "True"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": []},
            ["'answers'", "[]", "non-empty list"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"value": "x"}]},
            ["'answers[0].value'", "'x'"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"vaule": 1}]},
            ["'answers[0]'", "'vaule'"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"credit": 100}]},
            ["'answers[0]'", "'value'"],
        ),
        ({"id": 1, "question": "N?", "type": "numeric", "answers": [{"value": 1, "min": 0}]}, ["not both"]),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"min": 5, "max": 1}]},
            ["'answers[0].max'", "above 'min'"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"min": 1, "max_exclusive": True}]},
            ["'answers[0].max_exclusive'"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"value": 1, "credit": 120}]},
            ["'answers[0].credit'", "120", "0 to 100"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"value": 1, "feedback": 3}]},
            ["'answers[0].feedback'", "a string"],
        ),
        (
            {"id": 1, "question": "N?", "type": "numeric", "answers": [{"value": 1, "credit": 50}]},
            ["'answers'", "credit 100"],
        ),
        (
            {
                "id": 1,
                "question": "N?",
                "type": "numeric",
                "answers": [{"min": 0, "max": 9, "credit": 0}, {"value": 5}],
            },
            ["'answers'", "an earlier entry matches it first"],
        ),
        (
            {"id": 1, "question": "T?", "type": "text", "answers": [{"text": " "}]},
            ["'answers[0].text'", "non-empty"],
        ),
        (
            {"id": 1, "question": "T?", "type": "text", "answer": "a", "match_case": "yes"},
            ["'match_case'", "'yes'"],
        ),
        (
            {"id": 1, "question": "T?", "type": "text", "answer": "a", "fuzzy_threshold": 1.5},
            ["'fuzzy_threshold'", "1.5"],
        ),
        (
            {"id": 1, "question": "T?", "type": "text", "answer": "a", "fuzzy_threshold": 0},
            ["'fuzzy_threshold'", "above 0"],
        ),
        (
            {"id": 1, "question": "T?", "type": "text", "answers": [{"text": "a", "match_case": 1}]},
            ["'answers[0].match_case'"],
        ),
        (
            {"id": 1, "question": "T?", "type": "text", "answer": "a", "incorrect_feedback": ["x"]},
            ["'incorrect_feedback'"],
        ),
        (single(match_case=True), ["'match_case'", "only text"]),
    ],
)
def test_extended_problems_name_file_question_field_found_expected(question, fragments):
    problems = problems_of(exam_of(question))
    assert len(problems) == 1, problems
    assert problems[0].startswith("cloud.json: question 1 (id 1): field ")
    for fragment in fragments:
        assert fragment in problems[0], (fragment, problems[0])


def test_exam_level_format_problem():
    assert problems_of(exam_of(single(), format="latex")) == [
        "cloud.json: field 'format': found 'latex', expected one of markdown, html, plain"
    ]


def test_shipped_schema_rejects_what_the_checker_rejects():
    validator = jsonschema.Draft202012Validator(exam_schema())
    bad = [
        single(format="rtf"),
        single(weights={"A": 150}),
        single(precision=3),
        {"id": 1, "question": "N?", "type": "numeric", "answers": [{"vaule": 1}]},
        {"id": 1, "question": "N?", "type": "numeric", "answers": [{"value": 1, "min": 0}]},
        {"id": 1, "question": "T?", "type": "text", "answers": [{"text": "a", "credit": 101}]},
        {"id": 1, "question": "T?", "type": "text", "answer": "a", "precision": 2},
        {"id": 1, "question": "T?", "type": "text"},
    ]
    for question in bad:
        assert problems_of(exam_of(question)), question
        assert not validator.is_valid(exam_of(question)), question


_percent = st.sampled_from([100, 50, 33.33333, 25, 20, 0, -50, -100])


@st.composite
def extended_question(draw, qid):
    q = draw(valid_question(qid))
    kind = q["type"]
    if draw(st.booleans()):
        q["format"] = draw(st.sampled_from(["markdown", "html", "plain"]))
    if draw(st.booleans()):
        q["title"] = draw(_text)
    if kind in ("singleChoice", "multiChoice") and draw(st.booleans()):
        keys = "ABCDEF"[: len(q["options"])]
        if kind == "singleChoice":
            weights = {k: draw(_percent.filter(lambda p: p < 100)) for k in keys}
            weights[draw(st.sampled_from(keys))] = 100
        else:
            right = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=3, unique=True))
            share = {1: 100, 2: 50, 3: 33.33333}[len(right)]
            weights = {k: share if k in right else draw(st.sampled_from([0, -50, -100])) for k in keys}
        q["weights"] = weights
        q.pop("answer") if draw(st.booleans()) else q.update(
            answer=[k for k in keys if weights[k] > 0]
            if kind == "multiChoice"
            else max(keys, key=weights.get)
        )
    elif kind == "numeric" and draw(st.booleans()):
        del q["tolerance"]
        if draw(st.booleans()):
            del q["answer"]
        entries = []
        for _ in range(draw(st.integers(1, 3))):
            low = draw(st.integers(-100, 100))
            entry = draw(
                st.sampled_from(
                    [
                        {"value": low},
                        {"value": low, "tolerance": 0.5},
                        {"min": low},
                        {"max": low},
                        {"min": low, "max": low + 5},
                        {"min": low, "max": low + 5, "max_exclusive": True},
                    ]
                )
            )
            entry["credit"] = draw(st.sampled_from([100, 50, 0]))
            if draw(st.booleans()):
                entry["feedback"] = draw(_text)
            entries.append(entry)
        q["answers"] = entries
        if draw(st.booleans()):
            q["precision"] = draw(st.integers(1, 6))
    elif kind == "text" and draw(st.booleans()):
        q["answers"] = [
            {
                "text": draw(_text.filter(lambda t: len(t.strip()) <= 1000)),
                "credit": draw(st.sampled_from([100, 0])),
            }
            for _ in range(draw(st.integers(1, 3)))
        ]
        if draw(st.booleans()):
            q["match_case"] = draw(st.booleans())
        if draw(st.booleans()):
            q["fuzzy_threshold"] = draw(st.sampled_from([0.5, 0.8, 1]))
    if draw(st.booleans()):
        q["incorrect_feedback"] = draw(_text)
    return q


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True).flatmap(
        lambda ids: st.tuples(*[extended_question(i) for i in ids])
    )
)
def test_generated_extended_exams_checker_schema_and_round_trip_agree(questions):
    data = {"title": "Generated", "questions": list(questions)}
    problems = validate_exam(data)
    if problems:
        # Only what the schema cannot see may be refused: no reachable full-credit entry.
        assert all("credit 100" in p for p in problems), problems
        with pytest.raises(ExamError):
            load_exam(data)
        return
    _SCHEMA_VALIDATOR.validate(data)
    exam = load_exam(data)
    again = load_exam(json.loads(json.dumps(exam.to_dict())))
    assert again.questions == exam.questions and again.fingerprint == exam.fingerprint
    for q in exam:
        assert q.is_correct(q.correct_normalized()), q
        assert 0.0 <= q.credit(q.correct_normalized()) <= 1.0

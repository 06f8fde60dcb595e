"""jupyterquiz banks: the reader's mapping, grading as jupyterquiz grades, errors with lines, load_exam wiring."""

from __future__ import annotations

import copy
import json
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import ExamError
from quiz_widgets.exam import Exam, load_exam
from quiz_widgets.exam.formats.jupyterquiz import looks_like_jupyterquiz, read_jupyterquiz

BANK = Path(__file__).resolve().parent / "fixtures" / "jupyterquiz" / "python_basics.json"


@pytest.fixture(scope="module")
def exam() -> Exam:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a bank with only supported types loads without a warning
        return load_exam(BANK)


def mc(*answers, **extra):
    return {"question": "Pick one.", "type": "multiple_choice", "answers": list(answers), **extra}


def good_mc():
    return mc({"answer": "yes", "correct": True}, {"answer": "no", "correct": False})


# ------------------------------------------------------------------ the fixture bank


def test_bank_loads_with_title_ids_and_types(exam):
    assert exam.title == "Python basics"  # from the file name
    assert exam.source == BANK.resolve()
    assert [q.id for q in exam] == list(range(1, 10))
    kinds = ["singleChoice", "multiChoice", "singleChoice", "singleChoice", "numeric", "numeric", "text"]
    assert [q.kind for q in exam] == [*kinds, "text", "text"]
    for q in exam:
        assert q.is_correct(q.correct_normalized())


def test_multiple_choice_options_and_feedback(exam):
    q = exam.questions[0]
    assert [o.text for o in q.options] == ["def", "function", "fun", "lambda"]
    assert q.answer == ("A",) and q.weights is None
    assert q.options[1].feedback == "That is JavaScript."
    assert q.feedback_for("B") == "That is JavaScript."
    assert q.is_correct("def") and not q.is_correct("fun")


def test_many_choice_is_the_exact_set(exam):
    q = exam.questions[1]
    assert q.answer == ("A", "B", "C")
    assert (
        q.is_correct(["A", "B", "C"])
        and not q.is_correct(["A", "B"])
        and not q.is_correct(["A", "B", "C", "D"])
    )
    assert q.feedback_for(["D"]) == "I hope not."


def test_question_code_becomes_a_code_block_after_the_text(exam):
    # As jupyterquiz shows it (helpers.js): the code in <pre><code> after the question's own block.
    q = exam.questions[2]
    assert q.format == "html"
    assert (
        q.text
        == 'What does this code print?<pre class="qw-code"><code>x = [1, 2, 3]\nprint(x[-1])</code></pre>'
    )


def test_answer_code_and_several_correct_choices(exam):
    q = exam.questions[3]
    assert q.options[0].text == '<pre class="qw-code"><code>mylist += [3]</code></pre>'
    assert q.options[3].text == 'Neither:<pre class="qw-code"><code>mylist + 3</code></pre>'
    # jupyterquiz counts any correct choice of a multiple_choice question as right.
    assert q.is_correct("A") and q.is_correct("B") and not q.is_correct("C")
    assert q.answer == ("A",) and q.weights == {"A": 100.0, "B": 100.0, "C": 0.0, "D": 0.0}


def test_numeric_value_range_default_and_precision(exam):
    q = exam.questions[4]
    assert q.precision == 3 and q.raw["points"] == 2
    assert q.is_correct(3.14159) and q.feedback_for(3.14159) == "Correct."
    assert q.is_correct("22/7")  # 3.142857 rounds to 3.14: the value entry matches first
    assert q.credit(-2) == 0.0 and q.feedback_for(-2).startswith("pi is the AREA")
    assert (
        not q.is_correct(3.2) and q.feedback_for(3.2) == "pi is the area of a circle of radius 1. Try again."
    )
    kib = exam.questions[5]
    assert kib.is_correct(1024) and kib.feedback_for(1024) == "2 to the 10th."
    assert kib.feedback_for(1000) == "That is a kilobyte (SI)."  # the value entry comes before [1000, 1024)
    assert kib.feedback_for(1023) == "Close, but a power of two."
    assert kib.feedback_for(999.5) == "Too small."
    assert kib.feedback_for(2048) == "A kibibyte is 2**10 bytes."


def test_string_match_case_and_wrong_answer_feedback(exam):
    q = exam.questions[6]
    assert q.is_correct("len") and q.feedback_for(" len ") == "Yes: len(x)."
    assert not q.is_correct("Len") and q.feedback_for("Len") == "It is three letters long."  # case-sensitive
    assert q.feedback_for("LEN") == "Python is case-sensitive."
    assert q.feedback_for("LENGTH") == "That is a property in JavaScript."  # this entry ignores case


def test_string_fuzzy_threshold(exam):
    q = exam.questions[7]
    assert q.fuzzy_threshold == 0.8  # the same on every answer: kept once, on the question
    assert q.is_correct("Van Rossum") and q.is_correct("van Rosum")
    assert not q.is_correct("Torvald") and q.feedback_for("Torvald") == "He created Linux."
    assert not q.is_correct("Guido")


def test_fuzzy_threshold_is_jupyterquizs_levenshtein_similarity():
    # string.js: 1 - Levenshtein distance / the longer length, at or above the threshold.
    def question(threshold):
        bank = [{"question": "Spell it", "type": "string",
                 "answers": [{"answer": "receive", "correct": True, "fuzzy_threshold": threshold}]}]  # fmt: skip
        return load_exam(bank).questions[0]

    at_08 = question(0.8)
    assert not at_08.is_correct("recieve")  # distance 2 of 7: 0.714 (difflib's ratio says 0.857)
    assert at_08.is_correct("receve")  # distance 1 of 7: 0.857
    assert question(5 / 7).is_correct("recieve")  # exactly at the threshold counts
    assert not question(5 / 7 + 1e-9).is_correct("recieve")
    five = load_exam([{"question": "Fruit", "type": "string",
                       "answers": [{"answer": "apple", "correct": True, "fuzzy_threshold": 0.8}]}]).questions[0]  # fmt: skip
    assert five.is_correct("APPLA")  # 1 - 1/5 = 0.8: at the boundary, case folded
    assert not five.is_correct("applesauce")  # 1 - 5/10


def test_a_numeric_answer_is_correct_when_its_correct_is_truthy():
    # numeric.js and string.js take `correct` as JavaScript does: 0.4 (a real bank) is right, 0 and "" are not.
    bank = [
        {"question": "6 / 15?", "type": "numeric",
         "answers": [{"type": "value", "correct": 0.4, "value": 0.4, "feedback": "Yes."},
                     {"type": "value", "correct": 0, "value": 4, "feedback": "Off by ten."}]},
        {"question": "Say yes", "type": "string",
         "answers": [{"answer": "yes", "correct": 1}, {"answer": "no", "correct": ""}]},
    ]  # fmt: skip
    numeric, string = load_exam(bank).questions
    assert numeric.is_correct(0.4) and numeric.feedback_for(0.4) == "Yes."
    assert numeric.credit(4) == 0.0 and numeric.feedback_for(4) == "Off by ten."
    assert string.is_correct("yes") and not string.is_correct("no")
    not_a_number = json.loads(
        '[{"question": "Q", "type": "numeric", "answers": [{"value": 1, "correct": NaN}]}]'
    )
    with pytest.raises(ExamError, match="at least one value or range with correct: true"):
        load_exam(not_a_number)


def test_text_is_html_as_jupyterquiz_shows_it():
    from quiz_widgets.richtext import render

    bank = [{
        "question": "Is <b>this</b> $x^2$? See [the docs](https://example.org) or <https://python.org>.",
        "type": "multiple_choice",
        "answers": [
            {"answer": "<code>x**2</code>", "correct": True, "feedback": "<i>Yes</i>, $$x^2$$ costs \\$1."},
            {"answer": "x&lt;2", "correct": False},
        ],
    }]  # fmt: skip
    q = load_exam(bank).questions[0]
    assert q.format == "html"
    assert q.text == (
        "Is <b>this</b> \\(x^2\\)? See "
        '<a href="https://example.org" target="_blank" class="Link">the docs</a> or '
        '<a href="https://python.org" target="_blank" class="Link">https://python.org</a>.'
    )
    assert q.options[1].text == "x&lt;2"
    assert q.options[0].feedback == "<i>Yes</i>, \\[x^2\\] costs $1."
    shown = render(q.text, fmt=q.format)
    assert "<b>this</b>" in shown and "&lt;b&gt;" not in shown
    # Drawn as math; the TeX source only as the formula's alttext (what a screen reader reads).
    assert "<math" in shown and 'alttext="x^2"' in shown and shown.count("x^2") == 1
    assert 'href="https://example.org"' in shown
    option = render(q.options[0].text, fmt=q.format)
    assert "<code>x**2</code>" in option
    feedback = render(q.options[0].feedback, fmt=q.format)
    assert 'display="block"' in feedback and "<math" in feedback and "$1" in feedback
    assert render(q.options[1].text, fmt=q.format) == "x&lt;2"


def test_math_is_drawn_from_html_text_but_not_inside_code():
    from quiz_widgets.richtext import render

    bank = [{"question": "Is $a &lt; b$?", "type": "multiple_choice", "code": "print('\\(not math\\)')",
             "answers": [{"answer": "<code>$x$</code>", "correct": True}, {"answer": "no", "correct": False}]}]  # fmt: skip
    q = load_exam(bank).questions[0]
    shown = render(q.text, fmt="html")
    assert "<mo>&lt;</mo>" in shown  # the entity is the TeX's "<"
    assert "<code>print('\\(not math\\)')</code>" in shown
    assert render(q.options[0].text, fmt="html") == "<code>\\(x\\)</code>"  # jaxify ran, MathJax skips code


_JS_DOT = r"[^\n\r\u2028\u2029]"  # JavaScript's "." in jaxify's regular expressions


def _jaxify_as_javascript(text: str) -> str:
    """helpers.js's jaxify() with its own regular expressions, for comparison."""
    doubles, singles = iter(range(len(text))), iter(range(len(text)))
    text = re.sub(r"(?<!\\)\$\$", lambda _: "\\]" if next(doubles) % 2 else "\\[", text)
    text = re.sub(r"(?<!\\)\$", lambda _: "\\)" if next(singles) % 2 else "\\(", text)
    text = text.replace("\\$", "$")
    text = re.sub(f"<http({_JS_DOT}*?)>", r'<a href="http\1" target="_blank" class="Link">http\1</a>', text)
    return re.sub(
        f"\\[({_JS_DOT}*?)\\]\\(({_JS_DOT}*?)\\)", r'<a href="\2" target="_blank" class="Link">\1</a>', text
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["[", "]", "(", ")", "](", "<http", ">", "\n", "\r", "$", "$$", "\\$", "\\", "a",
                                 " ", "<", "x"]), max_size=30).map("".join))  # fmt: skip
def test_question_text_is_rewritten_as_jaxify_does(text):
    q = load_exam(
        [{"question": "Q " + text, "type": "string", "answers": [{"answer": "a", "correct": True}]}]
    )
    assert q.questions[0].text == _jaxify_as_javascript("Q " + text)


def test_hostile_text_in_a_bank_loads_and_renders_in_linear_time():
    from quiz_widgets.richtext import render

    # Each of these took minutes with the regular expressions (quadratic): now they finish like any text.
    texts = ["[" * 200_000, "<http" * 100_000, "[\n" * 100_000 + "](x)", "\\(" * 100_000, "<a" * 100_000 + "$x$",
             "<!--" * 100_000 + "$x$"]  # fmt: skip
    bank = [{"question": t, "type": "string", "answers": [{"answer": "a", "correct": True}]} for t in texts]
    for question in load_exam(bank):
        # "<http<http..." is one unclosed tag, which HTML drops: finishing is the point.
        assert isinstance(render(question.text, fmt=question.format), str)


def test_a_link_with_a_script_url_is_not_a_link():
    from quiz_widgets.richtext import render

    bank = [{"question": "[click](javascript:alert(1)) <script>alert(2)</script> <b onclick=x()>b</b>",
             "type": "string", "answers": [{"answer": "a", "correct": True}]}]  # fmt: skip
    shown = render(load_exam(bank).questions[0].text, fmt="html")
    assert "javascript" not in shown and "<script" not in shown and "onclick" not in shown
    assert "<b>b</b>" in shown


def test_string_star_is_a_plain_character(exam):
    q = exam.questions[8]
    assert q.is_correct("*") and not q.is_correct("anything")
    assert q.feedback_for("x") == "Python uses the asterisk."


# ------------------------------------------------------------------ lists, sniffing and other files


def test_load_exam_takes_a_python_list_and_copies_it():
    data = json.loads(BANK.read_text())
    exam = load_exam(data)
    assert exam.title == "Quiz" and exam.source is None and len(exam) == 9
    data[0]["answers"][0]["answer"] = "changed"
    assert exam.questions[0].options[0].text == "def"


def test_read_jupyterquiz_leaves_its_input_alone_and_takes_a_title():
    data = [good_mc()]
    before = copy.deepcopy(data)
    out = read_jupyterquiz(data, "cell", title="Warm-up")
    assert data == before
    assert out == {
        "title": "Warm-up",
        "questions": [
            {
                "id": 1,
                "question": "Pick one.",
                "format": "html",
                "type": "singleChoice",
                "options": ["yes", "no"],
                "answer": "A",
            }
        ],
    }


def test_question_id_is_used_when_given():
    exam = load_exam([dict(good_mc(), question_id="Q-7"), dict(good_mc(), question_id=8)])
    assert [q.id for q in exam] == ["Q-7", 8]


def test_yaml_list_of_jupyterquiz_questions(tmp_path):
    import yaml

    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump(json.loads(BANK.read_text())))
    assert len(load_exam(path)) == 9


def test_json_file_in_the_exam_format_still_loads(tmp_path):
    path = tmp_path / "exam.json"
    path.write_text(
        json.dumps(
            {"title": "T", "questions": [{"id": 1, "question": "Q?", "options": ["a", "b"], "answer": "A"}]}
        )
    )
    assert load_exam(path).title == "T"


def test_a_list_that_is_not_jupyterquiz_is_refused():
    assert not looks_like_jupyterquiz([{"id": 1, "question": "Q?", "answer": "A"}])
    with pytest.raises(ExamError, match=r"<list>: found .* expected a list of jupyterquiz questions"):
        load_exam([{"id": 1, "question": "Q?", "answer": "A"}])
    with pytest.raises(ExamError, match="<list>"):
        load_exam([])


def test_points_and_bad_points():
    assert read_jupyterquiz([dict(good_mc(), points=3)])["questions"][0]["points"] == 3
    with pytest.raises(ExamError, match=r"question 1: field 'points': found -1, expected a number above 0"):
        read_jupyterquiz([dict(good_mc(), points=-1)])


def test_gift_files_are_recognised_by_extension_and_content(tmp_path):
    bank = "// a comment\n::Add:: 2 + 2 = ? {=4 ~3 ~5}\n\n::Sky:: The sky is blue. {T}\n"
    for name in ("bank.gift", "bank.txt", "bank"):
        path = tmp_path / name
        path.write_text(bank)
        exam = load_exam(path)
        assert [q.kind for q in exam] == ["singleChoice", "trueFalse"], name
        assert exam.questions[0].is_correct("4") and exam.questions[0].title == "Add"
    yaml_path = tmp_path / "exam"  # no extension and no GIFT marks: still read as YAML
    yaml_path.write_text("title: T\nquestions:\n  - {id: 1, question: Why, options: [a, b], answer: A}\n")
    assert load_exam(yaml_path).title == "T"


# ------------------------------------------------------------------ skipped types and errors


def test_match_question_is_skipped_with_a_warning_naming_the_line(tmp_path):
    path = tmp_path / "mixed.json"
    match = {
        "question": "Match them.",
        "type": "match",
        "pairs": [{"label": "a", "answer": "1"}],
        "options": ["1"],
    }
    path.write_text(json.dumps([good_mc(), match], indent=2))
    with pytest.warns(UserWarning, match=r"mixed\.json: line 16: question 2: skipped 'match': a matching"):
        exam = load_exam(path)
    assert len(exam) == 1
    with pytest.warns(UserWarning), pytest.raises(ExamError, match="no question left"):
        read_jupyterquiz([match], "only.json")


def test_errors_in_json_text_name_the_source_line_and_question():
    text = json.dumps(
        [good_mc(), mc({"answer": "a", "correct": False}, {"answer": "b", "correct": False})], indent=2
    )
    line = text.splitlines().index("  {", 2) + 1  # where the second question starts
    with pytest.raises(ExamError) as info:
        read_jupyterquiz(text, "bank.json")
    assert str(info.value) == (
        f"bank.json: line {line}: question 2: field 'answers': found [False, False], "
        "expected at least one answer with correct: true"
    )


def test_problems_the_exam_checker_finds_in_a_file_name_the_line_too(tmp_path):
    shadowed = {
        "question": "How many?",
        "type": "numeric",
        "answers": [
            {"type": "range", "range": [0, 10], "correct": False, "feedback": "Too few."},
            {"type": "value", "value": 5, "correct": True},
        ],
    }
    match = {"question": "Match.", "type": "match"}
    path = tmp_path / "bank.json"
    path.write_text(json.dumps([match, good_mc(), shadowed], indent=2))
    line = path.read_text().splitlines().index('    "question": "How many?",')  # the line before: "{"
    with (
        pytest.warns(UserWarning, match="line 2: question 1: skipped 'match'"),
        pytest.raises(ExamError) as info,
    ):
        load_exam(path)
    # Question 2 of the exam (item 3 of the list: the match question was skipped).
    assert str(info.value).startswith(f"{path}: line {line}: question 2 (id 3): field 'answers': found ")
    assert "an earlier entry matches it first" in str(info.value)


def test_invalid_json_names_line_and_column():
    with pytest.raises(ExamError, match=r"bank\.json: line 2 column 1: invalid JSON"):
        read_jupyterquiz('[{"question": "x",\n}]', "bank.json")


def test_every_bad_question_is_reported():
    with pytest.raises(ExamError) as info:
        read_jupyterquiz([good_mc(), {"type": "essay"}, "text", dict(good_mc(), question="")], "q.json")
    assert info.value.problems == [
        "q.json: question 2: field 'type': found 'essay', expected one of multiple_choice, many_choice, numeric, string",
        "q.json: question 3: found 'text', expected an object with 'question', 'type' and 'answers'",
        "q.json: question 4: field 'question': found '', expected a non-empty string",
    ]


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (
            mc({"answer": "a", "correct": True}),
            "field 'answers': found [{'answer': 'a', 'correct': True}], expected at least 2",
        ),
        (
            mc({"answer": "a", "correct": True}, {"answer": " A ", "correct": False}),
            "a text different from answers[0]",
        ),
        (mc({"answer": "a", "correct": "yes"}, {"answer": "b"}), "field 'answers[0].correct': found 'yes'"),
        (
            mc({"correct": True}, {"answer": "b"}),
            "field 'answers[0]': found {'correct': True}, expected an 'answer' text or 'code'",
        ),
        (mc({"answer": "a", "correct": True, "feedback": 3}, {"answer": "b"}), "field 'feedback': found 3"),
        (mc({"answer": 5, "correct": True}, {"answer": "b"}), "field 'answer': found 5"),
        (dict(good_mc(), code=["x"]), "field 'code': found ['x']"),
        (dict(good_mc(), question_id=True), "field 'question_id': found True"),
        (
            {
                "question": "N?",
                "type": "numeric",
                "answers": [{"type": "value", "value": "3", "correct": True}],
            },
            "'answers[0].value': found '3'",
        ),
        (
            {
                "question": "N?",
                "type": "numeric",
                "answers": [{"type": "range", "range": [5, 1], "correct": True}],
            },
            "expected low < high",
        ),
        (
            {
                "question": "N?",
                "type": "numeric",
                "answers": [{"type": "range", "range": [1], "correct": True}],
            },
            "'answers[0].range': found [1]",
        ),
        (
            {
                "question": "N?",
                "type": "numeric",
                "answers": [{"type": "range", "range": [None, None], "correct": True}],
            },
            "at least one end",
        ),
        (
            {
                "question": "N?",
                "type": "numeric",
                "answers": [{"value": 1, "correct": True}],
                "precision": 2.5,
            },
            "'precision': found 2.5",
        ),
        (
            {"question": "N?", "type": "numeric", "answers": [{"type": "default", "feedback": "no"}]},
            "at least one value or range",
        ),
        (
            {"question": "N?", "type": "numeric", "answers": [{"type": "other"}]},
            "a 'value', a 'range' or type 'default'",
        ),
        (
            {"question": "S?", "type": "string", "answers": [{"answer": "", "correct": True}]},
            "'answers[0].answer': found ''",
        ),
        (
            {
                "question": "S?",
                "type": "string",
                "answers": [{"answer": "a", "correct": True, "fuzzy_threshold": 2}],
            },
            "fuzzy_threshold': found 2",
        ),
        (
            {
                "question": "S?",
                "type": "string",
                "answers": [{"answer": "a", "correct": True, "match_case": "no"}],
            },
            "match_case': found 'no'",
        ),
        (
            {"question": "S?", "type": "string", "answers": "a"},
            "field 'answers': found 'a', expected a non-empty list",
        ),
    ],
)
def test_bad_questions_name_question_and_field(question, fragment):
    with pytest.raises(ExamError) as info:
        read_jupyterquiz([question], "bank.json")
    message = str(info.value)
    assert message.startswith("bank.json: question 1: "), message
    assert fragment in message, message


def test_duplicate_question_ids():
    with pytest.raises(
        ExamError, match=r"question 2: field 'question_id': found 'a', expected a unique id \(question 1"
    ):
        read_jupyterquiz([dict(good_mc(), question_id="a"), dict(good_mc(), question_id="a")])


@pytest.mark.parametrize("data", [{"questions": []}, "null", "[]", "{}", 42])
def test_top_level_must_be_a_non_empty_list(data):
    with pytest.raises(ExamError, match="expected a non-empty list of jupyterquiz questions"):
        read_jupyterquiz(data, "x.json")  # type: ignore[arg-type]


def test_deeply_nested_input_is_an_exam_error():
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ExamError, match="nested too deeply"):
        read_jupyterquiz("[" * 100_000 + "]" * 100_000, "deep.json")
    with pytest.raises(ExamError):
        read_jupyterquiz([{"question": "q", "type": "string", "answers": deep}], "deep")


# ------------------------------------------------------------------ fuzzing: an exam dict or an ExamError


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_word = st.sampled_from(["a", "b", "c", "d", "A", "*", "x y", "b*", "22/7", "é", "Paris", "len", ""])
_choice_answer = st.fixed_dictionaries(
    {"answer": _word, "correct": st.booleans()}, optional={"feedback": _word, "code": _word}
)
_numeric_answer = st.one_of(
    st.fixed_dictionaries(
        {
            "type": st.just("value"),
            "value": st.integers(-5, 5) | st.floats(-10, 10),
            "correct": st.booleans(),
        },
        optional={"feedback": _word},
    ),
    st.fixed_dictionaries(
        {
            "type": st.just("range"),
            "range": st.tuples(st.integers(-5, 5) | st.none(), st.integers(-5, 5) | st.none()).map(list),
            "correct": st.booleans(),
        },
        optional={"feedback": _word},
    ),
    st.fixed_dictionaries({"type": st.just("default"), "feedback": _word}),
)
_string_answer = st.one_of(
    st.fixed_dictionaries(
        {"answer": _word, "correct": st.booleans()},
        optional={
            "feedback": _word,
            "match_case": st.booleans(),
            "fuzzy_threshold": st.sampled_from([0.5, 0.8, 1]),
        },
    ),
    st.fixed_dictionaries({"type": st.just("default"), "feedback": _word}),
)
_question = st.one_of(
    st.fixed_dictionaries(
        {
            "question": _word,
            "type": st.sampled_from(["multiple_choice", "many_choice"]),
            "answers": st.lists(_choice_answer, min_size=1, max_size=5),
        },
        optional={"code": _word, "points": st.integers(0, 3), "question_id": st.integers(0, 3) | _word},
    ),
    st.fixed_dictionaries(
        {
            "question": _word,
            "type": st.just("numeric"),
            "answers": st.lists(_numeric_answer, min_size=1, max_size=5),
        },
        optional={"precision": st.integers(0, 4)},
    ),
    st.fixed_dictionaries(
        {
            "question": _word,
            "type": st.just("string"),
            "answers": st.lists(_string_answer, min_size=1, max_size=4),
        }
    ),
    st.fixed_dictionaries({"question": _word, "type": st.just("match")}),
)


@st.composite
def _damaged(draw, question):
    """A plausible question, sometimes with one value replaced by anything JSON can hold."""
    question = copy.deepcopy(question)
    if draw(st.integers(0, 3)) == 0:
        target = question
        if question.get("answers") and draw(st.booleans()):
            target = draw(st.sampled_from(question["answers"]))
        key = draw(st.sampled_from([*target, "extra"]))
        target[key] = draw(_json)
    return question


def _check_result(out: dict) -> None:
    assert isinstance(out["title"], str) and out["questions"]
    try:
        exam = load_exam(out)
    except ExamError:
        return  # the exam checker refuses what the reader let through: still an ExamError
    for q in exam:
        assert q.is_correct(q.correct_normalized())


@settings(max_examples=300, deadline=None)
@given(_json)
def test_any_json_value_gives_an_exam_dict_or_exam_error(value):
    for data in (value, json.dumps(value)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                out = read_jupyterquiz(data, "fuzz.json")  # type: ignore[arg-type]
            except ExamError as err:
                assert str(err).startswith("fuzz.json")
                continue
        _check_result(out)


@settings(max_examples=400, deadline=None)
@given(st.lists(_question.flatmap(_damaged), min_size=1, max_size=4))
def test_jupyterquiz_shaped_data_gives_an_exam_dict_or_exam_error(questions):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = read_jupyterquiz(json.dumps(questions, indent=1), "fuzz.json")
        except ExamError as err:
            assert str(err).startswith("fuzz.json")
            assert all("line " in p for p in err.problems if re.search(r"question \d+:", p))
            return
    _check_result(out)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_an_exam_dict_or_exam_error(text):
    try:
        out = read_jupyterquiz(text, "fuzz.json")
    except ExamError:
        return
    _check_result(out)

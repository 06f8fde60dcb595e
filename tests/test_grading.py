"""Grading one answer: normalize / is_correct / describe / correct_* on every question kind."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import AnswerError
from quiz_widgets.exam import load_exam

EXAM = load_exam(
    {
        "title": "Grading",
        "questions": [
            {
                "id": 7,
                "question": "Which service logs API calls?",
                "type": "singleChoice",
                "answer": "B",
                "options": {"A": "AWS API.", "B": "AWS CloudTrail.", "C": "Amazon Inspector.", "D": "EC2."},
            },
            {
                "id": 8,
                "question": "Pick TWO.",
                "type": "multiChoice",
                "answer": ["E", "B"],
                "options": {"A": "One.", "B": "Two.", "C": "Three.", "D": "Four.", "E": "Five."},
            },
            {"id": 9, "question": "The sky is green.", "type": "trueFalse", "answer": False},
            {
                "id": "pi",
                "question": "Pi to two decimals?",
                "type": "numeric",
                "answer": 3.14,
                "tolerance": 0.01,
            },
            {"id": "h", "question": "Lightest element?", "type": "text", "answer": ["Hydrogen", "H"]},
            {"id": 12, "question": "How many legs has a spider?", "type": "numeric", "answer": 8},
            {
                "id": 13,
                "question": "Pick TWO (texts).",
                "type": "multiChoice",
                "answer": ["A", "C"],
                "options": ["Bad", "Bed", "Cab", "Dab"],
            },
        ],
    }
)
SINGLE, MULTI, TF, NUM, TEXT, INT_NUM, WORDS = EXAM.questions


@pytest.mark.parametrize("value", ["B", "b", " b ", "AWS CloudTrail.", "aws cloudtrail.", 1])
def test_single_accepts_letter_text_index(value):
    assert SINGLE.normalize(value) == "B"
    assert SINGLE.is_correct(SINGLE.normalize(value))


def test_single_wrong_and_describe():
    assert SINGLE.normalize("a") == "A"
    assert not SINGLE.is_correct("A")
    assert SINGLE.describe("A") == "AWS API."
    assert SINGLE.correct_normalized() == "B"
    assert SINGLE.correct_text() == "AWS CloudTrail."
    assert SINGLE.label() == "question 1 (id 7)"


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (True, "trueFalse"),
        (4, "index 0..3"),
        (-1, "index 0..3"),
        ("Z", "option letter"),
        ("nothing like it", "option letter"),
        (["B"], "one answer"),
        (("B",), "one answer"),
        ({"B"}, "one answer"),
        ({"a": 1}, "one answer"),
        (None, "option letter"),
        (b"B", "option letter"),
        (1.0, "option letter"),
        ("", "option letter"),
    ],
)
def test_single_refuses(value, fragment):
    with pytest.raises(AnswerError) as info:
        SINGLE.normalize(value)
    message = str(info.value)
    assert message.startswith("question 1 (id 7): ")
    assert "found" in message and "expected" in message and fragment in message


@pytest.mark.parametrize(
    "value",
    [["B", "E"], ["E", "B"], ("e", "b"), {"B", "E"}, [1, 4], ["Two.", "five."], "B, E", "BE", "b;e", "E B"],
)
def test_multi_accepts(value):
    assert MULTI.normalize(value) == ["B", "E"]
    assert MULTI.is_correct(MULTI.normalize(value))


def test_multi_partial_is_wrong_and_describe_in_key_order():
    assert not MULTI.is_correct(["B"])
    assert not MULTI.is_correct(["B", "C", "E"])
    assert MULTI.describe(["E", "B"]) == "Two.; Five."
    assert MULTI.correct_normalized() == ["B", "E"]
    assert MULTI.correct_text() == "Two.; Five."
    assert MULTI.normalize(2) == ["C"]


def test_multi_option_text_wins_over_letters():
    assert WORDS.normalize("Bad") == ["A"]  # not B, A, D
    assert WORDS.normalize("BAD") == ["A"]
    assert WORDS.normalize("A, C") == ["A", "C"]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([], "non-empty"),
        (["B", "B"], "duplicates"),
        (["B", "b"], "duplicates"),
        ([1, "B"], "duplicates"),
        (["B", True], "list"),
        (["B", None], "list"),
        (["Z"], "list"),
        ([9], "list"),
        ("", "list"),
        ("B, Z", "list"),
        (None, "list"),
        (True, "list"),
        ({"B": 1}, "list"),
        (b"BE", "list"),
        (2.5, "list"),
    ],
)
def test_multi_refuses(value, fragment):
    with pytest.raises(AnswerError, match=r"question 2 \(id 8\)") as info:
        MULTI.normalize(value)
    assert fragment in str(info.value)


def test_normalize_does_not_mutate():
    value = ["E", "B"]
    MULTI.normalize(value)
    assert value == ["E", "B"]


@pytest.mark.parametrize(
    ("value", "key"),
    [(False, "B"), (True, "A"), ("false", "B"), ("True", "A"), ("b", "B"), (0, "A"), (1, "B")],
)
def test_true_false(value, key):
    assert TF.normalize(value) == key
    assert TF.is_correct(key) is (key == "B")


def test_true_false_describe_and_refuse():
    assert TF.describe(False) == "False"
    assert TF.correct_text() == "False"
    for value in (2, "maybe", ["A"], None):
        with pytest.raises(AnswerError):
            TF.normalize(value)


@pytest.mark.parametrize("value", [3.14, "3.14", " 3.145 ", 3.13, Fraction(157, 50), "3.15"])
def test_numeric_within_tolerance(value):
    assert NUM.is_correct(NUM.normalize(value))


def test_numeric_outside_tolerance_and_describe():
    assert isinstance(NUM.normalize("3"), float)
    assert not NUM.is_correct(3.2)
    assert NUM.describe(3.0) == "3"
    assert NUM.describe("2.5") == "2.5"
    assert NUM.correct_text() == "3.14"
    assert INT_NUM.correct_text() == "8"
    assert INT_NUM.is_correct("8") and not INT_NUM.is_correct(8.0001)


@pytest.mark.parametrize(
    "value",
    [
        math.nan,
        math.inf,
        -math.inf,
        "nan",
        "inf",
        "",
        "three",
        True,
        None,
        [3.14],
        {"v": 3},
        b"3",
        10**400,
        "1e999",
    ],
)
def test_numeric_refuses(value):
    with pytest.raises(AnswerError, match=r"question 4 \(id pi\).*finite number"):
        NUM.normalize(value)


@pytest.mark.parametrize("value", ["Hydrogen", " hydrogen ", "HYDROGEN", "h"])
def test_text_accepted(value):
    assert TEXT.is_correct(TEXT.normalize(value))


def test_text_collapses_whitespace_and_describes():
    exam = load_exam(
        {
            "title": "T",
            "questions": [
                {"id": 1, "question": "Capital of the UK?", "type": "text", "answer": "New   York City"}
            ],
        }
    )
    q = exam.questions[0]
    assert q.is_correct("new york\tcity")
    assert q.normalize("  New  York ") == "New  York"
    assert not q.is_correct("York")
    assert TEXT.describe("  helium ") == "helium"
    assert TEXT.correct_text() == "Hydrogen"


@pytest.mark.parametrize("value", ["", "   ", "x" * 1001, None, 5, ["Hydrogen"], b"H", {"t": "H"}])
def test_text_refuses(value):
    with pytest.raises(AnswerError, match=r"question 5 \(id h\)"):
        TEXT.normalize(value)


def test_text_at_limit_is_fine():
    assert TEXT.normalize("x" * 1000) == "x" * 1000


def test_answer_error_value_repr_is_cut():
    with pytest.raises(AnswerError) as info:
        SINGLE.normalize("q" * 5000)
    found = str(info.value).split("found ", 1)[1].split(", expected")[0]
    assert len(found) <= 80


class _Hostile:
    def __repr__(self):
        raise RuntimeError("no repr")

    def __eq__(self, other):
        raise RuntimeError("no eq")

    __hash__ = None  # type: ignore[assignment]


@pytest.mark.parametrize("index", range(len(EXAM.questions)))
def test_hostile_value_gives_answer_error(index):
    with pytest.raises(AnswerError, match="_Hostile"):
        EXAM.questions[index].normalize(_Hostile())


_anything = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.binary()
    | st.fractions()
    | st.decimals(),
    lambda inner: (
        st.lists(inner)
        | st.tuples(inner)
        | st.dictionaries(st.text(), inner)
        | st.frozensets(st.integers() | st.text())
    ),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None)
@given(value=_anything, index=st.integers(0, len(EXAM.questions) - 1))
def test_normalize_raises_only_answer_error(value, index):
    q = EXAM.questions[index]
    try:
        normalized = q.normalize(value)
    except AnswerError as err:
        assert err.problems and str(err).startswith(q.label())
        return
    assert q.normalize(normalized) == normalized  # idempotent
    assert isinstance(q.is_correct(normalized), bool)
    assert isinstance(q.describe(normalized), str)

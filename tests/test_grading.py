"""Grading one answer: normalize / is_correct / describe / correct_* on every question kind."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import AnswerError
from quiz_widgets.exam import load_exam
from quiz_widgets.exam.grading import levenshtein

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


# ------------------------------------------------------------------ partial credit and answer entries


def _one(**question):
    return load_exam({"title": "T", "questions": [{"id": 1, "question": "Q?", **question}]}).questions[0]


THIRDS = _one(
    type="multiChoice",
    options=["2", "3", "5", "9"],
    weights={"A": 33.33333, "B": 33.33333, "C": 33.33333, "D": -100},
    feedback={"A": "Prime.", "D": "9 = 3 x 3."},
    incorrect_feedback="Look for exactly two divisors.",
)


def test_moodle_thirds_are_fully_right():
    # 3 x 33.33333% = 99.99999%: Moodle counts it as right (above 99.9999%), so do we.
    assert THIRDS.credit(["A", "B", "C"]) == pytest.approx(0.9999999)
    assert THIRDS.is_correct(["A", "B", "C"])
    assert THIRDS.answer == ("A", "B", "C")  # the positive-weight options, for the original app


def test_partly_right_counts_its_fraction_but_is_not_correct():
    assert THIRDS.credit(["A", "B"]) == pytest.approx(0.6666666)
    assert not THIRDS.is_correct(["A", "B"])
    assert THIRDS.credit("C") == pytest.approx(0.3333333)


def test_negative_weights_clamp_at_zero():
    assert THIRDS.credit(["A", "D"]) == 0.0
    assert THIRDS.credit(["A", "B", "C", "D"]) == pytest.approx(0.0)
    assert THIRDS.credit(["D"]) == 0.0


def test_weighted_single_choice_gives_the_chosen_weight():
    q = _one(options=["first", "second", "third"], weights={"A": 100, "B": 50, "C": -50})
    assert q.answer == ("A",)  # the top weight, so the original app reads the same key
    assert q.credit("A") == 1.0 and q.is_correct("A")
    assert q.credit("B") == 0.5 and not q.is_correct("B")
    assert q.credit("C") == 0.0


def test_single_choice_with_several_full_weights_accepts_each():
    q = _one(options=["x", "y", "z"], weights={"A": 100, "C": 100})
    assert q.is_correct("A") and q.is_correct("C") and not q.is_correct("B")


def test_full_credit_threshold_is_strictly_above_99_9999_percent():
    q = _one(options=["a", "b", "c"], weights={"A": 100, "B": 99.9999, "C": 99.99995})
    assert not q.is_correct("B")
    assert q.is_correct("C")


def test_choice_feedback_for_chosen_options_else_incorrect_feedback():
    assert THIRDS.feedback_for(["A", "D"]) == "Prime.\n\n9 = 3 x 3."
    assert THIRDS.feedback_for(["B"]) == "Look for exactly two divisors."  # no option feedback, not right
    assert THIRDS.feedback_for(["A", "B", "C"]) == "Prime."
    plain = _one(options=["a", "b"], answer="A")
    assert plain.feedback_for("A") is None and plain.feedback_for("B") is None


def test_exact_set_rule_without_weights_is_unchanged():
    assert MULTI.weights is None
    assert MULTI.credit(["B", "E"]) == 1.0 and MULTI.credit(["B"]) == 0.0


PI = _one(
    type="numeric",
    answers=[
        {"max": 0, "credit": 0, "feedback": "Pi is positive."},
        {"value": 3.14, "tolerance": 0.005, "feedback": "Right."},
        {"min": 3, "max": 3.3, "credit": 50, "feedback": "Close."},
        {"min": 3, "max": 4, "feedback": "Never reached: the entry above matches first."},
        {"min": 22, "max": 23, "max_exclusive": True, "credit": 0, "feedback": "That is 7 pi."},
        {"min": 1000, "credit": 0, "feedback": "Far too big."},
    ],
    incorrect_feedback="Pi is the area of the unit circle.",
)


def test_first_matching_numeric_entry_wins():
    assert PI.credit(3.141) == 1.0 and PI.feedback_for(3.141) == "Right."
    assert PI.credit(3.2) == 0.5 and PI.feedback_for(3.2) == "Close."
    # 3.5 is in [3, 4] (credit 100) only; 3.25 is in both: the earlier 50% entry wins.
    assert PI.credit(3.5) == 1.0
    assert PI.credit(3.25) == 0.5


def test_open_ranges_and_exclusive_max():
    assert PI.credit(-5) == 0.0 and PI.feedback_for(-5) == "Pi is positive."
    assert PI.feedback_for(0) == "Pi is positive."  # an inclusive end
    assert PI.feedback_for(10**9) == "Far too big."
    assert PI.feedback_for(22.5) == "That is 7 pi."
    assert PI.feedback_for(23) == "Pi is the area of the unit circle."  # [22, 23) leaves 23 out


def test_numeric_incorrect_feedback_when_no_entry_matches():
    assert PI.credit(10) == 0.0
    assert PI.feedback_for(10) == "Pi is the area of the unit circle."
    assert PI.feedback_for(3.14) == "Right."


def test_numeric_answers_only_picks_a_right_answer_to_show():
    assert PI.answer == 3.14 and PI.correct_text() == "3.14"
    ranged = _one(type="numeric", answers=[{"min": 1, "max": 5}])
    assert ranged.correct_text() == "3" and ranged.is_correct(1) and ranged.is_correct(5)
    open_low = _one(type="numeric", answers=[{"max": 2, "max_exclusive": True}])
    assert open_low.is_correct(open_low.correct_normalized()) and not open_low.is_correct(2)


def test_precision_rounds_the_learners_number_to_significant_digits():
    q = _one(type="numeric", precision=3, answers=[{"value": 3.14159, "feedback": "Yes."}])
    assert q.is_correct(3.1416)  # 3.14 == 3.14159 to 3 digits
    assert q.is_correct("3.1449")  # rounds to 3.14
    assert not q.is_correct(3.146)  # rounds to 3.15
    big = _one(type="numeric", precision=2, answers=[{"min": 1200, "max": 1300}])
    assert big.is_correct(1249) and big.is_correct(1150)  # 1150 -> 1200 (two significant digits)
    assert not big.is_correct(1350)  # -> 1400


def test_fraction_input():
    q = _one(type="numeric", answers=[{"value": 0.5}])
    assert q.normalize("1/2") == 0.5 and q.is_correct(" 1 / 2 ")
    for bad in ("1/0", "1/", "/2", "a/b", "1/2/3"):
        with pytest.raises(AnswerError, match="finite number"):
            q.normalize(bad)


def test_plain_answer_beside_entries_is_the_last_entry():
    q = _one(type="numeric", answer=8, answers=[{"value": 7, "credit": 0, "feedback": "ASCII."}])
    assert q.is_correct(8) and q.feedback_for(7) == "ASCII." and q.credit(7) == 0.0


CAPITAL = _one(
    type="text",
    answers=[
        {"text": "Paris", "feedback": "Yes."},
        {"text": "Lyon", "credit": 0, "feedback": "Lyon is the third city."},
        {"text": "Par*", "credit": 50, "feedback": "Check the spelling."},
    ],
    incorrect_feedback="It is on the Seine.",
)


def test_known_wrong_text_answer_has_its_own_feedback():
    assert CAPITAL.credit("lyon") == 0.0
    assert CAPITAL.feedback_for("LYON") == "Lyon is the third city."
    assert CAPITAL.feedback_for("Berlin") == "It is on the Seine."
    assert CAPITAL.feedback_for(" paris ") == "Yes." and CAPITAL.is_correct("PARIS")


def test_wildcard_matches_any_run_of_characters():
    assert CAPITAL.credit("Parris") == 0.5 and CAPITAL.feedback_for("Parris") == "Check the spelling."
    assert CAPITAL.credit("par") == 0.5  # an empty run
    assert CAPITAL.credit("Pa") == 0.0
    middle = _one(type="text", answers=[{"text": "new * city"}])
    assert middle.is_correct("New York City") and middle.is_correct("new  jersey   city")
    assert not middle.is_correct("new york")
    many = _one(type="text", answers=[{"text": "a*a*a*a*a*a*a*a*a*a*a*b"}])
    assert not many.is_correct("a" * 1000) and many.is_correct("a" * 998 + "xb")


def test_escaped_star_is_a_literal_star():
    q = _one(type="text", answers=[{"text": "2\\*3"}])
    assert q.is_correct("2*3") and not q.is_correct("2x3") and q.correct_text() == "2*3"
    plain = _one(type="text", answer="2*3")  # a plain answer compares literally, as it always did
    assert plain.is_correct("2*3") and not plain.is_correct("2 times 3")


def test_case_and_accents():
    accented = _one(type="text", answer="café")
    assert accented.is_correct("CAFÉ") and not accented.is_correct("cafe")
    sensitive = _one(type="text", answer="Na", match_case=True)
    assert sensitive.is_correct("Na") and not sensitive.is_correct("NA")
    mixed = _one(
        type="text",
        match_case=True,
        answers=[{"text": "Na"}, {"text": "sodium", "match_case": False, "credit": 50}],
    )
    assert mixed.credit("SODIUM") == 0.5 and mixed.credit("NA") == 0.0


def test_fuzzy_match_at_and_below_the_threshold():
    q = _one(type="text", answers=[{"text": "abcde", "feedback": "Near enough."}], fuzzy_threshold=0.8)
    # jupyterquiz's similarity: 1 - Levenshtein distance / longer length. abcdx: 1 - 1/5 = 0.8 (at); abcxy: 0.6.
    assert q.is_correct("abcdx") and q.feedback_for("ABCDX") == "Near enough."
    assert not q.is_correct("abcxy")
    plain = _one(type="text", answer="abcde", fuzzy_threshold=0.8)
    assert plain.is_correct("abcdx") and not plain.is_correct("abcxy")
    strict = _one(type="text", answer="abcde")
    assert not strict.is_correct("abcdx")


def test_fuzzy_similarity_is_levenshtein_not_difflib():
    q = _one(type="text", answer="receive", fuzzy_threshold=0.8)
    assert not q.is_correct("recieve")  # two substitutions of 7: 0.714; difflib's ratio would say 0.857
    assert q.is_correct("recieve ") is False and q.is_correct("receve")  # one deletion: 0.857
    long = "a" * 1000
    assert _one(type="text", answer=long, fuzzy_threshold=0.9).is_correct("b" * 50 + long[50:])  # 0.95
    assert not _one(type="text", answer=long, fuzzy_threshold=0.9).is_correct("b" * 1000)


def _plain_levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other)))
        previous = current
    return previous[-1]


@settings(max_examples=300, deadline=None)
@given(st.text("ab c", max_size=12), st.text("ab c", max_size=12), st.integers(0, 14))
def test_the_banded_levenshtein_is_the_plain_one_up_to_its_limit(a, b, limit):
    distance = _plain_levenshtein(a, b)
    assert levenshtein(a, b) == distance
    assert levenshtein(a, b, limit) == (distance if distance <= limit else limit + 1)


def test_exact_match_beats_a_nearer_fuzzy_one():
    q = _one(
        type="text",
        fuzzy_threshold=0.7,
        answers=[{"text": "Paris"}, {"text": "Pars", "credit": 0, "feedback": "A typo we know."}],
    )
    assert q.feedback_for("pars") == "A typo we know."  # exact on the second entry, though near the first
    assert q.is_correct("Pariss")  # nearest entry: Paris
    assert q.credit("Lisbon") == 0.0 and q.feedback_for("Lisbon") is None


@settings(max_examples=300, deadline=None)
@given(value=_anything, q=st.sampled_from([THIRDS, PI, CAPITAL]))
def test_credit_and_feedback_for_any_value(value, q):
    try:
        normalized = q.normalize(value)
    except AnswerError:
        return
    credit = q.credit(normalized)
    assert 0.0 <= credit <= 1.0
    assert q.is_correct(normalized) == (credit > 0.999999)
    feedback = q.feedback_for(normalized)
    assert feedback is None or isinstance(feedback, str)

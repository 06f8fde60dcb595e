"""Moodle's Cloze syntax (exam/formats/cloze_syntax.py), read as qtype_multianswer reads it.

The texts are our own, written after the forms Moodle's documentation describes (its fixtures are GPL).
"""

from __future__ import annotations

import pytest

from quiz_widgets.errors import ExamError
from quiz_widgets.exam.formats.cloze_syntax import Blank, blank_source, escape, parse


def one(text: str) -> Blank:
    cloze = parse(text)
    assert len(cloze.blanks) == 1
    return cloze.blanks[0]


def test_a_text_with_every_kind_of_blank_reads_in_order_with_its_marks():
    text = (
        "<p>Rome is the capital of {2:SHORTANSWER:=Italy#Yes~%50%Lazio#Its region}.</p>"
        "<p>7 x 6 = {1:NUMERICAL:=42:0.5}; pick the prime {:MULTICHOICE:7~=11#Right~15}.</p>"
        "<p>Even numbers: {3:MULTIRESPONSE:=2~=4~5}</p>"
    )
    cloze = parse(text)
    assert [b.kind for b in cloze.blanks] == ["shortanswer", "numerical", "multichoice", "multiresponse"]
    assert [b.number for b in cloze.blanks] == [1, 2, 3, 4]
    assert [b.mark for b in cloze.blanks] == [2, 1, 1, 3]
    assert cloze.total_mark == 7
    assert cloze.parts[0] == "<p>Rome is the capital of "
    assert cloze.parts[1] == ".</p><p>7 x 6 = "
    assert cloze.parts[-1] == "</p>"
    short = cloze.blanks[0]
    assert [(a.text, a.fraction, a.feedback) for a in short.alternatives] == [
        ("Italy", 1.0, "Yes"),
        ("Lazio", 0.5, "Its region"),
    ]
    numeric = cloze.blanks[1].alternatives[0]
    assert (numeric.value, numeric.tolerance, numeric.fraction) == (42.0, 0.5, 1.0)
    choice = cloze.blanks[2]
    assert [(a.text, a.fraction) for a in choice.alternatives] == [("7", 0.0), ("11", 1.0), ("15", 0.0)]
    assert choice.layout == "dropdown" and not choice.shuffle
    assert cloze.blanks[0].source == "{2:SHORTANSWER:=Italy#Yes~%50%Lazio#Its region}"


@pytest.mark.parametrize(
    ("name", "kind", "case", "layout", "shuffle"),
    [
        ("SA", "shortanswer", False, "", False),
        ("MW", "shortanswer", False, "", False),
        ("SHORTANSWER_C", "shortanswer", True, "", False),
        ("SAC", "shortanswer", True, "", False),
        ("MWC", "shortanswer", True, "", False),
        ("NM", "numerical", False, "", False),
        ("MC", "multichoice", False, "dropdown", False),
        ("MULTICHOICE_V", "multichoice", False, "vertical", False),
        ("MCV", "multichoice", False, "vertical", False),
        ("MULTICHOICE_H", "multichoice", False, "horizontal", False),
        ("MULTICHOICE_S", "multichoice", False, "dropdown", True),
        ("MCVS", "multichoice", False, "vertical", True),
        ("MULTICHOICE_HS", "multichoice", False, "horizontal", True),
        ("MR", "multiresponse", False, "vertical", False),
        ("MULTIRESPONSE_H", "multiresponse", False, "horizontal", False),
        ("MRS", "multiresponse", False, "vertical", True),
        ("MULTIRESPONSE_HS", "multiresponse", False, "horizontal", True),
    ],
)
def test_every_type_name_and_its_short_form(name, kind, case, layout, shuffle):
    answers = "=1~2" if kind != "numerical" else "=1"
    blank = one(f"Pick {{1:{name}:{answers}}}.")
    assert (blank.kind, blank.case_sensitive, blank.layout, blank.shuffle) == (kind, case, layout, shuffle)


def test_numerical_forms_as_moodle_reads_them():
    blank = one("{1:NUMERICAL:=3.14:0.01~%50%3,1:0,1#close~-2e3~*#Any other number}")
    got = [(a.value, a.tolerance, a.fraction, a.feedback) for a in blank.alternatives]
    assert got == [
        (3.14, 0.01, 1.0, ""),
        (3.1, 0.1, 0.5, "close"),
        (-2000.0, 0.0, 0.0, ""),
        (None, 0.0, 0.0, "Any other number"),
    ]
    # Moodle takes the tolerance without its sign.
    assert one("{:NM:=10:-2}").alternatives[0].tolerance == 2.0


def test_weights_in_percent_with_either_decimal_mark():
    blank = one("{1:SA:%100%cat~%33.3%kitten~%-25%dog~%12,5%feline}")
    assert [a.fraction for a in blank.alternatives] == pytest.approx([1.0, 0.333, -0.25, 0.125])


def test_multiresponse_fractions_are_moodles():
    # Without %N%: the right choices share 1 and each wrong one takes back one share.
    plain = one("{2:MR:=a~=b~c~d}")
    assert [a.fraction for a in plain.alternatives] == [0.5, 0.5, -0.5, -0.5]
    # With %N%: positives scaled to add up to 1, the others as written.
    given = one("{1:MR:%50%a~%100%b~%-50%c}")
    assert [round(a.fraction, 6) for a in given.alternatives] == [0.333333, 0.666667, -0.5]


def test_escapes_and_entities():
    blank = one(r"{1:SA:=a\}b\#c\~d\/e\"f\\g#It's \#1 \~ \} ok~%50%&amp;#x~AT&T}")
    first, second, third = blank.alternatives
    assert first.text == 'a}b#c~d/e"f\\g'
    assert first.feedback == "It's #1 ~ } ok"
    # '&amp;#' keeps its '#': the answer is '&#x' as written (entity-decoded: '&#x').
    assert second.text == "&#x"
    assert third.text == "AT&T"
    assert escape('a}b#c~d/e"f\\g') == r"a\}b\#c\~d\/e\"f\\g"


def test_html_entities_inside_an_answer_do_not_split_it():
    blank = one("{1:MC:=caf&#233;~t&eacute;~x&amp;~y~z}")
    # As Moodle's (?<!&amp;): a '~' right after '&amp;' does not end the choice.
    assert [a.text for a in blank.alternatives] == ["café", "té", "x&~y", "z"]


def test_a_list_may_start_with_a_tilde_as_in_moodle():
    blank = one("{1:MC:~=yes~no}")
    assert [(a.text, a.fraction) for a in blank.alternatives] == [("yes", 1.0), ("no", 0.0)]


def test_text_that_only_looks_like_braces_stays_text():
    cloze = parse(r"Solve $\frac{1}{2}$ and {x} then {1:SA:=ok} {not:a blank} {key: value}")
    assert len(cloze.blanks) == 1
    assert cloze.parts == (r"Solve $\frac{1}{2}$ and {x} then ", " {not:a blank} {key: value}")


def test_multiline_blank_and_feedback_read_as_with_moodles_s_flag():
    blank = one("{1:SA:=two\nlines#first\nsecond}")
    assert blank.alternatives[0].text == "two\nlines"
    assert blank.alternatives[0].feedback == "first\nsecond"


@pytest.mark.parametrize(
    ("text", "number", "said"),
    [
        ("{1:SA:=x} and {1:SHORTANSWER:}", 2, "answer 1 is empty"),
        ("{1:SA:=x} {2:FOO:=y}", 2, "'FOO' is not a Cloze type"),
        ("{1:shortanswer:=Paris}", 1, "Moodle reads only uppercase names: SHORTANSWER"),
        ("{1:SA:=Paris", 1, "no closing '}'"),
        ("{1:MC:=only}", 1, "at least 2 choices"),
        ("{1:MC:=a~b~a}", 1, "the choice 'a' is there twice"),
        ("{1:SA:%50%half}", 1, "no answer is fully right"),
        ("{1:MR:a~b}", 1, "no choice is right"),
        ("{1:NUMERICAL:=four}", 1, "'four' is not a number"),
        ("{1:NM:=4:x}", 1, "'4:x' is not a number"),
        ("{0.5:SA:=x}", 1, "its mark '0.5' is not a whole number"),
        ("{0:SA:=x}", 1, "its mark is 0"),
        ("{1:SA:%150%x}", 1, "the weight %150% is outside"),
        ("{1:MC:=a~~b}", 1, "answer 2 is empty"),
        ("{MULTICHOICE:=a~b}", 1, "the mark and its colon are missing"),
    ],
)
def test_a_malformed_blank_names_the_question_and_the_blank(text, number, said):
    with pytest.raises(ExamError) as err:
        parse(text, "question 3 (id 'capitals')")
    message = str(err.value)
    assert message.startswith(f"question 3 (id 'capitals'): blank {number} '{{")
    assert said in message


def test_every_malformed_blank_is_listed():
    with pytest.raises(ExamError) as err:
        parse("{1:SA:} {1:SA:=ok} {1:MC:=a}", "question 1")
    assert [p.split(":")[1] for p in err.value.problems] == [" blank 1 '{1", " blank 3 '{1"]


def test_a_text_without_blanks_is_refused():
    with pytest.raises(ExamError, match=r"question 2: question: no blank found"):
        parse("Nothing to fill in.", "question 2")


def test_a_long_broken_blank_is_cut_in_the_message():
    with pytest.raises(ExamError) as err:
        parse("{1:SA:=" + "x" * 5000, "question 1")
    assert len(str(err.value)) < 200


@pytest.mark.parametrize(
    "text",
    [
        "{2:SHORTANSWER:=Italy#Yes~%50%Lazio#Its region}",
        "{1:SHORTANSWER_C:=Paris~*#Check the spelling}",
        r"{1:SHORTANSWER:=a\}b\#c\~d\/e\"f\\g#It's \#1}",
        "{1:NUMERICAL:=42:0.5~%50%40:3~*#No}",
        "{1:MULTICHOICE_HS:~=yes#good~no#bad~%50%maybe}",
        "{3:MULTIRESPONSE_S:=a~=b~c}",
        "{1:MULTIRESPONSE:%50%a~%100%b~%-50%c}",
    ],
)
def test_a_blank_written_back_reads_the_same(text):
    blank = one(text)
    again = one(blank_source(blank))
    assert [(a.text, round(a.fraction, 4), a.feedback, a.value, a.tolerance) for a in again.alternatives] == [
        (a.text, round(a.fraction, 4), a.feedback, a.value, a.tolerance) for a in blank.alternatives
    ]
    assert (again.kind, again.mark, again.layout, again.shuffle, again.case_sensitive) == (
        blank.kind,
        blank.mark,
        blank.layout,
        blank.shuffle,
        blank.case_sensitive,
    )

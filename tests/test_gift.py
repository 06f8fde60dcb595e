"""Moodle GIFT: reading banks as Moodle does, the items we skip, the errors' lines, writing GIFT back."""

from __future__ import annotations

import codecs
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import ExamError
from quiz_widgets.exam.formats.gift import BLANK, Skipped, read_gift, warn_skipped, write_gift

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "gift"
BANK = FIXTURES / "bank.gift"
BANK_CRLF_BOM = FIXTURES / "bank-crlf-bom.gift"


def read_bank(path: Path = BANK) -> tuple[dict, list[Skipped]]:
    return read_gift(path.read_bytes().decode("utf-8"), path.name)


def by_title(exam: dict) -> dict[str, dict]:
    return {q["title"]: q for q in exam["questions"] if "title" in q}


def one(text: str) -> dict:
    exam, skipped = read_gift(text, "t.gift")
    assert skipped == []
    assert len(exam["questions"]) == 1
    return exam["questions"][0]


def error_of(text: str, source: str = "t.gift") -> str:
    with pytest.raises(ExamError) as caught:
        read_gift(text, source)
    return str(caught.value)


# ------------------------------------------------------------------------------------------- the fixture bank


def test_bank_reads_every_question_with_ids_titles_and_topics():
    exam, _ = read_bank()
    assert exam["title"] == "bank"  # from the file name
    questions = exam["questions"]
    assert len(questions) == 24
    assert [q["id"] for q in questions] == list(range(1, 25))
    topics = [q.get("topic") for q in questions]
    assert topics[:7] == ["Protocols"] * 7
    assert topics[7:13] == ["Numbers"] * 6  # the matching item ("Match ports") is read too
    assert topics[13:] == ["Web"] * 11
    assert by_title(exam)["Match ports"]["pairs"] == {"HTTP": "80", "HTTPS": "443", "SSH": "22"}
    assert questions[2].get("title") is None  # the missing-word item has no ::name::
    assert by_title(exam)["Whitespace title"]["question"].startswith("Leading and trailing")


def test_single_choice_with_feedback_and_general_feedback_and_unescaped_urls():
    q = by_title(read_bank()[0])["HTTP port"]
    assert q["type"] == "singleChoice"
    assert q["format"] == "html"  # no marker: Moodle's auto-format, which is HTML
    assert q["options"] == {"A": "80", "B": "443", "C": "21"}
    assert q["answer"] == "A"
    assert "weights" not in q
    # "://" and ":80" inside feedback and "?topic=" inside general feedback are text, as in Moodle.
    assert q["feedback"] == {
        "A": "Right: http://example.org means http://example.org:80",
        "B": "That is HTTPS.",
        "C": "That is FTP.",
    }
    assert (
        q["explanation"] == "See https://developer.mozilla.org/en-US/docs/Web/HTTP?topic=ports for the list."
    )


def test_short_answer_partial_credit_feedback_and_any_other_answer():
    q = by_title(read_bank()[0])["DNS"]
    assert q["type"] == "text"
    assert q["answers"] == [
        {"text": "Domain Name System", "credit": 100.0},
        {"text": "domain name service", "credit": 50.0, "feedback": "Almost: it is a system."},
    ]
    assert q["incorrect_feedback"] == "No, look it up."  # the last =%0%* entry
    assert "answer" not in q


def test_missing_word_item_gets_a_blank_where_the_answers_were():
    q = read_bank()[0]["questions"][2]
    assert q["question"] == f"The protocol behind web pages is {BLANK} and it is stateless."
    assert q["options"] == {"A": "FTP", "B": "HTTP", "C": "SMTP"}
    assert q["answer"] == "B"


def test_true_false_with_wrong_and_right_feedback():
    exam = by_title(read_bank()[0])
    tcp = exam["TCP handshake"]
    assert tcp["type"] == "trueFalse"
    assert tcp["answer"] is True
    assert tcp["options"] == {"A": "True", "B": "False"}
    # {T#wrong#right}: the first text is shown for the wrong choice (False), the second for True.
    assert tcp["feedback"] == {"A": "Yes: SYN, SYN-ACK, ACK.", "B": "No: SYN, SYN-ACK, ACK is three steps."}
    udp = exam["UDP reliable"]
    assert udp["answer"] is False
    assert "feedback" not in udp


def test_multi_choice_weights_including_negative_ones():
    q = by_title(read_bank()[0])["Private ranges"]
    assert q["type"] == "multiChoice"
    assert q["weights"] == {"A": 50.0, "B": 50.0, "C": -100.0, "D": -100.0}
    assert q["answer"] == ["A", "B"]
    assert q["feedback"] == {"C": "That is Google's public DNS."}


def test_single_choice_weights():
    exam = by_title(read_bank()[0])
    weighted = exam["Weighted single"]
    assert weighted["type"] == "singleChoice"
    assert weighted["weights"] == {"A": 100.0, "B": 50.0, "C": 0.0}
    assert weighted["answer"] == "A"
    assert weighted["feedback"] == {"B": "A start, but the status page is faster."}
    two = exam["Two right"]  # two "=" answers: Moodle keeps one answer to pick, either is fully right
    assert two["type"] == "singleChoice"
    assert two["weights"] == {"A": 100.0, "B": 100.0, "C": 0.0, "D": 0.0}
    assert two["answer"] == "A"
    assert exam["Markdown item"]["weights"] == {"A": 100.0, "B": -50.0, "C": 0.0}


def test_numerical_tolerance_range_several_answers_and_wrong_feedback():
    exam = by_title(read_bank()[0])
    assert exam["Ping time"]["type"] == "numeric"
    assert (exam["Ping time"]["answer"], exam["Ping time"]["tolerance"]) == (15.0, 1.0)
    assert "answers" not in exam["Ping time"]
    assert (exam["MTU"]["answer"], exam["MTU"]["tolerance"]) == (1500.0, 0.0)
    assert (exam["Negative"]["answer"], exam["Negative"]["tolerance"]) == (-500.0, 10.0)
    assert exam["Latency range"]["answers"] == [{"min": 1.0, "max": 150.0, "credit": 100.0}]
    subnet = exam["Subnet size"]
    assert subnet["answers"] == [
        {
            "value": 6.0,
            "tolerance": 0.0,
            "credit": 100.0,
            "feedback": "Right: 8 addresses minus network and broadcast.",
        },
        {
            "value": 8.0,
            "tolerance": 0.0,
            "credit": 50.0,
            "feedback": "You forgot the network and broadcast addresses.",
        },
    ]
    assert subnet["incorrect_feedback"] == "Count 2^(32-29) and take two away."
    assert exam["Float"]["answers"] == [
        {"value": 2.0, "tolerance": 0.1, "credit": 100.0},
        {"value": 3.0, "tolerance": 0.1, "credit": 50.0, "feedback": "That is in vacuum."},
    ]


def test_escapes_wildcards_and_formats():
    exam = by_title(read_bank()[0])
    escapes = exam["Escapes"]
    assert escapes["question"] == (
        "In GIFT you write a literal { brace as \\{ and a colon as : (key=value works too). "
        "Which character starts a comment line?"
    )
    assert escapes["options"] == {"A": "//", "B": "#", "C": "="}
    assert exam["Wildcard"]["answer"] == "P*"
    html_item = exam["HTML item"]
    assert html_item["format"] == "html"
    assert html_item["question"] == "<p>Which tag makes <b>bold</b> text?</p>"
    assert html_item["options"]["A"] == "&lt;strong&gt;"
    assert html_item["feedback"] == {"A": "<em>Yes</em>."}
    markdown = exam["Markdown item"]
    assert markdown["format"] == "markdown"
    assert markdown["question"] == "Which **HTTP status** means *Not Found*?\n\nPick one."  # \n escapes
    plain = exam["Plain item"]
    assert (plain["format"], plain["question"]) == (
        "plain",
        "Is <script> a tag you should trust in quiz text?",
    )
    moodle = exam["Moodle format"]  # [moodle]: HTML, a line break of the source shown as one
    assert (moodle["format"], moodle["question"]) == ("html", "First line<br>\nsecond line of the stem")


def test_skipped_items_have_their_lines_and_titles():
    _, skipped = read_bank()
    assert [(s.line, s.what, s.title) for s in skipped] == [
        (48, "an essay question", "Reflection"),
        (52, "a description", "Intro"),
    ]
    lines = BANK.read_text(encoding="utf-8").split("\n")
    assert lines[47].startswith("::Reflection::")
    assert lines[49].startswith("::Match ports::")
    assert lines[51].startswith("::Intro::")


def test_warn_skipped_gives_one_warning_per_item_naming_file_and_line():
    _, skipped = read_bank()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_skipped(skipped, "week3.gift")
    messages = [str(w.message) for w in caught]
    assert all(w.category is UserWarning for w in caught)
    assert messages == [
        "week3.gift, line 48: skipped an essay question 'Reflection': "
        "quiz_widgets grades answers itself and has no free-text essays",
        "week3.gift, line 52: skipped a description 'Intro': it has no answer block {...}, so there is nothing to ask",
    ]


def test_crlf_and_bom_variant_reads_the_same():
    raw = BANK_CRLF_BOM.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    assert raw.count(b"\r\n") == raw.count(b"\n") > 80  # really CRLF throughout (not normalised by git)
    exam, skipped = read_bank(BANK_CRLF_BOM)
    plain_exam, plain_skipped = read_bank()
    assert exam["questions"] == plain_exam["questions"]
    assert skipped == plain_skipped


def test_old_mac_line_ends_are_lines_too():
    text = BANK.read_text(encoding="utf-8").replace("\n", "\r")
    exam, skipped = read_gift(text, "bank.gift")
    assert exam == read_bank()[0]
    assert [s.line for s in skipped] == [48, 52]


def test_bank_loads_into_the_model_with_partial_credit():
    from quiz_widgets.exam import load_exam

    exam = load_exam(read_bank()[0])
    assert len(exam) == 24
    q = {question.title: question for question in exam.questions}
    assert q["Private ranges"].credit(q["Private ranges"].normalize(["A"])) == pytest.approx(0.5)
    assert q["Private ranges"].credit(q["Private ranges"].normalize(["A", "B", "C"])) == 0
    assert q["Subnet size"].credit(q["Subnet size"].normalize(8)) == pytest.approx(0.5)
    assert q["DNS"].credit(q["DNS"].normalize("Domain name service")) == pytest.approx(0.5)
    assert q["Weighted single"].credit(q["Weighted single"].normalize("B")) == pytest.approx(0.5)
    assert q["Latency range"].is_correct(q["Latency range"].normalize(120))


# ----------------------------------------------------------------------------------------- Moodle's readings


def test_category_title_and_topic_rules():
    text = "$CATEGORY: $course$/top/Biology//Chemistry/Cells\n\nQ {T}\n\n$CATEGORY: $course$/top\n\nR {F}\n"
    exam, _ = read_gift(text)  # no file name: the first category names the exam
    assert exam["title"] == "Cells"
    assert exam["questions"][0]["topic"] == "Cells"
    assert "topic" not in exam["questions"][1]  # the course's top category is no subject
    assert read_gift("Q {T}")[0]["title"] == "GIFT questions"
    nested = read_gift("$CATEGORY: a/b//c\n\nQ {T}")[0]
    assert nested["questions"][0]["topic"] == "b/c"


def test_text_after_category_without_blank_line_is_reported_not_lost():
    exam, skipped = read_gift("// c\n$CATEGORY: Maths\nWhat is 1+1? {#2}\n\nOther {T}\n", "m.gift")
    assert [q["question"] for q in exam["questions"]] == ["Other"]
    assert exam["questions"][0]["topic"] == "Maths"
    assert [(s.line, s.what) for s in skipped] == [(3, "text")]
    assert "part of the category name" in skipped[0].why


def test_comment_lines_inside_an_item_do_not_split_it():
    q = one("// about Q\nQuestion text\n// a note between\n{=a ~b}")
    assert q["question"] == "Question text"
    assert q["options"] == {"A": "a", "B": "b"}


def test_only_exact_uppercase_true_false_words_make_a_true_false_item():
    assert one("Q {TRUE}")["type"] == "trueFalse"
    assert one("Q {F#no}")["feedback"] == {"A": "no"}
    lower = one("Q {true}")
    assert (lower["type"], lower["answer"]) == ("text", "true")  # Moodle reads it as a short answer


def test_an_unescaped_equals_sign_in_a_choice_starts_a_right_answer():
    q = one("Where? {~a=b ~c}")  # Moodle: "~a=b" is a wrong "a" and a right "b"
    assert q["options"] == {"A": "a", "B": "b", "C": "c"}
    assert q["answer"] == "B"


def test_a_weight_after_an_equals_sign_is_text_as_in_moodle():
    q = one("Q {=%50%half ~other}")  # Moodle checks "=" first: full credit, and "%50%" stays in the text
    assert q["options"] == {"A": "%50%half", "B": "other"}
    assert (q["answer"], "weights" in q) == ("A", False)


def test_a_short_answer_with_an_arrow_cannot_be_written():
    exam = {"title": "A", "questions": [
        {"id": 1, "question": "Q", "type": "text", "answers": [
            {"text": "a->b"}, {"text": "ab", "feedback": "a -> b"}], "incorrect_feedback": "x->y"}]}  # fmt: skip
    text, warned = write_gift(exam)
    assert len(warned) == 1 and "'a->b'" in warned[0]
    q = one(text)  # still a short answer, not Moodle's matching question
    assert q["answers"] == [{"text": "ab", "credit": 100.0, "feedback": "a -\\> b"}]  # Markdown: renders "->"
    assert q["incorrect_feedback"] == "x-\\>y"


def test_title_without_closing_colons_is_question_text():
    q = one("::No end here {T}")
    assert "title" not in q
    assert q["question"] == "No end here"


def test_two_answer_blocks_keep_the_second_as_text_as_moodle_does():
    q = one("a {=b ~c} d {=e ~f}")
    assert q["question"] == "a  d {=e ~f}"
    assert q["options"] == {"A": "b", "B": "c"}


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ("Q1 {=a ~b}\nQ2 {=c ~d}\n", 2, 1),
        ("// bank\n::One:: 2+2? {#4}\n::Two:: Sky blue? {T}\n::Three:: Grass? {=green ~red}\n", 3, 2),
        ("Fill {=in ~out}\nthe set {1, 2}\n", 2, 1),
    ],
)
def test_questions_on_consecutive_lines_are_skipped_with_a_warning_naming_the_line(text, line, first):
    # Moodle reads them as one question whose text holds the next one's {...}: never shown to a learner.
    with pytest.raises(ExamError) as caught:
        read_gift(text, "runs.gift")
    assert f"runs.gift, line {line}: skipped" in str(caught.value)
    exam, skipped = read_gift(text + "\nLast {T}\n", "runs.gift")
    assert [q["question"] for q in exam["questions"]] == ["Last"]
    assert [s.line for s in skipped] == [line]
    message = skipped[0].message("runs.gift")
    assert f"line {first}" in message and "blank line" in message
    with pytest.warns(UserWarning, match=f"runs.gift, line {line}: skipped"):
        warn_skipped(skipped, "runs.gift")


def test_a_question_over_several_lines_is_still_one_question():
    q = one("[markdown]A question\nover two lines {=a ~b}\nthat goes on \\{with a literal brace\\}")
    assert q["question"] == f"A question\nover two lines {BLANK}\nthat goes on {{with a literal brace}}"


def test_empty_choice_answers_are_ignored_like_moodle_saves_them():
    q = one("Q {=a ~ ~b ~}")
    assert q["options"] == {"A": "a", "B": "b"}


def test_numerical_quirks():
    assert one("Q {#5..1}")["answers"] == [{"min": 1.0, "max": 5.0, "credit": 100.0}]  # ends swapped
    assert one("Q {#5:-2}")["tolerance"] == 2.0  # Moodle compares with the margin's absolute value
    q = one("Q {#=1e3:.5 =%25%+7}")
    assert q["answers"] == [
        {"value": 1000.0, "tolerance": 0.5, "credit": 100.0},
        {"value": 7.0, "tolerance": 0.0, "credit": 25.0},
    ]
    any_number = one("Q {#=3 =%0%*#Not that}")
    assert any_number["answer"] == 3.0
    assert any_number["incorrect_feedback"] == "Not that"


def test_general_feedback_alone_makes_an_essay():
    _, skipped = read_gift("Q1 {T}\n\nWrite. {####We read it by hand}\n", "e.gift")
    assert [(s.line, s.what) for s in skipped] == [(3, "an essay question")]


def test_plain_feedback_in_an_html_question_is_escaped():
    q = one("Q {=a#[plain]<b> is bold ~c}")
    assert q["feedback"] == {"A": "&lt;b&gt; is bold"}


# ------------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("Q1 {T}\n\nQ2\n{=a ~b\n\nQ3 {T}", 4, "never closed"),
        ("Q1 {T}\n\nQ2 =a ~b}\n", 3, "no '{'"),
        ("Q1 }{T}", 1, "before the answer block"),
        ("Q1 {T}\n\n\n// c\nQ2 {#\n=abc\n}", 6, "'abc'"),
        ("Q {#1..x}", 1, "range end"),
        ("Q {#3,14}", 1, "expected a number"),
        ("Q {#inf}", 1, "expected a number"),
        ("Q {#}", 1, "at least one number"),
        ("Q\n{\n~%150%a\n~%-50%b\n}", 3, "between -100% and 100%"),
        ("Q {~%--50%a =b}", 1, "weight"),
        ("Q {~a ~b}", 1, "Moodle needs"),
        ("Q {~%50%a ~b =}", 1, "no answer is worth 100%"),
        ("Q {~%50%a ~%30%b ~c}", 1, "add up to 80%"),
        ("Q {~only}", 1, "at least 2 answers"),
        ("Q {=%50%half}", 1, "no short answer is worth 100%"),
        ("::T::{=a ~b}", 1, "no text"),
    ],
)
def test_malformed_items_raise_exam_error_naming_file_and_line(text, line, words):
    message = error_of(text, "bad.gift")
    assert f"bad.gift, line {line}: question " in message
    assert words in message


def test_every_malformed_item_is_listed_and_named():
    message = error_of("::A::Q {=a\n\n::B::R {#x}\n\nfine {T}", "two.gift")
    assert "two.gift: 2 problems" in message
    assert "two.gift, line 1: question 1 ('A'):" in message
    assert "two.gift, line 3: question 1 ('B'):" in message


@pytest.mark.parametrize("text", ["", "\ufeff", "// only a comment\n\n// and another", "\n\n  \n"])
def test_nothing_at_all_is_an_error(text):
    assert "no question quiz_widgets can use" in error_of(text, "empty.gift")


def test_nothing_usable_names_the_skipped_items_lines():
    message = error_of("Essay {}\n\n::D::Read chapter 4 first.\n", "s.gift")
    assert "s.gift: no question quiz_widgets can use" in message
    assert "s.gift, line 1: skipped an essay question" in message
    assert "s.gift, line 3: skipped a description 'D'" in message


def test_a_non_string_is_an_exam_error():
    with pytest.raises(ExamError, match="expected GIFT text"):
        read_gift(b"Q {T}", "b.gift")  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------ writing


def test_round_trip_of_the_bank_keeps_every_question():
    exam, _ = read_bank()
    text, warned = write_gift(exam)
    assert warned == []
    again, skipped = read_gift(text, "bank.gift")
    assert skipped == []
    assert again == exam


def test_written_gift_escapes_syntax_and_marks_formats():
    exam = {
        "title": "Esc",
        "questions": [
            {
                "id": 7,
                "title": "a::b",
                "question": "Is x = {1: 2} # a dict?\nSecond line",
                "type": "singleChoice",
                "options": ["yes ~ sure", "[html] no", "maybe\\"],
                "answer": "A",
                "explanation": "See http://x.org/?a=1",
            }
        ],
    }
    text, warned = write_gift(exam)
    assert warned == []
    assert "::a\\:\\:b::[markdown]Is x \\= \\{1\\: 2\\} \\# a dict?\\nSecond line{" in text
    assert "\t=yes \\~ sure\n" in text
    assert "\t~[markdown][html] no\n" in text
    assert "\t~maybe\\\\\n" in text
    assert "\t####See http\\://x.org/?a\\=1\n" in text
    q = one(text)
    assert q["title"] == "a::b"
    assert q["format"] == "markdown"
    assert q["question"] == "Is x = {1: 2} # a dict?\nSecond line"
    assert q["options"] == {"A": "yes ~ sure", "B": "[html] no", "C": "maybe\\"}
    assert q["explanation"] == "See http://x.org/?a=1"


def test_round_trip_of_a_markdown_exam_in_the_model_format():
    exam = {
        "title": "Warm-up",
        "questions": [
            {"id": 1, "question": "2 + 2?", "type": "numeric", "answer": 4, "tolerance": 0.5, "topic": "Sums"},
            {"id": 2, "question": "Pick the primes", "type": "multiChoice",
             "options": {"A": "2", "B": "3", "C": "4"}, "answer": ["A", "B"], "topic": "Sums"},
            {"id": 3, "question": "Capital of France?", "type": "text", "answer": ["Paris", "paris, france"],
             "incorrect_feedback": "Look at a map.", "topic": "Geo"},
            {"id": 4, "question": "Python is compiled to `bytecode` _____ it runs.", "type": "trueFalse",
             "answer": "True", "feedback": {"A": "Yes", "B": "No"}, "topic": "Geo"},
            {"id": 5, "question": "Any x in", "type": "numeric", "topic": "Geo",
             "answers": [{"min": 1, "max": 2, "feedback": "in"}, {"value": 5, "tolerance": 0, "credit": 50}]},
        ],
    }  # fmt: skip
    text, warned = write_gift(exam)
    assert len(warned) == 1 and "question 2 (id 2)" in warned[0] and "all-or-nothing" in warned[0]
    assert text.count("$CATEGORY:") == 2
    back, _ = read_gift(text, "warm-up.gift")
    qs = back["questions"]
    assert [q["topic"] for q in qs] == ["Sums", "Sums", "Geo", "Geo", "Geo"]
    assert all(q["format"] == "markdown" for q in qs)
    assert (qs[0]["answer"], qs[0]["tolerance"]) == (4.0, 0.5)
    assert qs[1]["answer"] == ["A", "B"]
    assert qs[1]["weights"] == {"A": 50.0, "B": 50.0, "C": -100.0}  # the exact set, as Moodle weights
    assert qs[2]["answer"] == ["Paris", "paris, france"]
    assert qs[2]["incorrect_feedback"] == "Look at a map."
    assert (qs[3]["answer"], qs[3]["feedback"]) == (True, {"A": "Yes", "B": "No"})
    assert qs[3]["question"] == f"Python is compiled to `bytecode` {BLANK} it runs."
    assert qs[4]["answers"] == [
        {"min": 1.0, "max": 2.0, "credit": 100.0, "feedback": "in"},
        {"value": 5.0, "tolerance": 0.0, "credit": 50.0},
    ]


def test_writer_warns_about_what_gift_cannot_say():
    exam = {
        "title": "W",
        "questions": [
            {"id": "n1", "question": "x > 0?", "type": "numeric", "precision": 3,
             "answers": [{"min": 0, "credit": 100}]},
            {"id": "t1", "question": "Name?", "type": "text", "answer": "Ada", "match_case": True,
             "fuzzy_threshold": 0.8},
            {"id": "m1", "question": "Pick", "type": "multiChoice", "options": ["a", "b", "c"],
             "answer": ["A"], "weights": {"A": 100, "B": 0, "C": -37}, "incorrect_feedback": "no"},
            {"id": "tf", "question": "Sure?", "type": "trueFalse", "options": ["Yes", "No"], "answer": "A"},
        ],
    }  # fmt: skip
    text, warned = write_gift(exam)
    joined = "\n".join(warned)
    for words in ("question 1 (id n1): precision 3", "question 1 (id n1): the open range 0..",
                  "question 2 (id t1): match_case", "question 2 (id t1): fuzzy_threshold",
                  "question 3 (id m1): incorrect_feedback", "question 3 (id m1): weight -37%",
                  "question 4 (id tf): GIFT true/false items say True and False"):  # fmt: skip
        assert words in joined
    assert len(warned) == 7
    back = read_gift(text, "w.gift")[0]["questions"]
    assert back[0]["answers"] == [{"min": 0.0, "max": 1e9, "credit": 100.0}]
    assert back[1]["answer"] == "Ada"
    assert back[3]["answer"] is True


def test_incorrect_feedback_of_a_single_choice_goes_to_the_wrong_options():
    exam = {"title": "S", "questions": [{"id": 1, "question": "Q", "options": ["a", "b", "c"], "answer": "B",
                                         "feedback": {"C": "c is odd"}, "incorrect_feedback": "Not that"}]}  # fmt: skip
    text, warned = write_gift(exam)
    assert warned == []
    assert one(text)["feedback"] == {"A": "Not that", "C": "c is odd"}


def test_exam_description_becomes_comments_and_bad_exams_are_exam_errors():
    text, _ = write_gift({"title": "D", "description": "Line one\nLine two", "questions": [
        {"id": 1, "question": "Q", "type": "trueFalse", "answer": False}]})  # fmt: skip
    assert "// Line one\n// Line two\n" in text
    with pytest.raises(ExamError):
        write_gift({"title": "D", "questions": "nope"})
    with pytest.raises(ExamError):
        write_gift({"title": "D", "questions": [{"id": 1, "question": "Q", "type": "essay"}]})


# ------------------------------------------------------------------------------------------------- fuzzing

_TOKENS = [
    "{", "}", "~", "=", "#", "####", "%50%", "%-100%", "%", "::", ":", "..", "->", "\\", "\\{", "\\}", "\\=",
    "\\#", "\\~", "\\:", "\\n", "\\\\", "[html]", "[markdown]", "[plain]", "[moodle]", "[", "]", "$CATEGORY:",
    "//", "/", "T", "TRUE", "F", "FALSE", "*", "3.14", "-1e3", "1..5", "abc", " ", "\n", "\n\n", "\r\n", "\r",
    "\ufeff", "\x00", "\x01", "_____", "é", "<b>", "0",
]  # fmt: skip
_FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_result(text: str) -> None:
    try:
        exam, skipped = read_gift(text, "fuzz.gift")
    except ExamError as error:
        assert "fuzz.gift" in str(error)
        assert "line " in str(error)
        return
    line_count = len(text.split("\n")) if "\n" in text else len(text.split("\r"))
    assert all(1 <= s.line <= line_count for s in skipped)
    assert exam["questions"]
    for q in exam["questions"]:
        assert q["type"] in ("singleChoice", "multiChoice", "trueFalse", "numeric", "text", "matching")
        assert q["format"] in ("html", "markdown", "plain")
        assert isinstance(q["question"], str) and q["question"].strip()
        if q["type"] in ("singleChoice", "multiChoice"):
            texts = [t.strip().casefold() for t in q["options"].values()]
            assert len(texts) >= 2 and len(set(texts)) == len(texts) and "" not in texts
            assert all(-100 <= w <= 100 for w in q.get("weights", {}).values())
        if q["type"] == "numeric":
            assert "answer" in q or q["answers"]


@_FUZZ
@given(st.text(max_size=400))
def test_fuzz_random_text_gives_a_dict_or_an_exam_error(text):
    _check_result(text)


@_FUZZ
@given(st.lists(st.sampled_from(_TOKENS), max_size=120).map("".join))
def test_fuzz_gift_token_soup_gives_a_dict_or_an_exam_error(text):
    _check_result(text)


_BANK_TEXT = BANK.read_text(encoding="utf-8")


@_FUZZ
@given(st.integers(0, len(_BANK_TEXT)), st.integers(0, len(_BANK_TEXT)))
def test_fuzz_truncations_and_cuts_of_the_bank(start, end):
    _check_result(_BANK_TEXT[:end])
    _check_result(_BANK_TEXT[start:])
    _check_result(_BANK_TEXT[:start] + _BANK_TEXT[end:])


@_FUZZ
@given(st.lists(st.sampled_from(_TOKENS), max_size=60).map("".join))
def test_fuzz_written_then_read_keeps_the_questions(stem):
    flat = stem.replace("->", "-")  # a short answer cannot hold "->" (its own test)
    exam = {"title": "F", "questions": [
        {"id": 1, "question": f"Q {stem} end", "options": [f"a{stem}", "b"], "answer": "A", "feedback": {"B": stem}},
        {"id": 2, "question": f"N {stem} end", "type": "numeric", "answer": 1.5, "tolerance": 0.25},
        {"id": 3, "question": f"S {stem} end", "type": "text", "answer": f"x{flat}y", "explanation": f"e{stem}e"},
    ]}  # fmt: skip
    text, _ = write_gift(exam)
    back = read_gift(text, "f.gift")[0]["questions"]

    def kept(value: str) -> str:  # what GIFT keeps: line ends as \n, no outer whitespace (PHP's trim set)
        return value.replace("\r\n", "\n").replace("\r", "\n").strip(" \t\n\r\0\x0b")

    assert back[0]["question"] == kept(f"Q {stem} end")
    assert back[0]["options"]["A"] == kept(f"a{stem}")
    assert back[0].get("feedback", {}).get("B", "") == kept(stem)
    assert (back[1]["answer"], back[1]["tolerance"]) == (1.5, 0.25)
    assert back[2]["answer"] == kept(f"x{flat}y")
    assert back[2].get("explanation", "") == kept(f"e{stem}e")


def test_a_large_token_soup_finishes():
    # Linear passes only: a 2 MB file of syntax characters is read (or refused) like any other.
    text = ("{~=#%50%\\{::..->\n" * 40_000) + "Q {T}\n"
    with pytest.raises(ExamError):
        read_gift(text, "big.gift")
    exam, _ = read_gift("Q {T}\n\n" * 20_000, "many.gift")
    assert len(exam["questions"]) == 20_000


# ------------------------------------------------------------------------------- export then import: the same

# GIFT's syntax characters, weights and format markers, so a text may start with anything GIFT reads as syntax.
_SYNTAX = st.lists(
    st.sampled_from(["%", "=", "~", "#", "{", "}", ":", "::", "[", "]", "\\", "/", "//", "*", ".", "-", "5", "a",
                     " ", "\n", "%50%", "%-25%", "%100%", "%5.5%", "[html]", "[markdown]", "[plain]", "####"]),
    min_size=1, max_size=12,
).map("".join)  # fmt: skip
_GRADES = [100, 90, 80, 75, 70, 60, 50, 40, 30, 25, 20, 10, 5, 0]


def _kept(value: str) -> str:  # what GIFT keeps of a text: no outer whitespace (PHP's trim set)
    return value.strip(" \t\n\r\0\x0b")


def _written_texts(draw: st.DrawFn, count: int, *, short: bool = False) -> list[str]:
    texts: list[str] = []
    while len(texts) < count:
        text = draw(_SYNTAX)
        if short:  # GIFT cannot hold "->" in a short answer, and a lone "*" is Moodle's "any other answer"
            text = text.replace("->", "-")
        folded = [_kept(t).casefold() for t in texts]
        if _kept(text) and _kept(text) != "*" and _kept(text).casefold() not in folded:
            texts.append(text)
    return texts


@st.composite
def _syntax_exam(draw: st.DrawFn) -> dict:
    n = draw(st.integers(2, 4))
    texts = _written_texts(draw, n)
    notes = [draw(st.one_of(st.none(), _SYNTAX)) for _ in range(n)]
    letters = "ABCD"[:n]
    right = draw(st.integers(0, n - 1))
    single_weights = {k: (100 if i == right else draw(st.sampled_from([0, -50, 50, 25, -100])))
                      for i, k in enumerate(letters)}  # fmt: skip
    shorts = _written_texts(draw, 2, short=True)
    return {"title": "Syntax", "questions": [
        {"id": 1, "title": draw(_SYNTAX), "question": draw(_SYNTAX) + " end", "type": "singleChoice",
         "options": dict(zip(letters, texts, strict=True)), "answer": letters[right], "weights": single_weights,
         "feedback": {k: v for k, v in zip(letters, notes, strict=True) if v and _kept(v)}, "explanation": draw(_SYNTAX)},
        {"id": 2, "question": "Q " + draw(_SYNTAX), "type": "multiChoice", "options": dict(zip(letters, texts, strict=True)),
         "answer": list(letters[:1]), "weights": {k: (100 if k == "A" else -50) for k in letters}},
        {"id": 3, "question": "S", "type": "text", "answers": [
            {"text": shorts[0], "credit": 100, "feedback": draw(_SYNTAX)},
            {"text": shorts[1], "credit": draw(st.sampled_from(_GRADES[1:]))}]},
        {"id": 4, "question": "N", "type": "numeric", "answers": [
            {"value": 2, "tolerance": 0, "credit": 100, "feedback": draw(_SYNTAX)},
            {"value": 3, "tolerance": 0, "credit": draw(st.sampled_from(_GRADES[1:]))}]},
    ]}  # fmt: skip


def _meaning(question: dict, *, written: bool) -> dict:
    """What a learner is asked and what each answer earns, with GIFT's trimming applied to what was written."""
    keep = _kept if written else (lambda text: text)
    out: dict = {"question": keep(question["question"]), "title": keep(question.get("title", "")) or None,
                 "explanation": keep(question.get("explanation") or "")}  # fmt: skip
    if question["type"] in ("singleChoice", "multiChoice"):
        weights = question.get("weights") or {
            k: (100 if k == question["answer"] else 0) for k in question["options"]
        }
        feedback = question.get("feedback", {})
        out["options"] = [
            (keep(t), float(weights[k]), keep(feedback.get(k, ""))) for k, t in question["options"].items()
        ]
    else:
        out["answers"] = [(keep(e["text"]) if "text" in e else e["value"], float(e.get("credit", 100)),
                           keep(e.get("feedback", ""))) for e in question["answers"]]  # fmt: skip
    return out


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])  # fmt: skip
@given(_syntax_exam())
def test_export_then_import_gives_back_the_same_texts_and_credits(exam):
    text, _ = write_gift(exam)
    back, skipped = read_gift(text, "round.gift")
    assert skipped == []
    assert [_meaning(q, written=False) for q in back["questions"]] == [
        _meaning(q, written=True) for q in exam["questions"]
    ]


@pytest.mark.parametrize("text", ["%50% of the class", "%100%", "%-25%off", "%5.5% APR", "[html]%50%"])
def test_a_text_starting_like_a_weight_stays_text(text):
    exam = {"title": "P", "questions": [
        {"id": 1, "question": "Q", "type": "multiChoice", "options": [text, "other"], "answer": ["A"],
         "weights": {"A": 100, "B": 0}},
        {"id": 2, "question": "S", "type": "text", "answers": [{"text": text, "credit": 100}]},
    ]}  # fmt: skip
    written, _ = write_gift(exam)
    choice, short = read_gift(written, "p.gift")[0]["questions"]
    assert choice["options"]["A"] == text and choice["weights"] == {"A": 100.0, "B": 0.0}
    assert short["answer"] == text

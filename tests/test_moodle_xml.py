"""Moodle XML: reading banks as Moodle's qformat_xml does, what is skipped (with file, line and question),
hostile XML refused quickly, images, writing XML Moodle imports that reads back the same, the commands."""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz_widgets import load_exam
from quiz_widgets.cli import main
from quiz_widgets.errors import ExamError
from quiz_widgets.exam.formats.moodle_xml import read_moodle_xml, write_moodle_xml
from quiz_widgets.exam.formats.xml_tree import parse_xml, root_name

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BANK = FIXTURES / "moodle" / "bank.xml"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"


def read(text: str, source: str = "t.xml") -> tuple[dict, list]:
    return read_moodle_xml(text, source)


def error_of(text: str, source: str = "t.xml") -> str:
    with pytest.raises(ExamError) as caught:
        read_moodle_xml(text, source)
    return str(caught.value)


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def mc(answers: str, *, single: str | None = "true", extra: str = "", text: str = "Pick one") -> str:
    flag = f"<single>{single}</single>" if single is not None else ""
    return (
        f'<question type="multichoice"><name><text>Q</text></name>'
        f'<questiontext format="html"><text>{text}</text></questiontext>{flag}{extra}{answers}</question>'
    )


def ans(fraction: str, text: str, feedback: str = "") -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text>{text}</text>'
        f'<feedback format="html"><text>{feedback}</text></feedback></answer>'
    )


# ------------------------------------------------------------------------------------------- the fixture bank


def test_the_bank_reads_every_question_as_moodle_does() -> None:
    exam, skipped = read_moodle_xml(BANK.read_bytes(), "bank.xml")
    qs = {q["title"]: q for q in exam["questions"]}
    assert exam["title"] == "bank"
    assert list(qs) == [
        "Powerhouse",
        "Membrane-bound",
        "Prokaryote nucleus",
        "Cell theory author",
        "Cell diameter",
        "Match organelles",
        "Cloze membranes",
        "Drag words",
        "Select words",
    ]
    power = qs["Powerhouse"]
    assert power["type"] == "singleChoice" and power["answer"] == "A" and power["format"] == "html"
    # The blank fourth answer is one Moodle does not save; the category path's last part is the topic.
    assert list(power["options"]) == ["A", "B", "C"] and power["topic"] == "Cell biology"
    assert power["feedback"]["A"] == "<p>Yes: the <b>inner membrane</b> holds ATP synthase.</p>"
    assert power["explanation"] == "<p>Mitochondria run oxidative phosphorylation.</p>"
    assert power["moodle"] == {"shuffleanswers": True, "answernumbering": "ABCD"}
    assert f'src="data:image/png;base64,{PNG}"' in power["question"]
    multi = qs["Membrane-bound"]
    assert multi["type"] == "multiChoice" and multi["answer"] == ["A", "B"]
    assert multi["weights"] == {"A": 50, "B": 50, "C": -100}
    assert multi["question"] == "Which of these are bound by a membrane?<br>\nChoose all that apply."
    assert multi["moodle"]["shuffleanswers"] is False  # "0" is false, as trans_single reads it
    tf = qs["Prokaryote nucleus"]
    assert tf["answer"] is False and tf["feedback"]["B"] == "<p>Right.</p>"
    short = qs["Cell theory author"]
    assert short["format"] == "plain" and short["match_case"] is True
    assert short["topic"] == "Units & numbers"
    assert short["answers"][1] == {"text": "Schw*n", "credit": 50, "feedback": "Check the spelling."}
    assert short["incorrect_feedback"] == "He worked with Schleiden & Virchow's predecessors."
    number = qs["Cell diameter"]
    assert [(a["value"], a["tolerance"], a["credit"]) for a in number["answers"]] == [
        (20, 10, 100),
        (20, 20, 50),
    ]
    assert number["incorrect_feedback"] == "<p>Cells are 10 to 30 µm across.</p>"
    messages = [s.message("bank.xml") for s in skipped]
    assert messages[0].startswith(
        "bank.xml, line 230: skipped the units ('µm') of a numerical question 'Cell diameter'"
    )
    assert qs["Match organelles"]["type"] == "matching"
    assert qs["Match organelles"]["pairs"]["Ribosome"] == "protein synthesis"
    kinds = ["a description 'Reading'", "an essay question 'Explain osmosis'"]
    assert [m.split(": ", 1)[1].split(":")[0] for m in messages[1:]] == [f"skipped {k}" for k in kinds]
    assert [m.split(",")[1].split(":")[0] for m in messages[1:]] == [" line 240", " line 257"]
    # multianswer, ddwtos and gapselect are read as cloze (tests/test_cloze_banks.py)
    assert [q["type"] for q in exam["questions"][-3:]] == ["cloze", "cloze", "cloze"]


def test_load_exam_warns_once_per_skipped_item_and_grades_as_moodle_would() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exam = load_exam(BANK)
    assert len(caught) == 3 and all(str(BANK) in str(w.message) for w in caught)
    short = exam.by_id(4)
    assert short.credit(short.normalize("Schwann")) == 1
    assert short.credit(short.normalize("Schwan")) == 0.5  # Moodle's '*' wildcard
    assert short.credit(short.normalize("schwann")) == 0  # usecase 1: case matters
    number = exam.by_id(5)
    assert number.credit(number.normalize(28)) == 1 and number.credit(number.normalize(38)) == 0.5
    multi = exam.by_id(2)
    assert multi.credit(multi.normalize(["A"])) == 0.5


# -------------------------------------------------------------------------------------- Moodle's reading rules


def test_single_is_true_unless_false_zero_or_empty() -> None:
    two = ans("100", "a") + ans("0", "b")
    assert read(quiz(mc(two, single=None)))[0]["questions"][0]["type"] == "singleChoice"
    for value in ("false", "0", ""):
        multi = ans("100", "a") + ans("0", "b")
        assert read(quiz(mc(multi, single=value)))[0]["questions"][0]["type"] == "multiChoice"


def test_questions_moodle_refuses_are_errors_naming_file_line_and_question() -> None:
    message = error_of(quiz(mc(ans("50", "a") + ans("0", "b"))))
    assert "t.xml, line 3: question 1 ('Q'): no answer is worth 100% (the best is 50%)" in message
    message = error_of(quiz(mc(ans("50", "a") + ans("30", "b"), single="false")))
    assert "the positive fractions add up to 80%, Moodle needs 100%" in message
    message = error_of(quiz(mc(ans("100", "only"))))
    assert "needs at least 2 answers, found 1" in message


def test_an_old_localised_true_false_export_takes_true_first() -> None:
    xml = quiz('<question type="truefalse"><name><text>T</text></name><questiontext><text>Sky?</text></questiontext>'
               '<answer fraction="100"><text>wahr</text></answer><answer fraction="0"><text>falsch</text></answer>'
               "</question>")  # fmt: skip
    assert read(xml)[0]["questions"][0]["answer"] is True


def test_idnumbers_become_ids_when_every_question_has_a_different_one() -> None:
    one = mc(ans("100", "a") + ans("0", "b"), extra="<idnumber>cells-7</idnumber>")
    two = mc(ans("100", "a") + ans("0", "b"), extra="<idnumber>12</idnumber>")
    assert [q["id"] for q in read(quiz(one, two))[0]["questions"]] == ["cells-7", 12]
    assert [q["id"] for q in read(quiz(one, one))[0]["questions"]] == [1, 2]


def test_a_non_raster_or_missing_image_is_reported_and_not_embedded() -> None:
    svg = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="
    text = '<![CDATA[<p>Look <img src="@@PLUGINFILE@@/x.svg"> <img src="@@PLUGINFILE@@/gone.png"></p>]]>'
    xml = quiz(
        '<question type="truefalse"><name><text>Img</text></name><questiontext format="html">'
        f'<text>{text}</text><file name="x.svg" path="/" encoding="base64">{svg}</file></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
    )
    exam, skipped = read(xml)
    assert "data:" not in exam["questions"][0]["question"]
    messages = [s.message("t.xml") for s in skipped]
    assert any("the file 'x.svg' 'Img': not a PNG, JPEG, GIF or WebP image" in m for m in messages)
    assert any("the image 'gone.png' 'Img'" in m for m in messages)


def test_an_image_over_the_cap_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz_widgets.exam.formats import embedded

    monkeypatch.setattr(embedded, "IMAGE_MAX_BYTES", 40)
    text = '<![CDATA[<img src="@@PLUGINFILE@@/big.png">]]>'
    xml = quiz(
        '<question type="truefalse"><name><text>Big</text></name><questiontext format="html">'
        f'<text>{text}</text><file name="big.png" encoding="base64">{PNG}</file></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
    )
    exam, skipped = read(xml)
    assert "data:" not in exam["questions"][0]["question"]
    assert "more than the 40 byte limit of exam images" in skipped[0].message("t.xml")


def test_an_old_plain_category_and_a_declared_latin1_encoding_of_a_utf8_file(tmp_path: Path) -> None:
    # loading has checked the file is UTF-8 (Moodle requires it): a stale declaration does not garble it.
    xml = quiz(
        '<question type="category"><category>$course$/Mesures µm</category></question>',
        mc(ans("100", "µm") + ans("0", "mm"), text="Unité ?"),
    ).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    path = tmp_path / "old.xml"
    path.write_text(xml, encoding="utf-8")
    question = load_exam(path).questions[0]
    assert question.topic == "Mesures µm" and question.text == "Unité ?"
    assert [o.text for o in question.options] == ["µm", "mm"]


def test_nothing_usable_is_an_error_naming_what_was_skipped() -> None:
    xml = quiz(
        '<question type="essay"><name><text>E</text></name><questiontext><text>Why?</text></questiontext></question>'
    )
    assert (
        "t.xml: no question quiz_widgets can use (t.xml, line 3: skipped an essay question 'E'"
        in error_of(xml)
    )
    assert "found <html> at the top, expected Moodle XML's <quiz>" in error_of("<html/>")


# ------------------------------------------------------------------------------------------------ hostile XML

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY a "lollollollollollollollollollol">\n'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
    + "]>\n<quiz><question type='shortanswer'><questiontext><text>&j;</text></questiontext></question></quiz>"
)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (LAUGHS, "declares entities"),
        (
            '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>',
            "entities",
        ),
        ('<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "http://example.invalid/q.dtd"><quiz/>', "external"),
        ("<quiz>" + "<a>" * 5000 + "</a>" * 5000 + "</quiz>", "line 1: the XML is nested more than 64"),
        ("<quiz><question>\n<bad</question></quiz>", "t.xml: line 2 column"),
    ],
)
def test_hostile_or_broken_xml_is_an_exam_error_naming_the_file_quickly(text: str, words: str) -> None:
    started = time.perf_counter()
    message = error_of(text)
    assert time.perf_counter() - started < 1.0
    assert message.startswith("t.xml") and words in message


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz_widgets.exam import loading

    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 1000)
    big = tmp_path / "big.xml"
    big.write_text(quiz(mc(ans("100", "a" * 2000) + ans("0", "b"))), encoding="utf-8")
    with pytest.raises(ExamError, match=r"big\.xml: file is larger than 1000 bytes"):
        load_exam(big)


# ------------------------------------------------------------------------------------------------- writing


def test_export_has_the_shape_of_moodles_own_files_and_reads_back_the_same() -> None:
    exam, _ = read_moodle_xml(BANK.read_bytes(), "bank.xml")
    text, problems = write_moodle_xml(exam)
    root = parse_xml(text, "out.xml")
    assert root.tag == "quiz"
    kinds = [q.attrs["type"] for q in root.findall("question")]
    assert kinds == [
        "category",
        "multichoice",
        "multichoice",
        "truefalse",
        "category",
        "shortanswer",
        "numerical",
        "matching",
        "cloze",
        "cloze",
        "cloze",
    ]
    assert root.findall("question")[0].path("category", "text").text == "$course$/top/Cell biology"
    first = root.findall("question")[1]
    assert first.path("questiontext").attrs["format"] == "html"
    assert first.path("questiontext", "file").attrs == {"name": first.path("questiontext", "file").attrs["name"],
                                                        "path": "/", "encoding": "base64"}  # fmt: skip
    assert "@@PLUGINFILE@@/image-" in first.path("questiontext", "text").text
    assert [a.attrs["fraction"] for a in root.findall("question")[2].findall("answer")] == [
        "50",
        "50",
        "-100",
    ]
    assert first.path("single").text == "true" and first.path("answernumbering").text == "ABCD"
    assert problems == []
    back, skipped = read_moodle_xml(text, "bank.xml")
    assert skipped == []
    original = {q["title"]: q for q in exam["questions"]}
    for q in back["questions"]:
        assert q == original[q["title"]]


def test_export_warns_about_what_moodle_xml_cannot_say() -> None:
    exam = {"title": "W", "questions": [
        {"id": 1, "question": "Pick", "type": "multiChoice", "options": ["a", "b", "c"], "answer": ["A", "B"]},
        {"id": 2, "question": "N", "type": "numeric", "answers": [{"min": 1, "credit": 100}], "precision": 3},
        {"id": 3, "question": "T", "type": "text", "answer": "x", "fuzzy_threshold": 0.8},
    ]}  # fmt: skip
    _, problems = write_moodle_xml(exam)
    joined = "\n".join(problems)
    assert "question 1 (id 1): Moodle has no all-or-nothing multiple answer" in joined
    assert "question 2 (id 2): precision 3" in joined and "an open range" in joined
    assert "question 3 (id 3): fuzzy_threshold" in joined
    _, problems = write_moodle_xml({"title": "S", "questions": [{"question": "Q", "type": "text", "answer": "a",
                                                                  "topic": "/etc/"}]})  # fmt: skip
    assert problems == [
        "question 1 (id 1): topic '/etc/': a Moodle category name cannot start or end with '/'"
    ]
    blank = {
        "title": "B",
        "questions": [{"question": "Q", "format": "html", "options": ["a", "<br>"], "answer": "A"}],
    }
    assert write_moodle_xml(blank)[1] == [
        "question 1 (id 1): option B '<br>': blank once its tags are removed, which Moodle does not save"
    ]


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&]]>*\\\n\"'@$"), min_size=1,
                max_size=30).filter(lambda t: t.strip() == t and t.strip())  # fmt: skip


@st.composite
def _exam(draw: st.DrawFn) -> dict:
    questions = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        kind = draw(st.sampled_from(["singleChoice", "multiChoice", "trueFalse", "numeric", "text"]))
        q: dict = {"id": number, "title": f"T{number} {draw(_TEXT)}", "question": draw(_TEXT), "format": "html",
                   "type": kind}  # fmt: skip
        if draw(st.booleans()):
            q["explanation"] = draw(_TEXT)
        if draw(st.booleans()):
            # A category name cannot start or end with "/" (its own test), "top" and "$x$" included.
            q["topic"] = draw(
                _TEXT.filter(lambda t: t.strip("/") == t) | st.sampled_from(["top", "$x$", "a//b"])
            )
        if kind in ("singleChoice", "multiChoice"):
            # An option blank once its tags are removed is one Moodle does not save (the writer warns).
            shown = _TEXT.filter(lambda t: re.sub(r"<[^>]*>|&nbsp;|\s", "", t))
            texts = draw(st.lists(shown, min_size=2, max_size=4, unique_by=str.casefold))
            q["options"] = dict(zip("ABCD", texts, strict=False))
            right = draw(st.lists(st.sampled_from(list(q["options"])), min_size=1, unique=True))
            q["answer"] = right[0] if kind == "singleChoice" else sorted(right)
            if kind == "multiChoice":
                # Moodle keeps fractions to 7 places (0.3333333): percentages to 5
                q["weights"] = {k: (round(100 / len(right), 5) if k in right else 0) for k in q["options"]}
            q["moodle"] = {"shuffleanswers": draw(st.booleans()), "answernumbering": "abc"}
        elif kind == "trueFalse":
            q["options"], q["answer"] = {"A": "True", "B": "False"}, draw(st.booleans())
        elif kind == "numeric":
            q["answer"] = draw(st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: round(v, 3)))
            q["tolerance"] = draw(st.sampled_from([0.0, 0.5, 2.0]))
        else:
            q["answers"] = [{"text": draw(_TEXT), "credit": 100.0}]
        questions.append(q)
    return {"title": "R", "questions": questions}


def _model(exam: dict) -> list:
    built = load_exam(exam)
    return [(q.id, q.text, q.kind, [(o.key, o.text, o.feedback) for o in q.options], q.answer, q.tolerance,
             q.explanation, q.topic, q.title, q.weights, q.answers, q.format, q.match_case) for q in built]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_exam())
def test_export_then_import_gives_back_the_same_questions(exam: dict) -> None:
    text, _ = write_moodle_xml(exam)
    back, skipped = read_moodle_xml(text, "round.xml")
    assert skipped == []
    back["title"] = "R"
    assert _model(back) == _model(exam)


# ------------------------------------------------------------------------------------------------------ fuzz

_FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_TOKENS = ["<quiz>", "</quiz>", '<question type="multichoice">', '<question type="numerical">', "</question>",
           "<answer fraction=\"100\">", "<answer fraction=\"x\">", "</answer>", "<text>", "</text>", "<![CDATA[",
           "]]>", "<questiontext>", "</questiontext>", "<single>false</single>", "&amp;", "&", "<tolerance>",
           "</tolerance>", "*", "1.5", "<category>", "</category>", '<question type="category">', "\n", " "]  # fmt: skip
_BANK_TEXT = BANK.read_text(encoding="utf-8")


def _check(text: str) -> None:
    try:
        exam, _ = read_moodle_xml(text, "fuzz.xml")
    except ExamError as error:
        assert "fuzz.xml" in str(error)
        return
    assert exam["questions"]
    for q in exam["questions"]:
        assert q["type"] in (
            "singleChoice",
            "multiChoice",
            "trueFalse",
            "numeric",
            "text",
            "cloze",
            "matching",
        )
    load_exam(exam)  # what the reader accepts, the model accepts


@_FUZZ
@given(st.lists(st.sampled_from(_TOKENS), max_size=80).map("".join))
def test_fuzz_moodle_token_soup_gives_a_dict_or_an_exam_error(text: str) -> None:
    _check(text)


@_FUZZ
@given(st.integers(0, len(_BANK_TEXT)), st.integers(0, len(_BANK_TEXT)))
def test_fuzz_truncations_and_cuts_of_the_bank(start: int, end: int) -> None:
    _check(_BANK_TEXT[:end])
    _check(_BANK_TEXT[:start] + _BANK_TEXT[end:])


# -------------------------------------------------------------------------------------------------- commands


def test_import_and_export_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bank.yaml"
    assert main(["import", str(BANK), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"skipped: {BANK}, line 257: skipped an essay question 'Explain osmosis'" in err
    assert main(["validate", str(out)]) == 0
    assert len(load_exam(out)) == 9 and yaml.safe_load(out.read_text("utf-8"))["questions"][0]["topic"]
    xml = tmp_path / "again.xml"
    assert main(["export", str(out), "--to", "moodle-xml", "-o", str(xml)]) == 0
    assert "as Moodle XML" in capsys.readouterr().out
    assert [q.raw for q in load_exam(xml)] == [q.raw for q in load_exam(out)]


@pytest.mark.parametrize("text", ["<!--<!--<!--", "<!-- a --><!--<!-- b", "<?xml <?x", "\ufeff<!---->"])
def test_an_unclosed_comment_before_any_element_is_an_error_not_a_hang(tmp_path: Path, text: str) -> None:
    path = tmp_path / "c.xml"
    path.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(ExamError, match=r"c\.xml: found no XML element at the top, expected Moodle XML"):
        load_exam(path)
    assert time.perf_counter() - started < 1.0


@_FUZZ
@given(st.lists(st.sampled_from(["<!--", "-->", "<?", "?>", ">", "<", "<quiz", "<a:b ", "/>", "x", "\n"]),
                max_size=60).map("".join))  # fmt: skip
def test_fuzz_the_first_element_is_found_or_none_never_a_hang(text: str) -> None:
    found = root_name(text)
    assert found is None or (found and "<" not in found)


def test_bank_html_is_sanitized_and_its_image_drawn_as_all_exam_text() -> None:
    from quiz_widgets.richtext import render

    hostile = '<![CDATA[<p onclick="x()">Hi<script>alert(1)</script><img src="@@PLUGINFILE@@/d.png" onerror="x()"></p>]]>'
    xml = quiz(
        '<question type="truefalse"><name><text>H</text></name><questiontext format="html">'
        f'<text>{hostile}</text><file name="d.png" encoding="base64">{PNG}</file></questiontext>'
        '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>'
    )
    question = load_exam(read(xml)[0]).questions[0]
    shown = render(question.text, fmt=question.format)
    assert f'src="data:image/png;base64,{PNG}"' in shown
    assert "<script" not in shown and "onerror" not in shown and "onclick" not in shown and "Hi" in shown


def test_open_numeric_ranges_are_written_as_a_value_and_a_wide_margin() -> None:
    exam = {"title": "O", "questions": [{"question": "N", "type": "numeric", "answers": [
        {"min": 5, "credit": 100}, {"max": -5, "credit": 50}]}]}  # fmt: skip
    text, problems = write_moodle_xml(exam)
    entries = read_moodle_xml(text, "o.xml")[0]["questions"][0]["answers"]
    assert [(e["value"] - e["tolerance"], e["value"] + e["tolerance"]) for e in entries] == [(5, 5 + 1e9),
                                                                                            (-5 - 1e9, -5)]  # fmt: skip
    assert len(problems) == 2 and all("open range" in p for p in problems)

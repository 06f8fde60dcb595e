"""Cloze in banks: Moodle XML's multianswer, ddwtos and gapselect and Canvas's fill in multiple blanks and
multiple dropdowns read as cloze questions; cloze written back to Moodle XML (multianswer) and Canvas QTI (where
Canvas can hold it); GIFT, which has no cloze, leaves it out with a warning naming the question."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quiz_widgets.errors import ExamError
from quiz_widgets.exam.formats.cloze_syntax import parse
from quiz_widgets.exam.formats.gift import write_gift
from quiz_widgets.exam.formats.moodle_xml import read_moodle_xml, write_moodle_xml
from quiz_widgets.exam.formats.qti import read_qti, read_qti_zip, write_qti

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BANK = FIXTURES / "moodle" / "bank.xml"


def by_title(exam: dict) -> dict:
    return {q["title"]: q for q in exam["questions"]}


def quiz(*questions: str) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def question(kind: str, text: str, extra: str = "", name: str = "Q") -> str:
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>{extra}</question>'
    )


def test_moodle_multianswer_ddwtos_and_gapselect_are_read_as_cloze():
    exam, skipped = read_moodle_xml(BANK.read_bytes(), "bank.xml")
    qs = by_title(exam)
    membranes = qs["Cloze membranes"]
    assert membranes["type"] == "cloze" and membranes["format"] == "html"
    assert membranes["question"] == "<p>The plasma membrane is a {1:SHORTANSWER:=phospholipid} bilayer.</p>"
    # ddwtos: each [[n]] a dropdown of choice n's group, n right; shuffleanswers 1 makes it _S.
    drag = parse(qs["Drag words"]["question"])
    assert [b.kind for b in drag.blanks] == ["multichoice", "multichoice"]
    assert all(b.shuffle for b in drag.blanks)
    assert [(a.text, a.fraction) for a in drag.blanks[0].alternatives] == [("nucleus", 1.0), ("vacuole", 0.0)]
    assert [(a.text, a.fraction) for a in drag.blanks[1].alternatives] == [
        ("ribosomes", 1.0),
        ("lysosomes & peroxisomes", 0.0),
    ]
    assert drag.parts[0] == "<p>The " and drag.parts[1] == " is the control centre of the cell; "
    select = parse(qs["Select words"]["question"])
    assert not select.blanks[0].shuffle
    assert [(a.text, a.fraction) for a in select.blanks[0].alternatives] == [
        ("chloroplasts", 0.0),
        ("amyloplasts", 1.0),
    ]
    assert not any("Cloze" in s.what or "ddwtos" in s.what or "gapselect" in s.what for s in skipped)


def test_moodles_export_type_cloze_is_read_too():
    exam, _ = read_moodle_xml(quiz(question("cloze", "2 + 2 = {2:NUMERICAL:=4:0}")))
    assert exam["questions"][0]["type"] == "cloze"
    assert parse(exam["questions"][0]["question"]).blanks[0].mark == 2


def test_a_malformed_moodle_cloze_names_file_line_question_and_blank():
    with pytest.raises(ExamError) as err:
        read_moodle_xml(quiz(question("cloze", "Fill {1:SHORTANSWER:} in", name="Broken")), "bank.xml")
    assert (
        "bank.xml, line 3: question 1 ('Broken'): blank 1 '{1:SHORTANSWER:}': its answer 1 is empty"
        in str(err.value)
    )


def test_a_gap_question_moodle_cannot_show_as_dropdowns_is_skipped_with_its_reason():
    one_choice = "<dragbox><text>only</text><group>1</group></dragbox><dragbox><text>b</text><group>2</group></dragbox>"
    exam, skipped = read_moodle_xml(
        quiz(
            question("ddwtos", "The [[1]] one.", one_choice, name="Lonely"),
            question("cloze", "{1:SA:=ok}", name="Fine"),
        ),
        "bank.xml",
    )
    assert [q["title"] for q in exam["questions"]] == ["Fine"]
    assert skipped[0].message("bank.xml") == (
        "bank.xml, line 3: skipped a ddwtos question 'Lonely': the gap [[1]] offers one choice ('only')"
    )
    with pytest.raises(ExamError, match=r"line 3: question 1 \('Gapless'\): the question has no gap"):
        read_moodle_xml(quiz(question("gapselect", "No gaps here.", one_choice, name="Gapless")))


def test_plain_text_gap_choices_stay_plain_text():
    extra = (
        "<selectoption><text>a &lt; b</text><group>1</group></selectoption>"
        "<selectoption><text>R&amp;D ~ #1 {x}</text><group>1</group></selectoption>"
    )
    exam, _ = read_moodle_xml(quiz(question("gapselect", "Pick [[2]].", extra)))
    blank = parse(exam["questions"][0]["question"]).blanks[0]
    assert [(a.text, a.fraction) for a in blank.alternatives] == [("a < b", 0.0), ("R&D ~ #1 {x}", 1.0)]


def zip_export(path: Path) -> Path:
    import zipfile

    root = FIXTURES / "canvas" / "export"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(root.rglob("*")):
            if file.is_file() and file.name != ".gitkeep":
                archive.write(file, file.relative_to(root).as_posix())
    return path


def test_canvas_fill_in_multiple_blanks_and_multiple_dropdowns_are_read_as_cloze(tmp_path: Path):
    exam, _ = read_qti_zip(zip_export(tmp_path / "week3.zip"), "week3.zip")
    qs = by_title(exam)
    blanks = qs["Blanks"]
    assert blanks["type"] == "cloze"
    assert blanks["question"] == (
        "<p>A proton's charge is {:SHORTANSWER:=positive~=+1}; the nucleus holds protons and "
        "{:SHORTANSWER:=neutrons}.</p>"
    )
    dropdowns = parse(qs["Dropdowns"]["question"])
    assert [[(a.text, a.fraction) for a in b.alternatives] for b in dropdowns.blanks] == [
        [("shells", 1.0), ("nuclei", 0.0), ("quarks", 0.0)],
        [("vacuum", 0.0), ("nucleus", 1.0)],
    ]


CLOZE_EXAM = {
    "title": "Capitals",
    "format": "html",
    "questions": [
        {
            "id": "cap",
            "type": "cloze",
            "question": "<p>Paris is in {1:SHORTANSWER:=France#Yes~%50%Gaul} and 2 + 2 = {2:NUMERICAL:=4:0}.</p>",
        },
        {
            "id": "words",
            "type": "cloze",
            "question": "Sky: {:SHORTANSWER:=blue~=azure}, grass: {:SA:=green}.",
        },
        {
            "id": "menus",
            "type": "cloze",
            "question": "A {:MULTICHOICE:=cat~dog} meows; a {:MC:cow~=dog} barks.",
        },
        {"id": 4, "type": "text", "question": "Capital of Italy?", "answer": "Rome"},
    ],
}


def test_moodle_xml_writes_cloze_as_moodles_export_does_and_reads_it_back():
    text, warnings = write_moodle_xml(CLOZE_EXAM)
    assert warnings == []
    assert text.count('<question type="cloze">') == 3
    # The name Moodle needs is the text's start without the blanks: no key in it.
    assert "<text>Paris is in ___ and 2 + 2 = ___.</text>" in text
    back, skipped = read_moodle_xml(text)
    assert skipped == []
    assert [q["question"] for q in back["questions"][:3]] == [
        q["question"] for q in CLOZE_EXAM["questions"][:3]
    ]
    assert [q["id"] for q in back["questions"]] == ["cap", "words", "menus", 4]


def test_gift_leaves_cloze_out_naming_the_question():
    text, warnings = write_gift(CLOZE_EXAM)
    assert warnings[0] == (
        "question 1 (id cap): GIFT has no cloze (embedded answers) questions: left out (Moodle XML keeps them)"
    )
    assert len(warnings) == 3
    assert "SHORTANSWER" not in text and "Capital of Italy?" in text


def test_canvas_qti_writes_the_blanks_it_can_hold_and_reads_them_back():
    text, warnings = write_qti(CLOZE_EXAM)
    # The first mixes a part-credit answer and a number: Canvas cannot hold it.
    assert warnings == [
        "question 1 (id cap): a cloze question Canvas cannot hold (Canvas blanks are all short answers or all "
        "dropdowns (no numbers, no several choices)): left out; Moodle XML keeps it"
    ]
    assert "fill_in_multiple_blanks_question" in text and "multiple_dropdowns_question" in text
    back, skipped = read_qti(text)
    assert skipped == []
    qs = {q["id"]: q for q in back["questions"]}
    words = parse(qs["words"]["question"])
    assert [[a.text for a in b.alternatives] for b in words.blanks] == [["blue", "azure"], ["green"]]
    assert words.parts == ("Sky: ", ", grass: ", ".")
    menus = parse(qs["menus"]["question"])
    assert [[(a.text, a.fraction) for a in b.alternatives] for b in menus.blanks] == [
        [("cat", 1.0), ("dog", 0.0)],
        [("cow", 0.0), ("dog", 1.0)],
    ]


def test_canvas_qti_says_why_a_cloze_is_left_out():
    exam = {
        "format": "html",
        "questions": [
            {"id": 1, "type": "cloze", "question": "{:SAC:=Paris}"},
            {"id": 2, "type": "cloze", "question": "{:SA:=Par*}"},
            {"id": 3, "type": "cloze", "question": "{:MC:=a~%50%b}"},
            {"id": 4, "type": "text", "question": "x?", "answer": "x"},
        ],
    }
    _, warnings = write_qti(exam)
    assert [re.search(r"cannot hold \((.*)\): left out", w).group(1) for w in warnings] == [
        "Canvas compares blanks without case",
        "Canvas blanks are right or wrong, without part credit or '*' wildcards",
        "a Canvas dropdown has one right answer and no part credit",
    ]

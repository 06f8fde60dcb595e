"""Canvas QTI 1.2: a quiz export (zip or assessment XML) read as Canvas writes it, what is skipped, a hostile zip
refused, a zip Canvas imports written that reads back the same, the commands."""

from __future__ import annotations

import io
import os
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz_widgets import load_exam
from quiz_widgets.cli import main
from quiz_widgets.errors import ExamError
from quiz_widgets.exam.formats.qti import read_qti, read_qti_zip, write_qti, write_qti_zip
from quiz_widgets.exam.formats.xml_tree import parse_xml

EXPORT = Path(__file__).resolve().parent / "fixtures" / "canvas" / "export"
ASSESSMENT = EXPORT / "g5d1c6a0" / "g5d1c6a0.xml"


def zip_export(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    """The fixture folder zipped as Canvas delivers an export."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for folder, _, files in os.walk(EXPORT):
            for name in files:
                full = Path(folder) / name
                archive.write(full, full.relative_to(EXPORT).as_posix())
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


# ------------------------------------------------------------------------------------------- the fixture export


def test_a_canvas_export_zip_reads_every_question(tmp_path: Path) -> None:
    exam, skipped = read_qti_zip(zip_export(tmp_path / "week3.zip"), "week3.zip")
    assert exam["title"] == "Week 3: Atoms"
    qs = {q["title"]: q for q in exam["questions"]}
    proton = qs["Proton charge"]
    assert proton["type"] == "singleChoice" and proton["answer"] == "A"
    assert proton["options"] == {"A": "+1", "B": "-1", "C": "0"}
    assert proton["feedback"] == {"B": "<p>That is the electron.</p>"}
    assert proton["explanation"] == "<p>Protons carry one positive elementary charge.</p>"
    assert 'src="data:image/png;base64,' in proton["question"]  # from web_resources/Uploaded Media/
    noble = qs["Noble gases"]
    assert noble["type"] == "multiChoice" and noble["answer"] == ["A", "C"]
    assert noble["incorrect_feedback"] == "<p>Group 18 only.</p>"
    assert qs["Electrons are heavy"]["type"] == "trueFalse" and qs["Electrons are heavy"]["answer"] is False
    assert qs["Symbol"]["answer"] == ["Na", "Na+"]
    assert (qs["Avogadro"]["answer"], qs["Avogadro"]["tolerance"]) == (6, 0)
    assert (qs["Molar mass of water"]["answer"], qs["Molar mass of water"]["tolerance"]) == (18, 0.1)
    assert qs["A pH in range"]["answers"] == [{"min": 3.0, "max": 6.5, "credit": 100.0}]
    messages = [s.message("week3.zip") for s in skipped]
    member = "week3.zip/g5d1c6a0/g5d1c6a0.xml"
    assert messages == [
        # An item Canvas wrote without its matches (this fixture's stub): read as a matching question, skipped.
        f"{member}, line 354: skipped a matching question 'Match particles': it has 0 matched items, at least 2 "
        "are needed",
        f"{member}, line 507: skipped an essay question 'Essay': quiz_widgets grades answers itself and has no "
        "free-text essays",
    ]


def test_load_exam_reads_the_zip_and_the_assessment_xml_and_grades_as_canvas(tmp_path: Path) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exam = load_exam(zip_export(tmp_path / "week3.zip"))
        alone = load_exam(ASSESSMENT)
    assert len(exam) == len(alone) == 9
    # The XML alone has no web_resources/: the image is named as missing.
    assert any("the image 'Uploaded Media/red dot.png'" in str(w.message) for w in caught)
    water = exam.by_id(6)
    assert water.credit(water.normalize(18.05)) == 1 and water.credit(water.normalize(18.2)) == 0
    symbol = exam.by_id(4)
    assert symbol.credit(symbol.normalize("na")) == 1  # Canvas compares case-insensitively


# ---------------------------------------------------------------------------------------------- hostile zips


def test_a_zip_bomb_is_refused_quickly(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("quiz/quiz.xml", b"<questestinterop>" + b" " * (60 * 1024 * 1024))
    started = time.perf_counter()
    with pytest.raises(ExamError, match=r"bomb\.zip: quiz/quiz\.xml: packed more than 200 to 1"):
        read_qti_zip(bomb, "bomb.zip")
    assert time.perf_counter() - started < 2
    assert bomb.stat().st_size < 200_000


def test_member_names_that_climb_out_are_refused_and_reported(tmp_path: Path) -> None:
    path = zip_export(tmp_path / "trav.zip", {"../../evil.xml": b"<questestinterop/>", "/abs.xml": b"x"})
    exam, skipped = read_qti_zip(path, "trav.zip")
    assert len(exam["questions"]) == 9
    names = [s.message("trav.zip") for s in skipped if "zip member" in s.what]
    assert names == [
        "trav.zip, line 0: skipped the zip member '../../evil.xml': its name points outside the archive",
        "trav.zip, line 0: skipped the zip member '/abs.xml': its name points outside the archive",
    ]


def test_a_manifest_pointing_outside_is_not_followed(tmp_path: Path) -> None:
    manifest = (b'<manifest><resources><resource type="imsqti_xmlv1p2"><file href="../x.xml"/></resource>'
                b"</resources></manifest>")  # fmt: skip
    path = tmp_path / "m.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
    with pytest.raises(ExamError, match=r"m\.zip: found no QTI assessment"):
        read_qti_zip(path, "m.zip")


def test_too_many_members_and_not_a_zip_are_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from quiz_widgets.exam.formats.qti import reader

    monkeypatch.setattr(reader, "MAX_MEMBERS", 5)
    with pytest.raises(ExamError, match=r"many\.zip: \d+ files in the zip, more than 5"):
        read_qti_zip(zip_export(tmp_path / "many.zip", {f"f{i}": b"" for i in range(5)}), "many.zip")
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"not a zip at all")
    with pytest.raises(ExamError, match=r"fake\.zip: not a readable zip file"):
        load_exam(fake)


def test_hostile_xml_inside_a_zip_is_refused(tmp_path: Path) -> None:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "xxxxxxxxxx"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
              b"<questestinterop>&b;</questestinterop>")  # fmt: skip
    path = tmp_path / "h.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("q/q.xml", laughs)
    with pytest.raises(ExamError, match=r"h\.zip/q/q\.xml: the XML declares entities"):
        read_qti_zip(path, "h.zip")


# ------------------------------------------------------------------------------------------------- writing


def test_the_written_zip_has_canvas_layout_and_reads_back_the_same(tmp_path: Path) -> None:
    exam, _ = read_qti_zip(zip_export(tmp_path / "w.zip"), "w.zip")
    data, problems = write_qti_zip(exam)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[0] == "imsmanifest.xml" and any(
        n.startswith("web_resources/quiz_widgets/image-") for n in names
    )
    manifest = parse_xml(archive.read("imsmanifest.xml"), "imsmanifest.xml")
    resource = next(manifest.iter("resource"))
    assert resource.attrs["type"] == "imsqti_xmlv1p2"
    href = resource.find("file").attrs["href"]
    root = parse_xml(archive.read(href), href)
    types = [next(f.find("fieldentry").text for f in item.iter("qtimetadatafield")
                  if f.find("fieldlabel").text == "question_type") for item in root.iter("item")]  # fmt: skip
    assert types == ["multiple_choice_question", "multiple_answers_question", "true_false_question",
                     "short_answer_question", "numerical_question", "numerical_question", "numerical_question",
                     "fill_in_multiple_blanks_question", "multiple_dropdowns_question"]  # fmt: skip
    assert problems == []
    out = tmp_path / "again.zip"
    out.write_bytes(data)
    back, skipped = read_qti_zip(out, "again.zip")
    assert skipped == [] and back == exam


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("<>&*\"'$"), min_size=1,
                max_size=20).filter(lambda t: t.strip() == t)  # fmt: skip


@st.composite
def _exam(draw: st.DrawFn) -> dict:
    questions = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        kind = draw(st.sampled_from(["singleChoice", "multiChoice", "trueFalse", "numeric", "text"]))
        q: dict = {
            "id": number,
            "title": draw(_TEXT),
            "question": draw(_TEXT),
            "format": "html",
            "type": kind,
        }
        if draw(st.booleans()):
            q["explanation"] = draw(_TEXT)
        if draw(st.booleans()):
            q["topic"] = draw(_TEXT)
        if kind in ("singleChoice", "multiChoice"):
            texts = draw(st.lists(_TEXT, min_size=2, max_size=4, unique_by=str.casefold))
            q["options"] = dict(zip("ABCD", texts, strict=False))
            right = draw(st.lists(st.sampled_from(list(q["options"])), min_size=1, max_size=1 if kind ==
                                  "singleChoice" else 4, unique=True))  # fmt: skip
            q["answer"] = right[0] if kind == "singleChoice" else sorted(right)
        elif kind == "trueFalse":
            q["options"], q["answer"] = {"A": "True", "B": "False"}, draw(st.booleans())
        elif kind == "numeric":
            q["answer"] = draw(st.integers(-10_000, 10_000).map(float))
            q["tolerance"] = draw(st.sampled_from([0.0, 0.5, 2.0]))
        else:
            q["answer"] = draw(_TEXT)
        questions.append(q)
    return {"title": draw(_TEXT), "questions": questions}


def _model(exam: dict) -> list:
    return [(q.id, q.text, q.kind, [(o.key, o.text) for o in q.options], q.answer, q.tolerance, q.explanation,
             q.topic, q.title) for q in load_exam(exam)]  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_exam())
def test_export_then_import_gives_back_the_same_questions(exam: dict) -> None:
    text, _ = write_qti(exam)
    back, skipped = read_qti(text, "round.xml")
    assert skipped == []
    assert back["title"] == exam["title"] or not exam["title"].strip()
    back["title"] = exam["title"]
    assert _model(back) == _model(exam)


# ------------------------------------------------------------------------------------------------------ fuzz

_FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_TOKENS = ["<questestinterop>", "</questestinterop>", "<item title='x'>", "</item>", "<presentation>",
           "</presentation>", "<material><mattext>", "</mattext></material>", "<response_lid>", "</response_lid>",
           "<response_label ident='1'>", "</response_label>", "<respcondition>", "</respcondition>",
           "<varequal>", "</varequal>", "<setvar>100</setvar>", "<vargte>1</vargte>", "<varlte>x</varlte>",
           "<render_fib fibtype='Decimal'/>", "<fieldlabel>question_type</fieldlabel>", "&amp;", "&", "\n"]  # fmt: skip
_TEXT_OF = ASSESSMENT.read_text(encoding="utf-8")


def _check(text: str) -> None:
    try:
        exam, _ = read_qti(text, "fuzz.xml")
    except ExamError as error:
        assert "fuzz.xml" in str(error)
        return
    assert exam["questions"]
    load_exam(exam)  # what the reader accepts, the model accepts


@_FUZZ
@given(st.lists(st.sampled_from(_TOKENS), max_size=80).map("".join))
def test_fuzz_qti_token_soup_gives_a_dict_or_an_exam_error(text: str) -> None:
    _check(text)


@_FUZZ
@given(st.integers(0, len(_TEXT_OF)), st.integers(0, len(_TEXT_OF)))
def test_fuzz_truncations_and_cuts_of_the_assessment(start: int, end: int) -> None:
    _check(_TEXT_OF[:end])
    _check(_TEXT_OF[:start] + _TEXT_OF[end:])


# -------------------------------------------------------------------------------------------------- commands


def test_import_and_export_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = zip_export(tmp_path / "week3.zip")
    out = tmp_path / "week3.yaml"
    assert main(["import", str(source), "-o", str(out)]) == 0
    assert "skipped an essay question 'Essay'" in capsys.readouterr().err
    assert main(["export", str(out), "--to", "qti"]) == 2
    assert "-o canvas.zip" in capsys.readouterr().err
    canvas = tmp_path / "canvas.zip"
    assert main(["export", str(out), "--to", "qti", "-o", str(canvas)]) == 0
    assert "as a Canvas QTI 1.2 zip" in capsys.readouterr().out
    assert [q.raw for q in load_exam(canvas)] == [q.raw for q in load_exam(out)]


_WRITTEN = write_qti_zip(
    {
        "title": "Z",
        "questions": [{"id": 1, "question": "Q", "options": ["a", "b"], "answer": "A", "topic": "t"}],
    }
)[0]


@_FUZZ
@given(st.lists(st.tuples(st.integers(0, len(_WRITTEN) - 1), st.integers(0, 255)), min_size=1, max_size=6))
def test_fuzz_a_damaged_zip_gives_a_dict_or_an_exam_error(
    tmp_path_factory, flips: list[tuple[int, int]]
) -> None:
    damaged = bytearray(_WRITTEN)
    for at, value in flips:
        damaged[at] = value
    path = tmp_path_factory.mktemp("zip") / "damaged.zip"
    path.write_bytes(bytes(damaged))
    try:
        exam, _ = read_qti_zip(path, "damaged.zip")
    except ExamError as error:
        assert "damaged.zip" in str(error)
        return
    load_exam(exam)


def test_a_member_flagged_utf8_whose_name_is_not_is_an_exam_error(tmp_path: Path) -> None:
    # Hypothesis found it in Pyodide: the local header's UTF-8 flag set and a byte of its name not UTF-8
    # made zipfile raise UnicodeDecodeError, not an ExamError.
    damaged = bytearray(_WRITTEN)
    damaged[7] = 8  # the local header's flags, high byte: bit 11, "the name is UTF-8"
    damaged[30] = 0x95  # the first byte of the member's name
    path = tmp_path / "damaged.zip"
    path.write_bytes(bytes(damaged))
    with pytest.raises(ExamError, match=r"damaged\.zip"):
        read_qti_zip(path, "damaged.zip")


def test_an_encrypted_member_is_an_exam_error(tmp_path: Path) -> None:
    path = zip_export(tmp_path / "enc.zip")
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag of every entry (local headers and the central directory).
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(ExamError, match=r"enc\.zip: imsmanifest\.xml: cannot be read from the zip"):
        read_qti_zip(path, "enc.zip")


def test_a_course_export_with_several_quizzes_gives_each_quiz_title_as_topic(tmp_path: Path) -> None:
    first = write_qti({"title": "Quiz one", "questions": [{"id": 1, "question": "A?", "options": ["x", "y"],
                                                           "answer": "B"}]})[0]  # fmt: skip
    second = write_qti({"title": "Quiz two", "questions": [{"id": 1, "question": "B?", "type": "numeric",
                                                            "answer": 2}]})[0]  # fmt: skip
    path = tmp_path / "course.zip"
    with zipfile.ZipFile(path, "w") as archive:  # no manifest: every assessment file is read
        archive.writestr("a/a.xml", first)
        archive.writestr("b/b.xml", second)
        archive.writestr("b/assessment_meta.xml", "<quiz/>")
    exam, _ = read_qti_zip(path, "course.zip")
    assert [(q["question"], q["topic"]) for q in exam["questions"]] == [
        ("A?", "Quiz one"),
        ("B?", "Quiz two"),
    ]
    assert [q["id"] for q in exam["questions"]] == [1, 2]  # the files' own ids clash: positions instead


def test_a_canvas_multiple_choice_with_two_right_answers_accepts_either() -> None:
    # Canvas writes one respcondition per right answer.
    right = (
        '<respcondition continue="No"><conditionvar><varequal respident="response1">4503</varequal>'
        '</conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>'
    )
    text = ASSESSMENT.read_text("utf-8").replace("</resprocessing>", right + "</resprocessing>", 1)
    assert text.count("4503</varequal>") == 1
    question = load_exam(read_qti(text, "two.xml")[0]).questions[0]
    assert question.credit("A") == question.credit("C") == 1 and question.credit("B") == 0

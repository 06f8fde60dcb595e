"""Writing QTI 1.2 as Canvas exports it: write_qti(exam dict) -> (assessment XML, warnings) and
write_qti_zip(exam dict) -> (zip bytes Canvas's "QTI .zip file" import takes, warnings)."""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from collections.abc import Mapping
from typing import ClassVar
from xml.sax.saxutils import quoteattr

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.exam.formats import writing
from quiz_widgets.exam.formats.cloze_syntax import parse
from quiz_widgets.exam.formats.common import OPEN_END
from quiz_widgets.exam.formats.qti.reader import FILEBASE

__all__ = ["write_qti", "write_qti_zip"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_DATA_SRC = re.compile(r"""(src\s*=\s*)(["'])data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=]+)\2""")


def _esc(text: object) -> str:
    return html.escape(_NOT_XML.sub("", str(text)), quote=False)


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class _Writer(writing.Writer):
    not_written: ClassVar[Mapping[str, str]] = {
        "ordering": "Canvas's QTI 1.2 (Classic Quizzes) has no ordering question",
        "code": "Canvas's QTI 1.2 (Classic Quizzes) has no code question",
    }

    def __init__(self, exam: Mapping, *, pack_images: bool) -> None:
        super().__init__(exam)
        self.pack_images = pack_images
        self.files: dict[str, bytes] = {}  # web_resources/ name -> image bytes

    def mattext(self, text: object, fmt: str) -> str:
        text = str(text or "")
        if fmt == "html":
            if self.pack_images and "data:image/" in text:
                text = _DATA_SRC.sub(self.image, text)
            return f'<material><mattext texttype="text/html">{_esc(text)}</mattext></material>'
        if fmt == "markdown":
            self.warn_once("Canvas has no Markdown: the text is written as plain text")
        return f'<material><mattext texttype="text/plain">{_esc(text)}</mattext></material>'

    def warn_once(self, message: str) -> None:
        if f"{self.where}: {message}" not in self.warnings:
            self.warn(message)

    def image(self, match: re.Match) -> str:
        import base64

        raw = base64.b64decode(match[4])
        name = f"quiz_widgets/image-{hashlib.sha256(raw).hexdigest()[:12]}.{match[3].replace('jpeg', 'jpg')}"
        self.files[name] = raw
        return f"{match[1]}{match[2]}{FILEBASE}/{name}{match[2]}"

    def write(self, ident: str) -> str:
        title = str(self.exam.get("title") or "Quiz")
        items = []
        for number, q, fmt in self.questions():
            if q.get("type") == "cloze":
                cloze = self.cloze(q)
                if cloze is None:
                    continue
                q = {**q, "question": cloze[0], "_blanks": cloze[1]}
            items.append(self.item(q, number, fmt))
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<questestinterop xmlns="http://www.imsglobal.org/xsd/ims_qtiasiv1p2" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation='
            '"http://www.imsglobal.org/xsd/ims_qtiasiv1p2 http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd">\n'
            f"  <assessment ident={quoteattr(ident)} title={quoteattr(_NOT_XML.sub('', title))}>\n"
            "    <qtimetadata>\n"
            "      <qtimetadatafield><fieldlabel>cc_maxattempts</fieldlabel><fieldentry>1</fieldentry></qtimetadatafield>\n"
            "    </qtimetadata>\n"
            '    <section ident="root_section">\n'
            + "".join(items)
            + "    </section>\n  </assessment>\n</questestinterop>\n"
        )

    def item(self, q: Mapping, number: int, fmt: str) -> str:
        make = writing.for_type(
            q,
            self.where,
            {
                "singleChoice": self.choice,
                "multiChoice": self.choice,
                "trueFalse": self.truefalse,
                "numeric": self.numeric,
                "text": self.short,
                "cloze": self.blanks,
                "matching": self.matching,
            },
        )
        qtype, response, conditions, answer_feedback = make(q, fmt)
        ident = f"q{number}-{hashlib.sha256(str(q.get('id', number)).encode()).hexdigest()[:8]}"
        title = str(q.get("title") or f"Question {number}")
        meta = [
            ("question_type", qtype),
            ("points_possible", "1.0"),
            ("quiz_widgets_id", str(q.get("id", number))),
        ]
        if q.get("topic"):
            # Canvas has no topics: the item's metadata keeps it for a read back, Canvas ignores it.
            meta.append(("quiz_widgets_topic", str(q["topic"])))
        fields = "".join(
            f"<qtimetadatafield><fieldlabel>{k}</fieldlabel><fieldentry>{_esc(v)}</fieldentry></qtimetadatafield>"
            for k, v in meta
        )
        general = []
        if q.get("explanation"):
            general.append(("general_fb", q["explanation"]))
            conditions.insert(0, '<respcondition continue="Yes"><conditionvar><other/></conditionvar>'
                                 '<displayfeedback feedbacktype="Response" linkrefid="general_fb"/></respcondition>')  # fmt: skip
        if q.get("incorrect_feedback"):
            general.append(("general_incorrect_fb", q["incorrect_feedback"]))
            conditions.append('<respcondition continue="Yes"><conditionvar><other/></conditionvar>'
                              '<displayfeedback feedbacktype="Response" linkrefid="general_incorrect_fb"/></respcondition>')  # fmt: skip
        feedback = "".join(
            f"      <itemfeedback ident={quoteattr(fid)}><flow_mat>{self.mattext(text, fmt)}</flow_mat></itemfeedback>\n"
            for fid, text in [*general, *answer_feedback]
        )
        return (
            f"      <item ident={quoteattr(ident)} title={quoteattr(_NOT_XML.sub('', title))}>\n"
            f"        <itemmetadata><qtimetadata>{fields}</qtimetadata></itemmetadata>\n"
            f"        <presentation>{self.mattext(q.get('question', ''), fmt)}{response}</presentation>\n"
            "        <resprocessing><outcomes>"
            '<decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>\n'
            + "".join(f"          {c}\n" for c in conditions)
            + "        </resprocessing>\n"
            + feedback
            + "      </item>\n"
        )

    def choice(self, q: Mapping, fmt: str):  # type: ignore[no-untyped-def]
        options = writing.options(q, self.where)
        answer = q.get("answer")
        right = [answer.upper()] if isinstance(answer, str) else [str(a).upper() for a in answer or ()]
        single = q.get("type", "singleChoice") == "singleChoice"
        weights = q.get("weights") if isinstance(q.get("weights"), Mapping) else None
        if weights:
            full = [k for k, _ in options if float(weights.get(k, 0)) == 100] if single else right
            if any(0 < float(w) < 100 for w in weights.values()) or any(
                float(w) < 0 for w in weights.values()
            ):
                self.warn("weights: Canvas choice answers are right or wrong; partial weights are left out")
            right = full or right
        ids = {k: str(1000 + i) for i, (k, _) in enumerate(options)}
        labels = "".join(
            f'<response_label ident="{ids[k]}">{self.mattext(text, fmt)}</response_label>'
            for k, text in options
        )
        response = (
            f'<response_lid ident="response1" rcardinality="{"Single" if single else "Multiple"}">'
            f"<render_choice>{labels}</render_choice></response_lid>"
        )
        feedback = q.get("feedback") if isinstance(q.get("feedback"), Mapping) else {}
        notes = [(f"{ids[k]}_fb", feedback[k]) for k, _ in options if feedback.get(k)]
        conditions = [
            f'<respcondition continue="Yes"><conditionvar><varequal respident="response1">{ids[k]}</varequal>'
            f'</conditionvar><displayfeedback feedbacktype="Response" linkrefid="{ids[k]}_fb"/></respcondition>'
            for k, _ in options
            if feedback.get(k)
        ]
        if single:
            conditions += [
                f'<respcondition continue="No"><conditionvar><varequal respident="response1">{ids[k]}</varequal>'
                '</conditionvar><setvar action="Set" varname="SCORE">100</setvar></respcondition>'
                for k in right
                if k in ids
            ]
            return "multiple_choice_question", response, conditions, notes
        parts = "".join(
            f'<varequal respident="response1">{ids[k]}</varequal>' if k in right
            else f'<not><varequal respident="response1">{ids[k]}</varequal></not>'
            for k, _ in options
        )  # fmt: skip
        conditions.append(
            f'<respcondition continue="No"><conditionvar><and>{parts}</and></conditionvar>'
            '<setvar action="Set" varname="SCORE">100</setvar></respcondition>'
        )
        return "multiple_answers_question", response, conditions, notes

    def matching(self, q: Mapping, fmt: str):  # type: ignore[no-untyped-def]
        """Canvas's matching_question: a <response_lid> per left item offering every right-hand text (the
        distractors too); each right match adds its share of the score."""
        pairs = list((q.get("pairs") or {}).items()) if isinstance(q.get("pairs"), Mapping) else []
        rights = list(dict.fromkeys([*(r for _, r in pairs), *(q.get("distractors") or ())]))
        ids = {text: str(2000 + i) for i, text in enumerate(rights)}
        labels = "".join(
            f'<response_label ident="{ids[text]}">{self.mattext(text, "plain")}</response_label>'
            for text in rights
        )
        response = "".join(
            f'<response_lid ident="response_{1000 + i}">{self.mattext(left, fmt)}'
            f"<render_choice>{labels}</render_choice></response_lid>"
            for i, (left, _) in enumerate(pairs)
        )
        share = f"{100 / max(len(pairs), 1):.2f}"
        conditions = [
            f'<respcondition><conditionvar><varequal respident="response_{1000 + i}">{ids[right]}</varequal>'
            f'</conditionvar><setvar varname="SCORE" action="Add">{share}</setvar></respcondition>'
            for i, (_, right) in enumerate(pairs)
        ]
        return "matching_question", response, conditions, []

    def truefalse(self, q: Mapping, fmt: str):  # type: ignore[no-untyped-def]
        tf = writing.true_false(q, self.where)
        true_key, false_key = tf.true_key, tf.false_key
        fb = q.get("feedback") if isinstance(q.get("feedback"), Mapping) else {}
        as_choice = {
            "type": "singleChoice",
            "options": {"A": "True", "B": "False"},
            "answer": "A" if tf.right else "B",
            "feedback": {k: fb[key] for k, key in (("A", true_key), ("B", false_key)) if fb.get(key)},
        }
        _, response, conditions, notes = self.choice(as_choice, "plain" if fmt == "markdown" else fmt)
        return "true_false_question", response, conditions, notes

    def cloze(self, q: Mapping) -> tuple[str, list] | None:
        """A cloze question as Canvas's blanks: (the text with [blank1] ..., the blanks), or None (a warning
        says why) when Canvas cannot hold it: fill in multiple blanks takes short answers that are right or
        wrong, multiple dropdowns takes single choices with one right answer; nothing mixes the two."""
        try:
            read = parse(str(q.get("question", "")), "")
        except ExamError as exc:
            self.warn(f"left out: {exc.problems[0]}")
            return None
        kinds = {blank.kind for blank in read.blanks}
        why = ""
        if kinds == {"shortanswer"}:
            if any(b.case_sensitive for b in read.blanks):
                why = "Canvas compares blanks without case"
            elif any(
                0 < a.fraction < 1 or re.search(r"(?<!\\)\*", a.text)
                for b in read.blanks
                for a in b.alternatives
            ):
                why = "Canvas blanks are right or wrong, without part credit or '*' wildcards"
        elif kinds == {"multichoice"}:
            if any(sum(a.fraction >= 1 for a in b.alternatives) != 1 or any(0 < a.fraction < 1 for a in b.alternatives)
                   for b in read.blanks):  # fmt: skip
                why = "a Canvas dropdown has one right answer and no part credit"
        else:
            why = "Canvas blanks are all short answers or all dropdowns (no numbers, no several choices)"
        if why:
            self.warn(f"a cloze question Canvas cannot hold ({why}): left out; Moodle XML keeps it")
            return None
        for blank in read.blanks:
            if blank.layout in ("vertical", "horizontal"):
                self.warn(
                    f"blank {blank.number}'s radio buttons become a dropdown (Canvas has no other kind)"
                )
        if len({b.mark for b in read.blanks}) > 1:
            self.warn("the blanks' marks differ: Canvas gives each blank the same share of the points")
        text = read.parts[0] + "".join(
            f"[blank{b.number}]{part}" for b, part in zip(read.blanks, read.parts[1:], strict=True)
        )
        return text, list(read.blanks)

    def blanks(self, q: Mapping, fmt: str):  # type: ignore[no-untyped-def]
        blanks = q["_blanks"]
        dropdowns = blanks[0].kind == "multichoice"
        share = f"{100 / len(blanks):.2f}"
        responses, conditions = [], []
        for blank in blanks:
            name = f"blank{blank.number}"
            labels = []
            for index, alt in enumerate(blank.alternatives):
                if not dropdowns and alt.fraction < 1:
                    continue  # a known wrong short answer: Canvas scores anything unlisted 0
                ident = f"{blank.number}{index:03d}"
                text = alt.text.replace("\\*", "*")
                labels.append(f'<response_label ident="{ident}"><material><mattext texttype="text/plain">'
                              f"{_esc(text)}</mattext></material></response_label>")  # fmt: skip
                if alt.fraction >= 1:
                    conditions.append(
                        f'<respcondition><conditionvar><varequal respident="response_{name}">{ident}</varequal>'
                        f'</conditionvar><setvar varname="SCORE" action="Add">{share}</setvar></respcondition>'
                    )
            responses.append(
                f'<response_lid ident="response_{name}"><material><mattext>{name}</mattext></material>'
                f"<render_choice>{''.join(labels)}</render_choice></response_lid>"
            )
        kind = "multiple_dropdowns_question" if dropdowns else "fill_in_multiple_blanks_question"
        return kind, "".join(responses), conditions, []

    def short(self, q: Mapping, fmt: str):  # type: ignore[no-untyped-def]
        if q.get("match_case"):
            self.warn("match_case: Canvas compares short answers case-insensitively; left out")
        if q.get("fuzzy_threshold") is not None:
            self.warn("fuzzy_threshold: Canvas short answers match exactly; left out")
        entries = q.get("answers")
        if entries:
            texts = []
            for entry in entries:
                text = str(entry.get("text", ""))
                if float(entry.get("credit", 100)) < 100:
                    self.warn(
                        f"the answer {text!r}: Canvas short answers are right or wrong; part credit left out"
                    )
                    continue
                if re.search(r"(?<!\\)\*", text):
                    self.warn(f"the answer {text!r}: Canvas has no '*' wildcard; written as typed")
                texts.append(text.replace("\\*", "*"))
        else:
            answer = q.get("answer")
            texts = [str(a) for a in (answer if isinstance(answer, list) else [answer])]
        response = '<response_str ident="response1" rcardinality="Single"><render_fib><response_label ident="answer1" rshuffle="No"/></render_fib></response_str>'
        equals = "".join(f'<varequal respident="response1">{_esc(t)}</varequal>' for t in texts)
        conditions = [
            f'<respcondition continue="No"><conditionvar>{equals}</conditionvar>'
            '<setvar action="Set" varname="SCORE">100</setvar></respcondition>'
        ]
        return "short_answer_question", response, conditions, []

    def numeric(self, q: Mapping, fmt: str):  # type: ignore[no-untyped-def]
        if q.get("precision") is not None:
            self.warn(
                f"precision {q['precision']!r}: written as the number alone; Canvas's precision answers round differently"
            )
        entries = q.get("answers") or [{"value": q.get("answer"), "tolerance": q.get("tolerance") or 0}]
        conditions, notes = [], []
        for index, entry in enumerate(entries):
            credit = float(entry.get("credit", 100))
            if credit <= 0:
                continue  # a known wrong answer: Canvas scores it 0 anyway
            if "value" in entry:
                value, tol = float(entry["value"]), abs(float(entry.get("tolerance") or 0))
                test = (
                    f'<varequal respident="response1">{_num(value)}</varequal>' if tol == 0 else
                    f'<or><varequal respident="response1">{_num(value)}</varequal><and>'
                    f'<vargte respident="response1">{_num(value - tol)}</vargte>'
                    f'<varlte respident="response1">{_num(value + tol)}</varlte></and></or>'
                )  # fmt: skip
            else:
                low, high = entry.get("min"), entry.get("max")
                if low is None or high is None:
                    self.warn(f"an open range: written with the missing end {OPEN_END:g} away")
                    low = float(high) - OPEN_END if low is None else float(low)
                    high = low + OPEN_END if high is None else float(high)
                upper = "varlt" if entry.get("max_exclusive") else "varlte"
                test = (f'<and><vargte respident="response1">{_num(low)}</vargte>'
                        f'<{upper} respident="response1">{_num(high)}</{upper}></and>')  # fmt: skip
            link = ""
            if entry.get("feedback"):
                notes.append((f"answer{index}_fb", entry["feedback"]))
                link = f'<displayfeedback feedbacktype="Response" linkrefid="answer{index}_fb"/>'
            conditions.append(
                f'<respcondition continue="No"><conditionvar>{test}</conditionvar>'
                f'<setvar action="Set" varname="SCORE">{_num(min(credit, 100))}</setvar>{link}</respcondition>'
            )
        response = '<response_str ident="response1" rcardinality="Single"><render_fib fibtype="Decimal"><response_label ident="answer1"/></render_fib></response_str>'
        return "numerical_question", response, conditions, notes


def write_qti(exam: Mapping, ident: str = "quiz_widgets_quiz") -> tuple[str, list[str]]:
    """An exam dict -> (QTI 1.2 assessment XML as Canvas writes it, warnings about what QTI cannot say).
    Images (data URIs) are left as they are; write_qti_zip puts them in the zip."""
    if not isinstance(exam, Mapping):
        raise ExamError(f"<exam>: found {shown(exam)}, expected an exam object")
    writer = _Writer(exam, pack_images=False)
    return writer.write(ident), writer.warnings


def write_qti_zip(exam: Mapping) -> tuple[bytes, list[str]]:
    """An exam dict -> (a zip Canvas imports as a "QTI .zip file": imsmanifest.xml, the assessment XML and
    its images under web_resources/, warnings)."""
    if not isinstance(exam, Mapping):
        raise ExamError(f"<exam>: found {shown(exam)}, expected an exam object")
    ident = "g" + hashlib.sha256(repr(exam.get("title")).encode()).hexdigest()[:32]
    writer = _Writer(exam, pack_images=True)
    xml = writer.write(ident)
    href = f"{ident}/{ident}.xml"
    files = "".join(f"<file href={quoteattr('web_resources/' + n)}/>" for n in writer.files)
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest identifier="{ident}_manifest" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1">\n'
        "  <metadata><schema>IMS Content</schema><schemaversion>1.1.3</schemaversion></metadata>\n"
        "  <organizations/>\n  <resources>\n"
        f'    <resource identifier="{ident}" type="imsqti_xmlv1p2"><file href="{href}"/></resource>\n'
        + (
            f'    <resource identifier="{ident}_files" type="webcontent">{files}</resource>\n'
            if files
            else ""
        )
        + "  </resources>\n</manifest>\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", manifest)
        archive.writestr(href, xml)
        for name, raw in writer.files.items():
            archive.writestr(f"web_resources/{name}", raw)
    return buffer.getvalue(), writer.warnings

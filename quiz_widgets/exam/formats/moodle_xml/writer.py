"""Writing Moodle XML that Moodle imports (the shape of its own exports and test fixtures):
write_moodle_xml(exam dict) -> (XML text, warnings about what Moodle XML cannot say)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import ClassVar

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.exam.formats import writing
from quiz_widgets.exam.formats.common import MOODLE_GRADES, OPEN_END

__all__ = ["write_moodle_xml"]

_FORMATS = {"html": "html", "markdown": "markdown", "plain": "plain_text"}
# XML 1.0 cannot hold these characters at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


class _Writer(writing.Writer):
    not_written: ClassVar[Mapping[str, str]] = {
        "ordering": "Moodle XML's standard types have no ordering question (qtype_ordering is a plugin)",
        "code": "Moodle XML's standard types have no code question (qtype_coderunner is a plugin)",
    }

    def text(self, value: object) -> str:
        text = str(value)
        if _NOT_XML.search(text):
            self.warn("control characters XML cannot hold were left out")
            text = _NOT_XML.sub("", text)
        if re.search(r"[<>&]", text) and "]]>" not in text:
            return f"<text><![CDATA[{text}]]></text>"
        return "<text>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</text>"

    def field(self, tag: str, value: object, fmt: str, indent: str = "    ", attrs: str = "") -> str:
        text, files = _files(str(value or ""), indent + "  ")
        return f'{indent}<{tag}{attrs} format="{fmt}">\n{indent}  {self.text(text)}\n{files}{indent}</{tag}>'

    def write(self) -> str:
        out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
        topic: str | None = None
        for number, question, fmt in self.questions():
            new_topic = question.get("topic")
            if new_topic and new_topic != topic:
                name = str(new_topic).strip()
                if name != name.strip("/"):
                    # "//" is Moodle's escaped "/", so a name cannot start or end with one.
                    self.warn(f"topic {new_topic!r}: a Moodle category name cannot start or end with '/'")
                    name = name.strip("/").strip() or "_"
                path = "$course$/top/" + name.replace("/", "//")
                out += ['  <question type="category">', "    <category>", f"      {self.text(path)}",
                        "    </category>", "  </question>", ""]  # fmt: skip
            elif not new_topic and topic:
                # Back to the course's own category: no topic when read again (Moodle files it there).
                out += ['  <question type="category">', "    <category>", "      <text>$course$/top</text>",
                        "    </category>", "  </question>", ""]  # fmt: skip
            topic = new_topic
            out += [*self.question(question, number, fmt), ""]
        out.append("</quiz>")
        return "\n".join(out) + "\n"

    def question(self, q: Mapping, number: int, fmt: str) -> list[str]:
        if fmt not in _FORMATS:
            self.warn(f"format {fmt!r} is not one Moodle has; written as markdown")
            fmt = "markdown"
        mformat = _FORMATS[fmt]
        body = writing.for_type(
            q,
            self.where,
            {
                "singleChoice": ("multichoice", self.choice),
                "multiChoice": ("multichoice", self.choice),
                "trueFalse": ("truefalse", self.truefalse),
                "numeric": ("numerical", self.numeric),
                "text": ("shortanswer", self.short),
                # Moodle's export calls multianswer "cloze"; the text holds the blanks, Moodle adds the marks.
                "cloze": ("cloze", lambda q, fmt: []),
                "matching": ("matching", self.matching),
            },
        )
        text = str(q.get("question", ""))
        if body[0] == "cloze":
            text = _CLOZE_BLANK.sub("___", text)  # a name is shown to instructors: never the key in it
        name = q.get("title") or _default_name(text, number)
        qid = q.get("id", number)
        lines = [
            f"<!-- question: {_comment(qid)}  -->",
            f'  <question type="{body[0]}">',
            f"    <name>\n      {self.text(name)}\n    </name>",
            self.field("questiontext", q.get("question", ""), mformat),
            self.field("generalfeedback", q.get("explanation") or "", mformat),
            "    <defaultgrade>1.0000000</defaultgrade>",
            "    <penalty>0.3333333</penalty>",
            "    <hidden>0</hidden>",
            f"    <idnumber>{self.text(qid)[6:-7]}</idnumber>",
        ]
        lines += body[1](q, mformat)
        lines.append("  </question>")
        return lines

    def answer(self, fraction: float, text: object, fmt: str | None, feedback: object, fmt_fb: str,
               extra: str = "") -> str:  # fmt: skip
        self.check_grade(fraction)
        attrs = f' fraction="{_num(round(float(fraction), 5))}"' + (f' format="{fmt}"' if fmt else "")
        return (
            f"    <answer{attrs}>\n      {self.text(text)}\n"
            + self.field("feedback", feedback or "", fmt_fb, "      ")
            + "\n"
            + extra
            + "    </answer>"
        )

    def check_grade(self, weight: float) -> None:
        if not any(abs(abs(float(weight)) - g) < 1e-5 for g in MOODLE_GRADES):
            self.warn(
                f"fraction {float(weight):g}% is not one of Moodle's grades; its import then needs 'nearest grade'"
            )

    def matching(self, q: Mapping, fmt: str) -> list[str]:
        """Moodle's export of a matching question: a <subquestion> per pair, one with no text per distractor."""
        pairs = q.get("pairs") if isinstance(q.get("pairs"), Mapping) else {}
        rows = [*pairs.items(), *(("", right) for right in q.get("distractors") or ())]
        lines = ["    <shuffleanswers>true</shuffleanswers>"]
        for left, right in rows:
            text, files = _files(str(left), "      ")
            lines += [f'    <subquestion format="{fmt}">', f"      {self.text(text)}", *([files.rstrip("\n")] if files else []),
                      "      <answer>", f"        {self.text(right)}", "      </answer>", "    </subquestion>"]  # fmt: skip
        return lines

    def choice(self, q: Mapping, fmt: str) -> list[str]:
        options = writing.options(q, self.where)
        answer = q.get("answer")
        right = {answer.upper()} if isinstance(answer, str) else {str(a).upper() for a in answer or ()}
        weights = q.get("weights") if isinstance(q.get("weights"), Mapping) else None
        feedback = q.get("feedback") if isinstance(q.get("feedback"), Mapping) else {}
        single = q.get("type", "singleChoice") == "singleChoice"
        if weights is None and not single:
            self.warn(
                "Moodle has no all-or-nothing multiple answer: written with Moodle's usual fractions (each "
                "right answer 100%/right count, each wrong one -100%), so a partly right set gets part credit"
            )
            weights = {k: (100 / max(len(right), 1) if k in right else -100) for k, _ in options}
        extra = q.get("moodle") if isinstance(q.get("moodle"), Mapping) else {}
        numbering = str(extra.get("answernumbering") or "abc")
        if numbering not in ("abc", "ABCD", "123", "iii", "IIII", "none"):
            numbering = "abc"
        lines = [
            f"    <single>{'true' if single else 'false'}</single>",
            f"    <shuffleanswers>{'true' if extra.get('shuffleanswers', True) else 'false'}</shuffleanswers>",
            f"    <answernumbering>{numbering}</answernumbering>",
            "    <showstandardinstruction>0</showstandardinstruction>",
            self.field("correctfeedback", "", fmt),
            self.field("partiallycorrectfeedback", "", fmt),
            self.field("incorrectfeedback", q.get("incorrect_feedback") or "", fmt),
            "    <shownumcorrect/>",
        ]
        for key, text in options:
            weight = float(weights.get(key, 0)) if weights else (100.0 if key in right else 0.0)
            if fmt == "html" and not re.sub(r"<[^>]*>|&nbsp;|\s", "", text):
                self.warn(
                    f"option {key} {text!r}: blank once its tags are removed, which Moodle does not save"
                )
            lines.append(self.answer(weight, text, fmt, feedback.get(key), fmt))
        return lines

    def truefalse(self, q: Mapping, fmt: str) -> list[str]:
        tf = writing.true_false(q, self.where)
        true_key, false_key = tf.true_key, tf.false_key
        if not tf.named:
            self.warn(
                f"Moodle true/false questions say True and False; the options {[t for _, t in tf.pairs]} are lost"
            )
        right = tf.right
        feedback = q.get("feedback") if isinstance(q.get("feedback"), Mapping) else {}
        if q.get("incorrect_feedback"):
            self.warn("incorrect_feedback: written as the feedback of the wrong answer")
        wrong = q.get("incorrect_feedback")
        true_note = feedback.get(true_key) or (wrong if not right else None)
        false_note = feedback.get(false_key) or (wrong if right else None)
        return [
            self.answer(100 if right else 0, "true", "moodle_auto_format", true_note, fmt),
            self.answer(0 if right else 100, "false", "moodle_auto_format", false_note, fmt),
        ]

    def short(self, q: Mapping, fmt: str) -> list[str]:
        if q.get("fuzzy_threshold") is not None:
            self.warn("fuzzy_threshold: Moodle short answers match exactly (with * wildcards); left out")
        entries = q.get("answers")
        if not entries:
            answer = q.get("answer")
            # A plain accepted answer has no wildcard: its '*' is a star Moodle must not read as one.
            entries = [
                {"text": str(a).replace("*", "\\*")}
                for a in (answer if isinstance(answer, list) else [answer])
            ]
        cases = {bool(e.get("match_case", q.get("match_case", False))) for e in entries}
        if len(cases) > 1:
            self.warn(
                "match_case differs between answers; Moodle has one setting per question: case-sensitive"
            )
        lines = [f"    <usecase>{1 if True in cases else 0}</usecase>"]
        for entry in entries:
            if entry.get("fuzzy_threshold") is not None:
                self.warn("fuzzy_threshold: Moodle short answers match exactly (with * wildcards); left out")
            lines.append(self.answer(float(entry.get("credit", 100)), entry.get("text", ""), "moodle_auto_format",
                                     entry.get("feedback"), fmt))  # fmt: skip
        if q.get("incorrect_feedback"):
            lines.append(self.answer(0, "*", "moodle_auto_format", q["incorrect_feedback"], fmt))
        return lines

    def numeric(self, q: Mapping, fmt: str) -> list[str]:
        if q.get("precision") is not None:
            self.warn(f"precision {q['precision']!r}: Moodle cannot round the learner's number; left out")
        entries = q.get("answers")
        if not entries:
            entries = [{"value": q.get("answer"), "tolerance": q.get("tolerance") or 0}]
        lines = []
        for entry in entries:
            if "value" in entry:
                value, tolerance = float(entry["value"]), abs(float(entry.get("tolerance") or 0))
            else:
                low, high = entry.get("min"), entry.get("max")
                if low is None or high is None:
                    self.warn(
                        f"an open range: Moodle numbers have a value and an error; written with the missing end {OPEN_END:g} away"
                    )
                    if low is None and high is None:
                        low, high = -OPEN_END, OPEN_END
                    elif low is None:
                        low = float(high) - OPEN_END
                    else:
                        high = float(low) + OPEN_END
                if entry.get("max_exclusive"):
                    self.warn("max_exclusive: Moodle's error margin includes both ends")
                value, tolerance = (float(low) + float(high)) / 2, (float(high) - float(low)) / 2
            extra = f"      <tolerance>{_num(tolerance)}</tolerance>\n"
            lines.append(
                self.answer(
                    float(entry.get("credit", 100)),
                    _num(value),
                    "moodle_auto_format",
                    entry.get("feedback"),
                    fmt,
                    extra,
                )
            )
        if q.get("incorrect_feedback"):
            lines.append(
                self.answer(
                    0,
                    "*",
                    "moodle_auto_format",
                    q["incorrect_feedback"],
                    fmt,
                    "      <tolerance>0</tolerance>\n",
                )
            )
        lines += [
            "    <unitgradingtype>0</unitgradingtype>",
            "    <unitpenalty>0.1000000</unitpenalty>",
            "    <showunits>3</showunits>",
            "    <unitsleft>0</unitsleft>",
        ]
        return lines


_DATA_SRC = re.compile(r"""(src\s*=\s*)(["'])data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=]+)\2""")


def _files(text: str, indent: str) -> tuple[str, str]:
    """An image held as a data URI becomes a file of the field, as Moodle keeps it: @@PLUGINFILE@@/name."""
    files: dict[str, str] = {}

    def swap(match: re.Match) -> str:
        payload = match[4]
        name = f"image-{hashlib.sha256(payload.encode()).hexdigest()[:12]}.{match[3].replace('jpeg', 'jpg')}"
        files[name] = payload
        return f"{match[1]}{match[2]}@@PLUGINFILE@@/{name}{match[2]}"

    text = _DATA_SRC.sub(swap, text) if "data:image/" in text else text
    return text, "".join(
        f'{indent}<file name="{name}" path="/" encoding="base64">{payload}</file>\n'
        for name, payload in files.items()
    )


def _comment(value: object) -> str:
    return re.sub(r"-+", "-", str(value)).strip("-") or "0"


_CLOZE_BLANK = re.compile(r"\{[0-9]*:[A-Z_]+:(?:\\.|[^}])*\}")


def _default_name(text: str, number: int) -> str:
    """Moodle needs a name: the start of the text without markup, as Moodle's own default name is."""
    plain = " ".join(re.sub(r"<[^>]*>", " ", text).split())
    return plain[:50].rstrip() or f"Question {number}"


def write_moodle_xml(exam: Mapping) -> tuple[str, list[str]]:
    """An exam dict -> (Moodle XML that Moodle imports, warnings about what Moodle XML cannot say).

    Topics become category entries ($course$/top/<topic>), titles names (else the start of the text), ids
    idnumbers, explanations general feedback, incorrect_feedback the incorrect feedback (or a '*' answer)."""
    if not isinstance(exam, Mapping):
        raise ExamError(f"<exam>: found {shown(exam)}, expected an exam object")
    writer = _Writer(exam)
    return writer.write(), writer.warnings

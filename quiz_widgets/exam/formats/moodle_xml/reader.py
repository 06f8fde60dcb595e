"""Reading Moodle XML as Moodle's qformat_xml reads it: read_moodle_xml(text, source) -> (exam dict, skipped)."""

from __future__ import annotations

import html
import math
import re
from pathlib import PurePath
from typing import Any

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.exam.formats import reading
from quiz_widgets.exam.formats.cloze_syntax import choice_blank, parse
from quiz_widgets.exam.formats.common import CATEGORY_SPLIT, LETTERS, NUMBER, Skipped
from quiz_widgets.exam.formats.embedded import data_uri, decode_base64, replace_sources, why_not
from quiz_widgets.exam.formats.xml_tree import Node, parse_xml

__all__ = ["read_moodle_xml"]

PLUGINFILE = "@@PLUGINFILE@@"
# Moodle's text formats (trans_format): anything else is read as html, as Moodle does.
_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}
# Types read one day by a kind not there yet (none left: matching, multianswer, ddwtos and gapselect are read).
_LATER_TYPES: dict[str, str] = {}
_NOT_ASKED = {
    "description": ("a description", reading.NOTHING_TO_ASK),
    "essay": reading.ESSAY,
}


class _Fail(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _bool(text: str) -> bool:
    """Moodle's trans_single: "false", "" and "0" are false, anything else true."""
    text = text.strip()
    return not (text == "false" or not text or text == "0")


def _number(text: str, line: int, what: str) -> float:
    text = text.strip()
    value = float(text) if NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise _Fail(line, f"{what}: found {shown(text)}, expected a number")
    return value


def _as(text: str, fmt: str, target: str) -> str:
    """*text* in Moodle format *fmt* (html, moodle, plain, markdown) rewritten for a question in *target*."""
    if fmt == "moodle" or (fmt == "plain" and target == "html"):
        if fmt == "plain":
            text = html.escape(text, quote=False)
        return text.replace("\r\n", "\n").replace("\n", "<br>\n") if target == "html" else text
    return text


def _category(question: Node) -> str | None:
    node = question.find("category")
    if node is None:
        return None
    inner = node.find("text")
    path = (inner.text if inner is not None else node.text).strip()
    names = [n.replace("//", "/").strip() for n in CATEGORY_SPLIT.split(path)]
    # "$course$/top/..." (or $system$, $cat1$ ...): the context and its top category are Moodle's structure;
    # a category that happens to be called "top" further down is a name.
    if names and re.fullmatch(r"\$\w+\$", names[0]):
        names = names[1:]
    if names and names[0] == "top":
        names = names[1:]
    names = [n for n in names if n]
    return names[-1] if names else None


class _Question:
    """One <question>: its text fields (with their formats and files) gathered before the format is chosen."""

    def __init__(self, reader: _Reader, node: Node, name: str | None) -> None:
        self.reader, self.node, self.name = reader, node, name
        self.images: dict[str, str] = {}
        self.fields: list[tuple[str, str]] = []  # (text, moodle format) of every text seen
        for file in node.iter("file"):
            self.image(file)

    def image(self, file: Node) -> None:
        name = file.attrs.get("name", "")
        raw = decode_base64(file.text) if file.attrs.get("encoding", "base64") == "base64" else None
        why = "its content is not base64" if raw is None else why_not(raw)
        if why:
            self.reader.skip(
                file.line, f"the file {name!r}", f"{why}; the text shows its alt text", self.name
            )
        elif name and raw is not None:
            self.images[name] = data_uri(raw)

    def field(self, node: Node | None, default: str) -> tuple[str, str]:
        if node is None:
            return "", default
        fmt = _FORMATS.get(
            node.attrs.get("format", "").strip(), default if "format" not in node.attrs else "html"
        )
        inner = node.find("text")
        text = (inner.text if inner is not None else "").strip()
        if PLUGINFILE in text:
            text = replace_sources(text, PLUGINFILE, self.images, self.missing(node.line))
        self.fields.append((text, fmt))
        return text, fmt

    def missing(self, line: int):  # type: ignore[no-untyped-def]
        def tell(name: str) -> None:
            self.reader.skip(
                line, f"the image {name!r}", "the file holds no raster image of that name", self.name
            )

        return tell


class _Reader(reading.Reader):
    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.topic: str | None = None
        self.first_topic: str | None = None

    def question(self, node: Node) -> None:
        kind = node.attrs.get("type", "").strip()
        if kind == "category":
            self.topic = _category(node)
            self.first_topic = self.first_topic or self.topic
            return
        name_node = node.path("name", "text")
        name = name_node.text.strip() if name_node is not None and name_node.text.strip() else None
        if kind in _NOT_ASKED:
            self.skip(node.line, *_NOT_ASKED[kind], name)
            return
        if kind in _LATER_TYPES:
            self.skip(node.line, f"a {kind} question", reading.LATER.format(_LATER_TYPES[kind]), name)
            return
        read = {
            "multichoice": self.choice,
            "truefalse": self.truefalse,
            "shortanswer": self.short,
            "numerical": self.numerical,
            "cloze": self.cloze,  # what Moodle's export calls multianswer
            "multianswer": self.cloze,
            "ddwtos": self.gaps,
            "gapselect": self.gaps,
            "matching": self.matching,
        }.get(kind)
        if read is None:
            why = f"quiz_widgets has no {kind!r} questions" if kind else "it has no type"
            self.skip(node.line, "a question", why, name)
            return
        q = _Question(self, node, name)
        try:
            text, fmt = q.field(node.find("questiontext"), "html")
            if not text:
                raise _Fail(node.line, "the question has no text (questiontext)")
            general, gfmt = q.field(node.find("generalfeedback"), fmt)
            out: dict[str, Any] = {}
            result = read(node, q, fmt, out)
        except _Fail as fail:
            self.problem(fail.line, name, fail.message)
            return
        if isinstance(result, Skipped):
            self.skip(node.line, result.what, result.why, name)
            return
        target = _target(q.fields)
        convert = _converter(target)
        question: dict[str, Any] = {"id": len(self.questions) + 1}
        if name:
            question["title"] = name
        question.update(question=_as(text, fmt, target), format=target)
        question.update(convert(out))  # a gap question's text is its own, with Cloze blanks
        if isinstance(question.get("pairs"), list):  # [left, right] rows, the left converted as text
            question["pairs"] = dict(question["pairs"])
        if general:
            question["explanation"] = _as(general, gfmt, target)
        if self.topic:
            question["topic"] = self.topic
        idnumber = node.path("idnumber")
        question["_idnumber"] = idnumber.text.strip() if idnumber is not None else ""
        self.questions.append(question)

    def choice(self, node: Node, q: _Question, fmt: str, out: dict) -> Skipped | None:
        single = _bool(node.path("single").text if node.path("single") is not None else "true")
        texts, weights, feedback = [], [], {}
        for answer in node.findall("answer"):
            text, afmt = q.field(answer, fmt)
            if not re.sub(r"<[^>]*>|&nbsp;|\s", "", text):
                continue  # Moodle saves no answer whose text is blank
            weight = _number(answer.attrs.get("fraction", "0"), answer.line, "fraction")
            note = q.field(answer.find("feedback"), fmt)
            texts.append((text, afmt))
            weights.append(round(weight, 5))
            if note[0] and len(texts) <= len(LETTERS):
                feedback[LETTERS[len(texts) - 1]] = note
        if len(texts) < 2:
            raise _Fail(node.line, f"a multiple choice question needs at least 2 answers, found {len(texts)}")
        if single and abs(max(weights) - 100) > 1e-3:
            raise _Fail(
                node.line, f"no answer is worth 100% (the best is {max(weights):g}%): Moodle needs one"
            )
        positive = sum(w for w in weights if w > 0)
        if not single and abs(positive - 100) > 1e-2 * max(1, len(weights)):
            raise _Fail(node.line, f"the positive fractions add up to {positive:g}%, Moodle needs 100%")
        weights = [100.0 if abs(w - 100) < 1e-3 else w for w in weights]
        skipped = reading.choice_fields(texts, [t for t, _ in texts], weights, single, feedback, out)
        if skipped is not None:
            return skipped
        wrong = q.field(node.find("incorrectfeedback"), fmt)
        if wrong[0]:
            out["incorrect_feedback"] = wrong
        shuffle = node.path("shuffleanswers")
        numbering = node.path("answernumbering")
        out["moodle"] = {
            "shuffleanswers": _bool(shuffle.text) if shuffle is not None else False,
            "answernumbering": (numbering.text.strip() if numbering is not None else "") or "abc",
        }
        return None

    def matching(self, node: Node, q: _Question, fmt: str, out: dict) -> None:
        """Moodle's <subquestion>s: a text (formatted) and its <answer> (plain); a subquestion with no text
        is a distractor, a right-hand choice that matches nothing."""
        pairs: list[list[Any]] = []
        distractors: list[str] = []
        for sub in node.findall("subquestion"):
            left = q.field(sub, fmt)
            inner = sub.path("answer", "text")
            right = (inner.text if inner is not None else "").strip()
            if not right:
                continue  # Moodle saves no subquestion without an answer
            if re.sub(r"<[^>]*>|&nbsp;|\s", "", left[0]):
                # Moodle's editor wraps even a word in <p>: an item reads better (and in results files) bare.
                alone = re.fullmatch(r"\s*<p>((?:(?!</?p\b).)*)</p>\s*", left[0], re.S)
                pairs.append([(alone[1], left[1]) if alone else left, right])
            else:
                distractors.append(right)
        if len(pairs) < 2:
            raise _Fail(node.line, f"a matching question needs at least 2 subquestions, found {len(pairs)}")
        out.update(type="matching", pairs=pairs)
        if distractors:
            out["distractors"] = distractors

    def truefalse(self, node: Node, q: _Question, fmt: str, out: dict) -> None:
        right: bool | None = None
        feedback = {}
        for index, answer in enumerate(node.findall("answer")):
            inner = answer.find("text")
            word = inner.text.strip() if inner is not None else ""
            if word not in ("true", "false"):  # an old export in another language: true comes first
                word = "true" if index == 0 else "false"
            full = _number(answer.attrs.get("fraction", "0"), answer.line, "fraction") == 100
            right = full if word == "true" else not full
            note = q.field(answer.find("feedback"), fmt)
            if note[0]:
                feedback["A" if word == "true" else "B"] = note
        if right is None:
            raise _Fail(node.line, "a true/false question needs its answers 'true' and 'false'")
        out.update(type="trueFalse", options={"A": ("True", "plain"), "B": ("False", "plain")}, answer=right)
        if feedback:
            out["feedback"] = dict(sorted(feedback.items()))

    def short(self, node: Node, q: _Question, fmt: str, out: dict) -> None:
        usecase = node.path("usecase")
        entries = []
        for answer in node.findall("answer"):
            inner = answer.find("text")
            text = inner.text.strip() if inner is not None else ""
            if not text:
                continue  # Moodle skips an answer with no text
            entry: dict[str, Any] = {
                "text": text,
                "credit": round(_number(answer.attrs.get("fraction", "0"), answer.line, "fraction"), 5),
            }
            note = q.field(answer.find("feedback"), fmt)
            if note[0]:
                entry["feedback"] = note
            entries.append(entry)
        if not entries or max(e["credit"] for e in entries) != 100:
            raise _Fail(node.line, "no short answer is worth 100%: Moodle needs one")
        last = entries[-1]
        if len(entries) > 1 and last["text"] == "*" and last["credit"] == 0:
            entries.pop()  # Moodle's "any other answer": the feedback for every wrong answer
            if last.get("feedback"):
                out["incorrect_feedback"] = last["feedback"]
        out["type"] = "text"
        if usecase is not None and _bool(usecase.text):
            out["match_case"] = True
        # Moodle's short answers use '*' as a wildcard: answer entries keep that meaning.
        out["answers"] = entries

    def numerical(self, node: Node, q: _Question, fmt: str, out: dict) -> Skipped | None:
        entries: list[dict[str, Any]] = []
        for answer in node.findall("answer"):
            inner = answer.find("text")
            value = (inner.text if inner is not None else answer.text).strip()
            credit = round(_number(answer.attrs.get("fraction", "0"), answer.line, "fraction"), 5)
            note = q.field(answer.find("feedback"), fmt)
            if value == "*" or not value:
                if credit > 0:
                    return Skipped(0, "a numerical question", "its '*' answer gives credit for any number")
                if note[0] and "incorrect_feedback" not in out:
                    out["incorrect_feedback"] = note
                break  # Moodle takes the first match: nothing after a '*' is ever reached
            tolerance = answer.path("tolerance")
            entry: dict[str, Any] = {
                "value": _number(value, answer.line, "answer"),
                "tolerance": abs(_number(tolerance.text, tolerance.line, "tolerance"))
                if tolerance is not None
                else 0.0,
                "credit": credit,
            }
            if note[0]:
                entry["feedback"] = note
            entries.append(entry)
        if not entries:
            raise _Fail(node.line, "a numerical question needs at least one number")
        if max(e["credit"] for e in entries) != 100:
            raise _Fail(node.line, "no numerical answer is worth 100%: Moodle needs one")
        units = [u for u in node.iter("unit_name") if u.text.strip()]
        if units:
            names = ", ".join(repr(u.text.strip()) for u in units[:5])
            self.skip(units[0].line, f"the units ({names}) of a numerical question",
                      "quiz_widgets asks for the number alone, as in the first unit", q.name)  # fmt: skip
        out["type"] = "numeric"
        simple = entries[0]
        if len(entries) == 1 and "feedback" not in simple:
            out["answer"], out["tolerance"] = simple["value"], simple["tolerance"]
        else:
            out["answers"] = entries
        return None

    def cloze(self, node: Node, q: _Question, fmt: str, out: dict) -> None:
        text = q.fields[0][0]
        try:
            parse(text, "")
        except ExamError as exc:
            raise _Fail(node.line, "; ".join(exc.problems)) from None
        out["type"] = "cloze"

    def gaps(self, node: Node, q: _Question, fmt: str, out: dict) -> Skipped | None:
        """ddwtos and gapselect: each [[n]] a dropdown of the choices in choice n's group, n the right one; every
        gap worth the same, as Moodle marks them."""
        tag = "dragbox" if node.attrs.get("type", "").strip() == "ddwtos" else "selectoption"
        choices: list[tuple[str, str]] = []
        for choice in node.findall(tag):
            inner = choice.find("text")
            group = choice.find("group")
            choices.append(
                (
                    (inner.text if inner is not None else "").strip(),
                    group.text.strip() if group is not None else "1",
                )
            )
        shuffle = node.path("shuffleanswers")
        shuffled = _bool(shuffle.text) if shuffle is not None else False
        text, problem = q.fields[0][0], None
        if fmt == "plain":  # the blanks' choices are written as HTML
            text, fmt = html.escape(text, quote=False), "html"
        if not re.search(r"\[\[[0-9]+\]\]", text):
            raise _Fail(node.line, "the question has no gap ([[1]])")

        def blank(match: re.Match) -> str:
            nonlocal problem
            number = int(match.group(1))
            if not 1 <= number <= len(choices):
                problem = f"the gap {match.group(0)} names no choice (there are {len(choices)})"
                return match.group(0)
            group = choices[number - 1][1]
            offered = [i for i, (_, g) in enumerate(choices) if g == group]
            if len(offered) < 2:
                problem = f"the gap {match.group(0)} offers one choice ({choices[number - 1][0]!r})"
                return match.group(0)
            texts = [choices[i][0] for i in offered]
            return choice_blank(texts, offered.index(number - 1), shuffled)

        cloze = re.sub(r"\[\[([0-9]+)\]\]", blank, text)
        if problem:
            return Skipped(0, f"a {node.attrs.get('type', '').strip()} question", problem)
        out.update(type="cloze", question=(cloze, fmt))
        return None


def _target(fields: list[tuple[str, str]]) -> str:
    """The one format of the question: the question text's, unless other fields need HTML."""
    formats = {fmt for text, fmt in fields if text}
    if formats <= {"plain"}:
        return "plain"
    if formats <= {"markdown"}:
        return "markdown"
    return "html"


def _converter(target: str):  # type: ignore[no-untyped-def]
    """Turns every (text, format) pair in a question's parts into text in *target*."""

    def convert(value: Any) -> Any:
        if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
            return _as(value[0], value[1], target)
        if isinstance(value, dict):
            return {k: convert(v) for k, v in value.items()}
        if isinstance(value, list):
            return [convert(v) for v in value]
        return value

    return convert


def _assign_ids(questions: list[dict]) -> None:
    # Moodle's idnumber becomes the id when every question has a different one (an exported quiz_widgets
    # exam keeps its ids that way); otherwise ids are 1..n in file order, as for GIFT.
    numbers = [q.pop("_idnumber") for q in questions]
    if all(numbers) and len(set(numbers)) == len(numbers):
        for q, number in zip(questions, numbers, strict=True):
            q["id"] = int(number) if re.fullmatch(r"[1-9][0-9]{0,15}", number) else number


def read_moodle_xml(text: str | bytes, source: str = "<text>") -> tuple[dict, list[Skipped]]:
    """Read Moodle XML as Moodle does -> (exam dict, items and parts that could not be represented).

    Raises ExamError, naming *source* and the line, when the XML is malformed or hostile, a question is
    one Moodle would refuse, or no usable question is left."""
    root = parse_xml(text, source)
    if root.tag != "quiz":
        raise ExamError(
            f"{source}: found <{root.tag}> at the top, expected Moodle XML's <quiz>", source=source
        )
    reader = _Reader(source)
    for node in root.findall("question"):
        reader.question(node)
    if reader.problems:
        raise ExamError(reader.problems, source=source)
    if not reader.questions:
        found = "; ".join(s.message(source) for s in reader.skipped) or "no <question> in <quiz>"
        raise ExamError(f"{source}: no question quiz_widgets can use ({found})", source=source)
    _assign_ids(reader.questions)
    name = PurePath(source).stem if source and not source.startswith("<") else ""
    return {
        "title": name or reader.first_topic or "Moodle XML questions",
        "questions": reader.questions,
    }, reader.skipped

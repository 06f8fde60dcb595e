"""Moodle GIFT question files: ``read_gift`` (GIFT -> exam dict) and ``write_gift`` (exam dict -> GIFT).

Moodle's importer (question/format/gift/format.php, class qformat_gift) is the reference: a hand-written file
is read the way Moodle reads it, quirks included (only the answer block's ``~ = # {}`` are syntax, ``{true}``
is a short answer because only ``T TRUE F FALSE`` make a true/false item, an unescaped ``=`` inside a choice
starts a new right answer). The checks Moodle makes when it saves an imported question (a single-answer item
needs a 100% option, the positive weights of a multi-answer item add up to 100%, a short answer needs a 100%
answer) are made here too, so a file this accepts is one Moodle accepts.

Choices made where quiz_widgets and Moodle differ, so the readers and the model agree on them:
- Text with no format marker, and ``[moodle]``, is Moodle's auto-format: HTML where the author wrote HTML and
  a line break where the author broke a line. It becomes ``format: "html"`` with each line break written as
  ``<br>``; ``[html]``, ``[markdown]`` and ``[plain]`` keep their own format untouched.
- ``$CATEGORY: $course$/top/Biology/Cells`` gives the following questions ``topic: "Cells"`` (the last
  component: the earlier ones are Moodle's course structure, not the subject). ``//`` in a name is a ``/``.
- The exam's title is the file's name, else the first category's last component, else "GIFT questions".
- Question ids are 1..n in file order; a GIFT ``::name::`` is kept as the question's ``title``.
- A simple numerical (one value, full credit, no feedback) or short answer (all answers full credit, no
  feedback) uses the original ``answer`` (+ ``tolerance``); anything richer uses ``answers`` only.
- A last short answer ``*`` with 0% credit (Moodle's "any other answer") and a numerical ``~#feedback`` become
  ``incorrect_feedback``.
Items quiz_widgets cannot ask (essay, matching, description, ...) come back as ``Skipped`` records with their
line; ``warn_skipped`` turns them into one UserWarning each. Malformed text raises ExamError naming the line.
"""

from __future__ import annotations

import html
import math
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from quiz_widgets.errors import ExamError, shown

__all__ = ["Skipped", "read_gift", "warn_skipped", "write_gift"]

BLANK = "_____"  # what Moodle puts where a missing-word item's answer block was
_PHP_SPACE = " \t\n\r\0\x0b"  # PHP's trim() set: Python's strip() would also eat NBSP and friends
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_WEIGHT = re.compile(r"%-*[0-9]{1,2}\.?[0-9]*%")  # Moodle's $giftanswerweightregex, anchored by match()
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)  # PHP's is_numeric, minus hex
_CATEGORY_SPLIT = re.compile(r"(?<!/)/(?!/)")  # Moodle writes a "/" inside a category name as "//"
_FORMATS = {"moodle": "html", "html": "html", "plain": "plain", "markdown": "markdown"}
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Moodle's import refuses (by default) a weight not in this list; the writer warns about the others.
_MOODLE_GRADES = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667,
                  14.28571, 12.5, 11.11111, 10, 5, 0)  # fmt: skip
_OPEN_END = 1e9  # how far the writer puts the missing end of an open numeric range


@dataclass(frozen=True)
class Skipped:
    """A GIFT item quiz_widgets cannot represent: where it starts, what it is and why it was left out."""

    line: int
    what: str
    why: str
    title: str | None = None

    def message(self, source: str) -> str:
        named = f" {self.title!r}" if self.title else ""
        return f"{source}, line {self.line}: skipped {self.what}{named}: {self.why}"


def warn_skipped(skipped: Iterable[Skipped], source: str) -> None:
    """One UserWarning per skipped item, "FILE, line N: skipped ...: why"."""
    for item in skipped:
        warnings.warn(item.message(source), UserWarning, stacklevel=2)


# ---------------------------------------------------------------------------------------------------- reading


class _Span:
    """A piece of one item's text with its escapes masked, so GIFT's syntax is searched in ``mask`` only.

    ``mask`` is ``raw`` with each escape pair (``\\=`` ...) replaced by two inert characters: the same length,
    so every position found in the mask slices the raw text, and a slice never splits an escape pair.
    ``at`` is the position of ``raw[0]`` in the item's text, for line numbers.
    """

    __slots__ = ("at", "mask", "raw")

    def __init__(self, raw: str, mask: str, at: int) -> None:
        self.raw, self.mask, self.at = raw, mask, at

    @classmethod
    def of(cls, raw: str) -> _Span:
        return cls(raw, _ESCAPE.sub("\x01\x01", raw), 0)

    def __len__(self) -> int:
        return len(self.raw)

    def cut(self, start: int, end: int | None = None) -> _Span:
        return _Span(self.raw[start:end], self.mask[start:end], self.at + start)

    def strip(self) -> _Span:
        lead = len(self.mask) - len(self.mask.lstrip(_PHP_SPACE))
        return self.cut(lead, lead + len(self.mask.strip(_PHP_SPACE)))

    def split(self, sep: str, limit: int = -1) -> list[_Span]:
        parts, start = [], 0
        while limit != 0:
            found = self.mask.find(sep, start)
            if found < 0:
                break
            parts.append(self.cut(start, found))
            start, limit = found + len(sep), limit - 1
        parts.append(self.cut(start))
        return parts

    def plus(self, *others: _Span | str) -> _Span:
        raw, mask = self.raw, self.mask
        for other in others:
            raw += other if isinstance(other, str) else other.raw
            mask += other if isinstance(other, str) else other.mask
        return _Span(raw, mask, self.at)

    def text(self) -> str:
        return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), self.raw)


class _Item:
    """One blank-line separated block of a GIFT file: its text (comment lines blanked) and line numbers."""

    def __init__(self, lines: list[tuple[int, str]]) -> None:
        # Moodle blanks comment lines but keeps them in the item, so they never split one.
        self.numbers = [n for n, _ in lines]
        self.body = _Span.of("\n".join(" " if s.startswith("//") else s for _, s in lines))

    def line_at(self, position: int) -> int:
        return self.numbers[self.body.raw.count("\n", 0, max(position, 0))]


class _Fail(Exception):
    """One problem of one item: its position in the item's text and the message's tail."""

    def __init__(self, at: int, message: str) -> None:
        super().__init__(message)
        self.at, self.message = at, message


def _split_items(text: str) -> list[_Item]:
    # A file whose first line has \r and no \n is an old Mac file: Moodle splits it on \r.
    first = text.split("\n", 1)[0]
    lines = text.split("\r") if "\r" in first and "\n" not in text else text.split("\n")
    items: list[_Item] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, 1):
        line = line.strip(_PHP_SPACE)
        if line:
            block.append((number, line))
        elif block:
            items.append(_Item(block))
            block = []
    if block:
        items.append(_Item(block))
    return items


def _field(span: _Span, default: str) -> tuple[str, str]:
    """Moodle's parse_text_with_format: an optional leading [format] marker, then the unescaped text."""
    fmt = default
    if span.mask.startswith("["):
        end = span.mask.find("]")
        name = span.raw[1:end] if end > 0 else ""
        if name in _FORMATS:
            fmt, span = name, span.cut(end + 1)
    return span.text().strip(_PHP_SPACE), fmt


def _as(text: str, fmt: str, target: str) -> str:
    """*text* written in Moodle format *fmt*, rewritten for a question whose format is *target*."""
    if fmt == "moodle":
        text = text.replace("\n", "<br>\n")  # what Moodle's auto-format shows for a line break
    elif fmt == "plain" and target == "html":
        text = html.escape(text, quote=False).replace("\n", "<br>\n")
    return text


def _weight(span: _Span, default: float) -> tuple[float, _Span]:
    """A leading ``%50%`` weight (percent) if there is one, else *default*; Moodle's answerweightparser."""
    found = _WEIGHT.match(span.mask)
    if not found:
        return default, span
    number = span.raw[1 : found.end() - 1]
    try:
        value = float(number)
    except ValueError:
        raise _Fail(
            span.at, f"weight: found {shown(number)}, expected a percentage like %50% or %-25%"
        ) from None
    if not -100 <= value <= 100:
        raise _Fail(span.at, f"weight: found {number}%, expected a percentage between -100% and 100%")
    return value, span.cut(found.end())


def _number(text: str, at: int, what: str) -> float:
    value = float(text) if _NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise _Fail(at, f"{what}: found {shown(text)}, expected a number like 3.14, 3.14:0.01 or 1..5")
    return value


def _choice_parts(answer: _Span) -> list[_Span]:
    """Moodle replaces each "=" by "~=" and splits on "~": a "~" ends an answer, an "=" starts a right one."""
    parts, start = [], 0
    for index, char in enumerate(answer.mask):
        if char in "~=":
            parts.append(answer.cut(start, index))
            start = index + 1 if char == "~" else index
    parts.append(answer.cut(start))
    return parts


def _category(body: _Span, item: _Item) -> tuple[str | None, Skipped | None]:
    rest = body.cut(len("$CATEGORY:")).strip()
    first, _, more = rest.raw.partition("\n")
    names = [n.replace("//", "/").strip() for n in _CATEGORY_SPLIT.split(_Span.of(first).text())]
    names = [n for n in names if n and n != "top" and not re.fullmatch(r"\$\w+\$", n)]
    skipped = None
    if more.strip(_PHP_SPACE):
        line = item.line_at(rest.at + len(first) + 1)
        why = "it has no blank line after the $CATEGORY line, so Moodle reads it as part of the category name"
        skipped = Skipped(line, "text", why)
    return (names[-1] if names else None), skipped


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.questions: list[dict] = []
        self.skipped: list[Skipped] = []
        self.problems: list[str] = []
        self.topic: str | None = None
        self.first_topic: str | None = None

    def item(self, item: _Item) -> None:
        body = item.body.strip()
        if not body.raw:
            return  # only comments
        if body.mask.startswith("$CATEGORY:"):
            self.topic, skipped = _category(body, item)
            self.first_topic = self.first_topic or self.topic
            if skipped:
                self.skipped.append(skipped)
            return
        title = None
        if body.mask.startswith("::"):
            body = body.cut(2)
            end = body.mask.find("::")
            if end >= 0:
                title = body.cut(0, end).text().strip(_PHP_SPACE) or None
                body = body.cut(end + 2).strip()
        line = item.line_at(body.at)
        try:
            question = self.question(body, title, line)
        except _Fail as fail:
            where = f"question {len(self.questions) + 1}" + (f" ({title!r})" if title else "")
            self.problems.append(f"{self.source}, line {item.line_at(fail.at)}: {where}: {fail.message}")
            return
        if isinstance(question, Skipped):
            self.skipped.append(question)
            return
        question = {"id": len(self.questions) + 1, **({"title": title} if title else {}), **question}
        if self.topic:
            question["topic"] = self.topic
        self.questions.append(question)

    def question(self, body: _Span, title: str | None, line: int) -> dict | Skipped:
        start, finish = body.mask.find("{"), body.mask.find("}")
        if start < 0 and finish < 0:
            return Skipped(
                line, "a description", "it has no answer block {...}, so there is nothing to ask", title
            )
        if start < 0:
            raise _Fail(body.at + finish, "found a '}' with no '{' before it (write \\} for a literal brace)")
        if finish < 0:
            raise _Fail(body.at + start, "the answer block's '{' is never closed by a '}'")
        if finish < start:
            raise _Fail(body.at + finish, "found a '}' before the answer block's '{' (write \\} for a brace)")
        answer = body.cut(start + 1, finish).strip()
        # An answer block that ends the item is left out of the text; one inside it leaves a blank to fill.
        fill = "" if body.mask.endswith("}") else BLANK
        stem = body.cut(0, start).plus(fill, body.cut(finish + 1))
        general = ""
        cut = answer.mask.rfind("####")
        if cut >= 0:
            general, answer = answer.cut(cut + 4), answer.cut(0, cut).strip()
        text, fmt = _field(stem, "moodle")
        target = _FORMATS[fmt]
        out: dict[str, Any] = {"question": _as(text, fmt, target), "format": target}
        kind = self.kind(answer)
        if kind in ("essay", "matching"):
            what = "an essay question" if kind == "essay" else "a matching question"
            why = "quiz_widgets grades answers itself and has no " + (
                "free-text essays" if kind == "essay" else "matching questions"
            )
            return Skipped(line, what, why, title)
        if not text.strip():
            raise _Fail(body.at, "the question has no text")
        reader = {"numerical": self.numerical, "choice": self.choice, "truefalse": self.truefalse}
        result = reader.get(kind, self.short)(answer, fmt, target, out)
        if isinstance(result, Skipped):
            return Skipped(line, result.what, result.why, title)
        if general:
            explanation, efmt = _field(general, fmt)
            if explanation:
                out["explanation"] = _as(explanation, efmt, target)
        return out

    @staticmethod
    def kind(answer: _Span) -> str:
        mask = answer.mask
        if not mask:
            return "essay"
        if mask[0] == "#":
            return "numerical"
        if "~" in mask:
            return "choice"
        if "=" in mask and "->" in mask:
            return "matching"
        check = answer.cut(0, mask.find("#")).strip() if mask.find("#") > 0 else answer
        return "truefalse" if check.mask in _TRUE_FALSE else "short"

    @staticmethod
    def answers(answer: _Span, sep: str) -> list[_Span]:
        parts = answer.split(sep)
        parts[0] = parts[0].strip()
        return parts[1:] if not parts[0].raw else parts

    def choice(self, answer: _Span, fmt: str, target: str, out: dict) -> Skipped | None:
        single = "=" in answer.mask  # Moodle: one right answer when any answer starts with "="
        parts = [p.strip() for p in _choice_parts(answer)]
        if parts and not parts[0].raw:
            parts = parts[1:]
        if len(parts) < 2:
            raise _Fail(answer.at, f"a multiple choice block needs at least 2 answers, found {len(parts)}")
        texts, weights, feedback = [], [], {}
        for part in parts:
            number = len(texts)
            if part.mask.startswith("="):
                weight, part = 100.0, part.cut(1)
            else:
                weight, part = _weight(part, 0.0)
            bits = part.split("#", 1)
            option, ofmt = _field(bits[0].strip(), fmt)
            if not option:
                continue  # Moodle's multichoice saves no answer with an empty text
            texts.append(_as(option, ofmt, target))
            weights.append(weight)
            if len(bits) > 1:
                note, nfmt = _field(bits[1].strip(), fmt)
                if note and number < len(_LETTERS):
                    feedback[_LETTERS[number]] = _as(note, nfmt, target)
        if len(texts) < 2:
            raise _Fail(answer.at, f"a multiple choice block needs at least 2 answers, found {len(texts)}")
        if single and max(weights) != 100:
            raise _Fail(
                answer.at, f"no answer is worth 100% (the best is {max(weights):g}%): Moodle needs one"
            )
        positive = sum(w for w in weights if w > 0)
        if not single and round(positive / 100, 2) != 1:
            raise _Fail(answer.at, f"the positive weights add up to {positive:g}%, Moodle needs 100%")
        if len(texts) > len(_LETTERS):
            return Skipped(0, "a multiple choice question", f"it has {len(texts)} answers, at most 26 fit")
        seen: set[str] = set()
        for option in texts:
            if option.strip().casefold() in seen:
                return Skipped(0, "a multiple choice question", f"two answers have the same text {option!r}")
            seen.add(option.strip().casefold())
        letters = _LETTERS[: len(texts)]
        out["type"] = "singleChoice" if single else "multiChoice"
        out["options"] = dict(zip(letters, texts, strict=True))
        if single:
            out["answer"] = letters[weights.index(max(weights))]
            if sorted(weights) != [0.0] * (len(weights) - 1) + [100.0]:
                out["weights"] = dict(zip(letters, weights, strict=True))
        else:
            out["answer"] = [k for k, w in zip(letters, weights, strict=True) if w > 0]
            out["weights"] = dict(zip(letters, weights, strict=True))
        if feedback:
            out["feedback"] = feedback
        return None

    def truefalse(self, answer: _Span, fmt: str, target: str, out: dict) -> None:
        bits = answer.split("#", 2)
        right = _TRUE_FALSE[bits[0].strip().mask]
        notes = [_field(b.strip(), fmt) for b in bits[1:]]
        wrong_note, right_note = ([*(_as(t, f, target) for t, f in notes), "", ""])[:2]
        out.update(type="trueFalse", options={"A": "True", "B": "False"}, answer=right)
        # Moodle's "#wrong#right": the first is shown for the wrong choice, the second for the right one.
        feedback = {"A" if right else "B": right_note, "B" if right else "A": wrong_note}
        feedback = {k: v for k, v in sorted(feedback.items()) if v}
        if feedback:
            out["feedback"] = feedback

    def short(self, answer: _Span, fmt: str, target: str, out: dict) -> None:
        entries = []
        for part in self.answers(answer, "="):
            part = part.strip()
            credit, part = _weight(part, 100.0)
            bits = part.split("#", 1)
            text, _ = _field(bits[0].strip(), fmt)
            if not text:
                raise _Fail(part.at, "an empty short answer (an '=' with nothing after it)")
            entry: dict[str, Any] = {"text": text, "credit": credit}
            if len(bits) > 1:
                note, nfmt = _field(bits[1].strip(), fmt)
                if note:
                    entry["feedback"] = _as(note, nfmt, target)
            entries.append(entry)
        if not entries:
            raise _Fail(answer.at, "a short answer block needs at least one answer")
        if max(e["credit"] for e in entries) != 100:
            raise _Fail(answer.at, "no short answer is worth 100%: Moodle needs one")
        last = entries[-1]
        if len(entries) > 1 and last["text"] == "*" and last["credit"] == 0:
            entries.pop()  # Moodle's "any other answer" entry: the feedback for every wrong answer
            if last.get("feedback"):
                out["incorrect_feedback"] = last["feedback"]
        out["type"] = "text"
        if all(e["credit"] == 100 and "feedback" not in e for e in entries):
            texts = [e["text"] for e in entries]
            out["answer"] = texts[0] if len(texts) == 1 else texts
        else:
            out["answers"] = entries

    def numerical(self, answer: _Span, fmt: str, target: str, out: dict) -> Skipped | None:
        answer = answer.cut(1)
        wrong = None
        tilde = answer.mask.find("~")
        if tilde >= 0:
            wrong, answer = answer.cut(tilde), answer.cut(0, tilde)
        entries: list[dict[str, Any]] = []
        for part in self.answers(answer, "="):
            part = part.strip()
            credit, part = _weight(part, 100.0)
            bits = part.split("#", 1)
            value_span = bits[0].strip()
            value, _ = _field(value_span, fmt)
            entry: dict[str, Any] = {}
            if value == "*":
                entry["any"] = True
            elif value.find("..") > 0:
                low, _, high = value.partition("..")
                low_n = _number(low.strip(_PHP_SPACE), value_span.at, "range start")
                high_n = _number(high.strip(_PHP_SPACE), value_span.at, "range end")
                entry.update(min=min(low_n, high_n), max=max(low_n, high_n))
            elif value.find(":") > 0:
                exact, _, margin = value.partition(":")
                entry["value"] = _number(exact.strip(_PHP_SPACE), value_span.at, "number")
                # Moodle stores the error margin as given and compares with its absolute value.
                entry["tolerance"] = abs(_number(margin.strip(_PHP_SPACE), value_span.at, "error margin"))
            else:
                entry.update(value=_number(value, value_span.at, "number"), tolerance=0.0)
            entry["credit"] = credit
            if len(bits) > 1:
                note, nfmt = _field(bits[1].strip(), fmt)
                if note:
                    entry["feedback"] = _as(note, nfmt, target)
            entries.append(entry)
        if not entries:
            raise _Fail(answer.at, "a numerical block '{#...}' needs at least one number")
        out["type"] = "numeric"
        if wrong is not None:
            bits = wrong.split("#", 1)
            note, nfmt = _field(bits[1].strip(), fmt) if len(bits) > 1 else ("", fmt)
            if note:
                out["incorrect_feedback"] = _as(note, nfmt, target)
        for index, entry in enumerate(entries):
            if entry.pop("any", False):
                if entry["credit"] > 0:
                    return Skipped(0, "a numerical question", "its '*' answer gives credit for any number")
                if "feedback" in entry and "incorrect_feedback" not in out:
                    out["incorrect_feedback"] = entry["feedback"]
                del entries[index:]  # Moodle takes the first match: nothing after a '*' is ever reached
                break
        if not entries:
            raise _Fail(answer.at, "a numerical block '{#...}' needs at least one number")
        simple = entries[0]
        if len(entries) == 1 and "value" in simple and simple["credit"] == 100 and "feedback" not in simple:
            out["answer"], out["tolerance"] = simple["value"], simple["tolerance"]
        else:
            out["answers"] = entries
        return None


def read_gift(text: str, source: str = "<text>") -> tuple[dict, list[Skipped]]:
    """Read GIFT *text* as Moodle does -> (exam dict, items that could not be represented).

    *source* names the file in messages and gives the exam its title. Raises ExamError, naming *source* and
    the line, when the text is malformed or no usable question is left.
    """
    if not isinstance(text, str):
        raise ExamError(f"{source}: found {type(text).__name__}, expected GIFT text (a str)", source=source)
    reader = _Reader(source)
    for item in _split_items(text.removeprefix("\ufeff")):
        reader.item(item)
    if reader.problems:
        raise ExamError(reader.problems, source=source)
    if not reader.questions:
        found = (
            "; ".join(s.message(source) for s in reader.skipped) or f"{source}, line 1: nothing but comments"
        )
        raise ExamError(f"{source}: no question quiz_widgets can use ({found})", source=source)
    name = PurePath(source).stem if source and not source.startswith("<") else ""
    return {
        "title": name or reader.first_topic or "GIFT questions",
        "questions": reader.questions,
    }, reader.skipped


# ---------------------------------------------------------------------------------------------------- writing


def _esc(text: str) -> str:
    """Moodle's repchar: escape what GIFT reads as syntax; line breaks become \\n."""
    text = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _num(value: float) -> str:
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _pct(value: float) -> str:
    return _num(round(float(value), 5))


class _Writer:
    def __init__(self, exam: Mapping) -> None:
        self.exam = exam
        self.warnings: list[str] = []
        self.where = ""

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}")

    def write(self) -> str:
        title = self.exam.get("title")
        out = [
            f"// {_one_line(str(title))}" if title else "// quiz_widgets exam",
            "// written by quiz_widgets",
        ]
        if self.exam.get("description"):
            out += [f"// {_one_line(line)}" for line in str(self.exam["description"]).splitlines()]
        out.append("")
        questions = self.exam.get("questions")
        if not isinstance(questions, Sequence) or isinstance(questions, str):
            raise ExamError(f"<exam>: questions: found {shown(questions)}, expected a list of questions")
        topic: str | None = None
        default_format = self.exam.get("format") or "markdown"
        for number, question in enumerate(questions, 1):
            if not isinstance(question, Mapping):
                raise ExamError(
                    f"<exam>: question {number}: found {shown(question)}, expected a question object"
                )
            self.where = f"question {number} (id {question.get('id', number)})"
            new_topic = question.get("topic")
            if new_topic and new_topic != topic:
                out += [f"$CATEGORY: {_one_line(str(new_topic)).replace('/', '//')}", ""]
            elif not new_topic and topic:
                self.warn(f"it has no topic, but GIFT puts it in the category of the one before ({topic!r})")
            topic = new_topic or topic
            out += [*self.question(question, question.get("format") or default_format), ""]
        return "\n".join(out)

    def question(self, q: Mapping, fmt: str) -> list[str]:
        if fmt not in ("markdown", "html", "plain"):
            self.warn(f"format {fmt!r} is not one GIFT has; written as markdown")
            fmt = "markdown"
        kind = q.get("type") or "singleChoice"
        body = {
            "singleChoice": self.choice,
            "multiChoice": self.choice,
            "trueFalse": self.truefalse,
            "numeric": self.numeric,
            "text": self.text,
        }.get(kind)
        if body is None:
            raise ExamError(f"<exam>: {self.where}: type: found {shown(kind)}, expected a question type")
        lines = body(q, fmt)
        if q.get("explanation"):
            lines.append("\t####" + self.field(str(q["explanation"]), fmt))
        head = f"::{_esc(str(q['title']))}::" if q.get("title") else ""
        stem = _esc(str(q.get("question", "")))
        block = "{\n" + "\n".join(lines) + "\n}"
        # A blank inside the text is where a missing-word item's answers go; at the end it stays text.
        at = stem.find(BLANK)
        if at >= 0 and at + len(BLANK) < len(stem.rstrip()):
            stem = stem[:at] + block + stem[at + len(BLANK) :]
            return [f"{head}[{fmt}]{stem}"]
        return [f"{head}[{fmt}]{stem}{block}"]

    @staticmethod
    def field(text: str, fmt: str) -> str:
        # A text starting with "[html]" and the like would be read as a format marker: mark it explicitly.
        escaped = _esc(text.strip(_PHP_SPACE))
        return f"[{fmt}]{escaped}" if escaped.startswith("[") else escaped

    def options(self, q: Mapping) -> list[tuple[str, str]]:
        options = q.get("options")
        if isinstance(options, Mapping):
            return [(str(k), str(v)) for k, v in options.items()]
        if isinstance(options, Sequence) and not isinstance(options, str):
            return list(zip(_LETTERS, (str(v) for v in options), strict=False))
        raise ExamError(f"<exam>: {self.where}: options: found {shown(options)}, expected options")

    def choice(self, q: Mapping, fmt: str) -> list[str]:
        options = self.options(q)
        answer = q.get("answer")
        right = {answer.upper()} if isinstance(answer, str) else {str(a).upper() for a in answer or ()}
        weights = q.get("weights")
        if not isinstance(weights, Mapping):
            weights = None
        feedback = q.get("feedback") if isinstance(q.get("feedback"), Mapping) else {}
        wrong_note = q.get("incorrect_feedback")
        single = q.get("type", "singleChoice") == "singleChoice"
        if wrong_note and not single:
            self.warn("incorrect_feedback: GIFT has no feedback for a wrong set of answers; left out")
        if weights is None and not single:
            self.warn(
                "GIFT has no all-or-nothing multiple answer: written with Moodle's usual weights "
                "(each right answer 100%/right count, each wrong one -100%), so a partly right set gets part credit"
            )
            share = 100 / max(len(right), 1)
            weights = {k: (share if k in right else -100) for k, _ in options}
        lines = []
        top = max(weights.values()) if weights else 100
        if single and weights and top != 100:
            self.warn(
                f"weights: the best option is worth {top:g}%; Moodle's import refuses a single answer without 100%"
            )
        if not single and weights and round(sum(w for w in weights.values() if w > 0) / 100, 2) != 1:
            self.warn("weights: the positive weights do not add up to 100%, which Moodle's import refuses")
        for key, text in options:
            weight = float(weights.get(key, 0)) if weights else (100.0 if key in right else 0.0)
            self.check_grade(weight)
            if single and weight == 100:
                mark = "="
            elif weight == 0:
                mark = "~"
            else:
                mark = f"~%{_pct(weight)}%"
            note = feedback.get(key) or (wrong_note if single and weight <= 0 else None)
            lines.append(
                f"\t{mark}{self.field(text, fmt)}" + (f"#{self.field(str(note), fmt)}" if note else "")
            )
        return lines

    def check_grade(self, weight: float) -> None:
        if not any(abs(abs(weight) - g) < 1e-5 for g in _MOODLE_GRADES):
            self.warn(
                f"weight {weight:g}% is not one of Moodle's grades; its import then needs 'nearest grade'"
            )

    def truefalse(self, q: Mapping, fmt: str) -> list[str]:
        options = q.get("options")
        pairs = self.options(q) if options else [("A", "True"), ("B", "False")]
        texts = {k: t.strip().casefold() for k, t in pairs}
        true_key = next((k for k, t in texts.items() if t == "true"), pairs[0][0])
        false_key = next((k for k, t in texts.items() if t == "false"), pairs[-1][0])
        if {texts.get(true_key), texts.get(false_key)} != {"true", "false"}:
            self.warn(
                f"GIFT true/false items say True and False; the options {[t for _, t in pairs]} are lost"
            )
        answer = q.get("answer")
        if isinstance(answer, str):
            folded = answer.strip().casefold()
            answer = folded == "true" if folded in ("true", "false") else answer.strip().upper() == true_key
        right = bool(answer)
        feedback = q.get("feedback") if isinstance(q.get("feedback"), Mapping) else {}
        right_note = feedback.get(true_key if right else false_key) or ""
        wrong_note = feedback.get(false_key if right else true_key) or q.get("incorrect_feedback") or ""
        line = "\tTRUE" if right else "\tFALSE"
        if wrong_note or right_note:
            line += "#" + self.field(str(wrong_note), fmt)
        if right_note:
            line += "#" + self.field(str(right_note), fmt)
        return [line]

    def numeric(self, q: Mapping, fmt: str) -> list[str]:
        if q.get("precision") is not None:
            self.warn(f"precision {q['precision']!r}: GIFT cannot round the learner's number; left out")
        entries = q.get("answers")
        if not entries:
            entries = [{"value": q.get("answer"), "tolerance": q.get("tolerance") or 0}]
        lines = []
        for entry in entries:
            credit = float(entry.get("credit", 100))
            self.check_grade(credit)
            mark = "=" if credit == 100 else f"=%{_pct(credit)}%"
            if "value" in entry:
                number = f"{_num(entry['value'])}:{_num(entry.get('tolerance') or 0)}"
            else:
                low, high = entry.get("min"), entry.get("max")
                if low is None or high is None:
                    self.warn(f"the open range {_range_text(low, high)}: GIFT ranges have two ends; "
                              f"written with the missing end {_OPEN_END:g} away")  # fmt: skip
                    if low is None and high is None:
                        low, high = -_OPEN_END, _OPEN_END
                    elif low is None:
                        low = high - _OPEN_END
                    else:
                        high = low + _OPEN_END
                number = f"{_num(low)}..{_num(high)}"
            note = entry.get("feedback")
            lines.append(f"\t{mark}{number}" + (f"#{self.field(str(note), fmt)}" if note else ""))
        if q.get("incorrect_feedback"):
            lines.append("\t~#" + self.field(str(q["incorrect_feedback"]), fmt))
        return ["\t#", *lines]

    def text(self, q: Mapping, fmt: str) -> list[str]:
        if q.get("match_case"):
            self.warn("match_case: Moodle's GIFT import always compares case-insensitively; left out")
        if q.get("fuzzy_threshold") is not None:
            self.warn("fuzzy_threshold: GIFT short answers match exactly (with * wildcards); left out")
        entries = q.get("answers")
        if not entries:
            answer = q.get("answer")
            entries = [{"text": a} for a in (answer if isinstance(answer, list) else [answer])]
        lines = []
        for entry in entries:
            credit = float(entry.get("credit", 100))
            text = str(entry.get("text", "")).strip(_PHP_SPACE)
            if "->" in text:
                # GIFT has no escape for "->", and "=" with "->" makes Moodle read a matching question.
                self.warn(f"the answer {text!r}: GIFT cannot hold '->' in a short answer; left out")
                continue
            self.check_grade(credit)
            mark = "=" if credit == 100 else f"=%{_pct(credit)}%"
            note = self.arrow_free(str(entry.get("feedback") or ""), fmt)
            lines.append(f"\t{mark}{_esc(text)}" + (f"#{self.field(note, fmt)}" if note else ""))
        if not lines:
            raise ExamError(
                f"<exam>: {self.where}: answer: GIFT cannot hold these short answers (all contain '->')"
            )
        if q.get("incorrect_feedback"):
            # Moodle's way of saying "any other answer": a last 0% answer "*".
            note = self.arrow_free(str(q["incorrect_feedback"]), fmt)
            lines.append("\t=%0%*#" + self.field(note, fmt))
        return lines

    def arrow_free(self, text: str, fmt: str) -> str:
        """*text* without a literal "->", which would turn a short-answer block into a matching one."""
        if "->" not in text:
            return text
        if fmt == "plain":
            self.warn(f"feedback {text!r}: '->' written as '- >' (GIFT short answers cannot hold '->')")
            return text.replace("->", "- >")
        return text.replace("->", "-&gt;" if fmt == "html" else "-\\>")  # the same arrow once rendered


def _range_text(low: object, high: object) -> str:
    return f"{'' if low is None else low}..{'' if high is None else high}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_gift(exam: Mapping) -> tuple[str, list[str]]:
    """An exam dict -> (GIFT text Moodle imports, warnings about what GIFT cannot say).

    Every question gets an explicit format marker ([markdown], [html] or [plain]); topics become $CATEGORY
    lines, titles ::names::, explanations ####general feedback.
    """
    if not isinstance(exam, Mapping):
        raise ExamError(f"<exam>: found {shown(exam)}, expected an exam object")
    writer = _Writer(exam)
    return writer.write(), writer.warnings

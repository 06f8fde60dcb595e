"""Reading GIFT as Moodle's qformat_gift does: read_gift(text, source) -> (exam dict, skipped items)."""

from __future__ import annotations

import html
import math
import re
from pathlib import PurePath
from typing import Any

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.exam.formats import reading
from quiz_widgets.exam.formats.gift.common import (
    BLANK,
    CATEGORY_SPLIT,
    ESCAPE,
    FORMATS,
    LETTERS,
    NUMBER,
    PHP_SPACE,
    TRUE_FALSE,
    WEIGHT,
    Skipped,
)

__all__ = ["read_gift"]


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
        return cls(raw, ESCAPE.sub("\x01\x01", raw), 0)

    def __len__(self) -> int:
        return len(self.raw)

    def cut(self, start: int, end: int | None = None) -> _Span:
        return _Span(self.raw[start:end], self.mask[start:end], self.at + start)

    def strip(self) -> _Span:
        lead = len(self.mask) - len(self.mask.lstrip(PHP_SPACE))
        return self.cut(lead, lead + len(self.mask.strip(PHP_SPACE)))

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
        return ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), self.raw)


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
        line = line.strip(PHP_SPACE)
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
        if name in FORMATS:
            fmt, span = name, span.cut(end + 1)
    return span.text().strip(PHP_SPACE), fmt


def _as(text: str, fmt: str, target: str) -> str:
    """*text* written in Moodle format *fmt*, rewritten for a question whose format is *target*."""
    if fmt == "moodle":
        text = text.replace("\n", "<br>\n")  # what Moodle's auto-format shows for a line break
    elif fmt == "plain" and target == "html":
        text = html.escape(text, quote=False).replace("\n", "<br>\n")
    return text


def _feedback(bits: list[_Span], fmt: str, target: str) -> str:
    """The feedback after an answer's '#' (bits = the answer split once at '#'), in the question's format;
    "" when there is none."""
    if len(bits) < 2:
        return ""
    note, nfmt = _field(bits[1].strip(), fmt)
    return _as(note, nfmt, target) if note else ""


def _weight(span: _Span, default: float) -> tuple[float, _Span]:
    """A leading ``%50%`` weight (percent) if there is one, else *default*; Moodle's answerweightparser."""
    found = WEIGHT.match(span.mask)
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
    value = float(text) if NUMBER.fullmatch(text) else math.nan
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
    names = [n.replace("//", "/").strip() for n in CATEGORY_SPLIT.split(_Span.of(first).text())]
    names = [n for n in names if n and n != "top" and not re.fullmatch(r"\$\w+\$", n)]
    skipped = None
    if more.strip(PHP_SPACE):
        line = item.line_at(rest.at + len(first) + 1)
        why = "it has no blank line after the $CATEGORY line, so Moodle reads it as part of the category name"
        skipped = Skipped(line, "text", why)
    return (names[-1] if names else None), skipped


class _Reader(reading.Reader):
    def __init__(self, source: str) -> None:
        super().__init__(source)
        self.topic: str | None = None
        self.first_topic: str | None = None
        self.current = _Item([])

    def item(self, item: _Item) -> None:
        self.current = item
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
                title = body.cut(0, end).text().strip(PHP_SPACE) or None
                body = body.cut(end + 2).strip()
        line = item.line_at(body.at)
        try:
            question = self.question(body, title, line)
        except _Fail as fail:
            self.problem(item.line_at(fail.at), title, fail.message)
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
        run_on = body.mask.find("{", finish + 1)
        if run_on >= 0 and "\n" in body.mask[finish:run_on]:
            return self.run_on(body, start, run_on, title)
        answer = body.cut(start + 1, finish).strip()
        # An answer block that ends the item is left out of the text; one inside it leaves a blank to fill.
        fill = "" if body.mask.endswith("}") else BLANK
        stem = body.cut(0, start).plus(fill, body.cut(finish + 1))
        general = ""
        cut = answer.mask.rfind("####")
        if cut >= 0:
            general, answer = answer.cut(cut + 4), answer.cut(0, cut).strip()
        text, fmt = _field(stem, "moodle")
        target = FORMATS[fmt]
        out: dict[str, Any] = {"question": _as(text, fmt, target), "format": target}
        kind = self.kind(answer)
        if kind == "essay":
            why = "quiz_widgets grades answers itself and has no free-text essays"
            return Skipped(line, "an essay question", why, title)
        if not text.strip():
            raise _Fail(body.at, "the question has no text")
        reader = {
            "numerical": self.numerical,
            "choice": self.choice,
            "truefalse": self.truefalse,
            "matching": self.matching,
        }
        result = reader.get(kind, self.short)(answer, fmt, target, out)
        if isinstance(result, Skipped):
            return Skipped(line, result.what, result.why, title)
        if general:
            explanation, efmt = _field(general, fmt)
            if explanation:
                out["explanation"] = _as(explanation, efmt, target)
        return out

    def run_on(self, body: _Span, start: int, run_on: int, title: str | None) -> Skipped:
        """Another answer block on a later line: questions with no blank line between them. Moodle reads
        them as one question whose text shows the later blocks' GIFT syntax, which no learner should see."""
        item = self.current
        line, first = item.line_at(body.at + run_on), item.line_at(body.at + start)
        why = (
            f"its answer block {{...}} is on the line after a question's (line {first}) with no blank line "
            "between them, so Moodle reads them as one question showing this block as text; put a blank "
            "line between questions (or write \\{ for a literal brace)"
        )
        return Skipped(line, "a question", why, title)

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
        return "truefalse" if check.mask in TRUE_FALSE else "short"

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
            note = _feedback(bits, fmt, target)
            if note and number < len(LETTERS):
                feedback[LETTERS[number]] = note
        if len(texts) < 2:
            raise _Fail(answer.at, f"a multiple choice block needs at least 2 answers, found {len(texts)}")
        if single and max(weights) != 100:
            raise _Fail(
                answer.at, f"no answer is worth 100% (the best is {max(weights):g}%): Moodle needs one"
            )
        positive = sum(w for w in weights if w > 0)
        if not single and round(positive / 100, 2) != 1:
            raise _Fail(answer.at, f"the positive weights add up to {positive:g}%, Moodle needs 100%")
        return reading.choice_fields(texts, texts, weights, single, feedback, out)

    def matching(self, answer: _Span, fmt: str, target: str, out: dict) -> None:
        """Moodle's 'match' case: "=left -> right" per pair; a pair with no left text ("= -> Tape") is a
        distractor, a right-hand choice that matches nothing. The right texts are plain, as Moodle keeps
        its subanswers."""
        parts = self.answers(answer, "=")
        if len(parts) < 2:
            raise _Fail(
                answer.at, f"a matching block needs at least 2 pairs '=item -> match', found {len(parts)}"
            )
        pairs: dict[str, str] = {}
        distractors: list[str] = []
        for part in parts:
            part = part.strip()
            arrow = part.mask.find("->")
            if arrow < 0:
                raise _Fail(part.at, "each answer of a matching block is '=item -> match' (no '->' found)")
            left, lfmt = _field(part.cut(0, arrow).strip(), fmt)
            right = part.cut(arrow + 2).strip().text().strip()
            if not left.strip():
                distractors.append(right)
            elif left in pairs:
                raise _Fail(part.at, f"the item {left!r} is matched twice")
            else:
                pairs[_as(left, lfmt, target)] = right
        out.update(type="matching", pairs=pairs)
        if distractors:
            out["distractors"] = distractors

    def truefalse(self, answer: _Span, fmt: str, target: str, out: dict) -> None:
        bits = answer.split("#", 2)
        right = TRUE_FALSE[bits[0].strip().mask]
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
            note = _feedback(bits, fmt, target)
            if note:
                entry["feedback"] = note
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
                low_n = _number(low.strip(PHP_SPACE), value_span.at, "range start")
                high_n = _number(high.strip(PHP_SPACE), value_span.at, "range end")
                entry.update(min=min(low_n, high_n), max=max(low_n, high_n))
            elif value.find(":") > 0:
                exact, _, margin = value.partition(":")
                entry["value"] = _number(exact.strip(PHP_SPACE), value_span.at, "number")
                # Moodle stores the error margin as given and compares with its absolute value.
                entry["tolerance"] = abs(_number(margin.strip(PHP_SPACE), value_span.at, "error margin"))
            else:
                entry.update(value=_number(value, value_span.at, "number"), tolerance=0.0)
            entry["credit"] = credit
            note = _feedback(bits, fmt, target)
            if note:
                entry["feedback"] = note
            entries.append(entry)
        if not entries:
            raise _Fail(answer.at, "a numerical block '{#...}' needs at least one number")
        out["type"] = "numeric"
        if wrong is not None:
            bits = wrong.split("#", 1)
            note = _feedback(bits, fmt, target)
            if note:
                out["incorrect_feedback"] = note
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

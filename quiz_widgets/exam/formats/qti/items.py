"""One QTI 1.2 item (as Canvas writes it) -> a question dict: ItemReader.item() reads each <item> of an
assessment, the kind from its question_type metadata (else its response), its text, answers and feedback.

reader.py walks the files (an assessment, or each one of an export zip) and hands every item here.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.exam.formats import reading
from quiz_widgets.exam.formats.cloze_syntax import choice_blank, text_blank
from quiz_widgets.exam.formats.common import LETTERS, NUMBER, Skipped
from quiz_widgets.exam.formats.embedded import replace_sources
from quiz_widgets.exam.formats.xml_tree import Node

__all__ = ["FILEBASE", "InFile", "ItemReader"]

FILEBASE = "$IMS-CC-FILEBASE$"  # how Canvas's HTML refers to the export's web_resources/ folder

# Types read one day by a kind not there yet (none left: matching, blanks and dropdowns are read).
_LATER_TYPES: dict[str, str] = {}
_NOT_ASKED = {
    "essay_question": reading.ESSAY,
    "file_upload_question": ("a file upload question", "quiz_widgets grades answers itself"),
    "text_only_question": ("a text-only item", reading.NOTHING_TO_ASK),
}
_KNOWN = {
    "multiple_choice_question",
    "multiple_answers_question",
    "true_false_question",
    "short_answer_question",
    "numerical_question",
    "fill_in_multiple_blanks_question",
    "multiple_dropdowns_question",
    "matching_question",
}


@dataclass(frozen=True)
class InFile(Skipped):
    """A skipped item of one file inside a zip: its line is that file's."""

    file: str = ""

    def message(self, source: str) -> str:
        return super().message(f"{source}/{self.file}" if self.file else source)


class _Fail(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _number(text: str, line: int) -> float:
    text = text.strip()
    value = float(text) if NUMBER.fullmatch(text) else math.nan
    if not math.isfinite(value):
        raise _Fail(line, f"found {shown(text)}, expected a number")
    return value


def _metadata(item: Node) -> dict[str, str]:
    fields = {}
    meta = item.path("itemmetadata", "qtimetadata")
    for field in meta.findall("qtimetadatafield") if meta is not None else ():
        label, entry = field.find("fieldlabel"), field.find("fieldentry")
        if label is not None and entry is not None:
            fields[label.text.strip()] = entry.text.strip()
    return fields


def _material(node: Node | None) -> tuple[str, str]:
    """(text, "html" | "plain") of the mattext elements under *node*'s material."""
    if node is None:
        return "", "plain"
    texts, fmt = [], "plain"
    for mattext in node.iter("mattext"):
        texts.append(mattext.text)
        if "html" in mattext.attrs.get("texttype", "").lower():
            fmt = "html"
    return "".join(texts).strip(), fmt


def _kind(item: Node, meta: dict[str, str]) -> str:
    if meta.get("question_type"):
        return meta["question_type"]
    presentation = item.find("presentation")
    lid = next(presentation.iter("response_lid"), None) if presentation is not None else None
    if lid is not None:
        return (
            "multiple_answers_question"
            if lid.attrs.get("rcardinality") == "Multiple"
            else "multiple_choice_question"
        )
    fib = next(presentation.iter("render_fib"), None) if presentation is not None else None
    if fib is not None:
        decimal = fib.attrs.get("fibtype", "") in ("Decimal", "Integer")
        return "numerical_question" if decimal else "short_answer_question"
    return ""


def _score(condition: Node) -> float:
    total = 0.0
    for setvar in condition.findall("setvar"):
        try:
            value = float(setvar.text.strip())
        except ValueError:
            continue
        total = value if setvar.attrs.get("action", "Set") == "Set" else total + value
    return total


class ItemReader(reading.Reader):
    """The questions, skips and problems of the items read so far (of ``member`` inside a zip)."""

    def __init__(self, source: str, images: dict[str, str]) -> None:
        super().__init__(source)
        self.images = images
        self.member = ""  # the file inside a zip the items come from

    def skip(self, line: int, what: str, why: str, title: str | None = None) -> None:
        self.skipped.append(InFile(line, what, why, title, self.member))

    def html(self, text: str, fmt: str, line: int, title: str | None) -> str:
        if fmt == "html" and FILEBASE in text:

            def tell(name: str) -> None:
                self.skip(line, f"the image {name!r}", "the export holds no raster image of that name", title)

            text = replace_sources(text, FILEBASE, self.images, tell)
        return text

    def item(self, item: Node, topic: str | None) -> None:
        meta = _metadata(item)
        title = item.attrs.get("title", "").strip() or None
        kind = _kind(item, meta)
        if kind in _NOT_ASKED:
            self.skip(item.line, *_NOT_ASKED[kind], title)
            return
        if kind in _LATER_TYPES:
            self.skip(
                item.line, f"a {_LATER_TYPES[kind]} question", reading.LATER.format(_LATER_TYPES[kind]), title
            )
            return
        if kind not in _KNOWN:
            self.skip(
                item.line,
                "a question",
                f"quiz_widgets has no {kind!r} questions" if kind else "its type is unknown",
                title,
            )
            return
        try:
            question = self.question(item, kind, title)
        except _Fail as fail:
            self.problem(fail.line, title, fail.message)
            return
        if isinstance(question, Skipped):
            self.skip(item.line, question.what, question.why, title)
            return
        question = {"id": len(self.questions) + 1, **({"title": title} if title else {}), **question}
        topic = topic or meta.get("quiz_widgets_topic")  # what write_qti keeps in the item's metadata
        if topic:
            question["topic"] = topic
        question["_id"] = meta.get("quiz_widgets_id", "")
        self.questions.append(question)

    def question(self, item: Node, kind: str, title: str | None) -> dict | Skipped:
        presentation = item.find("presentation")
        if presentation is None:
            raise _Fail(item.line, "the item has no <presentation>")
        stem = [m for m in presentation.children if m.tag == "material"]
        text, fmt = _material(stem[0]) if stem else _material(next(presentation.iter("material"), None))
        if not text:
            raise _Fail(item.line, "the question has no text")
        feedback = {}
        for node in item.findall("itemfeedback"):
            note, nfmt = _material(node)
            if note:
                feedback[node.attrs.get("ident", "")] = (note, nfmt)
        conditions = list(item.iter("respcondition"))
        out: dict[str, Any] = {"question": (text, fmt)}
        if kind in ("multiple_choice_question", "multiple_answers_question", "true_false_question"):
            result = self.choice(presentation, conditions, kind, feedback, out)
        elif kind == "short_answer_question":
            result = self.short(conditions, out)
        elif kind in ("fill_in_multiple_blanks_question", "multiple_dropdowns_question"):
            result = self.blanks(presentation, conditions, kind, out)
        elif kind == "matching_question":
            result = self.matching(presentation, conditions, out)
        else:
            result = self.numerical(conditions, out)
        if isinstance(result, Skipped):
            return result
        if "general_fb" in feedback:
            out["explanation"] = feedback["general_fb"]
        if "general_incorrect_fb" in feedback:
            out["incorrect_feedback"] = feedback["general_incorrect_fb"]
        target = "html" if any(f == "html" for _, f in _pairs(out)) else "plain"
        converted = _convert(out, target, lambda t: self.html(t, "html", item.line, title))
        if isinstance(converted.get("pairs"), list):  # [left, right] rows, converted as text
            converted["pairs"] = dict(converted["pairs"])
        return converted | {"format": target}

    def choice(
        self, presentation: Node, conditions: list[Node], kind: str, feedback: dict, out: dict
    ) -> Skipped | None:
        labels = list(presentation.iter("response_label"))
        idents = [label.attrs.get("ident", "") for label in labels]
        texts = [_material(label) for label in labels]
        if len(labels) < 2:
            raise _Fail(presentation.line, f"a choice question needs at least 2 answers, found {len(labels)}")
        if len(labels) > len(LETTERS):
            return Skipped(0, "a choice question", f"it has {len(labels)} answers, at most 26 fit")
        keys = dict(zip(idents, LETTERS, strict=False))
        right: list[str] = []
        for condition in conditions:
            if _score(condition) <= 0:
                continue
            var = condition.find("conditionvar")
            chosen = var.find("and") if var is not None and var.find("and") is not None else var
            for equal in chosen.findall("varequal") if chosen is not None else ():
                key = keys.get(equal.text.strip())
                if key and key not in right:
                    right.append(key)
        if not right:
            raise _Fail(
                presentation.line, "no answer is marked right (no respcondition sets a score for one)"
            )
        seen: set[str] = set()
        for text, _ in texts:
            if text.casefold() in seen:
                return Skipped(0, "a choice question", f"two answers have the same text {text!r}")
            seen.add(text.casefold())
        options = {LETTERS[i]: texts[i] for i in range(len(labels))}
        notes = {keys[i]: feedback[f"{i}_fb"] for i in idents if f"{i}_fb" in feedback}
        if kind == "true_false_question":
            words = {k: t.strip().casefold() for k, (t, _) in options.items()}
            true_key = next((k for k, w in words.items() if w == "true"), "A")
            out.update(type="trueFalse", answer=right[0] == true_key)
            if len(options) != 2 or set(words.values()) != {"true", "false"}:
                out["type"] = "singleChoice"
                out.update(options=options, answer=right[0])
            else:
                false_key = next(k for k, w in words.items() if w == "false")
                out["options"] = {"A": ("True", "plain"), "B": ("False", "plain")}
                notes = {
                    ("A" if k == true_key else "B"): v for k, v in notes.items() if k in (true_key, false_key)
                }
        elif kind == "multiple_answers_question":
            out.update(type="multiChoice", options=options, answer=sorted(right))
        else:
            # Canvas lets several answers be right in a multiple choice question: any of them is.
            out.update(type="singleChoice", options=options, answer=right[0])
            if len(right) > 1:
                out["weights"] = {k: (100 if k in right else 0) for k in options}
        if notes:
            out["feedback"] = dict(sorted(notes.items()))
        return None

    def matching(self, presentation: Node, conditions: list[Node], out: dict) -> Skipped | None:
        """Canvas's matching_question: a <response_lid> per left item (its material the item), the same
        labels in each (the right-hand choices, distractors among them); a respcondition with a score names
        each item's right label."""
        lids = list(presentation.iter("response_lid"))
        lefts: dict[str, tuple[str, str]] = {}
        labels: dict[str, tuple[str, str]] = {}
        for lid in lids:
            material = lid.find("material")
            lefts[lid.attrs.get("ident", "")] = _material(material) if material is not None else ("", "plain")
            for label in lid.iter("response_label"):
                labels.setdefault(label.attrs.get("ident", ""), _material(label))
        right: dict[str, str] = {}
        for condition in conditions:
            if _score(condition) <= 0:
                continue
            for equal in condition.iter("varequal"):
                lid = equal.attrs.get("respident", "")
                if lid in lefts and equal.text.strip() in labels:
                    right.setdefault(lid, equal.text.strip())
        pairs = [[lefts[lid], labels[right[lid]]] for lid in lefts if lid in right and lefts[lid][0]]
        if len(pairs) < 2:
            return Skipped(
                0, "a matching question", f"it has {len(pairs)} matched items, at least 2 are needed"
            )
        used = set(right.values())
        out.update(type="matching", pairs=pairs)
        distractors = [text for ident, text in labels.items() if ident not in used and text[0]]
        if distractors:
            out["distractors"] = distractors
        return None

    def short(self, conditions: list[Node], out: dict) -> None:
        accepted: list[str] = []
        for condition in conditions:
            if _score(condition) <= 0:
                continue
            for equal in condition.iter("varequal"):
                if equal.text.strip() and equal.text.strip() not in accepted:
                    accepted.append(equal.text.strip())
        if not accepted:
            raise _Fail(
                conditions[0].line if conditions else 0, "no accepted answer (no respcondition sets a score)"
            )
        # Canvas compares short answers case-insensitively and without wildcards: plain accepted answers.
        out.update(type="text", answer=accepted[0] if len(accepted) == 1 else accepted)

    def blanks(self, presentation: Node, conditions: list[Node], kind: str, out: dict) -> None:
        """Canvas's [name] blanks as Cloze: fill in multiple blanks accepts each of a blank's answers (Canvas
        compares them without case); multiple dropdowns offers a blank's answers, the scored one right. Canvas
        splits the points evenly between the blanks, as Cloze blanks of one mark each are."""
        text, fmt = out["question"]
        if fmt == "plain":  # the blanks' choices are written as HTML
            text, fmt = html.escape(text, quote=False), "html"
        right: dict[str, set[str]] = {}
        for condition in conditions:
            if _score(condition) <= 0:
                continue
            for equal in condition.iter("varequal"):
                right.setdefault(equal.attrs.get("respident", ""), set()).add(equal.text.strip())
        blanks: dict[str, str] = {}
        for lid in presentation.iter("response_lid"):
            name = _material(lid.find("material"))[0]
            labels = [
                (label.attrs.get("ident", ""), _material(label)[0]) for label in lid.iter("response_label")
            ]
            labels = [(ident, words) for ident, words in labels if words]
            chosen = right.get(lid.attrs.get("ident", ""), set())
            if kind == "fill_in_multiple_blanks_question":
                if not labels:
                    raise _Fail(lid.line, f"the blank [{name}] has no accepted answer")
                blanks[name] = text_blank(list(dict.fromkeys(words for _, words in labels)))
                continue
            good = [i for i, (ident, _) in enumerate(labels) if ident in chosen]
            if len(labels) < 2 or not good:
                raise _Fail(lid.line, f"the dropdown [{name}] needs 2 answers and one marked right")
            blanks[name] = choice_blank([words for _, words in labels], good[0])
        missing = [name for name in blanks if f"[{name}]" not in text]
        if not blanks or missing:
            raise _Fail(
                presentation.line,
                f"the text has no [{missing[0]}] for its blank" if missing else "the question has no blanks",
            )
        # Each [name] once, longest names first, so [a] does not eat into [ab].
        pattern = re.compile("|".join(re.escape(f"[{n}]") for n in sorted(blanks, key=len, reverse=True)))
        out.update(type="cloze", question=(pattern.sub(lambda m: blanks[m.group(0)[1:-1]], text), fmt))

    def numerical(self, conditions: list[Node], out: dict) -> None:
        entries: list[dict[str, Any]] = []
        for condition in conditions:
            credit = _score(condition)
            var = condition.find("conditionvar")
            if credit <= 0 or var is None:
                continue
            entry = _numeric_entry(var)
            if entry is not None:
                entries.append({**entry, "credit": min(credit, 100.0)})
        if not entries:
            raise _Fail(conditions[0].line if conditions else 0, "no number is marked right")
        out["type"] = "numeric"
        first = entries[0]
        if len(entries) == 1 and "value" in first and first["credit"] == 100:
            out["answer"], out["tolerance"] = first["value"], first["tolerance"]
        else:
            out["answers"] = entries


def _numeric_entry(var: Node) -> dict[str, Any] | None:
    """A condition Canvas writes for a numerical answer -> value/tolerance or min/max."""
    equal = next(var.iter("varequal"), None)
    low = next((n for n in var.iter() if n.tag in ("vargte", "vargt")), None)
    high = next((n for n in var.iter() if n.tag in ("varlte", "varlt")), None)
    value = _number(equal.text, equal.line) if equal is not None else None
    lo = _number(low.text, low.line) if low is not None else None
    hi = _number(high.text, high.line) if high is not None else None
    if lo is not None and hi is not None:
        if (
            value is not None
            and lo <= value <= hi
            and math.isclose(value - lo, hi - value, rel_tol=1e-9, abs_tol=1e-12)
        ):
            return {"value": value, "tolerance": float(f"{hi - value:.12g}")}  # 3.14 +- 0.01, not 0.00999...
        entry: dict[str, Any] = {"min": min(lo, hi), "max": max(lo, hi)}
        if high is not None and high.tag == "varlt":
            entry["max_exclusive"] = True
        return entry
    if value is not None:
        return {"value": value, "tolerance": 0.0}
    if lo is not None or hi is not None:
        return {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}
    return None


def _pairs(value: Any):  # type: ignore[no-untyped-def]
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _pairs(v)
    elif isinstance(value, list):
        for v in value:
            yield from _pairs(v)


def _convert(value: Any, target: str, images) -> Any:  # type: ignore[no-untyped-def]
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str):
        text, fmt = value
        if fmt == "plain" and target == "html":
            return html.escape(text, quote=False).replace("\n", "<br>\n")
        return images(text) if fmt == "html" else text
    if isinstance(value, dict):
        return {k: _convert(v, target, images) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert(v, target, images) for v in value]
    return value

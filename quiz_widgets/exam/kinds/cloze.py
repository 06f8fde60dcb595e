"""cloze: Moodle's embedded answers. The question text holds its blanks in Moodle's Cloze syntax
(exam/formats/cloze_syntax.py reads it as qtype_multianswer does); the learner fills each blank inline: a text box
per short-answer or numerical blank, a dropdown per multichoice blank (radio buttons for its _V/_H forms),
checkboxes per multiresponse blank. ``answer`` is one value per blank in the order they appear; the credit is the
blanks' fractions weighted by their marks, as Moodle grades a multianswer question.

The key never reaches the page: the question's text (Question.text, what the page, results files and reports
show) has each blank replaced by a marker ``⟦1⟧``; the parsed blanks are the question's ``answer``, and the page
gets only each blank's control and choices (``page_fields``).
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.exam.formats.cloze_syntax import Blank, Cloze, parse
from quiz_widgets.exam.kinds.base import (
    FULL_CREDIT,
    MAX_TEXT_ANSWER,
    MISSING,
    Kind,
    PageValueError,
    fail,
    finite,
    slack,
)
from quiz_widgets.exam.kinds.text import wildcard_match
from quiz_widgets.i18n import Words

__all__ = ["BLANK_MARKER", "Cloze", "ClozeKind", "marker"]

# What stands for blank N in Question.text: brackets no Markdown, HTML or math syntax uses.
BLANK_MARKER = re.compile(r"⟦([0-9]+)⟧")
# A page's value: at most this many blanks' worth of items, each bounded like a typed answer.
_MAX_BLANKS = 200
_MAX_NUMBER_TEXT = 64


class _Unshuffled(random.Random):
    """own_order's keys in the author's order (to check a saved order against)."""

    def shuffle(self, x: Any) -> None:  # type: ignore[override]
        return None


def marker(number: int) -> str:
    return f"⟦{number}⟧"


def _label(checker: Any) -> str:
    number, qid = checker.current
    return f"question {number}" if qid is None else f"question {number} (id {qid})"


def _plain(text: str) -> str:
    """A choice's text as the page shows it in a dropdown (no markup there): tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]*>", " ", text).split())


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if finite(value):
        return float(value)  # type: ignore[arg-type]
    if isinstance(value, str) and len(value) <= _MAX_NUMBER_TEXT:
        text = value.strip()
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # Moodle accepts either decimal mark
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _choice(blank: Blank, value: object) -> str | None:
    """A choice of a multichoice/multiresponse blank named by its text (exactly, else case-insensitively)."""
    if finite(value):
        value = f"{value:g}" if isinstance(value, float) else str(value)
    if not isinstance(value, str):
        return None
    texts = [alt.text for alt in blank.alternatives]
    wanted = value.strip()
    for text in texts:
        if wanted in (text, _plain(text)):
            return text
    folded = [text for text in texts if _plain(text).casefold() == wanted.casefold()]
    return folded[0] if len(folded) == 1 else None


def blank_fraction(blank: Blank, value: Any) -> tuple[float, str]:
    """Blank's fraction (0..1) of its mark for one normalized value, and the author's feedback for it."""
    if value is None:
        return 0.0, ""
    alts = blank.alternatives
    if blank.kind == "multiresponse":
        chosen = [alt for alt in alts if alt.text in value]
        notes = "; ".join(alt.feedback for alt in chosen if alt.feedback)
        return min(1.0, max(0.0, sum(alt.fraction for alt in chosen))), notes
    for alt in alts:
        if blank.kind == "numerical":
            hit = alt.value is None or abs(value - alt.value) <= alt.tolerance + slack(alt.value)
        elif blank.kind == "multichoice":
            hit = alt.text == value
        else:
            hit = wildcard_match(alt.text, value, blank.case_sensitive)
        if hit:  # the first that matches, in the author's order (Moodle)
            return min(1.0, max(0.0, alt.fraction)), alt.feedback
    return 0.0, ""


def _right_value(blank: Blank) -> Any:
    if blank.kind == "multiresponse":
        return [alt.text for alt in blank.alternatives if alt.fraction > 0]
    best = max(blank.alternatives, key=lambda alt: alt.fraction)
    if blank.kind == "numerical":
        return best.value
    return best.text.replace("\\*", "*") if blank.kind == "shortanswer" else best.text


def _right_shown(blank: Blank) -> str:
    """A blank's right answer as the screens show it: a numerical one with its tolerance ("4.5 ± 0.5")."""
    shown_value = _shown_value(_right_value(blank))
    if blank.kind != "numerical":
        return shown_value
    tolerance = max(blank.alternatives, key=lambda alt: alt.fraction).tolerance
    return f"{shown_value} ± {tolerance:g}" if tolerance else shown_value


def _shown_value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return _plain(str(value))


class ClozeKind(Kind):
    name = "cloze"

    # ---------------------------------------------------------------- fields and checks

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        if raw.get("answer", MISSING) is not MISSING:
            checker.bad(
                where, "answer", raw["answer"], "no 'answer' (a cloze question's answers are its blanks)"
            )
            return None
        text = raw.get("question")
        if not isinstance(text, str) or not text.strip():
            return None  # reported by the common checks
        if BLANK_MARKER.search(text):
            checker.bad(where, "question", BLANK_MARKER.search(text).group(0), "no ⟦N⟧ (it marks the blanks)")
            return None
        try:
            return parse(text, "")
        except Exception as exc:  # ExamError: each problem names the blank
            prefix = f"{checker.source}: {where or _label(checker) + ': '}"
            checker.problems.extend(prefix + problem for problem in getattr(exc, "problems", [str(exc)]))
            return None

    def shown_text(self, text: str, answer: Any) -> str:
        """The text the question shows: each blank a marker ⟦N⟧, the key left out."""
        cloze: Cloze = answer
        out = [cloze.parts[0]]
        for blank, part in zip(cloze.blanks, cloze.parts[1:], strict=True):
            out += [marker(blank.number), part]
        return "".join(out)

    # ---------------------------------------------------------------- grading

    def normalize(self, q: Any, value: object) -> list:
        cloze: Cloze = q.answer
        count = len(cloze.blanks)
        expected = f"a list of {count} values, one per blank in order (None for a blank left empty)"
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, list) or len(value) != count:
            raise fail(q, value, expected)
        out: list = []
        for blank, item in zip(cloze.blanks, value, strict=True):
            out.append(self._blank_value(q, blank, item))
        if all(item is None for item in out):
            raise fail(q, value, "at least one blank filled in")
        return out

    def _blank_value(self, q: Any, blank: Blank, item: object) -> Any:
        if item is None or (isinstance(item, str) and not item.strip()) or item == []:
            return None
        where = f"blank {blank.number} of {len(q.answer.blanks)}"
        if blank.kind == "numerical":
            number = _number(item)
            if number is None:
                raise fail(q, item, f"a number in {where}")
            return number
        if blank.kind == "shortanswer":
            if finite(item):
                item = f"{item:g}" if isinstance(item, float) else str(item)
            if not isinstance(item, str) or len(item) > MAX_TEXT_ANSWER:
                raise fail(q, item, f"a text of at most {MAX_TEXT_ANSWER} characters in {where}")
            # The markers ⟦N⟧ are how describe() separates blanks: never part of a learner's text.
            return unicodedata.normalize("NFC", " ".join(item.replace("⟦", "").replace("⟧", "").split()))
        if blank.kind == "multichoice":
            text = _choice(blank, item)
            if text is None:
                choices = ", ".join(repr(_plain(alt.text)) for alt in blank.alternatives)
                raise fail(q, item, f"one of {choices} in {where}")
            return text
        items = item if isinstance(item, (list, tuple)) else [item]
        chosen = {_choice(blank, one) for one in items}
        if None in chosen or len(items) > len(blank.alternatives):
            choices = ", ".join(repr(_plain(alt.text)) for alt in blank.alternatives)
            raise fail(q, item, f"a list of choices from {choices} in {where}")
        return [alt.text for alt in blank.alternatives if alt.text in chosen]

    def credit(self, q: Any, value: Any) -> float:
        cloze: Cloze = q.answer
        total = cloze.total_mark
        got = sum(
            blank.mark * blank_fraction(blank, item)[0]
            for blank, item in zip(cloze.blanks, value, strict=True)
        )
        return got / total if total else 0.0

    def feedback_for(self, q: Any, value: Any) -> str | None:
        """Each blank's feedback from the author, on its own line, numbered as the blanks."""
        lines = []
        for blank, item in zip(q.answer.blanks, value, strict=True):
            note = blank_fraction(blank, item)[1]
            if note:
                lines.append(f"{blank.number}. {note}")
        return "\n\n".join(lines) or None

    def correct_normalized(self, q: Any) -> list:
        return [_right_value(blank) for blank in q.answer.blanks]

    def learner_fix(self, q: Any) -> Words:
        return Words(
            "Question {number}: fill in the blanks, with a number where a number is asked.", number=q.number
        )

    def blank_results(self, q: Any, value: Any) -> list[dict[str, Any]]:
        """Per blank, after the answer: what was given, whether it was right, the right answer, the feedback."""
        rows = []
        for blank, item in zip(q.answer.blanks, value, strict=True):
            fraction, note = blank_fraction(blank, item)
            rows.append(
                {
                    "number": blank.number,
                    "given": _shown_value(item),
                    "fraction": fraction,
                    "correct": fraction >= FULL_CREDIT,
                    "right_answer": _right_shown(blank),
                    "feedback": note,
                }
            )
        return rows

    def feedback_fields(self, q: Any, normalized: Any) -> dict[str, Any]:
        return {"blanks": self.blank_results(q, normalized)}

    def wrong_blanks(self, q: Any, value: Any) -> list[int]:
        """The numbers of the blanks not fully right (the class report names them)."""
        return [row["number"] for row in self.blank_results(q, value) if not row["correct"]]

    # ---------------------------------------------------------------- files

    def describe(self, q: Any, value: Any) -> str:
        """The blanks' values after their markers, ``⟦1⟧ Paris ⟦2⟧ 4 ⟦3⟧ ["a", "b"]`` (an empty blank: —),
        read back by read_described (results files, regrading; a learner's text never holds a marker)."""
        parts = []
        for blank, item in zip(q.answer.blanks, value, strict=True):
            if item is None:
                shown_item = "—"
            elif isinstance(item, list):
                shown_item = json.dumps(item, ensure_ascii=False)
            elif isinstance(item, float):
                shown_item = f"{item:.15g}"
            else:
                shown_item = str(item)
            parts.append(f"{marker(blank.number)} {shown_item}")
        return " ".join(parts)

    def read_described(self, q: Any, text: str) -> object:
        pieces = BLANK_MARKER.split(text)
        values: list = []
        for blank, piece in zip(q.answer.blanks, pieces[2::2], strict=False):
            item = piece.strip()
            if item == "—":
                values.append(None)
            elif blank.kind == "multiresponse":
                try:
                    values.append(json.loads(item))
                except ValueError:
                    values.append(item)
            else:
                values.append(item)
        return values

    def wrong_part(self, q: Any, text: str) -> str:
        """Only the blanks a described answer got wrong, ``⟦2⟧ 5 ⟦3⟧ red``: what most_chosen_wrong names."""
        values = self.read_described(q, text)
        blanks = q.answer.blanks
        if not isinstance(values, list) or len(values) != len(blanks):
            return text
        wrong = []
        for blank, item in zip(blanks, values, strict=True):
            try:
                value = self._blank_value(q, blank, item)
            except Exception:  # an edited results file: name the blank as written
                value = None
            if blank_fraction(blank, value)[0] < FULL_CREDIT:
                wrong.append(f"{marker(blank.number)} {_shown_value(value) if value is not None else '—'}")
        return " ".join(wrong) or text

    def answer_dict(self, q: Any) -> dict[str, Any]:
        return {"question": q.raw.get("question", q.text)} if q.raw else {}

    # ---------------------------------------------------------------- the page

    def page_fields(self, q: Any, shown_q: Any, rich: Any) -> dict[str, Any]:
        cloze: Cloze = q.answer
        count = len(cloze.blanks)
        orders = dict(shown_q.answer.shown_orders) if isinstance(shown_q.answer, Cloze) else {}
        blanks = []
        for blank in cloze.blanks:
            row: dict[str, Any] = {"number": blank.number, "of": count, "kind": blank.kind}
            if blank.choices:
                # _S blanks: the attempt's order (with_own_order); else the author's.
                order = list(orders.get(blank.number, range(len(blank.alternatives))))
                row["layout"] = blank.layout
                row["choices"] = [{"index": i, "text": _plain(blank.alternatives[i].text)} for i in order]
            else:
                # One width per kind: a box as long as the right answer would give the answer's length away.
                row["size"] = 8 if blank.kind == "numerical" else 14
            blanks.append(row)

        return {"blanks": blanks, "cloze_html": self.text_html(q, rich(q.text))}

    # ---------------------------------------------------------------- the _S blanks' order, per attempt

    def shuffles_itself(self, q: Any) -> bool:
        return any(blank.shuffle and blank.choices for blank in q.answer.blanks)

    def own_order(self, q: Any, rng: random.Random) -> tuple[str, ...]:
        """Each _S blank's choices shuffled by the attempt's seed, as keys "N.i" (blank N's alternative i) in
        the order shown, blank after blank. As in Moodle, a shuffle may come out in the author's order."""
        keys: list[str] = []
        for blank in q.answer.blanks:
            if blank.shuffle and blank.choices:
                order = list(range(len(blank.alternatives)))
                rng.shuffle(order)
                keys += [f"{blank.number}.{i}" for i in order]
        return tuple(keys)

    def check_own_order(self, q: Any, keys: Any) -> tuple[str, ...] | None:
        if not isinstance(keys, (list, tuple)) or not all(isinstance(key, str) for key in keys):
            return None
        wanted = self.own_order(q, _Unshuffled())
        return tuple(keys) if sorted(keys) == sorted(wanted) else None

    def with_own_order(self, q: Any, keys: tuple[str, ...]) -> Any:
        orders: dict[int, list[int]] = {}
        for key in keys:
            number, index = key.split(".")
            orders.setdefault(int(number), []).append(int(index))
        shown_orders = tuple((number, tuple(order)) for number, order in orders.items())
        return dataclasses.replace(q, answer=dataclasses.replace(q.answer, shown_orders=shown_orders))

    def text_html(self, q: Any, html: str) -> str:
        count = len(q.answer.blanks)

        def slot(match: re.Match) -> str:
            number = int(match.group(1))
            if not 1 <= number <= count:
                return match.group(0)
            return f'<span class="qw-blank-slot" data-blank="{number}"></span>'

        # Slots go into the sanitized HTML's text only: a blank the author put inside an attribute (an image's
        # alt) stays its marker there (the sanitizers escape < and > in attributes, so tags split cleanly).
        pieces = re.split(r"(<[^>]*>)", html)
        return "".join(piece if piece.startswith("<") else BLANK_MARKER.sub(slot, piece) for piece in pieces)

    def review_fields(self, q: Any, value: Any) -> dict[str, Any]:
        """The review and finish screens fill the text's blanks with the answer given, as the feedback does (a
        question not answered: each blank empty, beside its right answer)."""
        return self.feedback_fields(q, value if value is not None else [None] * len(q.answer.blanks))

    def revealed_fields(self, q: Any) -> dict[str, Any]:
        """show_answer: each blank empty, beside its right answer (as the review of a question not answered)."""
        return self.review_fields(q, None)

    def from_page(self, q: Any, value: object) -> object:
        blanks = q.answer.blanks
        if not isinstance(value, list) or len(value) != len(blanks) or len(value) > _MAX_BLANKS:
            raise PageValueError(
                f"{q.label()}: expected a list of {len(blanks)} blank values, found {shown(value)}"
            )
        out: list = []
        for blank, item in zip(blanks, value, strict=True):
            if item is None:
                out.append(None)
            elif blank.choices:
                indexes = item if blank.kind == "multiresponse" else [item]
                if not isinstance(indexes, list) or not all(
                    type(i) is int and 0 <= i < len(blank.alternatives) for i in indexes
                ):
                    raise PageValueError(
                        f"{q.label()}: blank {blank.number}: expected choice indexes, found {shown(item)}"
                    )
                texts = [blank.alternatives[i].text for i in indexes]
                out.append(texts if blank.kind == "multiresponse" else texts[0])
            elif (isinstance(item, str) and len(item) <= MAX_TEXT_ANSWER) or finite(item):
                out.append(item)
            else:
                raise PageValueError(
                    f"{q.label()}: blank {blank.number}: expected a text, found {shown(item)}"
                )
        return out

    def given(self, q: Any, shown_answer: Any) -> dict[str, Any]:
        """Exam mode: each blank's value so far, as the page's controls take it (choice indexes)."""
        values = []
        for blank, item in zip(q.answer.blanks, shown_answer or [], strict=False):
            if item is None or not blank.choices:
                values.append(item)
                continue
            texts = [alt.text for alt in blank.alternatives]
            if blank.kind == "multiresponse":
                values.append([texts.index(t) for t in item if t in texts])
            else:
                values.append(texts.index(item) if item in texts else None)
        return {"value": values}

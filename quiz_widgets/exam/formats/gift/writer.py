"""Writing GIFT that Moodle imports: write_gift(exam dict) -> (text, warnings about what GIFT cannot say)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.exam.formats import writing
from quiz_widgets.exam.formats.gift.common import BLANK, MOODLE_GRADES, OPEN_END, PHP_SPACE

__all__ = ["write_gift"]


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


class _Writer(writing.Writer):
    not_written: ClassVar[Mapping[str, str]] = {
        "ordering": "GIFT has no ordering questions",
        "code": "GIFT has no code questions",
    }

    def write(self) -> str:
        title = self.exam.get("title")
        out = [
            f"// {_one_line(str(title))}" if title else "// quiz_widgets exam",
            "// written by quiz_widgets",
        ]
        if self.exam.get("description"):
            out += [f"// {_one_line(line)}" for line in str(self.exam["description"]).splitlines()]
        out.append("")
        topic: str | None = None
        for _, question, fmt in self.questions():
            new_topic = question.get("topic")
            if new_topic and new_topic != topic:
                out += [f"$CATEGORY: {_one_line(str(new_topic)).replace('/', '//')}", ""]
            elif not new_topic and topic:
                self.warn(f"it has no topic, but GIFT puts it in the category of the one before ({topic!r})")
            if question.get("type") == "cloze":
                self.warn("GIFT has no cloze (embedded answers) questions: left out (Moodle XML keeps them)")
                continue
            topic = new_topic or topic
            out += [*self.question(question, fmt), ""]
        return "\n".join(out)

    def question(self, q: Mapping, fmt: str) -> list[str]:
        if fmt not in ("markdown", "html", "plain"):
            self.warn(f"format {fmt!r} is not one GIFT has; written as markdown")
            fmt = "markdown"
        body = writing.for_type(
            q,
            self.where,
            {
                "singleChoice": self.choice,
                "multiChoice": self.choice,
                "trueFalse": self.truefalse,
                "numeric": self.numeric,
                "text": self.text,
                "matching": self.matching,
            },
        )
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
        # A text starting with "[html]" and the like would be read as a format marker, one starting with
        # "%50%" as a weight (GIFT has no escape for "%"): an explicit marker first keeps either as text, as
        # Moodle looks for a weight before the marker and for a marker only at the start.
        escaped = _esc(text.strip(PHP_SPACE))
        return f"[{fmt}]{escaped}" if escaped.startswith(("[", "%")) else escaped

    def matching(self, q: Mapping, fmt: str) -> list[str]:
        """As Moodle's export writes a matching question: "=item -> match", a distractor with no item."""
        pairs = q.get("pairs") if isinstance(q.get("pairs"), Mapping) else {}
        lines = [f"\t={self.field(str(left), fmt)} -> {_esc(str(right))}" for left, right in pairs.items()]
        lines += [f"\t= -> {_esc(str(right))}" for right in q.get("distractors") or ()]
        return lines

    def choice(self, q: Mapping, fmt: str) -> list[str]:
        options = writing.options(q, self.where)
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
        if not any(abs(abs(weight) - g) < 1e-5 for g in MOODLE_GRADES):
            self.warn(
                f"weight {weight:g}% is not one of Moodle's grades; its import then needs 'nearest grade'"
            )

    def truefalse(self, q: Mapping, fmt: str) -> list[str]:
        tf = writing.true_false(q, self.where)
        true_key, false_key = tf.true_key, tf.false_key
        if not tf.named:
            self.warn(
                f"GIFT true/false items say True and False; the options {[t for _, t in tf.pairs]} are lost"
            )
        right = tf.right
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
                              f"written with the missing end {OPEN_END:g} away")  # fmt: skip
                    if low is None and high is None:
                        low, high = -OPEN_END, OPEN_END
                    elif low is None:
                        low = high - OPEN_END
                    else:
                        high = low + OPEN_END
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
            text = str(entry.get("text", "")).strip(PHP_SPACE)
            if "->" in text:
                # GIFT has no escape for "->", and "=" with "->" makes Moodle read a matching question.
                self.warn(f"the answer {text!r}: GIFT cannot hold '->' in a short answer; left out")
                continue
            self.check_grade(credit)
            mark = "=" if credit == 100 else f"=%{_pct(credit)}%"
            note = self.arrow_free(str(entry.get("feedback") or ""), fmt)
            lines.append(f"\t{mark}{self.field(text, fmt)}" + (f"#{self.field(note, fmt)}" if note else ""))
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

"""Moodle's Cloze (embedded answers) syntax, read as Moodle's qtype_multianswer reads it, and written back.

A blank is ``{N:TYPE:alternatives}``: N the blank's mark (default 1), TYPE one of Moodle's names (SHORTANSWER/SA/MW,
SHORTANSWER_C/SAC/MWC, NUMERICAL/NM, MULTICHOICE/MC with its _V/_H/_S/_VS/_HS forms and the short MCV, MCH, MCS,
MCVS, MCHS, MULTIRESPONSE/MR with _H/_S/_HS and MRH, MRS, MRHS), the alternatives split by ``~``, each one
``[=|%N%]answer[#feedback]`` (``=`` fully right, ``%50%`` half; none: wrong). NUMERICAL answers are
``value[:tolerance]`` or ``*`` (any number). A backslash escapes ``} # ~ / " \\``; like Moodle, a ``#``, ``~`` or
``}`` right after ``&`` or ``&amp;`` is part of an HTML entity, not syntax, and answers and feedback are
HTML-entity decoded.

Moodle leaves a blank it cannot read in the text as it is, so the learner sees ``{1:SA:}`` and the question is worth
less than the author meant. Here any ``{N:WORD:`` that is not a whole, valid blank is an ExamError naming the
question, the blank's number and its text; so is a question without blanks, and a blank Moodle's own validation
refuses (no fully right answer, a multichoice with fewer than two choices, a numerical answer that is no number).

Pure functions over strings: this module imports only errors (the formats' rule), so the readers of Moodle XML and
Canvas QTI can write Cloze text and the cloze kind can read it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from quiz_widgets.errors import ExamError, shown

__all__ = [
    "Alternative",
    "Blank",
    "Cloze",
    "blank_source",
    "choice_blank",
    "escape",
    "parse",
    "text_blank",
]

# Moodle's names (questiontype.php's ANSWER_TYPE_DEF_REGEX) -> (kind, case sensitive, layout, shuffled).
_TYPES: dict[str, tuple[str, bool, str, bool]] = {}
for _names, _spec in (
    (("SHORTANSWER", "SA", "MW"), ("shortanswer", False, "", False)),
    (("SHORTANSWER_C", "SAC", "MWC"), ("shortanswer", True, "", False)),
    (("NUMERICAL", "NM"), ("numerical", False, "", False)),
    (("MULTICHOICE", "MC"), ("multichoice", False, "dropdown", False)),
    (("MULTICHOICE_V", "MCV"), ("multichoice", False, "vertical", False)),
    (("MULTICHOICE_H", "MCH"), ("multichoice", False, "horizontal", False)),
    (("MULTICHOICE_S", "MCS"), ("multichoice", False, "dropdown", True)),
    (("MULTICHOICE_VS", "MCVS"), ("multichoice", False, "vertical", True)),
    (("MULTICHOICE_HS", "MCHS"), ("multichoice", False, "horizontal", True)),
    (("MULTIRESPONSE", "MR"), ("multiresponse", False, "vertical", False)),
    (("MULTIRESPONSE_H", "MRH"), ("multiresponse", False, "horizontal", False)),
    (("MULTIRESPONSE_S", "MRS"), ("multiresponse", False, "vertical", True)),
    (("MULTIRESPONSE_HS", "MRHS"), ("multiresponse", False, "horizontal", True)),
):
    for _name in _names:
        _TYPES[_name] = _spec

# Anything that starts like a blank: Moodle reads only uppercase names and a whole-number mark, but an author
# who wrote {1:shortanswer:...}, {0.5:SA:...} or {SA:...} meant a blank, so those are reported instead of shown
# as text ({word: ...} without a mark stays text unless the word is a Cloze type).
_START = re.compile(r"\{(?:([0-9]*(?:[.,][0-9]*)?):)?([A-Za-z_]+):")
_PERCENT = re.compile(r"%(-?[0-9]+(?:[.,][0-9]*)?)%")
# questiontype.php's NUMBER_REGEX and NUMERICAL_ALTERNATIVE_REGEX (the tolerance is taken without its sign).
_UNSIGNED = r"(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?"
_NUMERICAL = re.compile(rf"(-?{_UNSIGNED})(?::-?({_UNSIGNED}))?")
_ESCAPABLE = '}#~/"\\'
# The source of a blank shown in an error, cut so a runaway blank does not fill the message.
_SHOWN = 60


@dataclass(frozen=True)
class Alternative:
    """One answer of a blank: its text (a choice's text, a short answer's pattern, a number as written or '*'),
    its fraction of the blank's mark (-1..1; multiresponse fractions are Moodle's normalized ones) and feedback."""

    text: str
    fraction: float
    feedback: str = ""
    value: float | None = None  # numerical: the number (None for '*')
    tolerance: float = 0.0  # numerical: the absolute error accepted


@dataclass(frozen=True)
class Blank:
    """One ``{N:TYPE:...}`` of the text, its number counted from 1 in the order they appear."""

    number: int
    mark: float
    kind: str  # shortanswer | numerical | multichoice | multiresponse
    alternatives: tuple[Alternative, ...]
    case_sensitive: bool = False
    layout: str = ""  # multichoice/multiresponse: dropdown | vertical | horizontal
    shuffle: bool = False
    source: str = ""  # the blank as written

    @property
    def choices(self) -> bool:
        return self.kind in ("multichoice", "multiresponse")


@dataclass(frozen=True)
class Cloze:
    """A cloze text read: ``parts`` are the text between the blanks (len(blanks) + 1 of them)."""

    parts: tuple[str, ...]
    blanks: tuple[Blank, ...]
    # As shown in one attempt: (blank number, its alternatives' indexes in the order shown) for each shuffled
    # blank (kinds/cloze.py draws them per attempt; the session keeps them). Empty: the author's order.
    shown_orders: tuple[tuple[int, tuple[int, ...]], ...] = ()

    @property
    def total_mark(self) -> float:
        return sum(blank.mark for blank in self.blanks)


class _Bad(Exception):
    pass


def _unescape(text: str) -> str:
    out = re.sub(r"\\([" + re.escape(_ESCAPABLE) + "])", r"\1", text)
    return html.unescape(out)


def escape(text: str) -> str:
    """Text as a cloze answer or feedback: the characters that are syntax there get a backslash."""
    return "".join("\\" + ch if ch in _ESCAPABLE else ch for ch in text)


def _after_entity_start(text: str, i: int) -> bool:
    # questiontype.php's (?<!\\|&|&amp;): '&#39;' keeps its '#', '&amp;~' its '~'.
    return text.endswith("&", 0, i) or text.endswith("&amp;", 0, i)


def _scan(text: str, start: int) -> tuple[list[tuple[str, str | None]], int]:
    """The alternatives from ``start`` up to the blank's closing '}': [(answer part, feedback part or None)], and
    the index after the '}'. The parts are still escaped."""
    alternatives: list[tuple[str, str | None]] = []
    answer, feedback = [], None
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            (answer if feedback is None else feedback).append(text[i : i + 2])
            i += 2
            continue
        syntax = ch in "~}" or (ch == "#" and feedback is None)
        if syntax and feedback is None and _after_entity_start(text, i):
            syntax = False
        if not syntax:
            (answer if feedback is None else feedback).append(ch)
        elif ch == "#":
            feedback = []
        else:
            alternatives.append(("".join(answer), None if feedback is None else "".join(feedback)))
            answer, feedback = [], None
            if ch == "}":
                return alternatives, i + 1
        i += 1
    raise _Bad("it has no closing '}'")


def _fraction(raw: str) -> tuple[float, str, bool]:
    """(fraction, the answer after its mark, whether a %N% mark was given)."""
    if raw.startswith("="):
        return 1.0, raw[1:], False
    match = _PERCENT.match(raw)
    if match:
        percent = float(match.group(1).replace(",", "."))
        if not -100 <= percent <= 100:
            raise _Bad(f"the weight {match.group(0)} is outside -100%..100%")
        return percent / 100, raw[match.end() :], True
    return 0.0, raw, False


def _alternatives(kind: str, raw: list[tuple[str, str | None]]) -> tuple[Alternative, ...]:
    if raw and raw[0] == ("", None) and len(raw) > 1:
        raw = raw[1:]  # Moodle's '~?' before each alternative lets the list start with '~'
    out: list[Alternative] = []
    specific = False
    for position, (part, feedback) in enumerate(raw, 1):
        fraction, answer, given = _fraction(part)
        specific = specific or given
        answer = _unescape(answer).strip()
        note = _unescape(feedback).strip() if feedback is not None else ""
        if not answer:
            raise _Bad(f"its answer {position} is empty")
        value, tolerance = None, 0.0
        if kind == "numerical" and answer != "*":
            match = _NUMERICAL.fullmatch(answer)
            if not match:
                raise _Bad(f"its answer {shown(answer)} is not a number (value, value:tolerance or *)")
            value = float(match.group(1).replace(",", "."))
            tolerance = float(match.group(2).replace(",", ".")) if match.group(2) else 0.0
            answer = match.group(1)
        out.append(Alternative(answer, fraction, note, value, tolerance))
    if kind == "multiresponse":
        out = _multiresponse_fractions(out, specific)
    return tuple(out)


def _multiresponse_fractions(alts: list[Alternative], specific: bool) -> list[Alternative]:
    # As questiontype.php: the right choices' fractions add up to 1; without any %N%, each wrong choice takes
    # back one right choice's share.
    total = sum(alt.fraction for alt in alts if alt.fraction > 0)
    if not total:
        return alts
    fixed = []
    for alt in alts:
        if alt.fraction > 0:
            fraction = alt.fraction / total
        elif not specific:
            fraction = -1.0 / total
        else:
            fraction = alt.fraction
        fixed.append(Alternative(alt.text, fraction, alt.feedback, alt.value, alt.tolerance))
    return fixed


def _check(kind: str, alts: tuple[Alternative, ...]) -> None:
    # qtype_multianswer_validate_question's rules.
    if kind in ("multichoice", "multiresponse"):
        if len(alts) < 2:
            raise _Bad("a multichoice blank needs at least 2 choices")
        texts = [alt.text for alt in alts]
        twice = next((text for text in texts if texts.count(text) > 1), None)
        if twice is not None:
            raise _Bad(f"the choice {shown(twice)} is there twice")
    if kind == "multiresponse":
        if not any(alt.fraction > 0 for alt in alts):
            raise _Bad("no choice is right (mark one with = or a positive %N%)")
    elif not any(alt.fraction >= 1 for alt in alts):
        raise _Bad("no answer is fully right (mark one with = or %100%)")


def _blank(number: int, mark_text: str | None, type_name: str, raw: list, source: str) -> Blank:
    if mark_text is None:
        raise _Bad(
            f"the mark and its colon are missing before the type ({{1:{type_name}:...}} or {{:{type_name}:...}})"
        )
    if type_name not in _TYPES:
        upper = type_name.upper()
        hint = f" (Moodle reads only uppercase names: {upper})" if upper in _TYPES else ""
        raise _Bad(f"{shown(type_name)} is not a Cloze type{hint}")
    if mark_text and not mark_text.isdigit():
        raise _Bad(f"its mark {shown(mark_text)} is not a whole number")
    mark = int(mark_text) if mark_text else 1
    if mark < 1:
        raise _Bad("its mark is 0 (leave it out for 1)")
    kind, case, layout, shuffle = _TYPES[type_name]
    alts = _alternatives(kind, raw)
    _check(kind, alts)
    return Blank(number, float(mark), kind, alts, case, layout, shuffle, source)


def parse(text: str, where: str = "question") -> Cloze:
    """A cloze question's text read into its blanks. ExamError naming ``where`` (``question 3 (id 7)``) and the
    blank (its number and text) for a blank that is not valid Cloze, and for a text without blanks (an empty
    ``where``: the messages start at the blank, for a reader that names the question itself)."""
    where = f"{where}: " if where else ""
    if not isinstance(text, str):
        raise ExamError(f"{where}question: found {shown(text)}, expected the text with its blanks")
    parts: list[str] = []
    blanks: list[Blank] = []
    problems: list[str] = []
    last = 0
    for match in _START.finditer(text):
        if match.start() < last:
            continue  # inside a blank read already (a '{1:..' in its feedback, say)
        if match.group(1) is None and match.group(2).upper() not in _TYPES:
            continue
        number = len(blanks) + len(problems) + 1
        try:
            raw, end = _scan(text, match.end())
        except _Bad as exc:
            source = text[match.start() : match.start() + _SHOWN]
            problems.append(f"{where}blank {number} {shown(source)}: {exc}")
            last = len(text)
            break
        source = text[match.start() : end]
        try:
            blank = _blank(number, match.group(1), match.group(2), raw, source)
        except _Bad as exc:
            problems.append(f"{where}blank {number} {shown(source[:_SHOWN])}: {exc}")
        else:
            parts.append(text[last : match.start()])
            blanks.append(blank)
        last = end
    if problems:
        raise ExamError(problems)
    if not blanks:
        raise ExamError(
            f"{where}question: no blank found; a cloze question writes each one as "
            "{1:SHORTANSWER:=answer}, {1:NUMERICAL:=4:0.1} or {1:MULTICHOICE:=right~wrong}"
        )
    parts.append(text[last:])
    return Cloze(tuple(parts), tuple(blanks))


_WRITE_TYPES = {
    ("shortanswer", False, "", False): "SHORTANSWER",
    ("shortanswer", True, "", False): "SHORTANSWER_C",
    ("numerical", False, "", False): "NUMERICAL",
}
_WRITE_TYPES.update(
    {spec: name for name, spec in _TYPES.items() if len(name) > 4 and spec not in _WRITE_TYPES}
)


def _percent(fraction: float) -> str:
    return f"{round(fraction * 100, 5):g}"


def blank_source(blank: Blank) -> str:
    """A blank written as Cloze (Moodle's long type names; the same blank when read back)."""
    name = _WRITE_TYPES[(blank.kind, blank.case_sensitive, blank.layout, blank.shuffle)]
    written = []
    for alt in blank.alternatives:
        if blank.kind == "multiresponse":
            # Written as the fractions Moodle stores, so reading them back gives the same ones.
            mark = f"%{_percent(alt.fraction)}%" if alt.fraction else "%0%"
        else:
            mark = "=" if alt.fraction >= 1 else f"%{_percent(alt.fraction)}%" if alt.fraction else ""
        if blank.kind == "numerical" and alt.value is not None:
            answer = alt.text if not alt.tolerance else f"{alt.text}:{alt.tolerance:g}"
        else:
            answer = escape(alt.text)
        note = f"#{escape(alt.feedback)}" if alt.feedback else ""
        written.append(f"{mark}{answer}{note}")
    mark = f"{blank.mark:g}" if blank.mark != 1 else ""
    return "{" + f"{mark}:{name}:" + "~".join(written) + "}"


def _plain(text: str) -> str:
    # Plain text as Cloze's HTML answers: '&' as '&#38;', never '&amp;', whose ';' would hide a following '~'.
    return escape(text.replace("&", "&#38;").replace("<", "&lt;").replace(">", "&gt;"))


def choice_blank(choices: list[str], right: int, shuffle: bool = False, mark: int = 1) -> str:
    """A dropdown blank of plain-text choices (a Moodle gap, a Canvas dropdown), ``right`` the right one's index."""
    name = "MULTICHOICE_S" if shuffle else "MULTICHOICE"
    alts = "~".join(("=" if i == right else "") + _plain(text) for i, text in enumerate(choices))
    return "{" + f"{mark if mark != 1 else ''}:{name}:{alts}" + "}"


def text_blank(answers: list[str], case_sensitive: bool = False) -> str:
    """A short-answer blank accepting each of ``answers`` as written ('*' there is no wildcard)."""
    name = "SHORTANSWER_C" if case_sensitive else "SHORTANSWER"
    return "{" + f":{name}:" + "~".join("=" + _plain(a).replace("*", "\\*") for a in answers) + "}"

"""jupyterquiz's question format (github.com/jmshea/jupyterquiz) -> an exam dict in the extended exam format.

A jupyterquiz bank is a JSON list (a file, JSON text or a Python list) of questions of the types
`multiple_choice`, `many_choice`, `numeric` and `string`. How they map:

- Text is HTML, as jupyterquiz puts it in the page (helpers.js, multiple_choice.js: innerHTML after its
  jaxify()): every question gets `format: "html"` (the renderer sanitizes it), and jaxify's rewriting is
  done here: `$$...$$` becomes `\\[...\\]` and `$...$` becomes `\\(...\\)` (math the renderer draws), `\\$` a
  dollar, `[text](url)` and `<http...>` links.
- multiple_choice -> singleChoice; several correct answers: any of them is right (weights of 100 each);
  many_choice -> multiChoice (the exact set of correct answers). Each answer's `answer` text and/or `code`
  becomes an option, its `feedback` the option's feedback.
- numeric -> numeric with `answers`: a `value` entry is an exact value, a `range` [a, b) becomes
  min a, max b with max_exclusive (an end may be null: open), a `correct` that is falsy in JavaScript
  (false, 0, "", null: numeric.js tests it with `if`) gives credit 0 (a known wrong answer with its
  feedback), `default` gives incorrect_feedback; `precision` is kept.
- string -> text with `answers` (`correct` as for numeric): `*` in jupyterquiz is a plain character, so it is
  escaped (`\\*`); `match_case` and `fuzzy_threshold` (jupyterquiz's 1 - Levenshtein distance / the longer
  length, grading.similarity) go to the question when every answer agrees, else to each entry. Accepted
  answers are compared as typed, not HTML.
- question-level `code` becomes `<pre><code>` after the question text (HTML, as jupyterquiz inserts it);
  `points` is kept as is.
- `question_id` (used by some jupyterquiz forks) becomes the question's id; otherwise ids are 1..n.
- `match` (drag and drop) has no counterpart here: it is skipped with a UserWarning naming the question
  and line; an ExamError only when nothing usable is left.

Display hints (answer_cols, input_width, shuffle settings) do not change what is asked and are dropped.
This module imports only quiz_widgets.errors: it produces dicts that exam_checks then checks and builds.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.nesting import refuse_deep_json

__all__ = ["JUPYTERQUIZ_TYPES", "looks_like_jupyterquiz", "question_lines", "read_jupyterquiz"]

JUPYTERQUIZ_TYPES = ("multiple_choice", "many_choice", "numeric", "string")
_SKIPPED_TYPES = {"match": "a matching (drag and drop) question has no counterpart in quiz_widgets"}
_MAX_TEXT = 1000  # grading.MAX_TEXT_ANSWER: an accepted answer longer than a learner may type never matches


class _Problem(Exception):
    """One problem in one question; read_jupyterquiz() adds the source, line and question."""


def looks_like_jupyterquiz(data: object) -> bool:
    """A list whose questions carry jupyterquiz's types (a list in our own format does not)."""
    if not isinstance(data, list) or not data:
        return False
    return any(
        isinstance(item, Mapping) and item.get("type") in (*JUPYTERQUIZ_TYPES, *_SKIPPED_TYPES)
        for item in data
    )


def read_jupyterquiz(data: list | str, source: str = "<list>", *, title: str | None = None) -> dict:
    """An exam dict from jupyterquiz questions: a list, or its JSON text (errors then name the line).

    Raises ExamError naming the source, the question number (and line) and the field for anything it
    cannot read; never another exception."""
    lines: list[int] | None = None
    try:
        if isinstance(data, str):
            data, lines = _parse(data, source)
        if not isinstance(data, list) or not data:
            raise ExamError(
                f"{source}: found {shown(data)} at the top level, expected a non-empty list of jupyterquiz "
                "questions",
                source=source,
            )
        questions: list[dict] = []
        seen_ids: dict[str, int] = {}
        problems: list[str] = []
        for number, item in enumerate(data, 1):
            where = f"{source}: " + (f"line {lines[number - 1]}: " if lines else "") + f"question {number}: "
            try:
                question = _question(item, number)
            except _Problem as problem:
                problems.append(where + str(problem))
                continue
            except RecursionError:
                problems.append(where + "the data is nested too deeply")
                continue
            if question is None:
                kind = item.get("type")
                warnings.warn(f"{where}skipped {kind!r}: {_SKIPPED_TYPES[kind]}", UserWarning, stacklevel=2)
                continue
            key = str(question["id"])
            if key in seen_ids:
                problems.append(
                    f"{where}field 'question_id': found {shown(question['id'])}, expected a unique id "
                    f"(question {seen_ids[key]} has the same id)"
                )
                continue
            seen_ids[key] = number
            questions.append(question)
        if problems:
            raise ExamError(problems, source=source)
        if not questions:
            raise ExamError(f"{source}: no question left that quiz_widgets can show", source=source)
    except ExamError:
        raise
    except RecursionError:
        raise ExamError(f"{source}: the data is nested too deeply", source=source) from None
    return {"title": title or _title_from(source), "questions": questions}


def question_lines(text: str) -> list[int]:
    """The line each question of read_jupyterquiz(text)'s exam starts on (skipped items left out), so
    problems the exam checker finds later can name the line too."""
    data, lines = _parse(text, "<text>")
    if not isinstance(data, list) or lines is None:
        return []
    return [
        line
        for item, line in zip(data, lines, strict=True)
        if not (
            isinstance(item, Mapping) and isinstance(item.get("type"), str) and item["type"] in _SKIPPED_TYPES
        )
    ]


def _title_from(source: str) -> str:
    if source.startswith("<"):
        return "Quiz"
    stem = PurePath(source).stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Quiz"


def _parse(text: str, source: str) -> tuple[object, list[int] | None]:
    """The JSON value and, for a list, the line each item starts on."""
    refuse_deep_json(text, source)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExamError(
            f"{source}: line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})", source=source
        ) from None
    except RecursionError:
        raise ExamError(f"{source}: the JSON is nested too deeply", source=source) from None
    if not isinstance(data, list):
        return data, None
    # The text is valid JSON, so walking its items again with raw_decode cannot fail; it gives positions.
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos = text.index("[") + 1
    for _ in data:
        pos = _skip(text, pos)
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return data, lines


_SPACE = re.compile(r"[ \t\n\r]*")


def _skip(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]


# ------------------------------------------------------------------ one question


def _bad(field: str, value: object, expected: str) -> _Problem:
    return _Problem(f"field {field!r}: found {shown(value)}, expected {expected}")


def _text(item: Mapping, field: str, *, required: bool = False) -> str | None:
    value = item.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise _bad(field, value, "a non-empty string" if required else "a string")
    return value


def _flag(item: Mapping, field: str, where: str) -> bool:
    value = item.get(field, False)
    if not isinstance(value, bool):
        raise _bad(where, value, "true or false")
    return value


_DOUBLE = re.compile(r"(?<!\\)\$\$")  # jaxify's /([^\\]|^)(\$\$)/: a $$ not after a backslash
_SINGLE = re.compile(r"(?<!\\)\$")
_BREAK = re.compile("[\n\r\u2028\u2029]")  # what JavaScript's "." does not match


def _jaxify(text: str) -> str:
    """jupyterquiz's jaxify() (helpers.js): $$ and $ pairs become MathJax's \\[ \\] and \\( \\), alternately
    opening and closing (all $$ first, as its loop does), then Markdown-style links become <a> elements.
    MathJax shows an escaped \\$ as a dollar, so that is done here too."""
    count = iter(range(len(text)))
    text = _DOUBLE.sub(lambda _: "\\]" if next(count) % 2 else "\\[", text)
    count = iter(range(len(text)))
    text = _SINGLE.sub(lambda _: "\\)" if next(count) % 2 else "\\(", text)
    text = text.replace("\\$", "$")
    text = _links(
        text,
        "<http",
        (">",),
        lambda url: f'<a href="http{url[0]}" target="_blank" class="Link">http{url[0]}</a>',
    )
    return _links(
        text, "[", ("](", ")"), lambda p: f'<a href="{p[1]}" target="_blank" class="Link">{p[0]}</a>'
    )


def _links(text: str, opener: str, closers: tuple[str, ...], link: Callable[[list[str]], str]) -> str:
    """jaxify's /<http(.*?)>/g and /\\[(.*?)\\]\\((.*?)\\)/g replacements, without their regular expressions'
    quadratic time on hostile text: from each opener, the first of each closer in turn on the same line
    (JavaScript's "." stops at a line break). Where that fails, every later opener on the line fails too."""
    out: list[str] = []
    position = line_end = 0
    while True:
        start = text.find(opener, position)
        if start < 0:
            break
        if start >= line_end:
            found = _BREAK.search(text, start)
            line_end = found.start() if found else len(text)
        parts: list[str] | None = []
        at = start + len(opener)
        for closer in closers:
            end = text.find(closer, at, line_end)
            if end < 0:
                parts = None
                break
            parts.append(text[at:end])
            at = end + len(closer)
        if parts is None:  # nothing more on this line: go on after it
            out.append(text[position:line_end])
            position = line_end
            continue
        out.append(text[position:start] + link(parts))
        position = at
    out.append(text[position:])
    return "".join(out)


def _with_code(text: str | None, code: str | None) -> str:
    # jupyterquiz puts the code into <pre><code> with innerHTML, and leaves it out of jaxify. The class is
    # richtext's code block (allowlist.CODE_CLASS): the boxed look of a Markdown code block, as jupyterquiz
    # boxes its QuizCode.
    parts = [_jaxify(text) if text and text.strip() else ""]
    if code and code.strip():
        parts.append(f'<pre class="qw-code"><code>{code}</code></pre>')
    return "".join(parts)


def _question(item: object, number: int) -> dict | None:
    if not isinstance(item, Mapping):
        raise _Problem(f"found {shown(item)}, expected an object with 'question', 'type' and 'answers'")
    kind = item.get("type")
    if isinstance(kind, str) and kind in _SKIPPED_TYPES:
        return None
    if kind not in JUPYTERQUIZ_TYPES:
        raise _bad("type", kind, "one of " + ", ".join(JUPYTERQUIZ_TYPES))
    text = _with_code(_text(item, "question", required=True), _text(item, "code"))
    qid = item.get("question_id", number)
    if not ((type(qid) is int) or (isinstance(qid, str) and qid.strip())):
        raise _bad("question_id", qid, "an integer or a non-empty string")
    answers = item.get("answers")
    if not isinstance(answers, list) or not answers:
        raise _bad("answers", answers, "a non-empty list of answers")
    question: dict[str, Any] = {"id": qid, "question": text, "format": "html"}
    if kind in ("multiple_choice", "many_choice"):
        question.update(_choice(kind, answers))
    elif kind == "numeric":
        question.update(_numeric(item, answers))
    else:
        question.update(_string(answers))
    points = item.get("points")
    if points is not None:
        if isinstance(points, bool) or not isinstance(points, (int, float)) or not (0 < points < math.inf):
            raise _bad("points", points, "a number above 0")
        question["points"] = points
    return question


def _entry(answers: list, index: int) -> Mapping:
    entry = answers[index]
    if not isinstance(entry, Mapping):
        raise _bad(f"answers[{index}]", entry, "an object")
    return entry


def _feedback(entry: Mapping) -> str | None:
    note = _text(entry, "feedback") if "feedback" in entry else None
    return None if note is None else _jaxify(note)


def _truthy(entry: Mapping) -> bool:
    """`correct` as numeric.js and string.js test it (`if (correct)`): JavaScript's truthiness."""
    value = entry.get("correct", False)
    if type(value) in (int, float):
        return bool(value) and value == value  # NaN (Python's json reads it) is falsy there too
    return not (value is None or value is False or value == "")


def _choice(kind: str, answers: list) -> dict:
    options: list[str] = []
    feedback: dict[str, str] = {}
    correct: list[str] = []
    folded: dict[str, int] = {}
    if len(answers) > 26:
        raise _bad("answers", answers, "at most 26 answers")
    if len(answers) < 2:
        raise _bad("answers", answers, "at least 2 answers to choose from")
    for index in range(len(answers)):
        entry = _entry(answers, index)
        try:
            option = _with_code(_text(entry, "answer"), _text(entry, "code"))
            note = _feedback(entry)
        except _Problem as problem:
            raise _Problem(f"answers[{index}]: {problem}") from None
        if not option:
            raise _bad(f"answers[{index}]", entry, "an 'answer' text or 'code'")
        key = " ".join(option.casefold().split())
        if key in folded:
            raise _bad(f"answers[{index}].answer", option, f"a text different from answers[{folded[key]}]")
        folded[key] = index
        letter = chr(ord("A") + index)
        options.append(option)
        if note:
            feedback[letter] = note
        if _flag(entry, "correct", f"answers[{index}].correct"):
            correct.append(letter)
    if not correct:
        raise _bad("answers", [e.get("correct") for e in answers], "at least one answer with correct: true")
    result: dict[str, Any] = {"type": "singleChoice" if kind == "multiple_choice" else "multiChoice"}
    result["options"] = options
    if kind == "many_choice":
        result["answer"] = correct
    else:
        result["answer"] = correct[0]
        if len(correct) > 1:  # jupyterquiz counts any correct choice as right
            result["weights"] = {letter: 100 for letter in correct}
    if feedback:
        result["feedback"] = feedback
    return result


def _number(value: object, field: str, *, open_end: bool = False) -> float | None:
    if value is None and open_end:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _bad(field, value, "a finite number" + (" or null (open)" if open_end else ""))
    return value


def _numeric(item: Mapping, answers: list) -> dict:
    entries: list[dict] = []
    incorrect: str | None = None
    for index in range(len(answers)):
        entry = _entry(answers, index)
        where = f"answers[{index}]"
        note = _feedback(entry)
        if "value" in entry:
            out: dict[str, Any] = {"value": _number(entry["value"], f"{where}.value")}
        elif "range" in entry:
            bounds = entry["range"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise _bad(f"{where}.range", bounds, "a list [low, high): low included, high not")
            low = _number(bounds[0], f"{where}.range[0]", open_end=True)
            high = _number(bounds[1], f"{where}.range[1]", open_end=True)
            if low is not None and high is not None and not low < high:
                raise _bad(f"{where}.range", bounds, "low < high")
            if low is None and high is None:
                raise _bad(f"{where}.range", bounds, "at least one end that is a number")
            out = {}
            if low is not None:
                out["min"] = low
            if high is not None:
                out["max"] = high
                out["max_exclusive"] = True
        elif entry.get("type") == "default":
            incorrect = note if note is not None else incorrect
            continue
        else:
            raise _bad(where, entry, "an answer with a 'value', a 'range' or type 'default'")
        out["credit"] = 100 if _truthy(entry) else 0
        if note is not None:
            out["feedback"] = note
        entries.append(out)
    if not any(e["credit"] for e in entries):
        raise _bad("answers", answers, "at least one value or range with correct: true")
    result: dict[str, Any] = {"type": "numeric", "answers": entries}
    precision = item.get("precision")
    if precision is not None:
        if type(precision) is not int or not 1 <= precision <= 100:
            raise _bad("precision", precision, "a whole number of significant digits, 1 to 100")
        result["precision"] = precision
    if incorrect is not None:
        result["incorrect_feedback"] = incorrect
    return result


def _string(answers: list) -> dict:
    entries: list[dict] = []
    cases: list[bool] = []
    thresholds: list[float | None] = []
    incorrect: str | None = None
    for index in range(len(answers)):
        entry = _entry(answers, index)
        where = f"answers[{index}]"
        note = _feedback(entry)
        if entry.get("type") == "default":
            incorrect = note if note is not None else incorrect
            continue
        text = entry.get("answer")
        if not isinstance(text, str) or not text.strip() or len(text.strip()) > _MAX_TEXT:
            raise _bad(
                f"{where}.answer", text, f"an accepted answer (a non-empty string, <= {_MAX_TEXT} chars)"
            )
        threshold = entry.get("fuzzy_threshold")
        if threshold is not None and (
            isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1
        ):
            raise _bad(f"{where}.fuzzy_threshold", threshold, "a similarity ratio above 0 and at most 1")
        # jupyterquiz compares literally; in the exam format `*` is Moodle's wildcard.
        out: dict[str, Any] = {"text": text.strip().replace("*", "\\*")}
        out["credit"] = 100 if _truthy(entry) else 0
        if note is not None:
            out["feedback"] = note
        entries.append(out)
        cases.append(_flag(entry, "match_case", f"{where}.match_case"))
        thresholds.append(None if threshold is None else float(threshold))
    if not any(e["credit"] for e in entries):
        raise _bad("answers", answers, "at least one answer with correct: true")
    result: dict[str, Any] = {"type": "text", "answers": entries}
    if len(set(cases)) == 1:
        if cases[0]:
            result["match_case"] = True
    else:
        for out, case in zip(entries, cases, strict=True):
            out["match_case"] = case
    if len(set(thresholds)) == 1:
        if thresholds[0] is not None:
            result["fuzzy_threshold"] = thresholds[0]
    else:
        for out, threshold in zip(entries, thresholds, strict=True):
            if threshold is not None:
                out["fuzzy_threshold"] = threshold
    if incorrect is not None:
        result["incorrect_feedback"] = incorrect
    return result

"""Parser for the original app's Markdown practice exams (the exam_1.md style).

    ---
    layout: exam
    ---
    # Practice Exam 1
    1. Question text?
        - A. first option
        - B. second option
        <details markdown=1><summary markdown='span'>Answer</summary>
          Correct answer: B, E
        </details>

Everything is kept as plain text: HTML tags are only recognised as the answer block's markers and
no markup is interpreted, so the page never receives HTML from an exam file.
"""

from __future__ import annotations

import re
from typing import Any

from quiz_widgets.errors import ExamError

__all__ = ["parse_markdown_exam"]

_QUESTION = re.compile(r"^ {0,3}(\d{1,6})[.)]\s+(\S.*)$")
_OPTION = re.compile(r"^\s*[-*+]\s+([A-Za-z])[.)]\s+(\S.*)$")
_TITLE = re.compile(r"^ {0,3}#\s+(\S.*?)\s*#*\s*$")
_DETAILS_OPEN = re.compile(r"^\s*<details\b", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>\s*$", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b.*?</summary\s*>", re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(?:\*\*)?correct\s+answers?\s*:?\s*(?:\*\*)?\s*:?\s*(.*)$", re.IGNORECASE)
_LETTERS = re.compile(r"^[A-Za-z](?:\s*(?:,|;|and|&)?\s*[A-Za-z])*\.?$", re.IGNORECASE)


class _Draft:
    def __init__(self, number: int, text: str, line: int) -> None:
        self.number = number
        self.line = line
        self.text = [text]
        self.options: dict[str, list[str]] = {}
        self.answer: str | None = None
        self.answer_line = line
        self.explanation: list[str] = []


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Simple "key: value" front matter; returns it and the index of the first line after it."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return {}, 0
    meta: dict[str, str] = {}
    for i in range(first + 1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return meta, i + 1
        key, sep, value = lines[i].partition(":")
        if sep and key.strip():
            meta[key.strip()] = value.strip().strip("'\"")
    return {}, 0  # no closing fence: it was not front matter after all


def parse_markdown_exam(text: str, source: str = "<markdown>") -> dict[str, Any]:
    """The exam as a dict in the JSON exam format; ExamError lists every problem with its line."""
    lines = text.splitlines()
    meta, start = _front_matter(lines)
    problems: list[str] = []
    title = meta.get("title")
    intro: list[str] = []
    drafts: list[_Draft] = []
    current: _Draft | None = None
    in_details = False
    details_line = 0

    def problem(line_no: int, message: str) -> None:
        problems.append(f"{source}: line {line_no}: {message}")

    for index in range(start, len(lines)):
        line_no = index + 1
        line = lines[index]
        stripped = line.strip()
        if in_details:
            if _DETAILS_CLOSE.search(line):
                in_details = False
                stripped = _DETAILS_CLOSE.sub("", stripped).strip()
            stripped = _SUMMARY.sub("", stripped).strip()
            if not stripped or current is None:
                continue
            found = _ANSWER.match(stripped)
            if found and current.answer is None:
                current.answer, current.answer_line = found.group(1).strip(), line_no
            else:
                current.explanation.append(stripped)
            continue
        if not stripped:
            continue
        if _DETAILS_OPEN.match(line):
            if current is None:
                problem(line_no, "found an answer block before any question, expected '1. question text'")
            in_details, details_line = True, line_no
            rest = _SUMMARY.sub("", re.sub(r"^\s*<details\b[^>]*>", "", line, flags=re.IGNORECASE))
            if _DETAILS_CLOSE.search(rest):
                in_details = False
                rest = _DETAILS_CLOSE.sub("", rest)
            answer = _ANSWER.match(rest.strip())
            if answer and current is not None:
                current.answer, current.answer_line = answer.group(1).strip(), line_no
            continue
        heading = _TITLE.match(line)
        if heading and not drafts and current is None:
            title = title or heading.group(1)
            continue
        started = _QUESTION.match(line)
        if started:
            current = _Draft(int(started.group(1)), started.group(2).strip(), line_no)
            drafts.append(current)
            continue
        option = _OPTION.match(line)
        if option and current is not None:
            key = option.group(1).upper()
            if key in current.options:
                problem(line_no, f"question {current.number}: option {key} appears twice")
            current.options[key] = [option.group(2).strip()]
            continue
        if current is None:
            intro.append(stripped)
        elif current.options:
            current.options[next(reversed(current.options))].append(stripped)  # wrapped option text
        else:
            current.text.append(stripped)
    if in_details:
        problem(details_line, "found '<details>' without its '</details>'")

    questions = [_finish(d, source, problems) for d in drafts]
    seen: dict[int, int] = {}
    for d in drafts:
        if d.number in seen:
            problem(d.line, f"question {d.number}: the number is used twice (also on line {seen[d.number]})")
        seen.setdefault(d.number, d.line)
    if not drafts:
        problems.append(f"{source}: found no questions, expected lines like '1. question text'")
    if problems:
        raise ExamError(problems, source=source)
    exam: dict[str, Any] = {"title": title or _stem(source), "questions": questions}
    if intro:
        exam["description"] = "\n".join(intro)
    return exam


def _finish(d: _Draft, source: str, problems: list[str]) -> dict[str, Any]:
    where = f"{source}: line {d.line}: question {d.number}"
    question: dict[str, Any] = {
        "id": d.number,
        "question": " ".join(d.text),
        "options": {k: " ".join(v) for k, v in d.options.items()},
        "type": "singleChoice",
    }
    if len(d.options) < 2:
        problems.append(
            f"{where}: found {len(d.options)} options, expected at least 2 lines like '- A. text'"
        )
    if d.answer is None:
        problems.append(
            f"{where}: found no answer, expected a <details> block with 'Correct answer: D' (or 'B, E')"
        )
        return question
    letters = re.findall(r"[A-Za-z]+", d.answer)
    keys = [w.upper() for w in letters if w.lower() not in ("and",)]
    if not _LETTERS.match(d.answer) or not keys or any(len(k) != 1 for k in keys):
        problems.append(
            f"{source}: line {d.answer_line}: question {d.number}: found {d.answer[:80]!r}, "
            "expected option letters such as 'D' or 'B, E'"
        )
        return question
    unknown = [k for k in keys if k not in d.options]
    if unknown and d.options:
        problems.append(
            f"{source}: line {d.answer_line}: question {d.number}: answer {', '.join(unknown)} is not "
            f"among the options ({', '.join(d.options)})"
        )
    if len(set(keys)) != len(keys):
        problems.append(f"{source}: line {d.answer_line}: question {d.number}: an answer letter repeats")
    if len(keys) > 1:
        question["type"] = "multiChoice"
        question["answer"] = sorted(keys)
    else:
        question["answer"] = keys[0]
    if d.explanation:
        question["explanation"] = "\n".join(d.explanation)
    return question


def _stem(source: str) -> str:
    name = re.split(r"[\\/]", source)[-1]
    return name.rsplit(".", 1)[0] or "Practice exam"

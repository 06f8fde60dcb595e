"""What the browser may see, and what it may ask.

Everything that crosses to the page is built here, so one module answers the question "can the page learn
the answer key early?": a question payload carries labels and keys only; the correct answer appears in a
feedback payload, which exists only for an answered question. Messages from the page are parsed here too,
into intents the kernel understands, and anything unexpected is refused with a message a person can read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quiz_widgets.errors import shown
from quiz_widgets.exam import kinds
from quiz_widgets.exam.kinds.base import PageValueError
from quiz_widgets.quiz import arrange
from quiz_widgets.quiz.results import topic_breakdown
from quiz_widgets.quiz.review import row_status
from quiz_widgets.richtext import render

if TYPE_CHECKING:
    from pathlib import Path

    from quiz_widgets.exam import Question
    from quiz_widgets.quiz.state import AnswerResult, QuizState

_VIEW_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
# A view's id, a dash and its message counter: "3f2a...-17". Unique across views, so a reply broadcast to
# every view of the model is taken by the one view that sent the message.
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{1,80}")
MESSAGE_TYPES = (
    "answer",
    "next",
    "previous",
    "goto",
    "flag",
    "submit",
    "show_answer",
    "review",
    "summary",
    "pause",
    "unpause",
    "finish",
    "study",
    "back_to_results",
    "visibility",
    "closing",
)


class MessageError(ValueError):
    """A message from the page that the kernel refuses; nothing changed."""


@dataclass(frozen=True)
class Intent:
    kind: str
    value: Any = None
    confidence: Any = None  # an answer's "how sure" level as sent; QuizState.answer checks it


def _view_id(content: Mapping) -> str:
    # Pages before view ids (and tests) send none: they count as one view.
    view = content.get("view", "page")
    if not isinstance(view, str) or not _VIEW_ID.fullmatch(view):
        raise MessageError(f"'view' must be a short id of letters, digits and dashes, found {shown(view)}")
    return view


def request_id(content: object) -> str | None:
    """The message's request id when it carries a valid one, else None (no reply can name it)."""
    if not isinstance(content, Mapping):
        return None
    value = content.get("request")
    if isinstance(value, str) and _REQUEST_ID.fullmatch(value):
        return value
    return None


def check_request_id(content: Mapping) -> None:
    """Refuse a malformed request id; a message without one (Python callers, old pages) is fine."""
    if "request" in content and request_id(content) is None:
        raise MessageError(
            "'request' must be a short id of letters, digits and dashes (at most 80), "
            f"found {shown(content.get('request'))}"
        )


def reply(content: object, error: str) -> dict[str, Any] | None:
    """The kernel's answer to one page message, sent after the state it changed; None without an id."""
    rid = request_id(content)
    if rid is None:
        return None
    return {"type": "reply", "request": rid, "ok": not error, "error": error}


def rich(question: Question, text: str | None, base_dir: Path | None) -> str:
    """Exam text as the sanitized HTML fragment the page inserts (rendered lazily, cached by richtext)."""
    return render(text or "", fmt=question.format, base_dir=base_dir) if text else ""


def text_html(question: Question, base_dir: Path | None) -> str:
    """The question's text for the review and finish screens, as its kind shows it read-only."""
    return kinds.get(question.kind).text_html(question, rich(question, question.text, base_dir))


def answer_items(
    question: Question, normalized: object, order: Sequence[str] | None, base_dir: Path | None
) -> list[dict[str, Any]]:
    """The options an answer names, in the order shown: {key (letter on screen), text, html}.

    Option texts are exam text, drawn as rich text like the options themselves; a typed answer (numeric,
    text) names no option and stays the learner's own plain text (``your_answer``).
    """
    kind = kinds.get(question.kind)
    if not kind.choice:
        return kind.answer_items(question, normalized, lambda text: rich(question, text, base_dir))
    if not question.options:
        return []
    keys = set(_keys(normalized))
    texts = {option.key: option.text for option in question.options}
    return [
        {"key": letter, "text": texts[key], "html": rich(question, texts[key], base_dir)}
        for letter, key in arrange.shown_keys(question, order)
        if key in keys
    ]


def shown_correct(question: Question) -> str:
    """The right answer in words as the page shows it (a numeric one with its tolerance); files keep
    Question.correct_text()."""
    return kinds.get(question.kind).shown_correct(question)


def question_payload(
    question: Question | None,
    position: int,
    *,
    state: QuizState | None = None,
    base_dir: Path | None = None,
) -> dict[str, Any]:
    """The question as the page shows it before it is answered: never the answer, explanation or feedback.

    With ``state``: options in their shown (shuffled) order and letters, whether it is flagged, and in exam
    mode the answer given so far (to change it) and no hint of how many options are right.
    """
    if question is None:
        return {}
    shown_q = state.shown_question(question) if state is not None else question
    exam_mode = state is not None and state.mode == "exam"
    # No count of right options (it is taken from the key): the question's own words say how many.
    payload: dict[str, Any] = {
        "id": question.id,
        "number": position + 1,
        "text": question.text,
        "html": rich(question, question.text, base_dir),
        "kind": question.kind,
        "topic": question.topic or "",
        "options": [
            {"key": option.key, "text": option.text, "html": rich(question, option.text, base_dir)}
            for option in shown_q.options
        ],
        **kinds.get(question.kind).page_fields(
            question, shown_q, lambda text: rich(question, text, base_dir)
        ),
    }
    if state is not None:
        payload["flagged"] = question.id in state.flagged_ids
        payload["answered"] = state.is_answered(question.id)
        # An original-app file counts this question as answered but keeps no answer to show or change.
        payload["carried"] = state.is_carried(question.id)
        entry = state.answer_of(question.id) if exam_mode else None
        if entry is not None:
            order = state.option_orders.get(question.id) if kinds.get(question.kind).choice else None
            given = arrange.to_shown(entry["answer"], order)
            payload["given"] = kinds.get(question.kind).given(shown_q, given)
    return payload


def _keys(normalized: object) -> list[str]:
    if isinstance(normalized, str):
        return [normalized]
    if isinstance(normalized, list):
        return [str(key) for key in normalized]
    return []


def feedback_payload(
    result: AnswerResult, *, state: QuizState | None = None, base_dir: Path | None = None
) -> dict[str, Any]:
    """What the page shows after an answer: only now does the correct answer leave the kernel.

    ``credit`` is the share earned in percent; ``partial`` marks an answer neither fully right nor worth
    nothing. Keys are the letters as shown (shuffled options), texts the options' own.
    """
    question = result.question
    choice = bool(question.options)
    order = state.option_orders.get(question.id) if state is not None else None
    shown_q = arrange.shown_question(question, order)
    credit = result.credit
    explanation = question.explanation or ""
    option_feedback = {
        option.key: option.feedback for option in shown_q.options if option.feedback is not None
    }
    chosen = _keys(arrange.to_shown(result.normalized, order)) if choice else []
    # The chosen options' own feedback is already in option_feedback (marked as chosen): `feedback` then
    # holds only what the options do not say, so no text shows twice.
    said_by_options = any(option_feedback.get(key) for key in chosen)
    feedback = None if said_by_options else question.feedback_for(result.normalized)
    return {
        "correct": result.correct,
        "partial": not result.correct and credit > 0,
        "credit": round(100.0 * credit, 1),
        "your_answer": question.describe(result.normalized),
        "correct_answer": shown_correct(question),
        "your_answer_items": answer_items(question, result.normalized, order, base_dir),
        "correct_answer_items": answer_items(question, question.correct_normalized(), order, base_dir),
        "chosen": chosen,
        "correct_keys": _keys(arrange.to_shown(question.correct_normalized(), order)) if choice else [],
        "explanation": explanation,
        "explanation_html": rich(question, explanation, base_dir),
        "feedback": feedback or "",
        "feedback_html": rich(question, feedback, base_dir),
        "option_feedback": option_feedback,
        "option_feedback_html": {
            key: rich(question, text, base_dir) for key, text in option_feedback.items()
        },
        "revealed": False,
        **kinds.get(question.kind).feedback_fields(question, result.normalized),
    }


def revealed_payload(question: Question, *, state: QuizState, base_dir: Path | None = None) -> dict[str, Any]:
    """Study mode's "Show answer": the right answer and explanation of a question not (yet) answered."""
    order = state.option_orders.get(question.id)
    explanation = question.explanation or ""
    return {
        "correct": None,
        "partial": False,
        "credit": 0.0,
        "your_answer": "",
        "correct_answer": shown_correct(question),
        "your_answer_items": [],
        "correct_answer_items": answer_items(question, question.correct_normalized(), order, base_dir),
        "chosen": [],
        "correct_keys": _keys(arrange.to_shown(question.correct_normalized(), order))
        if question.options
        else [],
        "explanation": explanation,
        "explanation_html": rich(question, explanation, base_dir),
        "feedback": "",
        "feedback_html": "",
        "option_feedback": {},
        "option_feedback_html": {},
        "revealed": True,
        **kinds.get(question.kind).revealed_fields(question),
    }


def summary_payload(state: QuizState, base_dir: Path | None = None) -> dict[str, Any]:
    """The finish screen: totals, points, per-topic results, and the wrong, partly right and unanswered
    questions (exam text as sanitized HTML beside the plain text).

    ``out_of`` is what the score is out of (QuizState.out_of: every question of a submitted exam);
    ``partial_credit`` says whether any answer earned part of its points, so the page shows them.
    """
    if base_dir is None and state.exam.source is not None:
        base_dir = state.exam.source.parent
    answered = state.total_answered
    out_of = state.out_of
    position = {qid: number for number, qid in enumerate(state.order, start=1)}
    wrong: list[dict[str, Any]] = []
    partial: list[dict[str, Any]] = []
    for entry in state.wrong_answers:
        qid = entry.get("question_id")
        row = _listed_answer(state, entry, position.get(qid, 0), base_dir)
        (partial if row["credit"] > 0 else wrong).append(row)
    unanswered = (
        [
            {
                "number": position[qid],
                "question": state.question(qid).text,
                "question_html": text_html(state.question(qid), base_dir),
            }
            for qid in state.unanswered_ids
        ]
        if state.completed
        else []
    )
    carried = sum(1 for qid in state.order if state.carried_status(qid) == "answered")
    return {
        "mode": state.mode,
        "points": state.points,
        "partial_credit": bool(partial),
        "submitted": state.submitted,
        "timed_out": state.time_left == 0.0 if state.time_left is not None else False,
        "flagged": len(state.flagged_ids),
        "score": state.score,
        "answered": answered,
        "out_of": out_of,
        "total": len(state.order),
        "accuracy": round(100.0 * state.score / out_of, 1) if out_of else 0.0,
        "elapsed": round(state.elapsed_seconds, 3),
        "completed": state.completed,
        "quit_by_user": state.quit_by_user,
        "topics": topic_breakdown(state),
        "wrong": wrong,
        "partial": partial,
        "unanswered": unanswered,
        "not_recorded": carried,
    }


def _listed_answer(
    state: QuizState, entry: Mapping[str, Any], number: int, base_dir: Path | None
) -> dict[str, Any]:
    """One wrong (or partly right) answer of the finish screen. An answer of this session names its
    options as rich text; one carried over from an original-app file has only the texts it saved."""
    qid = entry.get("question_id")
    question = state.exam.by_id(qid) if isinstance(qid, (int, str)) else None
    given = state.answer_of(question.id) if question is not None else None
    row: dict[str, Any] = {
        "number": number,
        "question": str(entry.get("question", "")),
        "your_answer": str(entry.get("your_answer", "")),
        "correct_answer": str(entry.get("correct_answer", "")),
        "credit": 0.0,
    }
    if question is None:
        return row
    order = state.option_orders.get(question.id)
    row["correct_answer"] = shown_correct(question)
    row["question_html"] = text_html(question, base_dir)
    row["correct_answer_items"] = answer_items(question, question.correct_normalized(), order, base_dir)
    if given is not None:
        row["your_answer_items"] = answer_items(question, given["answer"], order, base_dir)
        row.update(kinds.get(question.kind).review_fields(question, given["answer"]))
        row["credit"] = round(100.0 * (state.credit_of(question.id) or 0.0), 1)
    return row


def map_payload(state: QuizState, *, graded: bool, on_screen: int) -> list[dict[str, Any]]:
    """The question map: each question's number and status, flag, and which one is on screen.

    ``graded`` False (exam mode before submit): only answered or unanswered, never right or wrong.
    """
    flagged = set(state.flagged_ids)
    rows = []
    for i, qid in enumerate(state.order):
        answered = "answered" if state.is_answered(qid) else "unanswered"
        status = row_status(state, qid) if graded else answered
        rows.append({"number": i + 1, "status": status, "flagged": qid in flagged, "current": i == on_screen})
    return rows


def review_payload(
    rows: list[dict[str, Any]], state: QuizState, base_dir: Path | None
) -> list[dict[str, Any]]:
    """review() rows for the page, with the question and explanation as sanitized HTML."""
    out = []
    for row in rows:
        question = state.question(row["question_id"])
        order = state.option_orders.get(question.id)
        given = state.answer_of(question.id)
        out.append(
            {
                **row,
                "correct_answer": shown_correct(question),
                "question_html": text_html(question, base_dir)
                if row["question"] == question.text
                else rich(question, row["question"], base_dir),
                "explanation_html": rich(question, row["explanation"], base_dir),
                "your_answer_items": answer_items(question, given["answer"], order, base_dir)
                if given is not None
                else [],
                "correct_answer_items": answer_items(
                    question, question.correct_normalized(), order, base_dir
                ),
                **kinds.get(question.kind).review_fields(
                    question, given["answer"] if given is not None else None
                ),
            }
        )
    return out


def _answer_value(question: Question, value: object) -> object:
    """Turn the page's answer (indexes, a number, a string ...) into a value for Question.normalize: the
    question's kind reads it (exam/kinds/)."""
    try:
        return kinds.get(question.kind).from_page(question, value)
    except PageValueError as error:
        raise MessageError(str(error)) from None


def parse_message(content: object, question: Question | None) -> Intent:
    """Validate one custom message from the page; raise MessageError, never anything else."""
    if not isinstance(content, Mapping):
        raise MessageError(f"message must be an object, found {shown(content)}")
    check_request_id(content)
    kind = content.get("type")
    if kind not in MESSAGE_TYPES:
        raise MessageError(f"unknown message type {shown(kind)}; expected one of {', '.join(MESSAGE_TYPES)}")
    if kind == "answer":
        if question is None:
            raise MessageError("there is no question to answer: the quiz is finished")
        if "value" not in content:
            raise MessageError(f"{question.label()}: answer message has no 'value'")
        return Intent("answer", _answer_value(question, content["value"]), content.get("confidence"))
    if kind == "visibility":
        visible = content.get("visible")
        if not isinstance(visible, bool):
            raise MessageError(f"visibility message needs 'visible' true or false, found {shown(visible)}")
        return Intent("visibility", (_view_id(content), visible))
    if kind == "closing":
        return Intent("closing", _view_id(content))
    if kind == "goto":
        return Intent("goto", _number(content, "goto"))
    if kind == "flag":
        number = _number(content, "flag") if content.get("number") is not None else None
        flagged = content.get("flagged", True)
        if not isinstance(flagged, bool):
            raise MessageError(f"flag message needs 'flagged' true or false, found {shown(flagged)}")
        return Intent("flag", (number, flagged))
    return Intent(str(kind))


def page_language(content: Mapping) -> str:
    """The language tag of a page_lang message ("de-DE"); "" when it holds none a page could mean."""
    lang = content.get("lang")
    # A BCP 47 tag is letters, digits and hyphens; anything else is no language and shows English.
    if isinstance(lang, str) and 0 < len(lang) <= 35 and all(c.isalnum() or c in "-_" for c in lang):
        return lang
    return ""


def _number(content: Mapping, kind: str) -> int:
    number = content.get("number")
    if isinstance(number, bool) or not isinstance(number, int):
        raise MessageError(f"{kind} message needs 'number', a question number, found {shown(number)}")
    return number

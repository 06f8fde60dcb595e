"""Shuffling and drawing: which questions a quiz asks, in which order, and each question's option order.

Everything is decided once, from a seed, when a quiz starts; the session stores the result (not just the
seed), so a resumed quiz shows exactly the same order even if this module's choices change one day.
Options shown in a shuffled order get the letters of their new places (A, B, C ...); ``shown_question``
gives the question as the learner sees it, so answers typed as letters or indexes mean what is on screen.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Mapping, Sequence
from typing import Any

from quiz_widgets.errors import ExamError, shown
from quiz_widgets.exam import Exam, Question, kinds

__all__ = [
    "Arrangement",
    "arrange",
    "check_option_order",
    "original_answer",
    "shown_keys",
    "shown_question",
    "to_shown",
]

# Each kind says whether shuffle_options moves its options (trueFalse keeps True before False, as Moodle).
SHUFFLED_KINDS = tuple(name for name, kind in kinds.REGISTRY.items() if kind.shuffles_options)
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclasses.dataclass(frozen=True)
class Arrangement:
    order: list[Any]  # question ids
    option_orders: dict[Any, tuple[str, ...]]  # question id -> original option keys in shown order
    seed: int | None


def _draw_count(draw: object, available: int, where: str) -> int:
    if isinstance(draw, bool) or not isinstance(draw, int) or not 1 <= draw <= available:
        raise ExamError(f"draw{where}: found {shown(draw)}, expected a whole number 1..{available}")
    return draw


def arrange(
    exam: Exam,
    *,
    shuffle: bool = False,
    shuffle_options: bool = False,
    draw: int | Mapping[str, int] | None = None,
    seed: int | None = None,
) -> Arrangement:
    """The questions (ids) and option orders of a new quiz. ExamError for a draw the exam cannot give.

    ``draw=N`` picks N questions at random; ``draw={topic: N}`` picks N of each named topic ("General" or
    "" for questions without a topic). Drawn questions keep the exam's order unless ``shuffle``.
    """
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise ExamError(f"seed: found {shown(seed)}, expected a whole number or None")
    always = any(
        kinds.get(q.kind).shuffled_always or kinds.get(q.kind).shuffles_itself(q) for q in exam.questions
    )
    if (shuffle or shuffle_options or draw is not None or always) and seed is None:
        # Chosen here and stored, so the attempt can be told apart and repeated.
        seed = random.SystemRandom().randrange(2**31)
    rng = random.Random(seed)
    ids = [q.id for q in exam.questions]
    if draw is not None:
        ids = _drawn(exam, draw, rng)
    if shuffle:
        rng.shuffle(ids)
    option_orders: dict[Any, tuple[str, ...]] = {}
    if shuffle_options:
        for qid in ids:
            question = exam.by_id(qid)
            assert question is not None
            if question.kind in SHUFFLED_KINDS and len(question.options) > 1:
                keys = [o.key for o in question.options]
                rng.shuffle(keys)
                option_orders[qid] = tuple(keys)
    for qid in ids:
        question = exam.by_id(qid)
        assert question is not None
        if kinds.get(question.kind).shuffled_always and len(question.options) > 1:
            # Shuffled from the texts' sorted order, not the author's (which is the key for ordering, and
            # the pairs' order for matching): what the page shows depends on the seed and texts alone. As
            # in Moodle, a shuffle may come out in the right order.
            keys = [o.key for o in sorted(question.options, key=lambda o: o.text)]
            rng.shuffle(keys)
            option_orders[qid] = tuple(keys)
        elif kinds.get(question.kind).shuffles_itself(question):
            # A kind without lettered options shuffling parts of itself (cloze's _S blanks): per attempt too.
            option_orders[qid] = kinds.get(question.kind).own_order(question, rng)
    return Arrangement(ids, option_orders, seed)


def _drawn(exam: Exam, draw: int | Mapping[str, int], rng: random.Random) -> list[Any]:
    position = {q.id: i for i, q in enumerate(exam.questions)}
    if isinstance(draw, Mapping):
        if not draw:
            raise ExamError("draw: found {}, expected {topic: count, ...} with at least one topic")
        picked: list[Any] = []
        for topic, count in draw.items():
            pool = [q.id for q in exam.questions if (q.topic or "General") == (topic or "General")]
            if not pool:
                topics = sorted({q.topic or "General" for q in exam.questions})
                raise ExamError(
                    f"draw: topic {shown(topic)} has no questions; the exam's topics are {topics}"
                )
            picked.extend(rng.sample(pool, _draw_count(count, len(pool), f"[{topic!r}]")))
    else:
        picked = rng.sample([q.id for q in exam.questions], _draw_count(draw, len(exam), ""))
    return sorted(picked, key=position.__getitem__)


def shown_keys(question: Question, option_order: Sequence[str] | None) -> list[tuple[str, str]]:
    """(letter on screen, original key) for each option in the order shown."""
    if option_order is None:
        return [(o.key, o.key) for o in question.options]
    return [(LETTERS[i], key) for i, key in enumerate(option_order)]


def shown_question(question: Question, option_order: Sequence[str] | None) -> Question:
    """The question as shown: options in their shown order, lettered by place; the same question unshuffled.

    Its answer keys are the shown letters too, so Question.normalize reads "A", 0 or "A, C" as the learner
    sees them; ``original_answer`` maps the result back to the exam's keys.
    """
    if option_order is None:
        return question
    if not question.options:
        return kinds.get(question.kind).with_own_order(question, tuple(option_order))
    by_key = {o.key: o for o in question.options}
    letter = {key: LETTERS[i] for i, key in enumerate(option_order)}
    options = tuple(dataclasses.replace(by_key[key], key=letter[key]) for key in option_order)
    answer = question.answer
    if isinstance(answer, tuple):
        answer = tuple(letter.get(key, key) for key in answer)
    return dataclasses.replace(question, options=options, answer=answer)


def original_answer(normalized: Any, option_order: Sequence[str] | None) -> Any:
    """A shown question's normalized answer (letters on screen) as the exam's option keys."""
    if option_order is None:
        return normalized
    if isinstance(normalized, str) and len(normalized) == 1 and normalized in LETTERS[: len(option_order)]:
        return option_order[LETTERS.index(normalized)]
    if isinstance(normalized, list):
        return sorted(original_answer(item, option_order) for item in normalized)
    return normalized


def to_shown(normalized: Any, option_order: Sequence[str] | None) -> Any:
    """The exam's option keys as the letters on screen (for feedback that names what the learner saw)."""
    if option_order is None:
        return normalized
    letter = {key: LETTERS[i] for i, key in enumerate(option_order)}
    if isinstance(normalized, str):
        return letter.get(normalized, normalized)
    if isinstance(normalized, list):
        return sorted(letter.get(item, item) for item in normalized)
    return normalized


def check_option_order(question: Question, keys: object) -> tuple[str, ...] | None:
    """A saved option order if it is a permutation of the question's option keys, else None."""
    kind = kinds.get(question.kind)
    if not question.options and kind.shuffles_itself(question):
        return kind.check_own_order(question, keys)
    if not isinstance(keys, (list, tuple)) or not (kind.shuffles_options or kind.shuffled_always):
        return None
    if sorted(map(str, keys)) != sorted(o.key for o in question.options) or len(keys) > len(LETTERS):
        return None
    return tuple(str(k) for k in keys)

"""Generated questions: a callable taking a ``random.Random`` and returning a question dict (issue 20.5).

An exam built from Python (``from_questions``, a dict or list given to ``load_exam``/``QuizWidget``) may hold
such callables beside question dicts. loading.py builds the exam with each generator's *probe* variant
(the generator called once with ``random.Random(PROBE_SEED)``), which checks the generator before anything
opens, and keeps the generators on the Exam. Each attempt then gets its own variant (:func:`vary`): every
generator called with a ``random.Random`` seeded from the attempt's seed and the question id, so the same
seed always gives the same variant in any process (``random.Random`` of a string hashes it with SHA-512,
not with Python's salted ``hash()``).

A variant is data, never code: it is kept in the session and results files as the dict the generator
returned (JSON), and a resume rebuilds it from there (:func:`restore`) without calling the generator. Files
never carry code: only a Python object can be callable, and no reader turns text into one.

The question id of a generated question is its position, or the "id" its dicts name (the same in every
variant), so a report groups the variants under one id. The exam's fingerprint names a generator by its
position, id and qualified name, never by the function object's address, so re-running a notebook cell
finds the attempt it continues.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.errors import shown as found
from quiz_widgets.exam.checks import check_exam
from quiz_widgets.exam.model import Exam, Question

__all__ = [
    "PROBE_SEED",
    "Generator",
    "attempt_seed",
    "fingerprint_questions",
    "has_generators",
    "restore",
    "saved_variants",
    "take_generators",
    "variant_rng",
    "vary",
]

PROBE_SEED = 0


@dataclass(frozen=True)
class Generator:
    """One generator of an exam: the callable, its 1-based position, its question id and its name."""

    function: Callable[[random.Random], Mapping[str, Any]] = dataclasses.field(compare=False)
    position: int
    id: int | str
    name: str

    def stand_in(self) -> dict[str, Any]:
        """What the exam's fingerprint reads in the generator's place (no object address in it)."""
        return {"id": self.id, "generator": self.name}


def has_generators(data: object) -> bool:
    """True when ``data`` is an exam dict (built from Python) whose questions hold a callable."""
    if not isinstance(data, Mapping):
        return False
    questions = data.get("questions")
    return isinstance(questions, list) and any(callable(q) for q in questions)


def _name(function: object) -> str:
    # The qualified name without the module: a notebook's cells run in a module whose name differs between
    # hosts (IPython's __main__, marimo's cell modules), and the fingerprint must not.
    name = getattr(function, "__qualname__", None) or getattr(function, "__name__", None)
    if name is None:  # a callable object (functools.partial, an instance with __call__)
        inner = getattr(function, "func", None)
        name = getattr(inner, "__qualname__", None) or type(function).__qualname__
    return str(name)


def _label(position: int, name: str) -> str:
    return f"question {position}: generator {name.rsplit('.', 1)[-1]!r}"  # its __name__


def _call(function: Callable, rng: random.Random, position: int, name: str, source: str) -> dict[str, Any]:
    """The generator's question dict as JSON data (so it can be saved), or an ExamError naming it."""
    where = f"{source}: {_label(position, name)}"
    try:
        made = function(rng)
    except Exception as exc:
        raise ExamError(f"{where} raised {type(exc).__name__}: {exc}", source=source) from exc
    if not isinstance(made, Mapping):
        raise ExamError(f"{where} returned {found(made)}, expected a question dict", source=source)
    try:
        # The variant is kept in the session as JSON: what cannot be written there is refused now.
        data = json.loads(json.dumps(dict(made), allow_nan=False, ensure_ascii=False))
    except (TypeError, ValueError, RecursionError) as exc:
        raise ExamError(
            f"{where} returned a dict that cannot be saved as JSON ({exc})", source=source
        ) from None
    return data


def take_generators(data: Mapping[str, Any], source: str) -> tuple[dict[str, Any], dict[int, Generator]]:
    """``data`` with each generator replaced by its probe variant, and the generators by position.

    Called by loading.py before the usual checks, which then check every probe as any question; a
    generator that raises or returns no dict is an ExamError naming it and its position."""
    questions = list(data["questions"])
    generators: dict[int, Generator] = {}
    for position, item in enumerate(questions, 1):
        if not callable(item):
            continue
        name = _name(item)
        probe = _call(item, random.Random(PROBE_SEED), position, name, source)
        qid = probe.get("id", position)
        generators[position] = Generator(item, position, qid, name)  # type: ignore[arg-type]
        questions[position - 1] = probe
    checked = dict(data)
    checked["questions"] = questions
    problems = check_exam(checked, source)[1]
    if problems:
        # Name the generator in its question's problems (the checker knows only positions).
        named = []
        for problem in problems:
            for position, gen in generators.items():
                marker = f"{source}: question {position} "
                if problem.startswith(marker) or problem.startswith(marker.rstrip() + ":"):
                    problem = f"{problem} (a variant of generator {gen.name.rsplit('.', 1)[-1]!r})"
            named.append(problem)
        raise ExamError(named, source=source)
    return checked, generators


def fingerprint_questions(raw_questions: list, generators: Mapping[int, Generator]) -> list:
    """The questions the fingerprint reads: each generator's stand-in at its position."""
    return [generators[n].stand_in() if n in generators else raw for n, raw in enumerate(raw_questions, 1)]


def attempt_seed(learner: str, fingerprint: str, attempt: int) -> int:
    """The seed of a learner's attempt at an exam: the same in every process (SHA-256, not hash())."""
    digest = hashlib.sha256(f"{learner}\x00{fingerprint}\x00{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def variant_rng(seed: int, qid: int | str) -> random.Random:
    """The Random a generator gets: one per question, so two uses of one generator differ."""
    return random.Random(f"{seed}:{qid}")


def vary(exam: Exam, seed: int) -> Exam:
    """``exam`` with every generated question replaced by its variant for ``seed``."""
    if not exam.generators:
        return exam
    source = exam.title
    made = {}
    for gen in exam.generators.values():
        data = _call(gen.function, variant_rng(seed, gen.id), gen.position, gen.name, source)
        made[gen.position] = data
    return _with_variants(exam, made, seed, source, error=ExamError)


def restore(exam: Exam, saved: object, seed: object, source: str, field: str) -> Exam:
    """``exam`` with the variants a session or results file kept (``saved``: {question id: dict}).

    Never calls a generator, except for a question the file kept no variant of (a generator added to
    the exam since), which gets the saved seed's variant. A kept variant that is not a valid question
    is a SessionError naming the file and field."""
    if not exam.generators:
        return exam
    if saved is None:
        saved = {}
    if not isinstance(saved, Mapping):
        raise SessionError(f"{source}: field {field!r}: found {found(saved)}, expected an object")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
        raise SessionError(f"{source}: field {field}_seed: found {found(seed)}, expected a whole number")
    made: dict[int, dict[str, Any]] = {}
    for gen in exam.generators.values():
        kept = saved.get(str(gen.id))
        if kept is None:
            if seed is None:
                continue  # the probe variant stays
            kept = _call(gen.function, variant_rng(seed, gen.id), gen.position, gen.name, exam.title)
        made[gen.position] = kept  # type: ignore[assignment]
    return _with_variants(exam, made, seed, f"{source}: field {field!r}", error=SessionError)


def saved_variants(exam: Exam) -> dict[str, Any]:
    """The variants of ``exam`` as the session and results files keep them: {str(question id): dict}."""
    kept: dict[str, Any] = {}
    for gen in exam.generators.values():
        question = exam.questions[gen.position - 1]
        kept[str(gen.id)] = dict(question.raw)
    return kept


def _with_variants(
    exam: Exam, made: Mapping[int, Any], seed: object, source: str, error: type[Exception]
) -> Exam:
    questions = list(exam.questions)
    for position, data in made.items():
        gen = exam.generators[position]
        if not isinstance(data, Mapping):
            raise error(
                f"{source}: {_label(position, gen.name)}: found {found(data)}, expected a question dict"
            )
        data = {"id": gen.id, **data}
        if data["id"] != gen.id:
            raise error(
                f"{source}: {_label(position, gen.name)} named id {data['id']!r}, expected {gen.id!r} "
                "(a generated question keeps one id in every variant)"
            )
        questions[position - 1] = _question(exam, data, position, gen, source, error)
    return dataclasses.replace(exam, questions=tuple(questions), variant_seed=seed)


def _question(
    exam: Exam, data: Mapping[str, Any], position: int, gen: Generator, source: str, error: type[Exception]
) -> Question:
    one: dict[str, Any] = {"title": exam.title or "Quiz", "questions": [dict(data)]}
    if exam.format is not None:
        one["format"] = exam.format
    try:
        built, problems = check_exam(one, "")
    except RecursionError:
        built, problems = None, ["the data is nested too deeply"]
    if built is None:
        # The checker numbers the lone question 1: say which question and generator it is.
        said = "; ".join(p.removeprefix(": ").removeprefix("question 1 ") for p in problems)
        raise error(f"{source}: {_label(position, gen.name)}: a variant is not a valid question: {said}")
    return dataclasses.replace(built[2][0], number=position)

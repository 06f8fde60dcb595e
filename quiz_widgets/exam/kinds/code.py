"""code: the learner writes a function; the kernel runs it against the question's cases (exam/code_runner.py).

Practice in the learner's own kernel, not a sandbox: see code_runner's docstring.

The question: ``function`` (the name to call), ``cases`` (a list of ``[[args...], expected]`` pairs or
``{"args": [...], "kwargs": {...}, "expected": ...}`` objects; from Python also a callable
``check(namespace) -> [(passed, message), ...]``), ``tolerance`` (floats), ``time_limit`` (seconds per case,
default 2), ``starter`` (the editor's first text) and ``solution`` (a model solution: shown by show_answer and
after the answer, never run). A file's cases are data: a string where cases go is refused, never run.

The answer: the source text. normalize runs it once and keeps what it did: the normalized value is
``{"source": str, "run": {...}}`` (code_runner.RunResult.to_dict()), so credit, the session, resume and the
class report read the run and never run the code again (a regrade keeps the grade: a learner's code is never
run in the instructor's kernel). Exam mode runs the code when the answer is given, not at submit: each
answer's wait is its own cases' limits, the submit (and a timed exam's zero) stays instant, and the run
stays in the kernel until submit (``given`` sends the page only the source).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from quiz_widgets.errors import shown
from quiz_widgets.exam import code_runner
from quiz_widgets.exam.kinds.base import MISSING, Kind, PageValueError, fail, finite
from quiz_widgets.i18n import Words

__all__ = ["MAX_SOURCE", "Code", "CodeSpec"]

MAX_SOURCE = 20_000  # characters of source an answer may have
MAX_CASES = 100
MAX_TIME_LIMIT = 30.0
_RUN_TEXT = 2_000  # a kept run's texts are cut to this (a session file is untrusted when read back)


@dataclass(frozen=True)
class CodeSpec:
    """A code question's key and settings: ``cases`` is a tuple of (args, kwargs, expected), or a checker
    callable (from Python only)."""

    function: str
    cases: tuple | Callable[[dict], Any]
    time_limit: float = code_runner.DEFAULT_TIME_LIMIT
    starter: str = ""
    solution: str | None = None

    @property
    def total(self) -> int:
        return 0 if callable(self.cases) else len(self.cases)  # type: ignore[arg-type]


def _case(checker: Any, where: str | None, name: str, case: object) -> tuple | None:
    expected_text = "[[args...], expected] or {'args': [...], 'expected': ...} ('kwargs' optional)"
    if isinstance(case, Mapping):
        unknown = set(case) - {"args", "kwargs", "expected"}
        args, kwargs, expected = case.get("args", []), case.get("kwargs", {}), case.get("expected", MISSING)
        if unknown or expected is MISSING:
            checker.bad(where, name, case, expected_text)
            return None
    elif isinstance(case, list | tuple) and len(case) == 2:
        args, expected = case
        kwargs = {}
    else:
        checker.bad(where, name, case, expected_text)
        return None
    if not isinstance(args, list | tuple):
        checker.bad(where, f"{name}.args", args, "a list of the function's arguments")
        return None
    if not (isinstance(kwargs, Mapping) and all(isinstance(k, str) and k.isidentifier() for k in kwargs)):
        checker.bad(where, f"{name}.kwargs", kwargs, "an object of argument name -> value")
        return None
    return (tuple(args), dict(kwargs), expected)


class Code(Kind):
    name = "code"
    regradable = False
    own_keys = frozenset(("function", "cases", "starter", "solution", "time_limit", "tolerance"))

    # ---------------------------------------------------------------- fields and checks

    def check_fields(self, checker: Any, raw: Mapping, where: str | None) -> dict[str, Any]:
        tolerance = raw.get("tolerance")
        if tolerance is None:
            return {}
        if finite(tolerance) and tolerance >= 0:
            return {"tolerance": float(tolerance)} if tolerance else {}
        checker.bad(where, "tolerance", tolerance, "a finite number >= 0")
        return {}

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        before = len(checker.problems)
        if "answer" in raw:
            checker.bad(
                where, "answer", raw["answer"], "no answer (a code question is graded by its 'cases')"
            )
        function = raw.get("function", MISSING)
        if not (isinstance(function, str) and function.isidentifier()):
            checker.bad(where, "function", function, "the name of the function to write, e.g. 'area'")
        cases = raw.get("cases", MISSING)
        if callable(cases) and not isinstance(cases, type):
            checked: Any = cases  # check(namespace) from a notebook cell or a module: Python only
        elif isinstance(cases, list) and 0 < len(cases) <= MAX_CASES:
            rows = [_case(checker, where, f"cases[{i}]", case) for i, case in enumerate(cases)]
            checked = tuple(rows)
        else:
            checker.bad(
                where,
                "cases",
                cases,
                f"a list of 1 to {MAX_CASES} cases [[args...], expected] (a checker function comes from "
                "Python only: a file's cases are data, never code)",
            )
            checked = None
        time_limit = raw.get("time_limit", code_runner.DEFAULT_TIME_LIMIT)
        if not (finite(time_limit) and 0 < time_limit <= MAX_TIME_LIMIT):
            checker.bad(
                where, "time_limit", time_limit, f"seconds per case, above 0 and at most {MAX_TIME_LIMIT:g}"
            )
        starter, solution = raw.get("starter", ""), raw.get("solution")
        if not (isinstance(starter, str) and len(starter) <= MAX_SOURCE):
            checker.bad(
                where, "starter", starter, f"the editor's first text (a string, <= {MAX_SOURCE:,} chars)"
            )
        if solution is not None and not (isinstance(solution, str) and len(solution) <= MAX_SOURCE):
            checker.bad(where, "solution", solution, f"a model solution (a string, <= {MAX_SOURCE:,} chars)")
        if len(checker.problems) > before:
            return None
        return CodeSpec(function, checked, float(time_limit), starter, solution)

    # ---------------------------------------------------------------- grading

    def normalize(self, q: Any, value: object) -> dict[str, Any]:
        if isinstance(value, str):
            if len(value) > MAX_SOURCE or not value.strip():
                raise fail(
                    q, value, f"the source of a function (a non-empty text of at most {MAX_SOURCE:,} chars)"
                )
            spec: CodeSpec = q.answer
            run = code_runner.run_code(
                value,
                function=spec.function,
                cases=spec.cases if callable(spec.cases) else [(a, k, e) for a, k, e in spec.cases],
                tolerance=q.tolerance,
                time_limit=spec.time_limit,
            )
            return {"source": value, "run": run.to_dict()}
        if isinstance(value, Mapping) and set(value) == {"source", "run"}:
            return self._kept(q, value)
        raise fail(q, value, "the source of a function (a text)")

    def _kept(self, q: Any, value: Mapping) -> dict[str, Any]:
        """A run read back (a session, a resumed answer): checked and bounded, never run again."""
        source, run = value["source"], value["run"]
        bad = "a kept answer {'source': text, 'run': {'cases': [...], 'total': n, ...}}"
        if not (isinstance(source, str) and len(source) <= MAX_SOURCE and isinstance(run, Mapping)):
            raise fail(q, value, bad)
        cases, total = run.get("cases"), run.get("total")
        if not (isinstance(cases, list) and len(cases) <= max(MAX_CASES, 1000)):
            raise fail(q, value, bad)
        if not (type(total) is int and max(1, len(cases)) <= total <= 10_000):
            raise fail(q, value, bad)
        rows = []
        for case in cases:
            if not isinstance(case, Mapping):
                raise fail(q, value, bad)
            row = {k: _text(case.get(k)) for k in ("input", "expected", "got", "error")}
            row["passed"] = case.get("passed") is True
            timeout = case.get("timeout")
            row["timeout"] = float(timeout) if finite(timeout) and timeout > 0 else None
            row["skipped"] = case.get("skipped") is True
            rows.append(row)
        line = run.get("error_line")
        timeout = run.get("timeout")
        return {
            "source": source,
            "run": {
                "cases": rows,
                "total": total,
                "passed": sum(1 for r in rows if r["passed"]),
                "error": _text(run.get("error")),
                "error_line": line if type(line) is int and line > 0 else None,
                "timeout": float(timeout) if finite(timeout) and timeout > 0 else None,
                "output": _text(run.get("output")) or "",
            },
        }

    def credit(self, q: Any, value: Any) -> float:
        run = value["run"]
        return min(1.0, run["passed"] / run["total"]) if run["total"] else 0.0

    def correct_normalized(self, q: Any) -> dict[str, Any]:
        """The model solution with every case passed (it is never run: the author vouches for it)."""
        spec: CodeSpec = q.answer
        rows = []
        if not callable(spec.cases):
            for args, kwargs, expected in spec.cases:
                rows.append(
                    {
                        "input": code_runner.call_text(spec.function, list(args), kwargs),
                        "expected": code_runner.shown_value(expected),
                        "got": None,
                        "error": None,
                        "passed": True,
                        "timeout": None,
                        "skipped": False,
                    }
                )
        total = max(len(rows), 1)
        return {
            "source": spec.solution or "",
            "run": {"cases": rows, "total": total, "passed": total, "error": None, "error_line": None,
                    "timeout": None, "output": ""},
        }  # fmt: skip

    def learner_fix(self, q: Any) -> Words:
        return Words(
            "Question {number}: write the function in the editor (at most {limit} characters).",
            number=q.number,
            limit=MAX_SOURCE,
        )

    # ---------------------------------------------------------------- files

    def describe(self, q: Any, value: Any) -> str:
        return value["source"] or "(a function passing every case)"

    def read_described(self, q: Any, text: str) -> object:
        # A results file keeps the source; grading it again would run a learner's code where the report is
        # read (the instructor's kernel). regrade.py keeps a code question's grade instead.
        return text

    def in_files(self, q: Any) -> bool:
        return not callable(q.answer.cases)

    def answer_dict(self, q: Any) -> dict[str, Any]:
        spec: CodeSpec = q.answer
        d: dict[str, Any] = {"function": spec.function}
        d["cases"] = spec.cases if callable(spec.cases) else [_case_dict(c) for c in spec.cases]
        if spec.time_limit != code_runner.DEFAULT_TIME_LIMIT:
            d["time_limit"] = spec.time_limit
        if spec.starter:
            d["starter"] = spec.starter
        if spec.solution is not None:
            d["solution"] = spec.solution
        if q.tolerance:
            d["tolerance"] = q.tolerance
        return d

    def failed_case(self, value: Any) -> str:
        """What most_chosen_wrong counts for a wrong answer: its first failed case, or why nothing ran."""
        run = value["run"]
        if run["error"]:
            return run["error"]
        return next((c["input"] for c in run["cases"] if not c["passed"]), "")

    # ---------------------------------------------------------------- the page

    def page_fields(self, q: Any, shown_q: Any, rich: Any) -> dict[str, Any]:
        spec: CodeSpec = q.answer
        # Never the cases: their expected values are the key (and exam mode shows nothing of it).
        return {"function": spec.function, "starter": spec.starter, "max_source": MAX_SOURCE}

    def from_page(self, q: Any, value: object) -> object:
        if not isinstance(value, str):
            raise PageValueError(f"{q.label()}: expected the source text, found {shown(value)}")
        if len(value) > MAX_SOURCE:
            raise PageValueError(f"{q.label()}: source is {len(value):,} characters, at most {MAX_SOURCE:,}")
        return value

    def given(self, q: Any, shown_answer: Any) -> dict[str, Any]:
        # Exam mode: the source to keep editing; the run stays in the kernel until submit.
        return {"value": shown_answer["source"]}

    def feedback_fields(self, q: Any, value: Any) -> dict[str, Any]:
        """The feedback's rows: each case (input, expected, got or error), the run's error and output."""
        run = value["run"]
        return {
            "code": {
                "source": value["source"],
                "cases": run["cases"],
                "passed": run["passed"],
                "total": run["total"],
                "error": run["error"],
                "error_line": run["error_line"],
                "timeout": run["timeout"],
                "output": run["output"],
                "solution": q.answer.solution or "",
            }
        }

    def review_fields(self, q: Any, value: Any) -> dict[str, Any]:
        return self.feedback_fields(q, value) if value is not None else {}

    def revealed_fields(self, q: Any) -> dict[str, Any]:
        """show_answer: the model solution if the author gave one (else the correct answer's text says so)."""
        return {
            "code": {
                "solution": q.answer.solution or "",
                "cases": [],
                "source": "",
                "passed": 0,
                "total": 0,
                "error": None,
                "error_line": None,
                "timeout": None,
                "output": "",
            }
        }


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value) if not isinstance(value, str) else value
    return text[:_RUN_TEXT]


def _case_dict(case: tuple) -> Any:
    args, kwargs, expected = case
    if kwargs:
        return {"args": list(args), "kwargs": kwargs, "expected": expected}
    return [list(args), expected]

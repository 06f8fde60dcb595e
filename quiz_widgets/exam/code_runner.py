"""Running a learner's code against a code question's cases, each case with a time limit.

This is practice in the learner's own kernel, not a sandbox: the code is the learner's, it runs with the
usual builtins and could do anything their notebook can. What the runner does promise is that a mistake
(a runaway loop, a long sleep, an exception, a syntax error, a flood of prints) becomes feedback and never
ends or wedges the kernel:

- the source is compiled and run in a fresh module namespace (its own dict), then the named function is
  called once per case; the run of the source and each case get ``time_limit`` seconds (2 s by default);
- how the limit is enforced depends on where the answer is handled. On the main thread (page messages and
  ``quiz.answer()`` from a cell both run there, see ui/home_thread.py) ``SIGALRM`` via ``setitimer`` raises
  in the learner's frame, which ends ``while True: pass`` and ``time.sleep(1e6)`` alike; the previous
  handler and any timer already set are restored. On another thread (or where there is no ``SIGALRM``:
  Windows) the call runs in a daemon worker thread and is ended by ``PyThreadState_SetAsyncExc``; a call
  blocked in C (a sleep) cannot be ended that way and is left behind as a daemon thread, the case
  reported as stopped. Where threads cannot start either (Pyodide, JupyterLite), a ``sys.settrace``
  deadline ends a loop written in Python; a sleep or a loop inside C code runs on there;
- what the code prints is captured (at most MAX_CAPTURE characters kept, the rest dropped) and the first
  lines returned with the result instead of spilling into the notebook;
- ``input()`` raises at once (a code question takes its values as the function's arguments, and a
  kernel waiting for stdin would wait past any time limit).

A learner's ``except:`` or ``except BaseException:`` can swallow the stop; the alarm then repeats every
0.1 s, so only code that catches every one of them runs past its limit.
"""

from __future__ import annotations

import builtins
import contextlib
import copy
import io
import math
import numbers
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "CaseResult",
    "RunResult",
    "call_text",
    "run_code",
    "same_value",
    "shown_value",
]

DEFAULT_TIME_LIMIT = 2.0
MAX_CAPTURE = 20_000  # characters of printed output kept while running; the rest is dropped
OUTPUT_LINES = 5  # lines of it kept with the result (shown in the feedback)
OUTPUT_CHARS = 500
SHOWN = 120  # a value's repr in a case row is cut to this many characters
_REPEAT = 0.1  # after the limit the alarm repeats, so a learner's `except:` cannot end it once and carry on
_FILENAME = "<your code>"

Checker = Callable[[dict], Any]


class _Stopped(BaseException):
    """Raised in the learner's code at its time limit (a BaseException: `except Exception` lets it by)."""


@dataclass(frozen=True)
class CaseResult:
    """One case: ``input`` ("area(2)", or a checker's message), ``expected`` and ``got`` as reprs,
    ``error`` the exception's last line, ``timeout`` the limit a stopped case reached (else None)."""

    input: str
    expected: str | None
    got: str | None
    error: str | None
    passed: bool
    timeout: float | None = None
    skipped: bool = False  # not run: the answer's time (``budget``) was used up by the cases before it

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RunResult:
    """Every case's result, or ``error`` when the code could not be run at all (then no case passed):
    ``error_line`` is the line of a syntax error; ``output`` the first lines the code printed."""

    cases: tuple[CaseResult, ...]
    total: int
    error: str | None = None
    error_line: int | None = None
    timeout: float | None = None
    output: str = ""

    @property
    def passed(self) -> int:
        return sum(1 for case in self.cases if case.passed)

    @property
    def credit(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        return {
            "cases": [case.to_dict() for case in self.cases],
            "total": self.total,
            "passed": self.passed,
            "error": self.error,
            "error_line": self.error_line,
            "timeout": self.timeout,
            "output": self.output,
        }


def _cut(text: str, limit: int = SHOWN) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shown_value(value: object) -> str:
    try:
        return _cut(repr(value))
    except Exception as exc:  # a learner's class with a broken __repr__
        return f"<unprintable {type(value).__name__}: {_last_line(exc)}>"


def _last_line(exc: BaseException) -> str:
    lines = traceback.format_exception_only(type(exc), exc)
    return _cut(lines[-1].strip() if lines else type(exc).__name__, 300)


def same_value(got: object, expected: object, tolerance: float = 0.0) -> bool:
    """``got`` equals ``expected``, numbers within ``tolerance`` when either is a float, lists and tuples
    alike (a case's expected value read from JSON is a list), element by element and key by key."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(got) is type(expected) and got == expected  # 1 is no answer to "is it even?"
    if isinstance(expected, numbers.Real) and isinstance(got, numbers.Real):
        if isinstance(expected, numbers.Integral) and isinstance(got, numbers.Integral):
            return int(got) == int(expected)
        g, e = float(got), float(expected)
        if math.isnan(g) or math.isnan(e):
            return math.isnan(g) and math.isnan(e)
        return g == e or abs(g - e) <= tolerance
    if isinstance(expected, (list, tuple)) and isinstance(got, (list, tuple)):
        return len(got) == len(expected) and all(
            same_value(g, e, tolerance) for g, e in zip(got, expected, strict=True)
        )
    if isinstance(expected, Mapping) and isinstance(got, Mapping):
        return set(got) == set(expected) and all(same_value(got[k], expected[k], tolerance) for k in expected)
    try:
        return bool(got == expected)
    except Exception:  # an array's ambiguous truth, a learner's __eq__ that raises
        return False


class _Capped(io.TextIOBase):
    """A stdout that keeps the first MAX_CAPTURE characters and drops the rest (a print loop stays small)."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self._size < MAX_CAPTURE:
            kept = str(text)[: MAX_CAPTURE - self._size]
            self._parts.append(kept)
            self._size += len(kept)
        return len(text)

    def first_lines(self) -> str:
        lines = "".join(self._parts).splitlines()
        text = "\n".join(lines[:OUTPUT_LINES])
        more = len(lines) > OUTPUT_LINES or self._size >= MAX_CAPTURE
        return _cut(text, OUTPUT_CHARS) + ("\n..." if more and len(text) <= OUTPUT_CHARS else "")


def _no_input(*_args: object) -> str:
    raise RuntimeError("input() cannot be used here: the function takes its values as arguments")


def _fresh_namespace() -> dict:
    own = dict(vars(builtins))
    own["input"] = _no_input
    return {"__name__": "__code_question__", "__builtins__": own}


# -- time limits ---------------------------------------------------------------------------------------


def _limited(call: Callable[[], Any], seconds: float) -> tuple[str, Any]:
    """("ok", value) | ("error", exception) | ("stopped", None): ``call()`` given ``seconds``."""
    # Pyodide has setitimer, but its alarm could only arrive through the browser's event loop, which never
    # runs while Python does: there the trace deadline is the only stop.
    if (
        _threads_start()
        and threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
    ):
        try:
            return _with_alarm(call, seconds)
        except (ValueError, OSError):  # signals unusable here after all (an embedding interpreter)
            pass
    if _threads_start():
        return _with_thread(call, seconds)
    return _with_trace(call, seconds)


def _threads_start() -> bool:
    return sys.platform != "emscripten" and sys.platform != "wasi"


def _with_alarm(call: Callable[[], Any], seconds: float) -> tuple[str, Any]:
    active = True

    def on_alarm(_signum: int, _frame: object) -> None:
        if active:
            raise _Stopped

    previous = signal.signal(signal.SIGALRM, on_alarm)
    started = time.monotonic()
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT)
    try:
        try:
            value = call()
            active = False
            return ("ok", value)
        except _Stopped:
            active = False
            return ("stopped", None)
        except (Exception, SystemExit) as exc:
            active = False
            return ("error", exc)
    except _Stopped:  # the alarm landed in one of the handlers above: the call had reached its limit
        return ("stopped", None)
    finally:
        active = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_delay > 0:  # someone else's timer was running: it goes on with what it had left
            left = max(old_delay - (time.monotonic() - started), 0.001)
            signal.setitimer(signal.ITIMER_REAL, left, old_interval)


def _with_thread(call: Callable[[], Any], seconds: float) -> tuple[str, Any]:
    import ctypes

    box: list[tuple[str, Any]] = []

    def work() -> None:
        try:
            box.append(("ok", call()))
        except _Stopped:
            box.append(("stopped", None))
        except BaseException as exc:  # reported, as on the main thread; the thread ends either way
            box.append(("error", exc))

    worker = threading.Thread(target=work, name="quiz_widgets code case", daemon=True)
    worker.start()
    worker.join(seconds)
    deadline = time.monotonic() + 0.5
    while worker.is_alive() and time.monotonic() < deadline:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(worker.ident or 0), ctypes.py_object(_Stopped)
        )
        worker.join(_REPEAT)
    if worker.is_alive() or not box:  # blocked in C code (a sleep): left behind as a daemon thread
        return ("stopped", None)
    kind, value = box[0]
    if kind == "error" and not isinstance(value, (Exception, SystemExit)):
        raise value  # a KeyboardInterrupt goes on up, as it would on the main thread
    return box[0]


def _with_trace(call: Callable[[], Any], seconds: float) -> tuple[str, Any]:
    deadline = time.monotonic() + seconds
    previous = sys.gettrace()

    def tracer(_frame: object, _event: str, _arg: object) -> Any:
        if time.monotonic() > deadline:
            raise _Stopped
        return tracer

    sys.settrace(tracer)
    try:
        return ("ok", call())
    except _Stopped:
        return ("stopped", None)
    except (Exception, SystemExit) as exc:
        return ("error", exc)
    finally:
        sys.settrace(previous)


# -- running -------------------------------------------------------------------------------------------


def _case_parts(case: object) -> tuple[list, dict, object]:
    """A case as (args, kwargs, expected): ``[[args...], expected]``, (args, kwargs, expected) or
    {"args", "kwargs", "expected"}."""
    if isinstance(case, Mapping):
        return list(case.get("args", [])), dict(case.get("kwargs", {})), case.get("expected")
    if len(case) == 3:  # type: ignore[arg-type]
        args, kwargs, expected = case  # type: ignore[misc]
        return list(args), dict(kwargs), expected
    args, expected = case  # type: ignore[misc]
    return list(args), {}, expected


def call_text(function: str, args: list, kwargs: dict) -> str:
    parts = [shown_value(a) for a in args] + [f"{k}={shown_value(v)}" for k, v in kwargs.items()]
    return _cut(f"{function}({', '.join(parts)})", 2 * SHOWN)


def _stopped_text(seconds: float) -> str:
    return f"stopped after {seconds:.3g} s"


def answer_budget(time_limit: float) -> float:
    """The seconds one answer may take in all (source and every case): a runaway loop in every case of a
    long list must not hold the kernel for minutes, nor outlast the page's 5 s wait for the reply."""
    return max(5.0, 2 * time_limit)


def run_code(
    source: str,
    *,
    function: str,
    cases: Sequence[object] | Checker,
    tolerance: float = 0.0,
    time_limit: float = DEFAULT_TIME_LIMIT,
    budget: float | None = None,
) -> RunResult:
    """Run ``source`` in a fresh namespace, then ``function`` on each case (or ``cases(namespace)``, a
    checker returning (passed, message) pairs). Never raises for anything the learner's code does. Each
    case gets ``time_limit`` seconds, and the whole answer ``budget`` (answer_budget()): a case left
    without time is not run (``skipped``)."""
    deadline = time.monotonic() + (answer_budget(time_limit) if budget is None else budget)
    checker = cases if callable(cases) else None
    total = 0 if checker else len(cases)  # type: ignore[arg-type]
    out = _Capped()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            code = compile(source, _FILENAME, "exec")
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            message = getattr(exc, "msg", None) or str(exc)
            text = f"line {line}: {message}" if line else message
            return RunResult((), max(total, 1), error=text, error_line=line)
        namespace = _fresh_namespace()
        kind, value = _limited(lambda: exec(code, namespace), time_limit)
        if kind != "ok":
            error = _stopped_text(time_limit) if kind == "stopped" else _last_line(value)
            timeout = time_limit if kind == "stopped" else None
            return RunResult((), max(total, 1), error=error, timeout=timeout, output=out.first_lines())
        if checker is not None:
            results = _run_checker(checker, namespace, time_limit)
            return RunResult(results, max(len(results), 1), output=out.first_lines())
        target = namespace.get(function)
        if not callable(target):
            error = f"no function named {function}" if target is None else f"{function} is not a function"
            return RunResult((), max(total, 1), error=error, output=out.first_lines())
        results = tuple(_run_case(target, function, case, tolerance, time_limit, deadline) for case in cases)  # type: ignore[union-attr]
    return RunResult(results, max(total, 1), output=out.first_lines())


def _run_case(
    target: Callable, function: str, case: object, tolerance: float, time_limit: float, deadline: float
) -> CaseResult:
    args, kwargs, expected = _case_parts(case)
    shown_call = call_text(function, args, kwargs)
    left = deadline - time.monotonic()
    if left < 0.05:
        error = "not run: the time for this answer was used up"
        return CaseResult(shown_call, shown_value(expected), None, error, False, None, skipped=True)
    time_limit = round(min(time_limit, left), 2)
    # The learner's function gets its own copies: mutating an argument changes neither this case's row
    # nor the question's data for the next answer.
    args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
    kind, value = _limited(lambda: target(*args, **kwargs), time_limit)
    if kind == "stopped":
        return CaseResult(
            shown_call, shown_value(expected), None, _stopped_text(time_limit), False, time_limit
        )
    if kind == "error":
        return CaseResult(shown_call, shown_value(expected), None, _last_line(value), False)
    passed = _limited(lambda: same_value(value, expected, tolerance), time_limit)
    return CaseResult(shown_call, shown_value(expected), shown_value(value), None, passed == ("ok", True))


def _run_checker(checker: Checker, namespace: dict, time_limit: float) -> tuple[CaseResult, ...]:
    """The instructor's check(namespace): its rows as cases; the whole call gets ``time_limit``."""
    kind, value = _limited(lambda: list(checker(namespace)), time_limit)
    if kind == "stopped":
        return (CaseResult("check", None, None, _stopped_text(time_limit), False, time_limit),)
    if kind == "error":
        return (CaseResult("check", None, None, _last_line(value), False),)
    rows = []
    for row in value:
        try:
            passed, message = row
        except (TypeError, ValueError):
            passed, message = False, f"the checker returned {shown_value(row)}, not (passed, message)"
        rows.append(CaseResult(_cut(str(message), 2 * SHOWN), None, None, None, passed is True))
    return tuple(rows)

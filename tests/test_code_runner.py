"""The code question's runner: a learner's source, run against cases with a time limit per case."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from quiz_widgets.exam import code_runner
from quiz_widgets.exam.code_runner import run_code, same_value

AREA_CASES = [[[1], 3.14159], [[2], 12.56637], [[0], 0]]
RIGHT = "import math\ndef area(r):\n    return math.pi * r * r\n"


def area(source: str, **kw):
    return run_code(source, function="area", cases=AREA_CASES, tolerance=1e-3, **kw)


def test_right_code_passes_every_case_within_tolerance():
    result = area(RIGHT)
    assert result.error is None
    assert [c.passed for c in result.cases] == [True, True, True]
    assert result.credit == 1.0
    assert result.cases[1].input == "area(2)"
    assert result.cases[1].expected == "12.56637"
    assert result.cases[1].got.startswith("12.566")


def test_tolerance_decides_a_float():
    assert area("def area(r):\n    return 3.14 * r * r\n").credit == pytest.approx(1 / 3)  # only r=0
    loose = run_code(
        "def area(r):\n    return 3.14 * r * r\n", function="area", cases=AREA_CASES, tolerance=0.1
    )
    assert loose.credit == 1.0


def test_share_of_cases_passed_and_exception_last_line():
    result = area("def area(r):\n    return 3 * r * r / (r - 2)\n")
    assert [c.passed for c in result.cases] == [False, False, True]
    assert result.cases[1].error == "ZeroDivisionError: division by zero"
    assert result.cases[1].got is None
    assert result.credit == pytest.approx(1 / 3)


def test_syntax_error_is_feedback_with_its_line():
    result = area("def area(r):\n    x = 1\n    return r r\n")
    assert result.cases == ()
    assert result.error_line == 3
    assert result.error.startswith("line 3: invalid syntax")
    assert result.credit == 0.0
    indent = area("def area(r):\nreturn r\n")
    assert indent.error.startswith("line 2: expected an indented block")


def test_missing_function_and_top_level_exception():
    assert area("def circle(r):\n    return r\n").error == "no function named area"
    assert area("area = 3\n").error == "area is not a function"
    top = area("import no_such_module_here\n")
    assert top.error == "ModuleNotFoundError: No module named 'no_such_module_here'"


@pytest.mark.parametrize(
    "body",
    ["        while True:\n            pass\n", "        import time\n        time.sleep(1e6)\n"],
    ids=["loop", "sleep"],
)
def test_runaway_case_stops_at_its_limit_and_the_next_case_runs(body):
    source = f"def area(r):\n    if r == 1:\n{body}    return 3.14159 * r * r\n"
    started = time.monotonic()
    result = area(source, time_limit=0.5)
    took = time.monotonic() - started
    assert took < 1.5, took
    assert [c.passed for c in result.cases] == [False, True, True]
    assert result.cases[0].error == "stopped after 0.5 s"
    assert result.cases[0].timeout == 0.5


def test_top_level_loop_stops_too():
    started = time.monotonic()
    result = area("while True:\n    pass\n", time_limit=0.3)
    assert time.monotonic() - started < 1.0
    assert result.error == "stopped after 0.3 s"
    assert result.credit == 0.0


def test_except_exception_does_not_swallow_the_stop():
    source = "def area(r):\n    while True:\n        try:\n            pass\n        except Exception:\n            pass\n"
    assert area(source, time_limit=0.2).cases[0].error == "stopped after 0.2 s"


def test_previous_alarm_handler_and_timer_are_restored():
    fired = []

    def mine(signum, frame):
        fired.append(signum)

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.5)
        area(RIGHT)
        assert signal.getsignal(signal.SIGALRM) is mine
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < left <= 1.5
        time.sleep(left + 0.2)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_off_the_main_thread_a_worker_thread_stops_the_loop():
    box = []
    source = "def area(r):\n    while True:\n        pass\n"
    worker = threading.Thread(target=lambda: box.append(area(source, time_limit=0.3)))
    started = time.monotonic()
    worker.start()
    worker.join(5)
    assert time.monotonic() - started < 2
    assert [c.error for c in box[0].cases] == ["stopped after 0.3 s"] * 3


def test_without_threads_or_signals_a_trace_deadline_stops_a_python_loop(monkeypatch):
    # Pyodide: no SIGALRM, no threads. A loop in Python stops; a sleep there would not.
    monkeypatch.setattr(code_runner.sys, "platform", "emscripten")
    monkeypatch.setattr(signal, "setitimer", lambda *a: pytest.fail("no alarm in Pyodide"))
    result = area("def area(r):\n    while True:\n        pass\n", time_limit=0.2)
    assert [c.error for c in result.cases] == ["stopped after 0.2 s"] * 3


def test_printed_output_is_captured_not_spilled(capsys):
    result = area("print('defining')\ndef area(r):\n    print('r is', r)\n    return 3.14159 * r * r\n")
    assert capsys.readouterr().out == ""
    assert result.output.splitlines() == ["defining", "r is 1", "r is 2", "r is 0"]


def test_a_print_flood_stays_small(capsys):
    result = area("def area(r):\n    while True:\n        print('x' * 1000)\n", time_limit=0.3)
    assert capsys.readouterr().out == ""
    assert len(result.output) < 600
    assert result.output.endswith("...")


def test_input_raises_at_once():
    result = area("def area(r):\n    return float(input('r?'))\n")
    assert result.cases[0].error.startswith("RuntimeError: input() cannot be used here")


def test_each_run_has_a_fresh_namespace_and_own_copies_of_arguments():
    cases = [[[[1, 2]], 3], [[[1, 2]], 3]]
    source = (
        "seen = []\ndef total(xs):\n    seen.append(1)\n    xs.append(len(seen))\n    return sum(xs[:2])\n"
    )
    first = run_code(source, function="total", cases=cases)
    again = run_code(source, function="total", cases=cases)
    assert first.credit == again.credit == 1.0
    assert first.cases[1].input == "total([1, 2])"
    assert cases == [[[[1, 2]], 3], [[[1, 2]], 3]]


def test_checker_rows_are_cases():
    def check(ns):
        f = ns["area"]
        return [(abs(f(1) - 3.14159) < 1e-3, "area(1) is pi"), (f(-1) == 0, "a negative radius gives 0")]

    result = run_code(RIGHT, function="area", cases=check)
    assert [(c.input, c.passed) for c in result.cases] == [
        ("area(1) is pi", True),
        ("a negative radius gives 0", False),
    ]
    assert result.total == 2


def test_checker_that_raises_or_hangs_is_a_failed_row():
    def boom(ns):
        return [(ns["area"]("x") > 0, "strings")]

    row = run_code(RIGHT, function="area", cases=boom).cases[0]
    assert not row.passed and row.error == "TypeError: can't multiply sequence by non-int of type 'float'"
    hang = run_code(
        "def area(r):\n    while True: pass\n",
        function="area",
        cases=lambda ns: [(ns["area"](1), "x")],
        time_limit=0.2,
    )
    assert hang.cases[0].error == "stopped after 0.2 s"


@pytest.mark.parametrize(
    ("got", "expected", "tolerance", "same"),
    [
        (1, True, 0, False),
        (True, True, 0, True),
        (2, 2.0, 0, True),
        (0.1 + 0.2, 0.3, 0, False),
        (0.1 + 0.2, 0.3, 1e-9, True),
        ((1, 2.0001), [1, 2], 1e-3, True),
        ([1, 2], [1, 2, 3], 0, False),
        ({"a": 1.0}, {"a": 1}, 0, True),
        (float("nan"), float("nan"), 0, True),
        ("1", 1, 0, False),
        (None, None, 0, True),
    ],
)
def test_same_value(got, expected, tolerance, same):
    assert same_value(got, expected, tolerance) is same


def test_the_whole_answer_has_a_budget_and_cases_past_it_are_not_run():
    cases = [[[n], n] for n in range(6)]
    source = "def f(n):\n    while True:\n        pass\n"
    started = time.monotonic()
    result = run_code(source, function="f", cases=cases, time_limit=0.4, budget=1.0)
    assert time.monotonic() - started < 1.6
    assert [c.timeout for c in result.cases[:2]] == [0.4, 0.4]
    assert 0.1 < result.cases[2].timeout < 0.3 and result.cases[2].error.startswith("stopped after 0.")
    assert [c.skipped for c in result.cases[3:]] == [True] * 3
    assert result.cases[3].error == "not run: the time for this answer was used up"
    assert code_runner.answer_budget(2.0) == 5.0 and code_runner.answer_budget(10.0) == 20.0

"""A quiz in a real ipykernel, ended in one way, and what is on disk afterwards.

Each ``scenario_*`` function starts its own kernel(s) with :func:`kernel_utils.start_kernel` in a folder
it is given, writes a small exam JSON there (``<folder>/exams/practice.json``), runs

    quiz = QuizWidget("<folder>/exams/practice.json", base_dir="<folder>", autosave_interval=<n>)

in a cell, answers ``answers`` questions from Python (``quiz.answer(v); quiz.next()``, as the buttons do),
ends the kernel in its way and returns one **row** (a dict) describing the session file on disk:

    ending            "shutdown" | "restart" | "sigterm" | "sigterm_busy" | "sigterm_registry_locked" |
                      "sigkill" | "interrupt" | "heartbeat"
    answers_given     answers acknowledged by the kernel before the ending (quiz.answer returned)
    answers_kept      quiz_mode.total_answered in the file after the ending
    flags             the file's timer_data flags {completed, auto_saved, emergency_saved, quit_by_user}
    elapsed_seconds   the file's timer_data.elapsed_seconds
    time_to_save_ms   how long after the ending action the session file was last written, or None when the
                      ending wrote nothing (see below)
    file_parses       the file is JSON and passes SessionManager.load_session's checks

``time_to_save_ms`` is measured from outside the kernel, so it means the same for every ending, including
those where the kernel cannot report anything: just before the ending action we take ``t0 = time.time_ns()``
and ``(st_ino, st_mtime_ns)`` of the session file; when the ending action has finished (process gone, or the
restarted/interrupted kernel ready again) we stat it again. Saves are ``os.replace`` of a fresh temp file,
so a save after ``t0`` always changes the inode. If nothing changed the value is None ("no save caused by
this ending"); otherwise it is ``(st_mtime_ns - t0) / 1e6``, clamped at 0 because the file system stamps
mtimes with a coarse clock (one kernel tick, a few ms) that may read slightly behind ``time.time_ns()``.
It is an upper bound on how quickly the save *started* plus how long it took (the mtime is the temp file's
last write, before its fsync and rename). Each row also carries ``answer_save_ms``: the kernel's own
``writer.last_save_seconds`` for the last save it made before the ending (an answer save), for scale.

Extra keys (used by the tests): ``exit_code``, ``exited``, ``ending_seconds`` (how long the ending action
took), ``lifetime_seconds`` (wall time from creating the quiz to the ending: an upper bound for
``elapsed_seconds``), ``session_path``, ``session`` (the parsed file), ``session_files``, ``temp_files``,
``before`` (the kernel's own report just before the ending) and scenario-specific ones.

:func:`format_table` turns rows into a text table; :func:`run_all` runs every scenario.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from kernel_utils import (
    KernelTimeout,
    RunningKernel,
    collect,
    execute_async,
    kernel_pid,
    start_kernel,
    wait_for_exit,
)

from quiz_widgets import SessionManager

# -- the exam and the answers -------------------------------------------------------------------------

EXAM: dict[str, Any] = {
    "title": "Lifecycle Drill",
    "questions": [
        {
            "id": 1,
            "question": "Pick C",
            "options": {"A": "a", "B": "b", "C": "c", "D": "d"},
            "answer": "C",
            "topic": "Letters",
        },
        {
            "id": 2,
            "question": "Pick A and C",
            "type": "multiChoice",
            "options": {"A": "a", "B": "b", "C": "c"},
            "answer": ["A", "C"],
            "topic": "Letters",
        },
        {"id": 3, "question": "2 + 2?", "type": "numeric", "answer": 4, "topic": "Numbers"},
        {"id": 4, "question": "Capital of France?", "type": "text", "answer": ["Paris"], "topic": "Words"},
        {"id": 5, "question": "Pick B", "options": {"A": "a", "B": "b", "C": "c"}, "answer": "B"},
        {"id": 6, "question": "Pick D", "options": {"A": "a", "B": "b", "C": "c", "D": "d"}, "answer": "D"},
        {"id": 7, "question": "Pick A", "options": {"A": "a", "B": "b"}, "answer": "A"},
        {"id": 8, "question": "Pick B again", "options": {"A": "a", "B": "b"}, "answer": "B"},
    ],
}

# (value, correct) in exam order: right and wrong answers alternate in pairs.
PLAN: list[tuple[Any, bool]] = [
    ("C", True),
    (["A", "B"], False),
    (4, True),
    ("Rome", False),
    ("B", True),
    ("A", False),
    ("A", True),
    ("B", True),
]

TIMER_FLAGS = ("completed", "auto_saved", "emergency_saved", "quit_by_user")
ENDINGS = (
    "shutdown",
    "restart",
    "sigterm",
    "sigterm_busy",
    "sigterm_registry_locked",
    "sigkill",
    "interrupt",
    "heartbeat",
)
_MARK = "QWREPORT:"


def expected_after(n: int) -> dict[str, Any]:
    """What the quiz must say after the first ``n`` answers of PLAN."""
    return {
        "total_answered": n,
        "score": sum(1 for _, ok in PLAN[:n] if ok),
        "wrong_ids": [q["id"] for q, (_, ok) in zip(EXAM["questions"][:n], PLAN[:n], strict=True) if not ok],
        "current_id": EXAM["questions"][n]["id"] if n < len(EXAM["questions"]) else None,
    }


def write_exam(folder: Path) -> Path:
    path = folder / "exams" / "practice.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(EXAM, indent=2))
    return path


# -- code run in the kernel ---------------------------------------------------------------------------

_PRELUDE = """
import asyncio, json, os, signal, time
from quiz_widgets import QuizWidget

def _qw_handler_name(h):
    if callable(h):
        return f"{getattr(h, '__module__', '?')}.{getattr(h, '__qualname__', repr(h))}"
    return repr(h)

def _qw_report(**extra):
    st = quiz.state
    w = quiz._ctl.writer
    cur = st.current_question
    report = {
        "pid": os.getpid(),
        "path": str(quiz.session_path),
        "total_answered": st.total_answered,
        "score": st.score,
        "wrong_ids": [e.get("question_id") for e in st.wrong_answers],
        "wrong_answers": st.wrong_answers,
        "current_id": None if cur is None else cur.id,
        "elapsed": st.elapsed_seconds,
        "clock_running": st.clock.running,
        "phase": quiz.phase,
        "read_only": w.read_only,
        "last_error": w.last_error,
        "last_save_ms": None if w.last_save_seconds is None else w.last_save_seconds * 1000,
        "sigint": _qw_handler_name(signal.getsignal(signal.SIGINT)),
        "sigterm": _qw_handler_name(signal.getsignal(signal.SIGTERM)),
        "heartbeat": None if quiz._live.tasks.heartbeat is None else not quiz._live.tasks.heartbeat.done(),
    }
    report.update(extra)
    print("QWREPORT:" + json.dumps(report), flush=True)
"""


def _create_code(exam_path: Path, folder: Path, autosave_interval: float) -> str:
    return (
        _PRELUDE + f"\nquiz = QuizWidget({str(exam_path)!r}, base_dir={str(folder)!r}, "
        f"autosave_interval={float(autosave_interval)!r})\n_qw_report()\n"
    )


def _resume_code(session_path: str, autosave_interval: float) -> str:
    return (
        _PRELUDE
        + f"\nquiz = QuizWidget.resume({session_path!r}, autosave_interval={float(autosave_interval)!r})\n"
        "_qw_report()\n"
    )


def _answer_code(values: Sequence[Any]) -> str:
    return (
        f"for _v in json.loads({json.dumps(list(values))!r}):\n"
        "    quiz.answer(_v)\n"
        "    quiz.next()\n"
        "_qw_report()\n"
    )


def _report(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.startswith(_MARK)]
    if not lines:
        raise AssertionError(f"the kernel printed no report; stdout was:\n{stdout}")
    return json.loads(lines[-1][len(_MARK) :])


def run(k: RunningKernel, code: str, timeout: float = 60) -> dict[str, Any]:
    """Run a cell that ends with ``_qw_report()``; return the report."""
    return _report(k.execute(code, timeout=timeout).stdout)


def answer(k: RunningKernel, values: Sequence[Any], timeout: float = 60) -> dict[str, Any]:
    return run(k, _answer_code(values), timeout)


def plan_values(start: int, stop: int) -> list[Any]:
    return [value for value, _ in PLAN[start:stop]]


# -- kernels ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def kernel_in(folder: Path, startup_timeout: float = 90) -> Iterator[RunningKernel]:
    """A kernel with cwd ``folder``; killed on exit if still running."""
    km, kc = start_kernel(folder, startup_timeout=startup_timeout)
    k = RunningKernel(km=km, kc=kc, cwd=Path(folder))
    try:
        yield k
    finally:
        k.close()


def start_quiz(
    k: RunningKernel, folder: Path, *, autosave_interval: float = 30.0, answers: int = 0
) -> dict[str, Any]:
    """Write the exam, create the quiz in ``k`` and give the first ``answers`` answers; the kernel's report."""
    exam_path = write_exam(folder)
    report = run(k, _create_code(exam_path, folder.resolve(), autosave_interval))
    report["created_at"] = time.monotonic()
    if answers:
        created = report["created_at"]
        report = answer(k, plan_values(0, answers))
        report["created_at"] = created
    return report


def resume_quiz(k: RunningKernel, session_path: str, *, autosave_interval: float = 30.0) -> dict[str, Any]:
    """``quiz = QuizWidget.resume(session_path)`` in ``k``; the kernel's report."""
    return run(k, _resume_code(session_path, autosave_interval))


# -- reading the result -------------------------------------------------------------------------------


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


class _Watch:
    """Brackets an ending action: t0 and the file's identity before, the same after."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.before = _stat_key(path)
        self.t0_ns = time.time_ns()
        self.t0 = time.monotonic()
        self.after: tuple[int, int] | None = None
        self.seconds: float | None = None

    def done(self) -> None:
        self.seconds = time.monotonic() - self.t0
        self.after = _stat_key(self.path)

    @property
    def time_to_save_ms(self) -> float | None:
        if self.after is None or self.after == self.before:
            return None
        return round(max(0.0, (self.after[1] - self.t0_ns) / 1e6), 1)


def read_session(path: Path) -> dict[str, Any]:
    """The session file as a row's disk part: parses?, answers kept, flags, elapsed, files beside it."""
    out: dict[str, Any] = {
        "session_path": str(path),
        "session": None,
        "file_parses": False,
        "parse_error": None,
    }
    try:
        data = json.loads(path.read_text())
        SessionManager(path.parent.parent.parent).load_session(path)  # the package's own checks
        out["session"] = data
        out["file_parses"] = True
    except Exception as exc:  # reported in the row
        out["parse_error"] = f"{type(exc).__name__}: {exc}"
        data = None
    if data is not None:
        timer = data["timer_data"]
        out["answers_kept"] = data["quiz_mode"]["total_answered"]
        out["answers_recorded"] = len(data.get("quiz_widgets", {}).get("answers", []))
        out["flags"] = {name: timer.get(name) for name in TIMER_FLAGS}
        out["elapsed_seconds"] = timer.get("elapsed_seconds")
    else:
        out.update(answers_kept=None, answers_recorded=None, flags={}, elapsed_seconds=None)
    folder = path.parent
    out["session_files"] = sorted(p.name for p in folder.glob("session_*.json"))
    out["temp_files"] = sorted(
        p.name for p in folder.iterdir() if p.is_file() and (p.suffix == ".tmp" or p.name.startswith("."))
    )
    return out


def _row(ending: str, given: int, watch: _Watch, before: dict[str, Any], **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"ending": ending, "answers_given": given}
    row.update(read_session(Path(before["path"])))
    row["time_to_save_ms"] = watch.time_to_save_ms
    row["ending_seconds"] = round(watch.seconds or 0.0, 3)
    row["lifetime_seconds"] = round(watch.t0 + (watch.seconds or 0.0) - before["created_at"], 3)
    row["answer_save_ms"] = None if before.get("last_save_ms") is None else round(before["last_save_ms"], 2)
    row["before"] = before
    row.update(extra)
    return row


def _exit_code(k: RunningKernel) -> int | None:
    proc = getattr(k.km.provisioner, "process", None)
    return None if proc is None else proc.poll()


# -- the endings --------------------------------------------------------------------------------------


def scenario_shutdown(folder: Path, *, answers: int = 3, autosave_interval: float = 30.0) -> dict[str, Any]:
    """``km.shutdown_kernel(now=False)`` (JupyterLab's Shut Down): atexit saves with emergency_saved=True."""
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        proc = k.km.provisioner.process
        watch = _Watch(Path(before["path"]))
        code = k.shutdown()
        watch.done()
        code = proc.poll() if code is None else code
        return _row("shutdown", answers, watch, before, exit_code=code, exited=proc.poll() is not None)


def scenario_restart(
    folder: Path, *, answers: int = 3, more: int = 2, autosave_interval: float = 30.0
) -> dict[str, Any]:
    """``km.restart_kernel(now=False)``, then ``QuizWidget.resume(path)`` in the new kernel and ``more`` answers.

    The row's disk part is the file right after the restart (before the resume). Extra keys: ``resumed``
    (the new kernel's report after resume), ``after_more`` (read_session after the further answers),
    ``after_more_report``, ``old_exit_code``.
    """
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        old = k.km.provisioner.process
        watch = _Watch(Path(before["path"]))
        k.restart()
        watch.done()
        old_code = old.poll()
        row = _row(
            "restart",
            answers,
            watch,
            before,
            old_exit_code=old_code,
            exit_code=old_code,
            exited=old_code is not None,
            new_pid=kernel_pid(k.km),
        )
        resumed = resume_quiz(k, before["path"], autosave_interval=autosave_interval)
        row["resumed"] = resumed
        if more:
            row["after_more_report"] = answer(k, plan_values(answers, answers + more))
        row["after_more"] = read_session(Path(before["path"]))
        return row


def scenario_sigterm(folder: Path, *, answers: int = 3, autosave_interval: float = 30.0) -> dict[str, Any]:
    """SIGTERM to the idle kernel's pid: the chained handler saves, the process exits with atexit run."""
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        proc = k.km.provisioner.process
        watch = _Watch(Path(before["path"]))
        try:
            code = k.sigterm(timeout=20)
            exited = True
        except AssertionError:
            code, exited = None, False
        watch.done()
        return _row(
            "sigterm",
            answers,
            watch,
            before,
            exit_code=code if code is not None else proc.poll(),
            exited=exited,
        )


def scenario_sigterm_busy(
    folder: Path, *, answers: int = 3, autosave_interval: float = 30.0, wait: float = 10.0
) -> dict[str, Any]:
    """SIGTERM while a cell runs ``time.sleep(30)`` (``kill <pid>`` of a busy kernel).

    Extra keys: ``exited`` (did the process end within ``wait`` s), ``cell_error`` (what the running cell
    saw, when the kernel survived), ``exit_code``.
    """
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        proc = k.km.provisioner.process
        msg_id = _start_busy_cell(k)
        watch = _Watch(Path(before["path"]))
        os.kill(proc.pid, signal.SIGTERM)
        try:
            code = wait_for_exit(k.km, wait)
            exited = True
        except AssertionError:
            code, exited = None, False
        watch.done()
        cell_error = None
        if not exited:
            with contextlib.suppress(Exception):
                res = collect(k.kc, msg_id, timeout=5, allow_error=True)
                cell_error = res.error and f"{res.error['ename']}: {res.error['evalue']}"
        return _row(
            "sigterm_busy", answers, watch, before, exit_code=code, exited=exited, cell_error=cell_error
        )


def scenario_sigterm_registry_locked(
    folder: Path, *, answers: int = 3, autosave_interval: float = 30.0, wait: float = 10.0
) -> dict[str, Any]:
    """SIGTERM while the main thread holds locks.py's registry lock (as inside SessionLock.acquire).

    The signal handler runs in that same thread, so any lock normal code holds there deadlocks it; the
    handler must save and end the process without one. Extra keys: ``exited`` (within ``wait`` s),
    ``exit_code``.
    """
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        proc = k.km.provisioner.process
        _start_busy_cell(
            k, code="from quiz_widgets.store import locks\nwith locks._registry_lock:\n    {busy}"
        )
        watch = _Watch(Path(before["path"]))
        os.kill(proc.pid, signal.SIGTERM)
        try:
            code = wait_for_exit(k.km, wait)
            exited = True
        except AssertionError:
            code, exited = None, False
        watch.done()
        return _row("sigterm_registry_locked", answers, watch, before, exit_code=code, exited=exited)


def scenario_sigkill(folder: Path, *, answers: int = 3, autosave_interval: float = 30.0) -> dict[str, Any]:
    """SIGKILL: nothing runs at exit; every acknowledged answer must already be on disk."""
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        watch = _Watch(Path(before["path"]))
        code = k.sigkill(timeout=20)
        watch.done()
        return _row("sigkill", answers, watch, before, exit_code=code, exited=True)


def _start_busy_cell(k: RunningKernel, seconds: float = 30, timeout: float = 30, code: str = "{busy}") -> str:
    """Start ``time.sleep(seconds)`` in a cell and return once it is really sleeping; its msg_id.

    ``code`` wraps the sleep: its ``{busy}`` is replaced by the print-and-sleep statement.
    """
    busy = f"print('QWBUSY', flush=True); time.sleep({seconds})"
    msg_id = execute_async(k.kc, code.replace("{busy}", busy) + "\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = k.kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if (
            msg.get("parent_header", {}).get("msg_id") == msg_id
            and msg["msg_type"] == "stream"
            and "QWBUSY" in msg["content"].get("text", "")
        ):
            time.sleep(0.2)  # from print() to inside time.sleep()
            return msg_id
    raise KernelTimeout(f"the busy cell did not start within {timeout}s")


def scenario_interrupt(
    folder: Path, *, answers: int = 3, more: int = 2, autosave_interval: float = 30.0
) -> dict[str, Any]:
    """``km.interrupt_kernel()`` while a cell runs ``time.sleep(30)``: KeyboardInterrupt, the kernel lives.

    The row's disk part is the file after ``more`` further answers in the same kernel (``answers_given`` =
    answers + more); ``time_to_save_ms`` is about the interrupt alone (None: it saves nothing). Extra keys:
    ``cell_error``, ``alive``, ``after_interrupt`` (report right after it), ``interrupt_seconds``.
    """
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        msg_id = _start_busy_cell(k)
        watch = _Watch(Path(before["path"]))
        k.interrupt()
        res = collect(k.kc, msg_id, timeout=20, allow_error=True)
        watch.done()
        cell_error = None if res.error is None else res.error["ename"]
        alive = k.km.is_alive()
        after_interrupt = run(k, "_qw_report()\n")
        after_more = answer(k, plan_values(answers, answers + more)) if more else after_interrupt
        row = _row(
            "interrupt",
            answers + more,
            watch,
            before,
            cell_error=cell_error,
            alive=alive,
            after_interrupt=after_interrupt,
            after_more_report=after_more,
            interrupt_seconds=watch.seconds,
            exit_code=None,
            exited=False,
        )
        return row


def scenario_heartbeat(
    folder: Path, *, autosave_interval: float = 1.0, idle_seconds: float = 2.5, answers: int = 1
) -> dict[str, Any]:
    """``answers`` answers (the session file appears at the first one: a quiz with none has nothing to
    keep); an ``await asyncio.sleep(idle_seconds)`` cell lets the heartbeat run; then SIGKILL.

    Extra key ``idle_report``: the kernel's report after the idle wait.
    """
    with kernel_in(folder) as k:
        before = start_quiz(k, folder, autosave_interval=autosave_interval, answers=answers)
        idle = run(k, f"await asyncio.sleep({float(idle_seconds)!r})\n_qw_report()\n")
        idle["created_at"] = before["created_at"]
        watch = _Watch(Path(idle["path"]))
        code = k.sigkill(timeout=20)
        watch.done()
        return _row("heartbeat", answers, watch, idle, exit_code=code, exited=True)


def scenario_resume_after_sigkill(folder: Path, *, answers: int = 4) -> dict[str, Any]:
    """Answer in one kernel, SIGKILL it, resume from the file in a new kernel.

    Returns {"killed": the first kernel's report before the kill, "resumed": the new kernel's report,
    "disk": read_session of the file after the resume}.
    """
    with kernel_in(folder) as k:
        killed = start_quiz(k, folder, answers=answers)
        k.sigkill(timeout=20)
    with kernel_in(folder) as k2:
        resumed = resume_quiz(k2, killed["path"])
        disk = read_session(Path(killed["path"]))
    return {"killed": killed, "resumed": resumed, "disk": disk}


SCENARIOS: dict[str, Callable[..., dict[str, Any]]] = {
    "shutdown": scenario_shutdown,
    "restart": scenario_restart,
    "sigterm": scenario_sigterm,
    "sigterm_busy": scenario_sigterm_busy,
    "sigterm_registry_locked": scenario_sigterm_registry_locked,
    "sigkill": scenario_sigkill,
    "interrupt": scenario_interrupt,
    "heartbeat": scenario_heartbeat,
}


def run_all(root: Path, endings: Sequence[str] = ENDINGS) -> list[dict[str, Any]]:
    """Every scenario, each in ``root/<ending>``; the rows in order."""
    return [SCENARIOS[name](Path(root) / name) for name in endings]


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    def flags(f: dict[str, Any]) -> str:
        return ",".join(name for name in TIMER_FLAGS if f.get(name)) or "-"

    header = (
        "ending",
        "kept/given",
        "flags",
        "elapsed_s",
        "time_to_save_ms",
        "answer_save_ms",
        "exit",
        "parses",
    )
    lines = [header]
    for r in rows:
        lines.append(
            (
                r["ending"],
                f"{r['answers_kept']}/{r['answers_given']}",
                flags(r.get("flags") or {}),
                str(r.get("elapsed_seconds")),
                str(r.get("time_to_save_ms")),
                str(r.get("answer_save_ms")),
                str(r.get("exit_code")),
                str(r.get("file_parses")),
            )
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines)


if __name__ == "__main__":  # python tests/kernel_scenarios.py: print the table
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="qw-scenarios-") as tmp:
        print(format_table(run_all(Path(tmp), sys.argv[1:] or ENDINGS)))

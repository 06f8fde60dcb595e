"""Each way a kernel ends, in a real ipykernel, and exactly what is on disk afterwards.

Issue "QuizWidget" point 6 and issue "Resume" point 4. The scenarios live in kernel_scenarios.py (also used
by the fault suite's table); these tests assert on the rows they return.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import kernel_scenarios as ks
import pytest

from quiz_widgets.store.labels import session_state

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(180)]

ANSWERS = 3
NO_FLAGS = {"completed": False, "auto_saved": False, "emergency_saved": False, "quit_by_user": False}
EMERGENCY = {"completed": False, "auto_saved": True, "emergency_saved": True, "quit_by_user": False}


class KernelSurvivedSigterm(AssertionError):
    pass


def assert_clean_file(row: dict[str, Any]) -> None:
    """The file parses, is the only session file, and no temp file is left beside it."""
    assert row["file_parses"], row["parse_error"]
    assert row["session_files"] == [Path(row["session_path"]).name]
    assert row["temp_files"] == []


def assert_answers(row: dict[str, Any], n: int) -> None:
    """The file holds exactly the first ``n`` answers of the plan: count, score, wrong answers."""
    exp = ks.expected_after(n)
    data = row["session"]
    assert row["answers_kept"] == n == row["answers_given"]
    assert row["answers_recorded"] == n
    assert data["quiz_mode"]["score"] == exp["score"]
    assert [w["question_id"] for w in data["quiz_mode"]["wrong_answers"]] == exp["wrong_ids"]
    assert [a["question_id"] for a in data["quiz_widgets"]["answers"]] == [
        q["id"] for q in ks.EXAM["questions"][:n]
    ]


def assert_elapsed_plausible(row: dict[str, Any]) -> None:
    # Whole seconds of a clock that ran at most as long as the quiz existed.
    assert isinstance(row["elapsed_seconds"], int)
    assert 0 <= row["elapsed_seconds"] <= row["lifetime_seconds"] + 0.001
    assert row["elapsed_seconds"] >= int(row["before"]["elapsed"]) - 1


def test_graceful_shutdown_runs_atexit_and_saves_emergency(tmp_path: Path) -> None:
    row = ks.scenario_shutdown(tmp_path, answers=ANSWERS)
    # Exit code 0: the kernel left on the shutdown request, not via the SIGTERM escalation (that gives 143).
    assert row["exited"] and row["exit_code"] == 0, row
    assert_clean_file(row)
    assert_answers(row, ANSWERS)
    assert row["flags"] == EMERGENCY
    assert row["time_to_save_ms"] is not None, "atexit wrote nothing after the shutdown began"
    assert_elapsed_plausible(row)
    # JupyterLab's Shut Down is no emergency: the Previous Sessions list and the CLI say what happened.
    assert session_state(row["session"]) == "saved at shutdown"


def test_restart_saves_then_resume_continues_the_same_file(tmp_path: Path) -> None:
    row = ks.scenario_restart(tmp_path, answers=ANSWERS, more=2)
    assert row["exited"] and row["old_exit_code"] == 0, row
    assert row["new_pid"] != row["before"]["pid"]  # really a new process
    # Right after the restart: the old kernel's atexit save.
    assert_clean_file(row)
    assert_answers(row, ANSWERS)
    assert row["flags"] == EMERGENCY
    assert row["time_to_save_ms"] is not None
    assert_elapsed_plausible(row)

    # In the new kernel: every answer is back, the quiz owns the file and goes on.
    resumed, exp = row["resumed"], ks.expected_after(ANSWERS)
    for key in ("total_answered", "score", "wrong_ids", "current_id"):
        assert resumed[key] == exp[key], key
    assert resumed["path"] == row["session_path"]
    assert not resumed["read_only"] and resumed["last_error"] is None

    after = row["after_more"]
    after["answers_given"] = ANSWERS + 2
    assert after["session_path"] == row["session_path"]
    assert_clean_file(after)  # the same file grew; no second session file
    assert_answers(after, ANSWERS + 2)
    assert after["flags"] == NO_FLAGS  # written by the last answer's save
    assert after["elapsed_seconds"] >= row["elapsed_seconds"]


def test_sigterm_handler_saves_and_the_kernel_exits(tmp_path: Path) -> None:
    row = ks.scenario_sigterm(tmp_path, answers=ANSWERS)
    assert row["before"]["sigterm"].startswith("quiz_widgets.kernel.lifecycle."), row["before"]["sigterm"]
    # 143 = sys.exit(128 + SIGTERM) from our handler (a normal exit: atexit ran). -15 is accepted too, for
    # a handler that saves, then re-raises the default action; without our handler the file would not carry
    # emergency_saved (checked below), so -15 alone never passes.
    assert row["exited"] and row["exit_code"] in (143, -15), row
    assert_clean_file(row)
    assert_answers(row, ANSWERS)
    assert row["flags"] == EMERGENCY
    assert row["time_to_save_ms"] is not None
    assert_elapsed_plausible(row)
    # The server's SIGTERM when it stops is a normal stop for the learner too.
    assert session_state(row["session"]) == "saved at shutdown"


def test_sigterm_while_a_cell_runs_saves_and_the_kernel_exits(tmp_path: Path) -> None:
    row = ks.scenario_sigterm_busy(tmp_path, answers=ANSWERS, wait=6.0)
    # The save itself works either way: these must hold now.
    assert_clean_file(row)
    assert_answers(row, ANSWERS)
    assert row["flags"] == EMERGENCY
    assert row["time_to_save_ms"] is not None
    if not row["exited"]:
        raise KernelSurvivedSigterm(f"kernel still alive 6 s after SIGTERM; the cell saw {row['cell_error']}")
    assert row["exit_code"] in (143, -15)


def test_sigterm_while_the_lock_registry_is_held_saves_and_exits(tmp_path: Path) -> None:
    # The handler runs in the thread that holds the lock (the main thread, inside SessionLock.acquire):
    # a handler that takes that lock again waits for itself forever and the kernel never ends.
    row = ks.scenario_sigterm_registry_locked(tmp_path, answers=ANSWERS, wait=10.0)
    assert row["exited"], "kernel still alive 10 s after SIGTERM: the handler is stuck on a lock"
    assert row["exit_code"] in (143, -15), row
    assert_clean_file(row)
    assert_answers(row, ANSWERS)
    assert row["flags"] == EMERGENCY
    assert row["time_to_save_ms"] is not None
    assert_elapsed_plausible(row)


def test_sigkill_keeps_every_acknowledged_answer(tmp_path: Path) -> None:
    row = ks.scenario_sigkill(tmp_path, answers=ANSWERS)
    assert row["exit_code"] == -9
    assert_clean_file(row)
    assert_answers(row, ANSWERS)  # answers_kept == answers_given: saved before acknowledged
    assert row["time_to_save_ms"] is None  # nothing ran at exit
    assert row["flags"] == NO_FLAGS  # what the last answer's save wrote (no heartbeat in 30 s)
    assert_elapsed_plausible(row)


def test_interrupt_stops_the_cell_and_the_quiz_goes_on(tmp_path: Path) -> None:
    row = ks.scenario_interrupt(tmp_path, answers=ANSWERS, more=2)
    assert row["cell_error"] == "KeyboardInterrupt"
    assert row["alive"]
    assert row["time_to_save_ms"] is None  # an interrupt saves nothing (and needs nothing saved)

    mid, exp = row["after_interrupt"], ks.expected_after(ANSWERS)
    for key in ("total_answered", "score", "wrong_ids", "current_id"):
        assert mid[key] == exp[key], key
    assert mid["phase"] == "question" and mid["clock_running"]
    assert mid["heartbeat"] is True  # the autosave task survived the KeyboardInterrupt
    assert not mid["sigint"].startswith("quiz_widgets"), mid["sigint"]

    assert_clean_file(row)
    assert_answers(row, ANSWERS + 2)
    assert row["flags"] == NO_FLAGS
    assert_elapsed_plausible(row)


def test_heartbeat_saves_while_the_kernel_is_idle(tmp_path: Path) -> None:
    row = ks.scenario_heartbeat(tmp_path, autosave_interval=1.0, idle_seconds=2.5)
    assert row["before"]["heartbeat"] is True
    assert row["exit_code"] == -9
    assert_clean_file(row)
    assert row["answers_kept"] == 1 == row["answers_given"]
    assert row["time_to_save_ms"] is None  # SIGKILL: what is there, the heartbeat wrote before
    assert row["elapsed_seconds"] >= 2, row["elapsed_seconds"]
    assert row["flags"] == {
        "completed": False,
        "auto_saved": True,
        "emergency_saved": False,
        "quit_by_user": False,
    }
    assert_elapsed_plausible(row)


def test_resume_after_sigkill_brings_every_answer_back(tmp_path: Path) -> None:
    out = ks.scenario_resume_after_sigkill(tmp_path, answers=4)
    killed, resumed = out["killed"], out["resumed"]
    exp = ks.expected_after(4)
    for key in ("total_answered", "score", "wrong_ids", "current_id"):
        assert killed[key] == exp[key], key
        assert resumed[key] == killed[key], key
    assert resumed["wrong_answers"] == killed["wrong_answers"]
    assert resumed["path"] == killed["path"]
    assert resumed["phase"] == "question" and not resumed["read_only"]
    assert resumed["elapsed"] >= int(killed["elapsed"])
    assert out["disk"]["file_parses"] and out["disk"]["temp_files"] == []
    assert out["disk"]["session_files"] == [Path(killed["path"]).name]


def test_a_widget_superseded_in_the_same_kernel_refuses_answers(kernel) -> None:
    # Issue 8 item 1, as reported: resume the session in a second widget, answer in the first.
    exam = ks.write_exam(kernel.cwd)
    res = kernel.execute(
        "import json\n"
        "from quiz_widgets import QuizWidget, SessionError\n"
        f"old = QuizWidget({str(exam)!r}, base_dir={str(kernel.cwd)!r}, autosave_interval=0)\n"
        "old.answer('C'); old.next()\n"
        "new = QuizWidget.resume(old.session_path, autosave_interval=0)\n"
        "try:\n"
        "    old.answer(['A', 'C'])\n"
        "    refused = None\n"
        "except SessionError as exc:\n"
        "    refused = str(exc)\n"
        "try:\n"
        "    saved = str(old.save())\n"
        "except SessionError as exc:\n"
        "    saved = 'refused: ' + str(exc)\n"
        "on_disk = json.load(open(old.session_path))['quiz_mode']['total_answered']\n"
        "print(json.dumps({'refused': refused, 'saved': saved, 'old_answered': old.total_answered,\n"
        "                  'on_disk': on_disk, 'new_id': new.model_id[:8], 'warning': old.warning}))\n"
    )
    seen = json.loads(res.stdout.strip().splitlines()[-1])
    assert seen["refused"] is not None and "newer" in seen["refused"], seen
    assert seen["saved"].startswith("refused: "), seen
    assert seen["old_answered"] == 1 == seen["on_disk"], seen
    assert "newer" in seen["warning"] and seen["new_id"] not in seen["warning"], seen
    later = kernel.execute("new.answer(['A', 'C']); print(json.load(open(new.session_path))['quiz_mode'])")
    assert '"total_answered": 2' in later.stdout.replace("'", '"'), later.stdout


def test_creating_a_widget_leaves_sigint_alone(kernel) -> None:
    exam = ks.write_exam(kernel.cwd)
    res = kernel.execute(
        "import json, signal\n"
        "from quiz_widgets import QuizWidget\n"
        "def _name(h):\n"
        "    return f\"{getattr(h, '__module__', '?')}.{getattr(h, '__qualname__', repr(h))}\" "
        "if callable(h) else repr(h)\n"
        "before = signal.getsignal(signal.SIGINT)\n"
        "term_before = signal.getsignal(signal.SIGTERM)\n"
        f"quiz = QuizWidget({str(exam)!r}, base_dir={str(kernel.cwd)!r}, autosave_interval=0)\n"
        "after = signal.getsignal(signal.SIGINT)\n"
        "print(json.dumps({'same': after is before, 'before': _name(before), 'after': _name(after),\n"
        "                  'term_before': _name(term_before),\n"
        "                  'term_after': _name(signal.getsignal(signal.SIGTERM))}))\n"
    )
    seen = json.loads(res.stdout.strip().splitlines()[-1])
    assert seen["same"], seen
    assert not seen["after"].startswith("quiz_widgets"), seen
    # SIGTERM is ours (chained), SIGINT is whatever ipykernel had: its default KeyboardInterrupt handler.
    assert "SIG_DFL" in seen["term_before"], seen
    assert seen["term_after"].startswith("quiz_widgets.kernel.lifecycle."), seen
    # And in a later cell (ipykernel re-arms SIGINT around each message) it is still not ours.
    later = kernel.execute(
        "h = signal.getsignal(signal.SIGINT)\nprint(_name(h), h is before)\n"
    ).stdout.split()
    assert not later[0].startswith("quiz_widgets"), later

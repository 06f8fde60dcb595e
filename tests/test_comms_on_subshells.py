"""Page messages that arrive on a kernel subshell (JupyterLab 4.4+ with ipykernel 7) in a real kernel.

JupyterLab sends widget messages to a subshell, which ipykernel handles in a thread of its own while a cell
runs in the main thread. These tests do what JupyterLab does, with jupyter_client: create a subshell on the
control channel and send the quiz's page messages there while a cell is running.
"""

from __future__ import annotations

import time

import pytest
from kernel_utils import RunningKernel

pytestmark = pytest.mark.kernel

QUESTIONS = "[{'question': '2 + 2?', 'type': 'numeric', 'answer': 4}, {'question': '3 + 3?', 'type': 'numeric', 'answer': 6}]"


def create_subshell(kernel: RunningKernel) -> str:
    kc = kernel.kc
    info = kc.kernel_info(reply=True, timeout=30)["content"]
    # The kernel these tests run is this venv's ipykernel (7 or later): without subshells they would
    # test nothing, so that is a failure, not a skip.
    assert "kernel subshells" in info.get("supported_features", []), info
    msg = kc.session.msg("create_subshell_request", {})
    kc.control_channel.send(msg)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        reply = kc.control_channel.get_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            assert reply["content"]["status"] == "ok", reply["content"]
            return reply["content"]["subshell_id"]
    raise AssertionError("no create_subshell_reply")


def route_page_messages_to(kernel: RunningKernel, comm_id: str, subshell_id: str) -> None:
    """Make the kernel hand this comm's messages to the subshell, as it does in JupyterLab.

    ipykernel routes a comm message to the subshell that sent the comm's last message it answered, not
    to the one the message names: a first message, answered while the kernel is idle, sets that.
    """
    send_page_message(
        kernel,
        comm_id,
        {"type": "visibility", "visible": False, "view": "warm-up", "request": "warm-up-1"},
        subshell_id,
    )
    time.sleep(1.0)


def send_page_message(kernel: RunningKernel, comm_id: str, content: dict, subshell_id: str) -> None:
    kc = kernel.kc
    msg = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}})
    msg["header"]["subshell_id"] = subshell_id
    kc.shell_channel.send(msg)


def quiz_talking_on_a_subshell(kernel: RunningKernel, name: str, code: str = "") -> tuple[str, str]:
    """Make quiz ``name`` (then run ``code``) and a subshell its page messages go to: (model id, subshell)."""
    model_id = kernel.execute(
        "from quiz_widgets import QuizWidget\n"
        f"{name} = QuizWidget.from_questions({QUESTIONS}, title={name!r})\n"
        f"{code}\n"
        f"print({name}.model_id)"
    ).stdout.strip()
    subshell = create_subshell(kernel)
    route_page_messages_to(kernel, model_id, subshell)
    return model_id, subshell


def test_a_page_message_on_a_subshell_never_changes_the_quiz_under_a_running_cell(kernel: RunningKernel):
    model_id, subshell = quiz_talking_on_a_subshell(kernel, "quiz")
    running = kernel.execute_async(
        "import time\nbefore = quiz.total_answered\ntime.sleep(2.5)\nprint(before, quiz.total_answered)"
    )
    time.sleep(0.5)  # the cell is sleeping now
    send_page_message(kernel, model_id, {"type": "answer", "value": 4, "request": "page-1"}, subshell)
    cell = kernel.collect(running, timeout=30)
    # The cell saw the quiz as it was when it started: the answer waited for the cell to end.
    assert cell.stdout.split() == ["0", "0"], cell.stdout
    # It was handled then, not lost: the page got its reply, and the file has the answer.
    out = kernel.execute(
        "import time\n"
        "for _ in range(100):\n"
        "    if quiz.total_answered: break\n"
        "    time.sleep(0.05)\n"
        "import json\n"
        "print(quiz.total_answered, quiz.score, json.load(open(quiz.session_path))['quiz_mode']['total_answered'])"
    ).stdout.split()
    assert out == ["1", "1", "1"], out


def test_rerunning_a_quiz_cell_while_the_old_view_reports_on_a_subshell_keeps_one_writer(
    kernel: RunningKernel,
):
    # The CI failure this comes from: a notebook re-run made a new widget continue the session while the
    # old view, its output cleared, sent "visibility" and "closing" on a subshell; both writers ended up
    # closed and the new one read-only. Here the old view keeps talking while the new widget is made.
    model_id, subshell = quiz_talking_on_a_subshell(kernel, "old", "old.answer(4)")
    running = kernel.execute_async(
        "from quiz_widgets.store import manager as _manager\n"
        "_save = _manager.SessionManager.save_session\n"
        "def _slow_save(self, *args, **kwargs):\n"
        "    time.sleep(0.05)\n"
        "    return _save(self, *args, **kwargs)\n"
        "import time\n"
        "_manager.SessionManager.save_session = _slow_save\n"
        "time.sleep(0.3)\n"
        f"new = QuizWidget.from_questions({QUESTIONS}, title='old')\n"
        "_manager.SessionManager.save_session = _save\n"
        "print(new.continued != '', new.read_only, old.session_path == new.session_path)"
    )
    for n in range(40):
        send_page_message(
            kernel, model_id, {"type": "visibility", "visible": n % 2 == 0, "view": "old-view"}, subshell
        )
        send_page_message(kernel, model_id, {"type": "closing", "view": "old-view"}, subshell)
        time.sleep(0.02)
    cell = kernel.collect(running, timeout=60)
    assert cell.stdout.split() == ["True", "False", "True"], cell.stdout
    out = kernel.execute(
        "time.sleep(0.5)\nnew.answer(6)\nprint(new.read_only, new.total_answered, new.score)"
    )
    assert out.stdout.split() == ["False", "2", "2"], out.stdout

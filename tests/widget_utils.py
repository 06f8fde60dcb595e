"""Drive a widget as a front end would, without a browser.

A recording comm stands in for the kernel's comm: it keeps what the kernel would send to the page, and
`page_message` / `page_update` feed the widget exactly the messages the page sends.
"""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

import comm as comm_module
import pytest
from comm.base_comm import BaseComm

from quiz_widgets.kernel.controller import VIEW_TRAITS


class RecordingComm(BaseComm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sent: list[dict[str, Any]] = []
        super().__init__(*args, **kwargs)

    def publish_msg(
        self, msg_type: str, data: Any = None, metadata: Any = None, buffers: Any = None, **keys: Any
    ):
        self.sent.append({"msg_type": msg_type, "data": data})

    def states_sent(self) -> list[dict[str, Any]]:
        """Every state the kernel sent: the comm's opening state and each update."""
        return [m["data"]["state"] for m in self.sent if isinstance(m["data"], dict) and "state" in m["data"]]


@pytest.fixture
def recording_comms(monkeypatch: pytest.MonkeyPatch) -> list[RecordingComm]:
    """Every widget created in the test gets a RecordingComm; the list holds them in creation order."""
    made: list[RecordingComm] = []

    def create(*args: Any, **kwargs: Any) -> RecordingComm:
        c = RecordingComm(*args, **kwargs)
        made.append(c)
        return c

    monkeypatch.setattr(comm_module, "create_comm", create)
    import ipywidgets.widgets.widget as widget_module

    monkeypatch.setattr(widget_module.comm, "create_comm", create)
    return made


def page_message(widget: Any, content: Any) -> None:
    """A custom message from the page (model.send in the ES module)."""
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def page_update(widget: Any, state: dict[str, Any]) -> None:
    """A state update from the page (model.set + save_changes)."""
    widget._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


# What the page sees; elapsed is left out because it moves with the clock.
SYNCED = tuple(name for name in VIEW_TRAITS if name != "elapsed")


def view_state(widget: Any) -> dict[str, Any]:
    """The synced state the page sees (elapsed left out: it moves with the clock)."""
    return {name: getattr(widget, name) for name in SYNCED}


@contextlib.contextmanager
def our_warnings_are_errors():
    """Every warning an error, except the traitlets deprecation ipywidgets 8.1's add_traits raises at the
    lowest versions we support: the tests using this catch the quiz's own warnings, not the libraries'."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message="Deprecated in traitlets", category=DeprecationWarning)
        yield

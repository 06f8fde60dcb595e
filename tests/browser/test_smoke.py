"""End-to-end proof of the browser infrastructure, without quiz_widgets: JupyterLab + Chromium +
a tiny inline anywidget whose button sends a message the kernel answers through a synced trait."""

from __future__ import annotations

import pytest

from .lab_utils import (
    execute_in_kernel,
    open_notebook,
    output_locator,
    restart_kernel,
    run_all,
    save_notebook,
    set_theme,
    write_notebook,
)

pytestmark = pytest.mark.browser

ECHO_WIDGET = '''
import os

import anywidget
import traitlets


class Echo(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const button = document.createElement("button");
      button.className = "qw-smoke-button";
      button.textContent = "ping";
      button.addEventListener("click", () => model.send({ type: "ping", n: model.get("count") }));
      const reply = document.createElement("span");
      reply.className = "qw-smoke-reply";
      const show = () => { reply.textContent = model.get("reply"); };
      model.on("change:reply", show);
      show();
      el.append(button, reply);
    }
    export default { render };
    """
    reply = traitlets.Unicode("waiting").tag(sync=True)
    count = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._on_page_message)

    def _on_page_message(self, widget, content, buffers):
        if content.get("type") == "ping":
            with self.hold_sync():
                self.count = content["n"] + 1
                self.reply = f"pong {self.count} from kernel {os.getpid()}"


echo = Echo()
echo
'''


def test_anywidget_round_trip(page, lab, lab_dir):
    write_notebook(lab_dir.path / "smoke.ipynb", [ECHO_WIDGET])
    open_notebook(page, lab, lab_dir.lab_path("smoke.ipynb"))
    run_all(page)

    reply = output_locator(page, ".qw-smoke-reply")
    reply.wait_for()
    assert reply.inner_text() == "waiting"
    pid = execute_in_kernel(page, "import os; print(os.getpid())")["stdout"].strip()

    output_locator(page, "button.qw-smoke-button").click()
    page.wait_for_function(
        "(pid) => document.querySelector('.jp-OutputArea-output .qw-smoke-reply')"
        ".textContent === `pong 1 from kernel ${pid}`",
        arg=pid,
    )
    output_locator(page, "button.qw-smoke-button").click()
    page.wait_for_function(
        "() => document.querySelector('.jp-OutputArea-output .qw-smoke-reply').textContent.startsWith('pong 2')"
    )
    # The kernel holds the same state the page shows.
    assert execute_in_kernel(page, "echo.count")["result"] == "2"


def test_lab_helpers(page, lab, lab_dir):
    """save_notebook, set_theme and restart_kernel do what the widget tests rely on."""
    write_notebook(lab_dir.path / "helpers.ipynb", ["x = 41\nprint(x + 1)"])
    open_notebook(page, lab, lab_dir.lab_path("helpers.ipynb"))
    run_all(page)
    assert output_locator(page).first.inner_text().strip() == "42"

    save_notebook(page)
    import json

    saved = json.loads((lab_dir.path / "helpers.ipynb").read_text())
    assert saved["cells"][0]["outputs"][0]["text"] in ("42\n", ["42\n"])

    set_theme(page, "dark")
    assert page.evaluate("() => document.body.dataset.jpThemeLight") == "false"
    set_theme(page, "light")

    pid_before = execute_in_kernel(page, "import os; print(os.getpid())")["stdout"]
    restart_kernel(page)
    pid_after = execute_in_kernel(page, "import os; print(os.getpid())")["stdout"]
    assert pid_before != pid_after
    assert execute_in_kernel(page, "'x' in globals()")["result"] == "False"

    with pytest.raises(AssertionError, match="ZeroDivisionError"):
        execute_in_kernel(page, "1/0")

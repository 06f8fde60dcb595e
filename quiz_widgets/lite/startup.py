"""The site's kernel imports what a quiz needs once it has started, before the learner runs a cell.

In Pyodide every import runs in the page's kernel at the learner's first quiz cell: ipywidgets, anywidget,
the widget and the rich-text sanitizer took most of that cell's 1-3 s after a ready kernel. The kernel is
idle long before a learner gets to that cell (reading the notebook, or waiting for the page to draw), so a
site built here imports them then, in the background.

How: a small wheel the kernel loads at start (it is in the site's preload list) holds IPython's system
config, ``/etc/ipython/ipython_config.py`` (Pyodide installs a wheel's data files under ``sys.prefix``,
``/``, and the kernel's IPython reads its config there). Its one ``exec_lines`` entry schedules the imports
on the kernel's event loop, one module per turn, and returns: the kernel reports ready as soon as without
it, and a message that arrives meanwhile (the learner's first cell) waits for one import at most, not for
all of them. A failed import is left for the learner's own cell to report. Only the site's kernel gets this
wheel: a pip install of quiz_widgets never touches an environment's IPython config.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from pathlib import Path

NAME = "quiz-widgets-lite-startup"
# What the first quiz cell imports in a site (profiled in a built site, Chromium): the widget and its
# libraries, the rich-text path (justhtml is the sanitizer there), and what reading an exam file looks up
# (the BOM-aware codec, the jupyterquiz check, YAML for .yaml exams).
WARM_IMPORTS = (
    "ipywidgets",
    "anywidget",
    "quiz_widgets.ui.quiz_widget",
    "quiz_widgets.richtext.markdown",
    "quiz_widgets.richtext.pure",
    "encodings.utf_8_sig",
    "quiz_widgets.exam.formats.jupyterquiz",
    "yaml",
)
CONFIG_PATH = "etc/ipython/ipython_config.py"

# Runs in the learner's namespace at kernel start: it leaves no name behind.
_EXEC_LINE = (
    "def _qw_warm(names):\n"
    "    import asyncio, importlib\n"
    "    def step():\n"
    "        if names:\n"
    "            try:\n"
    "                importlib.import_module(names.pop(0))\n"
    "            except Exception:\n"
    "                pass  # the learner's own import says what is wrong\n"
    "            loop.call_soon(step)\n"
    "    loop = asyncio.get_event_loop()\n"
    "    loop.call_soon(step)\n"
    "_qw_warm({names!r})\n"
    "del _qw_warm\n"
)


def config_text(names: tuple[str, ...] = WARM_IMPORTS) -> str:
    """The ipython_config.py the site's kernel reads at start."""
    line = _EXEC_LINE.format(names=list(names))
    return (
        "# Written by quiz-widgets lite build: imports what a quiz needs once the kernel is up (see\n"
        "# quiz_widgets/lite/startup.py).\n"
        f"c.InteractiveShellApp.exec_lines.append({line!r})\n"
    )


def _record_row(name: str, data: bytes) -> list[str]:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return [name, f"sha256={digest}", str(len(data))]


def startup_wheel(folder: Path, version: str, requires: str) -> Path:
    """Write the startup wheel (version ``version``, needing ``requires``) into ``folder``; its path."""
    stem = f"{NAME.replace('-', '_')}-{version}"
    files = {
        f"{stem}.data/data/{CONFIG_PATH}": config_text().encode("utf-8"),
        f"{stem}.dist-info/METADATA": (
            f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {version}\nRequires-Dist: {requires}\n"
            "Summary: A JupyterLite site's kernel imports quiz_widgets' modules once it has started\n"
        ).encode(),
        f"{stem}.dist-info/WHEEL": (
            b"Wheel-Version: 1.0\nGenerator: quiz-widgets lite build\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        ),
    }
    record = f"{stem}.dist-info/RECORD"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [*(_record_row(n, d) for n, d in files.items()), [record, "", ""]]
    )
    files[record] = out.getvalue().encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            # A fixed date: the same build gives the same bytes (and the lock the same hash).
            zf.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
    return path

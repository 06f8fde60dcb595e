"""The startup wheel of a Lite site (quiz_widgets/lite/startup.py): IPython's system config, shipped as a
wheel's data file, whose exec line imports what a quiz needs on the kernel's event loop, one module a turn.

Here in CPython: the wheel's shape (what Pyodide installs under sys.prefix) and what its config does in a
fresh interpreter. In a built site: tests/lite/test_lite_site_browser.py.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from quiz_widgets.lite.startup import CONFIG_PATH, NAME, WARM_IMPORTS, startup_wheel
from quiz_widgets.lite.wheels import pyodide_markers, read_wheel


def _exec_lines(wheel: Path, tmp_path: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        (config,) = [n for n in zf.namelist() if n.endswith(CONFIG_PATH)]
        # Pyodide installs <name>.data/data/* under sys.prefix ("/"), where IPython reads its system config.
        assert config.split("/", 2)[1:] == ["data", CONFIG_PATH]
        (tmp_path / "ipython_config.py").write_bytes(zf.read(config))
    loaded = PyFileConfigLoader("ipython_config.py", path=str(tmp_path)).load_config()
    return list(loaded.InteractiveShellApp.exec_lines.get_value([]))


def test_the_startup_wheel_needs_quiz_widgets_and_holds_ipythons_system_config(tmp_path: Path) -> None:
    wheel = startup_wheel(tmp_path / "out", "1.2.3", "quiz-widgets==1.2.3")
    found = read_wheel(wheel, pyodide_markers("3.14.2"))
    assert (found.name, found.version) == (NAME, "1.2.3")
    assert [str(r) for r in found.requires] == ["quiz-widgets==1.2.3"]
    assert found.imports == ()  # nothing to import: only the config file
    with zipfile.ZipFile(wheel) as zf:
        assert zf.testzip() is None
        record = zf.read("quiz_widgets_lite_startup-1.2.3.dist-info/RECORD").decode()
        assert {row.split(",")[0] for row in record.splitlines()} == set(zf.namelist())
    # The same build gives the same bytes (the site's lock names its hash).
    again = startup_wheel(tmp_path / "again", "1.2.3", "quiz-widgets==1.2.3")
    assert again.read_bytes() == wheel.read_bytes()
    assert len(_exec_lines(wheel, tmp_path)) == 1


# Runs the exec line as the kernel does: in the learner's namespace, while the event loop runs; then lets
# the loop turn. Reports what was imported before and after the turns, and what names the namespace kept.
_KERNEL = r"""
import asyncio, json, sys
line, names = json.loads(sys.argv[1])

async def kernel():
    namespace = {}
    exec(line, namespace)
    before = [n for n in names if n in sys.modules]
    for _ in range(len(names) + 1):
        await asyncio.sleep(0)
    after = [n for n in names if n in sys.modules]
    return before, after, sorted(k for k in namespace if k != "__builtins__")

print(json.dumps(asyncio.run(kernel())))
"""


def test_its_exec_line_imports_the_quiz_modules_a_turn_at_a_time_and_leaves_no_name(tmp_path: Path) -> None:
    (line,) = _exec_lines(startup_wheel(tmp_path, "0.1.0", "quiz-widgets==0.1.0"), tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", _KERNEL, json.dumps([line, list(WARM_IMPORTS)])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    before, after, names = json.loads(proc.stdout)
    # Nothing while the kernel starts (it reports ready as soon as without it); everything after.
    assert before == []
    assert after == list(WARM_IMPORTS)
    assert names == []

"""The views' ES modules as anywidget gets them: joined in Python from small parts under ui/static/.

No bundler: quiz_widgets/ui/assets.py joins the parts into one module string per widget. These checks keep
that honest: each part stays small, every part is used, only the entry exports, the joined modules parse
as ES modules (node --check, which also rejects two parts declaring one top-level name) and load with no
side effect, and the parts both views share are in each widget's module exactly once. Every anywidget in
quiz_widgets.ui is found by import, so a new view's module is checked without being listed here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import subprocess
from pathlib import Path

import anywidget
import pytest
from run_flags import flag, missing

import quiz_widgets.ui
from quiz_widgets.ui.assets import KIND_PARTS, SHARED_PARTS, STATIC, esm
from quiz_widgets.ui.quiz_widget import QuizWidget
from quiz_widgets.ui.session_list import SessionListView

MAX_PART_LINES = 600
MODULE_SYNTAX = re.compile(r"^\s*(import|export)\b", re.MULTILINE)
PART_MARK = re.compile(r"^// ---- (\S+) ----$", re.MULTILINE)  # esm() names each part it joins


def _widgets() -> dict[str, tuple[type, tuple[str, ...]]]:
    """Every anywidget in quiz_widgets.ui and the parts its module was joined from, in order."""
    found = {}
    for info in pkgutil.iter_modules(quiz_widgets.ui.__path__):
        module = importlib.import_module(f"quiz_widgets.ui.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, anywidget.AnyWidget)
                and obj.__module__ == module.__name__
            ):
                found[obj.__name__] = (obj, tuple(PART_MARK.findall(str(obj._esm))))
    return found


WIDGETS = _widgets()


def node() -> str:
    path = shutil.which("node")
    if path is None:
        missing("node is not installed", required=flag("CI"), flag_name="CI=true")
    return path


def node_check(source: str, tmp_path: Path) -> subprocess.CompletedProcess:
    module = tmp_path / "joined.mjs"
    module.write_text(source, encoding="utf-8")
    return subprocess.run([node(), "--check", str(module)], capture_output=True, text=True, timeout=60)


def test_every_part_is_small_and_used():
    assert {"QuizWidget", "SessionListView"} <= set(WIDGETS)
    parts = sorted(p.name for p in STATIC.glob("*.js"))
    used = {part for _, widget_parts in WIDGETS.values() for part in widget_parts}
    assert set(parts) == used, f"files under ui/static/ no widget joins: {set(parts) - used}"
    for name in parts:
        lines = len((STATIC / name).read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_PART_LINES, f"ui/static/{name} has {lines} lines (at most {MAX_PART_LINES})"


@pytest.mark.parametrize("name", WIDGETS)
def test_only_the_entry_part_exports(name):
    _, parts = WIDGETS[name]
    *declarations, entry = parts
    for part in declarations:
        found = MODULE_SYNTAX.findall((STATIC / part).read_text(encoding="utf-8"))
        assert not found, f"{part} is joined before the entry: it must not import or export ({found})"
    entry_text = (STATIC / entry).read_text(encoding="utf-8")
    assert MODULE_SYNTAX.findall(entry_text) == ["export"], f"{entry} must export once and import nothing"
    assert entry_text.rstrip().endswith("export default { render };")


@pytest.mark.parametrize("name", WIDGETS)
def test_the_widgets_module_is_the_joined_parts_and_parses(name, tmp_path):
    widget, parts = WIDGETS[name]
    source = str(widget._esm)
    assert parts and source == esm(*parts), f"{name}._esm is not esm() of its parts {parts}"
    proc = node_check(source, tmp_path)
    assert proc.returncode == 0, f"{name}._esm is not a valid ES module:\n{proc.stderr}"


def test_the_parse_check_catches_a_name_declared_twice(tmp_path):
    # Two parts with one top-level name must fail the check above, or it proves nothing.
    proc = node_check(esm("dom.js", "dom.js", "browser.js"), tmp_path)
    assert proc.returncode != 0
    assert "has already been declared" in proc.stderr


@pytest.mark.parametrize("name", WIDGETS)
def test_the_module_loads_without_a_page_and_exports_render(name, tmp_path):
    # Parts hold declarations only: evaluating the module touches no DOM (node has none) and runs nothing.
    widget, _ = WIDGETS[name]
    module = tmp_path / "joined.mjs"
    module.write_text(str(widget._esm), encoding="utf-8")
    probe = (
        f"const m = await import({module.as_uri()!r});"
        "const keys = Object.keys(m).join(',');"
        "if (keys !== 'default' || Object.keys(m.default).join(',') !== 'render'"
        " || typeof m.default.render !== 'function') { console.error('exports: ' + keys); process.exit(3); }"
    )
    proc = subprocess.run(
        [node(), "--input-type=module", "-e", probe], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_both_widgets_hold_the_shared_parts_once():
    quiz, listing = str(QuizWidget._esm), str(SessionListView._esm)
    for part in SHARED_PARTS:
        text = (STATIC / part).read_text(encoding="utf-8")
        assert quiz.count(text) == 1, f"QuizWidget._esm holds {part} {quiz.count(text)} times"
        assert listing.count(text) == 1, f"SessionListView._esm holds {part} {listing.count(text)} times"
    for source in (quiz, listing):
        for declaration in (
            "function h(",
            "function button(",
            "function pageProtocol(",
            "const PENDING_TIMEOUT_MS",
            "function handsOn(",  # which keys reach JupyterLab: one rule for both views
        ):
            assert source.count(declaration) == 1, declaration
    # The quiz does not ship the list; the browser draws the quiz in its own view (one anywidget, as
    # marimo needs), so it ships the quiz's parts, once.
    assert listing.count("function quizKeydown(") == 1 and listing.count("function renderQuiz(") == 1
    assert "STATE_CLASS" not in quiz


def test_the_quiz_view_watches_every_trait_the_kernel_fills():
    # quiz.js cannot import kernel/controller.py's VIEW_TRAITS, so its own list is checked against it here:
    # a trait the kernel fills but the page does not watch would never be drawn.
    import re

    from quiz_widgets.kernel.controller import VIEW_TRAITS

    source = (STATIC / "quiz.js").read_text(encoding="utf-8")
    match = re.search(r"const TRAITS = \[(.*?)\];", source, flags=re.S)
    assert match, "quiz.js has no `const TRAITS = [...]` list"
    watched = set(re.findall(r'"([a-z_]+)"', match.group(1)))
    assert set(VIEW_TRAITS) <= watched, sorted(set(VIEW_TRAITS) - watched)


def test_every_kind_of_question_has_a_page_part():
    # A kind registered in exam/kinds/ without a view would show an empty question (docs/architecture.md,
    # "Adding a kind"); KIND_VIEWS in question_view.js names each kind's part.
    from quiz_widgets.exam import kinds

    source = (STATIC / "question_view.js").read_text(encoding="utf-8")
    block = source[source.index("const KIND_VIEWS = {") :].split("};", 1)[0]
    named = set(re.findall(r"^\s+(\w+): (\w+),$", block, re.M))
    assert {name for name, _ in named} == set(kinds.KINDS)
    for _, view in named:
        assert any(f"const {view} = {{" in (STATIC / part).read_text(encoding="utf-8") for part in KIND_PARTS)

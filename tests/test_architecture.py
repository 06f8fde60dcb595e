"""The package's shape: no import cycles, and each layer imports only the layers below it.

The graph is read from the source (every import statement, function-level ones included), so a cycle
broken up with an import inside a function still counts. Imports under ``if TYPE_CHECKING:`` are left
out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quiz_widgets"

# What each subpackage may import from quiz_widgets (besides itself). The rule of docs/architecture.md:
# exam <- quiz <- kernel <- ui; store, richtext and formats import only errors; teaching sits beside kernel.
LAYERS: dict[str, set[str]] = {
    "errors": set(),
    "i18n": set(),  # the message catalogues (stdlib gettext): any layer may show a learner words
    "nesting": {"errors"},
    "store": {"errors", "nesting", "i18n"},
    "richtext": {"errors"},
    "exam": {"errors", "nesting", "richtext", "i18n"},
    "quiz": {"errors", "exam", "store", "richtext"},
    "teaching": {"errors", "exam", "quiz", "store", "i18n"},
    "review": {"errors", "exam", "quiz", "store", "teaching"},  # the review deck, beside kernel
    "kernel": {"errors", "exam", "quiz", "store", "richtext", "teaching", "i18n"},
    "ui": {"errors", "exam", "quiz", "store", "richtext", "kernel", "teaching", "review", "i18n"},
    "lite": {"", "errors"},  # "": it finds the package folder to build its wheel
    # "" is the package itself (its lazy public names): only the command line may use it.
    "cli": {"", "errors", "exam", "quiz", "store", "teaching", "lite", "convert", "i18n"},
    "magics": {"errors", "exam", "ui"},
    "convert": {"errors", "exam", "magics"},  # %%quiz cells for marimo: reads the line as magics does
}
# exam/formats/ reads other tools' files: it may use only errors and nesting.
SUBLAYERS: dict[str, set[str]] = {"exam.formats": {"errors", "nesting"}}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, modules: set[str], this: str | None = None) -> set[str]:
    """Every quiz_widgets module `path` imports when its code runs (any depth, not TYPE_CHECKING)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    this = this or module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()

    def add(name: str) -> None:
        # `from a.b import c` may name a module a.b.c or an attribute of a.b: take the longest that exists.
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name and name != this:
            found.add(name)
        # Importing a.b.c runs a/__init__ and a/b/__init__ first. The importer's own packages are
        # already under way when it runs, so only the others count (gift/__init__ importing
        # gift.reader is no cycle; formats.reading importing gift.common ran gift/__init__).
        mine = {this.rsplit(".", k)[0] for k in range(1, this.count(".") + 1)} | {this}
        while "." in name:
            name = name.rpartition(".")[0]
            if name in modules and name not in mine and name != "quiz_widgets":
                found.add(name)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("quiz_widgets"):
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            if prefix.startswith("quiz_widgets"):
                for alias in node.names:
                    add(f"{prefix}.{alias.name}")
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: imports_of(path, modules) for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a list of modules (first == last), or None. Iterative DFS: no recursion limit."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in sorted(graph):
        if state.get(root):
            continue
        stack: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        path = [root]
        state[root] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop()
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, sorted(graph.get(nxt, ()))))
    return None


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_find_cycle_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_graph_sees_function_level_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from quiz_widgets.kernel import x\n"
        "def f():\n    from quiz_widgets.exam import loading\n",
        encoding="utf-8",
    )
    modules = {"quiz_widgets.exam", "quiz_widgets.exam.loading", "quiz_widgets.kernel"}
    found = imports_of(source, modules, this="quiz_widgets.quiz.m")
    assert found == {"quiz_widgets.exam.loading", "quiz_widgets.exam"}  # exam/__init__ runs first


def test_the_graph_sees_the_packages_an_import_runs_first(tmp_path: Path) -> None:
    # formats/reading.py importing formats.gift.common ran gift/__init__, which imports gift.reader,
    # which needs reading.Reader: a cycle that only showed when reading was imported first (Pyodide).
    source = tmp_path / "reading.py"
    source.write_text("from quiz_widgets.f.gift.common import X\n", encoding="utf-8")
    modules = {
        "quiz_widgets.f",
        "quiz_widgets.f.reading",
        "quiz_widgets.f.gift",
        "quiz_widgets.f.gift.common",
    }
    found = imports_of(source, modules, this="quiz_widgets.f.reading")
    assert found == {"quiz_widgets.f.gift.common", "quiz_widgets.f.gift"}


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def allowed_imports(module: str) -> set[str] | None:
    """The layers `module` may import, by the rule above (None: a layer the rule does not know)."""
    for sub, allowed in SUBLAYERS.items():
        if module == f"quiz_widgets.{sub}" or module.startswith(f"quiz_widgets.{sub}."):
            return allowed
    return LAYERS.get(layer_of(module))


def test_each_layer_imports_only_the_layers_below() -> None:
    problems = []
    for module, targets in sorted(import_graph().items()):
        if module == "quiz_widgets":  # the package's __init__: the public names, imported lazily
            continue
        allowed = allowed_imports(module)
        if allowed is None:
            problems.append(f"{module}: its layer is not in docs/architecture.md's rule")
            continue
        sub = next((s for s in SUBLAYERS if module.startswith(f"quiz_widgets.{s}")), None)
        home = f"quiz_widgets.{sub}" if sub else f"quiz_widgets.{layer_of(module)}"
        for target in sorted(targets):
            if target == home or target.startswith(home + "."):
                continue
            if layer_of(target) not in allowed:
                problems.append(f"{module} imports {target}: it may import only {sorted(allowed)}")
    assert not problems, "\n".join(problems)


SUBPACKAGES = [
    "exam",
    "exam/formats",
    "quiz",
    "store",
    "kernel",
    "ui",
    "richtext",
    "teaching",
    "review",
    "lite",
]


@pytest.mark.parametrize("folder", SUBPACKAGES)
def test_each_subpackage_says_what_it_holds(folder: str) -> None:
    init = PACKAGE / folder / "__init__.py"
    assert init.exists(), f"quiz_widgets/{folder}/ is part of the layout in docs/architecture.md"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
    assert doc and "import" in doc.lower(), (
        f"{init}: the docstring says what lives here and what it may import"
    )


def test_only_ui_knows_widgets() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if layer_of(module_name(path)) in {"ui", "magics", ""}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] in {"anywidget", "ipywidgets"} for n in names):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert not offenders, f"widgets imported outside ui/: {sorted(set(offenders))}"


def test_the_state_never_imports_the_codec() -> None:
    """Issue 9: the codec restores a state through its public methods; state.py and the modules it is
    built from (navigation.py, timing.py, session_fields.py) never import codec.py or extension.py."""
    graph = import_graph()
    state_side = {"quiz_widgets.quiz.state"}
    todo = ["quiz_widgets.quiz.state"]
    while todo:  # everything state.py imports, directly or not
        for target in graph.get(todo.pop(), ()):
            if target not in state_side:
                state_side.add(target)
                todo.append(target)
    codec = {"quiz_widgets.quiz.codec", "quiz_widgets.quiz.extension"}
    assert not state_side & codec, f"state.py reaches {sorted(state_side & codec)}"

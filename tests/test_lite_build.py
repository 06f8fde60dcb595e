"""The site build's own logic, without downloads: contents staging and the checks that guard an output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from quiz_widgets.lite import LiteBuildError, build_site
from quiz_widgets.lite.build import BUILD_INFO, _check_site
from quiz_widgets.lite.contents import stage_contents


def _nb(path: Path, *sources: str) -> Path:
    cells = [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
        for s in sources
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}), "utf-8")
    return path


def _code(site_nb: Path) -> list[str]:
    return ["".join(c["source"]) for c in json.loads(site_nb.read_text("utf-8"))["cells"]]


def test_a_folder_reaching_beside_itself_gets_its_files_carried_along(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "data" / "exams").mkdir(parents=True)
    (course / "data" / "exams" / "week1.json").write_text("{}", "utf-8")
    (course / "data" / "sessions").mkdir()
    (course / "data" / "sessions" / "session_20240101_000000.json").write_text("{}", "utf-8")
    _nb(
        course / "notebooks" / "week1.ipynb",
        'quiz = QuizWidget("../data/exams/week1.json", base_dir="..")\n',
        "%pip install nothing\nx = '../data/exams/week1.json'\n",  # magics: not Python, left alone
        "shutil.copytree('../data', 'here')\nmissing = '../nope.json'\n",
    )
    site = tmp_path / "site"
    site.mkdir()
    notes = stage_contents([course / "notebooks"], site)
    cells = _code(site / "week1.ipynb")
    assert cells[0] == 'quiz = QuizWidget("data/exams/week1.json", base_dir=".")\n'
    assert cells[1] == "%pip install nothing\nx = '../data/exams/week1.json'\n"
    assert cells[2] == "shutil.copytree('data', 'here')\nmissing = '../nope.json'\n"
    assert (site / "data" / "exams" / "week1.json").is_file()
    # whoever ran the notebooks before keeps their sessions: never published
    assert not (site / "data" / "sessions").exists()
    assert len(notes) == 3 and all(n.startswith("week1.ipynb cell") for n in notes)
    # the source notebook is unchanged
    assert '"../data/exams/week1.json"' in _code(course / "notebooks" / "week1.ipynb")[0]


def test_two_contents_with_one_site_path_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "exam.yaml").write_text("title: a\n", "utf-8")
    (tmp_path / "b" / "exam.yaml").write_text("title: b\n", "utf-8")
    with pytest.raises(LiteBuildError, match=re.escape("exam.yaml")):
        stage_contents([tmp_path / "a", tmp_path / "b"], tmp_path / "site")


def test_missing_content_is_named(tmp_path: Path) -> None:
    with pytest.raises(LiteBuildError, match=re.escape("nowhere.ipynb")):
        stage_contents([tmp_path / "nowhere.ipynb"], tmp_path / "site")


def test_an_output_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "thesis"
    out.mkdir()
    (out / "chapter1.tex").write_text("precious", "utf-8")
    _nb(tmp_path / "nb.ipynb", "1")
    with pytest.raises(LiteBuildError, match=BUILD_INFO):
        build_site([tmp_path / "nb.ipynb"], out, cache_dir=tmp_path / "cache")
    assert (out / "chapter1.tex").read_text("utf-8") == "precious"
    assert not (tmp_path / "cache").exists()  # refused before anything was fetched


def _fake_site(root: Path, lock_file_name: str) -> Path:
    (root / "lab").mkdir(parents=True)
    (root / "static" / "pyodide").mkdir(parents=True)
    (root / "index.html").write_text("", "utf-8")
    (root / "lab" / "index.html").write_text("", "utf-8")
    (root / "static" / "pyodide" / "pyodide.mjs").write_text("", "utf-8")
    (root / "static" / "pyodide" / "a-1-py3-none-any.whl").write_text("", "utf-8")
    settings = {"pyodideUrl": "./static/pyodide/pyodide.mjs", "disablePyPIFallback": True}
    config = {
        "jupyter-config-data": {
            "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": settings}
        }
    }
    (root / "jupyter-lite.json").write_text(json.dumps(config), "utf-8")
    lock = {"info": {}, "packages": {"a": {"file_name": lock_file_name}}}
    (root / "static" / "pyodide" / "pyodide-lock.json").write_text(json.dumps(lock), "utf-8")
    return root


def test_site_check_accepts_a_local_site(tmp_path: Path) -> None:
    _check_site(_fake_site(tmp_path / "site", "a-1-py3-none-any.whl"))


def test_site_check_refuses_a_lock_naming_a_remote_host(tmp_path: Path) -> None:
    site = _fake_site(tmp_path / "site", "https://cdn.jsdelivr.net/pyodide/a-1-py3-none-any.whl")
    with pytest.raises(LiteBuildError, match=re.escape("remote host: https://cdn.jsdelivr.net")):
        _check_site(site)


def test_site_check_refuses_a_lock_entry_without_its_wheel(tmp_path: Path) -> None:
    with pytest.raises(LiteBuildError, match=re.escape("b-2-py3-none-any.whl")):
        _check_site(_fake_site(tmp_path / "site", "b-2-py3-none-any.whl"))


def test_the_lite_extra_names_every_library_the_site_build_imports() -> None:
    """``pip install "quiz_widgets[lite]"`` must be enough for ``quiz-widgets lite build``: every module
    quiz_widgets/lite imports (function-level imports too) comes from the stdlib, quiz_widgets, a base
    dependency or the lite extra."""
    import ast
    import importlib.metadata
    import sys

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")

    root = Path(__file__).resolve().parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["project"]
    declared = {
        canonicalize_name(Requirement(r).name)
        for r in [*project["dependencies"], *project["optional-dependencies"]["lite"]]
    }
    providers = importlib.metadata.packages_distributions()
    needed: dict[str, str] = {}
    for source in sorted((root / "quiz_widgets" / "lite").glob("*.py")):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("quiz_widgets", "__future__"):
                    continue
                for dist in providers.get(top, [top]):
                    needed[canonicalize_name(dist)] = f"{source.name} imports {name}"
    assert needed, "no third-party import found: the walk is broken"
    missing = {dist: why for dist, why in needed.items() if dist not in declared}
    assert not missing, f"not in the lite extra nor the dependencies: {missing}"


def test_the_site_opens_on_the_first_notebook_of_the_contents(tmp_path: Path) -> None:
    from quiz_widgets.lite.build import opening_notebook

    course = tmp_path / "course"
    _nb(course / "week2" / "a.ipynb", "1")
    _nb(course / "week1.ipynb", "1")
    _nb(course / "intro.ipynb", "1")
    _nb(tmp_path / "extra.ipynb", "1")
    site = tmp_path / "site"
    stage_contents([course, tmp_path / "extra.ipynb"], site)
    # A folder's own notebooks before its subfolders', by name; the first CONTENT with one decides.
    assert opening_notebook([course, tmp_path / "extra.ipynb"], site, None) == "intro.ipynb"
    assert opening_notebook([tmp_path / "extra.ipynb", course], site, None) == "extra.ipynb"
    assert opening_notebook([course], site, "week2/a.ipynb") == "week2/a.ipynb"
    assert opening_notebook([course], site, "./week1.ipynb") == "week1.ipynb"


def test_open_naming_no_notebook_of_the_site_is_refused_with_the_choices(tmp_path: Path) -> None:
    from quiz_widgets.lite.build import opening_notebook

    _nb(tmp_path / "course" / "intro.ipynb", "1")
    stage_contents([tmp_path / "course"], tmp_path / "site")
    with pytest.raises(LiteBuildError, match=r"--open 'week9.ipynb': no such notebook.*intro\.ipynb"):
        opening_notebook([tmp_path / "course"], tmp_path / "site", "week9.ipynb")


def test_a_pip_install_without_a_checkout_packs_its_own_wheel(tmp_path: Path) -> None:
    """`quiz-widgets lite build` from a pip install: the site's wheel is made from the installed files, the
    same files as the wheel they were installed from, with no file of this checkout read."""
    import subprocess
    import sys
    import zipfile

    from quiz_widgets.lite.wheels import build_project_wheel

    root = Path(__file__).resolve().parents[1]
    built = build_project_wheel(root, tmp_path / "built")
    target = tmp_path / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-compile",
            "--target",
            str(target),
            str(built),
        ],
        check=True,
        capture_output=True,
    )
    # -I: no PYTHONPATH, no user site; the installed copy is put first on the path by hand.
    code = (
        "import json, sys\nsys.path.insert(0, sys.argv[2])\nfrom pathlib import Path\nimport quiz_widgets\n"
        "from quiz_widgets.lite.build import _project_root\n"
        "from quiz_widgets.lite.wheels import installed_wheel\n"
        "print(json.dumps([quiz_widgets.__file__, (_project_root() / 'pyproject.toml').exists(),"
        " str(installed_wheel(Path(sys.argv[1])))]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", code, str(tmp_path / "out"), str(target)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    module, has_checkout, packed = json.loads(done.stdout)
    assert Path(module).is_relative_to(target) and not has_checkout

    def names(whl: str | Path) -> set[str]:
        with zipfile.ZipFile(whl) as zf:
            return set(zf.namelist())

    assert names(packed) == names(built)
    with zipfile.ZipFile(packed) as new, zipfile.ZipFile(built) as old:
        for name in names(built) - {n for n in names(built) if n.endswith("/RECORD")}:
            assert new.read(name) == old.read(name), name

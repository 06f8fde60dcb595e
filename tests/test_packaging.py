"""The wheel ships the front end, the schema, the sample exams, py.typed and LICENSE, and works when installed
outside the source tree.

Builds the wheel with `python -m build` (isolated; falls back to --no-isolation only if the isolated
build cannot get its backend, e.g. offline), installs it with --no-deps into a fresh venv whose
dependencies come from this venv's site-packages through a .pth line (the editable install's own .pth is
not processed there, so `import quiz_widgets` can only find the wheel's copy), and imports it from a
temporary cwd with PYTHONPATH cleared. Takes ~10-20 s.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

from quiz_widgets.ui.assets import BROWSER_PARTS, QUIZ_PARTS

REPO_ROOT = Path(__file__).resolve().parents[1]
# Every ES part each widget's module is joined from (quiz_widgets/ui/assets.py), once.
JS_PARTS = tuple(dict.fromkeys(QUIZ_PARTS + BROWSER_PARTS))
SHIPPED = (
    *(f"quiz_widgets/ui/static/{name}" for name in JS_PARTS),
    "quiz_widgets/ui/static/quiz.css",
    "quiz_widgets/ui/static/theme.css",
    "quiz_widgets/ui/static/browser.css",
    "quiz_widgets/exam/schema/exam.schema.json",
    "quiz_widgets/exam/samples/cloud-basics.json",
    "quiz_widgets/exam/samples/python-basics.yaml",
    "quiz_widgets/py.typed",
    # The learner's language: the compiled catalogues the kernel reads with the stdlib's gettext.
    *(f"quiz_widgets/locale/{lang}/LC_MESSAGES/quiz_widgets.mo" for lang in ("de", "es", "fr")),
)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "ANYWIDGET"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(cmd: list[str], *, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    cwd = tmp_path_factory.mktemp("build-cwd")
    build = [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO_ROOT)]
    proc = _run(build, cwd=cwd)
    if proc.returncode != 0:
        isolated_log = proc.stdout + proc.stderr
        proc = _run([*build, "--no-isolation"], cwd=cwd)
        if proc.returncode != 0:
            pytest.fail(
                "python -m build --wheel failed, isolated and with --no-isolation:\n"
                f"--- isolated ---\n{isolated_log[-4000:]}\n--- no isolation ---\n"
                f"{(proc.stdout + proc.stderr)[-4000:]}",
                pytrace=False,
            )
        print(f"isolated build failed, built with --no-isolation:\n{isolated_log[-2000:]}")
    wheels = sorted(out.glob("quiz_widgets-*.whl"))
    assert len(wheels) == 1, f"expected one wheel in {out}, found {wheels}"
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv (outside the source tree) with the wheel installed; returns its python."""
    venv = tmp_path_factory.mktemp("wheel-venv") / "venv"
    cwd = tmp_path_factory.mktemp("install-cwd")
    proc = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    py = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
            env=_clean_env(),
        ).stdout.strip()
    )
    # Dependencies (anywidget, ipywidgets, ...) from the test venv, appended after the new site-packages.
    deps = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (purelib / "zz_quiz_widgets_test_deps.pth").write_text("\n".join(sorted(deps)) + "\n")
    proc = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(py),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        cwd=cwd,
    )
    assert proc.returncode == 0, f"pip install of the wheel failed:\n{proc.stdout}\n{proc.stderr}"
    return py


def test_wheel_contains_front_end_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in SHIPPED if f not in names]
    assert not missing, f"{wheel.name} lacks {missing}; it has:\n" + "\n".join(sorted(names))
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in names if n.startswith(("tests/", "notebooks/", "data/"))]


def test_installed_wheel_serves_resources(installed: Path, tmp_path: Path) -> None:
    venv_root = installed.parent.parent
    check = textwrap.dedent(
        """
        import json, sys
        from importlib import resources
        import quiz_widgets
        out = {"file": quiz_widgets.__file__, "prefix": sys.prefix}
        files = resources.files("quiz_widgets")
        out["parts"] = {
            name: files.joinpath("ui/static", name).read_text(encoding="utf-8") for name in JS_PARTS
        }
        out["css"] = files.joinpath("ui/static/quiz.css").read_text(encoding="utf-8")
        out["schema"] = json.loads(files.joinpath("exam/schema/exam.schema.json").read_text(encoding="utf-8"))
        from quiz_widgets import QuizWidget
        from quiz_widgets.ui.session_list import SessionListView
        out["esm"] = str(QuizWidget._esm)
        out["list_esm"] = str(SessionListView._esm)
        out["css_trait"] = str(QuizWidget._css)
        from quiz_widgets.i18n import shipped_languages, view_messages
        out["languages"] = shipped_languages()
        out["de_submit"] = view_messages("de")["Submit"]
        print(json.dumps(out))
        """
    ).replace("JS_PARTS", repr(JS_PARTS))
    proc = _run([str(installed), "-c", check], cwd=tmp_path)
    assert proc.returncode == 0, f"importing the installed wheel failed:\n{proc.stdout}\n{proc.stderr}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])

    assert Path(out["file"]).resolve().is_relative_to(venv_root.resolve()), (
        f"quiz_widgets imported from {out['file']}, not from the wheel's venv {venv_root}"
    )
    assert not Path(out["file"]).resolve().is_relative_to(REPO_ROOT)
    static = REPO_ROOT / "quiz_widgets" / "ui" / "static"
    for name, text in out["parts"].items():
        assert text == (static / name).read_text(encoding="utf-8"), (
            f"the wheel's {name} differs from the source's"
        )
    assert out["css"].strip(), "ui/static/quiz.css is empty"
    assert isinstance(out["schema"], dict) and out["schema"], "exam.schema.json is not a JSON object"

    # The class attributes hold the module text joined from the wheel's own parts (not a path to a file),
    # ending with the entry part's export.
    for esm, parts in ((out["esm"], QUIZ_PARTS), (out["list_esm"], BROWSER_PARTS)):
        for name in parts:
            assert out["parts"][name].strip() in esm, f"{name} is not in the module joined from {parts}"
        assert esm.rstrip().endswith("export default { render };"), esm[-200:]
    assert out["css"].strip() in out["css_trait"], "QuizWidget._css does not hold the text of static/quiz.css"
    # The installed package finds its own catalogues (not the source tree's): lang="de" shows German.
    assert out["languages"] == ["de", "en", "es", "fr"], out["languages"]
    assert out["de_submit"] == "Absenden"


def test_wheel_metadata_license_and_project_links(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        license_file = f"{dist_info}/licenses/LICENSE"
        assert license_file in names, f"{wheel.name} does not ship LICENSE; it has {sorted(names)}"
        text = zf.read(license_file).decode("utf-8")
        metadata = zf.read(f"{dist_info}/METADATA").decode("utf-8")
    assert "BSD 3-Clause" in text and "quiz_widgets developers" in text
    assert (REPO_ROOT / "LICENSE").read_text(encoding="utf-8") == text
    headers = [line for line in metadata.split("\n\n", 1)[0].splitlines()]
    assert "License-Expression: BSD-3-Clause" in headers
    assert "License-File: LICENSE" in headers
    assert any(h.startswith("Project-URL: Source, https://github.com/") for h in headers), headers
    assert "Classifier: Typing :: Typed" in headers
    # The README is the package index page: its links must work from there, so none may be relative.
    readme = metadata.split("\n\n", 1)[1]
    relative = re.findall(r"\]\((?!https://|#)([^)]+)\)", readme)
    assert not relative, f"relative links in the README (broken on the package index): {relative}"


def test_installed_wheel_opens_sample_exams_by_name(installed: Path, tmp_path: Path) -> None:
    check = textwrap.dedent(
        """
        import json
        from quiz_widgets import ExamError, QuizWidget, load_exam
        out = {"titles": [load_exam(name).title for name in ("cloud-basics", "python-basics")]}
        quiz = QuizWidget("cloud-basics", base_dir=".", autosave_interval=0)
        quiz.answer("A")
        out["session"] = str(quiz.session_path)
        quiz.close()
        out["resumed"] = QuizWidget.resume(out["session"]).total_answered
        try:
            load_exam("no-such-sample")
        except ExamError as exc:
            out["unknown"] = str(exc)
        print(json.dumps(out))
        """
    )
    proc = _run([str(installed), "-c", check], cwd=tmp_path)
    assert proc.returncode == 0, f"the installed wheel cannot open its samples:\n{proc.stdout}\n{proc.stderr}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["titles"] == ["Cloud Concepts Practice Exam", "Python Basics Quiz"]
    assert Path(out["session"]).is_relative_to(tmp_path.resolve())
    assert out["resumed"] == 1
    assert "cloud-basics" in out["unknown"] and "python-basics" in out["unknown"]


def test_installed_wheel_console_script(installed: Path, tmp_path: Path) -> None:
    script = installed.parent / "quiz-widgets"
    assert script.exists(), "the wheel did not install the quiz-widgets console script"
    proc = _run([str(script), "--help"], cwd=tmp_path)
    assert proc.returncode == 0, f"quiz-widgets --help failed:\n{proc.stdout}\n{proc.stderr}"

"""``build_site``: a static JupyterLite site, offline, with quiz_widgets preinstalled in its Pyodide kernel."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from quiz_widgets.lite.errors import LiteBuildError

KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
BUILD_INFO = "quiz-widgets-lite.json"  # marks a folder as a site this builds (so a rebuild may replace it)
CACHE_ENV = "QUIZ_WIDGETS_LITE_CACHE"
_REMOTE = re.compile(r"\b(?:https?|wss?)://(?!127\.0\.0\.1[:/]|localhost[:/])[^\s\"']+")


def default_cache_dir() -> Path:
    """``$QUIZ_WIDGETS_LITE_CACHE``, else ``.cache/lite`` in the current folder."""
    env = os.environ.get(CACHE_ENV)
    return Path(env) if env else Path.cwd() / ".cache" / "lite"


def _project_root() -> Path:
    import quiz_widgets

    return Path(quiz_widgets.__file__).resolve().parent.parent


def build_site(
    contents: Iterable[str | os.PathLike],
    output: str | os.PathLike,
    *,
    cache_dir: str | os.PathLike | None = None,
    wheel: str | os.PathLike | None = None,
    open_path: str | None = None,
    log: Callable[[str], None] | None = None,
) -> Path:
    """Build an offline JupyterLite site into ``output`` and return its path.

    ``contents``: notebooks, exam files and folders; a folder's files land at the site's root. Pyodide's
    core (npm), every wheel and the lock live in the site; quiz_widgets is loaded when the kernel starts
    (and ``%pip install quiz_widgets`` finds it in the site's ``pypi/``), and the modules a quiz imports
    follow in the background once it is up (lite/startup.py). ``wheel``: a quiz_widgets wheel to
    use instead of this installation's own (built from the checkout, or repacked from the installed files).
    The site's front page opens ``open_path`` (a notebook's path in the site), by default the first
    notebook of ``contents``, in JupyterLab; with no notebook it is JupyterLab's launcher.
    Downloads are cached in ``cache_dir`` (default
    :func:`default_cache_dir`). ``output`` is replaced only when the new site is complete, and only if it is
    empty or a site built here before; on any failure LiteBuildError is raised and ``output`` is untouched.
    """
    say = log or (lambda _msg: None)
    contents = [Path(c) for c in contents]
    if not contents:
        raise LiteBuildError("no contents given: name at least one notebook, exam file or folder")
    output = Path(output).expanduser().resolve()
    cache = Path(cache_dir).expanduser().resolve() if cache_dir else default_cache_dir().resolve()
    if output.exists() and (
        not output.is_dir() or (any(output.iterdir()) and not (output / BUILD_INFO).is_file())
    ):
        raise LiteBuildError(
            f"{output} exists and is not a site built by quiz-widgets lite build ({BUILD_INFO} missing): "
            "choose an empty or new folder"
        )
    for item in contents:
        src = item.expanduser().resolve()
        if src == output or (output.is_relative_to(src) and src.is_dir()):
            raise LiteBuildError(f"the output {output} is inside the content {item}: choose another folder")

    # Imported here: these need the optional `lite` extra, and the CLI must load without it.
    try:
        from packaging.requirements import Requirement
    except ImportError as err:
        raise LiteBuildError(f'{err}: pip install "quiz_widgets[lite]"') from err

    from quiz_widgets.lite.contents import stage_contents
    from quiz_widgets.lite.lockfile import site_lock
    from quiz_widgets.lite.precompile import precompiled
    from quiz_widgets.lite.pyodide_core import CORE_FILES, fetch_core, kernel_pyodide_version
    from quiz_widgets.lite.startup import startup_wheel
    from quiz_widgets.lite.tools import run
    from quiz_widgets.lite.wheels import (
        KERNEL_START_PACKAGES,
        OPTIONAL_IN_PYODIDE,
        WheelCache,
        build_project_wheel,
        installed_wheel,
        kernel_wheels,
        pyodide_markers,
        read_wheel,
        resolve,
    )

    started = time.monotonic()
    version = kernel_pyodide_version()
    say(f"Pyodide {version} core (npm), cached in {cache}")
    core = fetch_core(cache, version)
    core_lock = json.loads((core / "pyodide-lock.json").read_text("utf-8"))
    python_version = core_lock["info"]["python"]
    markers = pyodide_markers(python_version)

    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}.build-") as tmp_name:
        tmp = Path(tmp_name)
        if wheel is None and (_project_root() / "pyproject.toml").is_file():
            say("building quiz_widgets' wheel from this checkout")
            own_path = build_project_wheel(_project_root(), tmp / "own")
        elif wheel is None:
            say("packing the installed quiz_widgets into a wheel")
            own_path = installed_wheel(tmp / "own")
        else:
            own_path = Path(wheel).expanduser().resolve()
        own = read_wheel(own_path, markers)
        if own.name != "quiz-widgets":
            raise LiteBuildError(f"{own_path.name} is not a quiz_widgets wheel")
        provided = {**kernel_wheels(markers), own.name: own}
        say("collecting pure-Python wheels (the kernel's start-up packages at the lock's versions)")
        for name, effect in OPTIONAL_IN_PYODIDE.items():
            if any(r.name.lower() == name for r in own.requires):
                say(f"left out: {name} (compiled, no wheel outside Pyodide's CDN): {effect}")
        wheels = resolve(
            [Requirement(n) for n in (*KERNEL_START_PACKAGES, own.name)],
            cache=WheelCache(cache / "wheels", ".".join(python_version.split(".")[:2])),
            lock_versions={name: p["version"] for name, p in core_lock["packages"].items()},
            provided=provided,
            markers=markers,
        )

        node = shutil.which("node")
        if node is None:
            say("node not found: the wheels' modules are compiled in the browser at each import (slower)")
        else:
            say("compiling the wheels' modules with the site's Python (cached)")
            compiled = precompiled(
                core, [w.path for w in wheels.values()], cache / f"wheels-pyc-{version}", node
            )
            wheels = {name: replace(w, path=compiled[w.path]) for name, w in wheels.items()}
        start = read_wheel(startup_wheel(tmp / "startup", own.version, f"{own.name}=={own.version}"), markers)
        wheels[start.name] = start
        preload = sorted({*KERNEL_START_PACKAGES, own.name, start.name})

        lite_dir = tmp / "lite"
        pyodide_dir = lite_dir / "static" / "pyodide"
        pyodide_dir.mkdir(parents=True)
        for name in CORE_FILES:
            if name != "pyodide-lock.json":
                shutil.copy2(core / name, pyodide_dir / name)
        for w in wheels.values():
            shutil.copy2(w.path, pyodide_dir / w.path.name)
        _write_json(pyodide_dir / "pyodide-lock.json", site_lock(core_lock, wheels))
        _write_json(lite_dir / "jupyter-lite.json", _lite_config(preload))

        files = tmp / "files"
        files.mkdir()
        for note in stage_contents(contents, files):
            say(f"carried along: {note}")
        opening = opening_notebook(contents, files, open_path)

        site = tmp / "site"
        say("jupyter lite build")
        run(
            [
                sys.executable,
                "-m",
                "jupyterlite_core",
                "build",
                "--lite-dir",
                str(lite_dir),
                "--output-dir",
                str(site),
                "--contents",
                str(files),
                "--no-sourcemaps",
                "--piplite-wheels",
                str(pyodide_dir / own_path.name),
            ],
            what="jupyter lite build",
            cwd=lite_dir,
        )
        if opening is not None:
            _write_front_page(site, opening)
            say(f"the site opens on {opening}")
        _check_site(site)
        _write_json(
            site / BUILD_INFO,
            {
                "pyodide": version,
                "quiz_widgets": own.version,
                "preloaded": preload,
                "opens": opening,
                "wheels": {n: w.version for n, w in sorted(wheels.items())},
            },
        )
        if output.exists():
            output.rename(tmp / "previous")
        site.rename(output)
    say(f"site ready in {output} ({time.monotonic() - started:.0f} s)")
    return output


def opening_notebook(contents: list[Path], staged: Path, open_path: str | None) -> str | None:
    """The site path of the notebook the front page opens: ``open_path`` when given (it must be a staged
    notebook), else the first notebook of the first CONTENT that has one (a folder's own before its
    subfolders', by name)."""
    notebooks = sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*.ipynb"))
    if open_path is not None:
        wanted = open_path.strip().lstrip("/").removeprefix("./")
        if wanted not in notebooks:
            raise LiteBuildError(
                f"--open {open_path!r}: no such notebook in the site; it has: {', '.join(notebooks) or 'none'}"
            )
        return wanted
    for item in contents:
        src = item.expanduser().resolve()
        if src.is_file():
            if src.suffix == ".ipynb" and src.name in notebooks:
                return src.name
            continue
        inside = [
            p.relative_to(src).as_posix()
            for p in src.rglob("*.ipynb")
            if p.relative_to(src).as_posix() in notebooks
        ]
        if inside:
            return min(inside, key=lambda rel: (rel.count("/"), rel))
    return None


_CONFIG_UTILS = re.compile(r"<script type=\"module\">\s*await import\('\./config-utils\.js'\);\s*</script>")


def _write_front_page(site: Path, notebook: str) -> None:
    # JupyterLite's front page sends a learner to the launcher; a course's link should land on its first
    # notebook. Only its redirect is replaced: its empty config element stays, because every app page reads
    # the root index.html's config when it starts.
    page_path = site / "index.html"
    page = page_path.read_text("utf-8")
    target = "lab/index.html?path=" + quote(notebook)
    redirect = (
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        f"    <script>location.replace({json.dumps(target)});</script>"
    )
    new, count = _CONFIG_UTILS.subn(lambda _m: redirect, page)
    if count != 1 or 'id="jupyter-config-data"' not in new:
        raise LiteBuildError("JupyterLite's index.html is not as expected: cannot make it open the notebook")
    link = f'<body><a href="{target}">{html.escape(notebook)}</a></body>\n</html>'
    page_path.write_text(new.replace("</html>", link, 1) if "<body" not in new else new, "utf-8")


def _lite_config(preload: list[str]) -> dict[str, Any]:
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "litePluginSettings": {
                KERNEL_PLUGIN: {
                    # a file of the site: the kernel never looks for Pyodide on a CDN
                    "pyodideUrl": "./static/pyodide/pyodide.mjs",
                    "disablePyPIFallback": True,
                    "loadPyodideOptions": {"packages": preload},
                }
            }
        },
    }


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")
    tmp.replace(path)


def _kernel_settings(config: dict) -> dict:
    plugins = config.get("jupyter-config-data", {}).get("litePluginSettings", {})
    return plugins.get(KERNEL_PLUGIN, {})


def _check_site(site: Path) -> None:
    """What 'offline' promises, checked on the built files: a failed check is a failed build."""
    for rel in ("index.html", "lab/index.html", "static/pyodide/pyodide.mjs", "jupyter-lite.json"):
        if not (site / rel).is_file():
            raise LiteBuildError(f"the built site lacks {rel}")
    root_config = json.loads((site / "jupyter-lite.json").read_text("utf-8"))
    settings = _kernel_settings(root_config)
    url = settings.get("pyodideUrl", "")
    if not url.startswith("./") or not (site / url).is_file() or not settings.get("disablePyPIFallback"):
        raise LiteBuildError(f"the built site's kernel settings are not offline: {settings}")
    checked = [
        *site.rglob("jupyter-lite.json"),
        site / "static/pyodide/pyodide-lock.json",
        *site.glob("pypi/*.json"),
    ]
    for path in checked:
        found = _REMOTE.search(path.read_text("utf-8"))
        if found:
            raise LiteBuildError(f"{path.relative_to(site)} names a remote host: {found.group(0)}")
    lock = json.loads((site / "static/pyodide/pyodide-lock.json").read_text("utf-8"))
    for name, pkg in lock["packages"].items():
        if not (site / "static/pyodide" / pkg["file_name"]).is_file():
            raise LiteBuildError(f"the site's lock lists {name} but {pkg['file_name']} is not in the site")

"""The wheels a site serves: quiz_widgets built from this checkout, its dependencies and the kernel's start-up
packages, all pure Python, fetched once with pip into the cache.

Pyodide's own wheels live on its CDN, not in the npm core, so the packages the kernel loads from its lock
are taken from the package index at the lock's versions instead (their hashes differ: Pyodide repacks its
wheels, hence the rewritten lock in lockfile.py).
"""

from __future__ import annotations

import email.parser
import hashlib
import importlib.metadata
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidWheelFilename, canonicalize_name, parse_wheel_filename
from packaging.version import Version

from quiz_widgets.lite.errors import LiteBuildError
from quiz_widgets.lite.tools import run

# What the Pyodide kernel installs at start besides its own wheels (pyodide-kernel, ipykernel, piplite,
# widgetsnbextension, served from its labextension): without these in the site it would go to PyPI.
KERNEL_START_PACKAGES = ("micropip", "ipython", "jedi", "comm")

# Packages with a C accelerator that also work without it; the index has no pure wheel of them, so a
# pure one is built from the sdist with the accelerator switched off.
PURE_BUILDS: Mapping[str, Mapping[str, str]] = {"pyyaml": {"PYYAML_FORCE_LIBYAML": "0"}}


# Compiled dependencies quiz_widgets can do without. Pyodide builds them, but its builds are on its CDN,
# not in the npm core nor on the package index, so a site built from those two leaves them out.
OPTIONAL_IN_PYODIDE: Mapping[str, str] = {
    "nh3": "rich exam text is sanitized by justhtml (pure Python) with the same allow-list instead"
}


def pyodide_markers(python_version: str) -> dict[str, str]:
    """Environment markers as they evaluate inside Pyodide (for the Requires-Dist of wheels)."""
    major_minor = ".".join(python_version.split(".")[:2])
    return {
        "sys_platform": "emscripten",
        "platform_system": "Emscripten",
        "platform_machine": "wasm32",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": major_minor,
        "python_full_version": python_version,
        "extra": "",
    }


@dataclass(frozen=True)
class LocalWheel:
    name: str  # canonical
    version: str
    path: Path
    requires: tuple[Requirement, ...]  # those that apply in Pyodide
    imports: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def _is_pure(path: Path) -> bool:
    try:
        _, _, _, tags = parse_wheel_filename(path.name)
    except InvalidWheelFilename:
        return False
    return any(t.abi == "none" and t.platform == "any" and t.interpreter.startswith("py") for t in tags)


def read_wheel(path: Path, markers: Mapping[str, str]) -> LocalWheel:
    """Name, version, requirements (evaluated for Pyodide) and top-level imports of a wheel file."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            info = next(n for n in names if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
            meta = email.parser.Parser().parsestr(zf.read(info).decode("utf-8"))
            top_file = info.replace("METADATA", "top_level.txt")
            if top_file in names:
                imports = [ln.strip() for ln in zf.read(top_file).decode("utf-8").splitlines() if ln.strip()]
            else:
                imports = sorted(
                    {
                        n.split("/")[0].removesuffix(".py")
                        for n in names
                        if not n.split("/")[0].endswith((".dist-info", ".data"))
                        and (n.endswith(".py") or "/" in n)
                    }
                )
    except (OSError, zipfile.BadZipFile, StopIteration, UnicodeDecodeError) as err:
        raise LiteBuildError(f"{path}: not a readable wheel ({err!r})") from err
    requires = []
    for line in meta.get_all("Requires-Dist") or []:
        try:
            req = Requirement(line)
        except InvalidRequirement as err:
            raise LiteBuildError(f"{path.name}: bad Requires-Dist {line!r}: {err}") from err
        if req.marker is None or req.marker.evaluate(dict(markers)):
            requires.append(req)
    return LocalWheel(
        name=canonicalize_name(meta["Name"]),
        version=meta["Version"],
        path=path,
        requires=tuple(requires),
        imports=tuple(i for i in imports if i.isidentifier()),
    )


class WheelCache:
    """Pure wheels by (name, version) in ``folder``; what is missing is fetched (or built) with pip."""

    def __init__(self, folder: Path, python_version: str) -> None:
        self.folder = folder
        self.python_version = python_version

    def find(self, name: str, version: str | None = None) -> Path | None:
        best: tuple[Version, Path] | None = None
        for path in self.folder.glob("*.whl") if self.folder.is_dir() else ():
            try:
                wname, wversion, _, _ = parse_wheel_filename(path.name)
            except InvalidWheelFilename:
                continue
            if canonicalize_name(wname) != name or not _is_pure(path):
                continue
            if version is not None and wversion != Version(version):
                continue
            if best is None or wversion > best[0]:
                best = (wversion, path)
        return best[1] if best else None

    def get(self, name: str, spec: str) -> Path:
        """A pure wheel of ``name`` matching ``spec`` (e.g. ``==1.2``), from the cache or the index."""
        exact = spec[2:] if spec.startswith("==") and "," not in spec else None
        cached = self.find(name, exact)
        if cached is not None and (
            exact is not None
            or Requirement(f"{name}{spec}").specifier.contains(
                parse_wheel_filename(cached.name)[1], prereleases=True
            )
        ):
            return cached
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".fetch-") as tmp:
            if name in PURE_BUILDS:
                self._build_pure(name, spec, Path(tmp))
            else:
                run(
                    [
                        *_pip(),
                        "download",
                        "--no-deps",
                        "--only-binary=:all:",
                        "--platform",
                        "any",
                        "--implementation",
                        "py",
                        "--abi",
                        "none",
                        "--python-version",
                        self.python_version,
                        "-d",
                        tmp,
                        f"{name}{spec}",
                    ],
                    what=f"downloading a pure-Python wheel of {name}{spec}",
                )
            got = [p for p in Path(tmp).glob("*.whl") if _is_pure(p)]
            if len(got) != 1:
                raise LiteBuildError(
                    f"{name}{spec}: expected one pure-Python wheel, got {[p.name for p in Path(tmp).iterdir()]}"
                )
            final = self.folder / got[0].name
            got[0].replace(final)
        return final

    def _build_pure(self, name: str, spec: str, out: Path) -> None:
        sdists = out / "sdist"
        # Only this package from source: ":all:" also built its build tools (Cython) from source, minutes.
        run(
            [*_pip(), "download", "--no-deps", f"--no-binary={name}", "-d", str(sdists), f"{name}{spec}"],
            what=f"downloading the source of {name}{spec}",
        )
        sdist = next(sdists.iterdir())
        run(
            [*_pip(), "wheel", "--no-deps", "-w", str(out), str(sdist)],
            what=f"building a pure-Python wheel of {name}{spec}",
            env=PURE_BUILDS[name],
        )


def _pip() -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check"]


def build_project_wheel(project_root: Path, out: Path) -> Path:
    """Build quiz_widgets' wheel from a checkout (pyproject.toml at ``project_root``) into ``out``."""
    if not (project_root / "pyproject.toml").is_file():
        raise LiteBuildError(
            f"{project_root} is not a quiz_widgets checkout (no pyproject.toml): the site's wheel is built from one"
        )
    out.mkdir(parents=True, exist_ok=True)
    run(
        [*_pip(), "wheel", "--no-deps", "-w", str(out), str(project_root)],
        what="building quiz_widgets' wheel",
    )
    wheels = sorted(out.glob("quiz_widgets-*.whl"))
    if len(wheels) != 1:
        raise LiteBuildError(f"building quiz_widgets' wheel gave {[p.name for p in out.iterdir()]}")
    return wheels[0]


def installed_wheel(out: Path) -> Path:
    """quiz_widgets' wheel made from its installed files, for a pip install that has no checkout.

    The files RECORD lists (the package and its .dist-info) are packed as they are, with a new RECORD of
    their hashes; what the installer added (INSTALLER, REQUESTED, direct_url.json) is left out.
    """
    import base64
    import csv
    import io

    dist = importlib.metadata.distribution("quiz_widgets")
    files = [f for f in dist.files or () if f.parts[0] == "quiz_widgets" or f.parts[0].endswith(".dist-info")]
    info_dir = next((f.parts[0] for f in files if f.parts[0].endswith(".dist-info")), None)
    if info_dir is None or not any(f.parts[0] == "quiz_widgets" for f in files):
        raise LiteBuildError(
            "quiz_widgets is installed without its files listed (an editable install?): build from the "
            "checkout, or pass --wheel"
        )
    skip = {f"{info_dir}/{n}" for n in ("RECORD", "INSTALLER", "REQUESTED", "direct_url.json")}
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"quiz_widgets-{dist.version}-py3-none-any.whl"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(files, key=lambda f: f.as_posix()):
            name = f.as_posix()
            if name in skip or "__pycache__" in f.parts or name.endswith(".pyc"):
                continue
            data = Path(f.locate()).read_bytes()
            zf.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
            writer.writerow([name, f"sha256={digest}", len(data)])
        writer.writerow([f"{info_dir}/RECORD", "", ""])
        zf.writestr(f"{info_dir}/RECORD", record.getvalue())
    return path


def kernel_wheels(markers: Mapping[str, str]) -> dict[str, LocalWheel]:
    """The wheels the Pyodide kernel's labextension serves itself (its ipykernel shim, piplite...)."""
    folder = (
        Path(sys.prefix) / "share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    )
    found: dict[str, LocalWheel] = {}
    for path in sorted(folder.glob("*.whl")):
        wheel = read_wheel(path, markers)
        if wheel.name not in found or Version(wheel.version) > Version(found[wheel.name].version):
            found[wheel.name] = wheel
    return found


def resolve(
    roots: Iterable[Requirement],
    *,
    cache: WheelCache,
    lock_versions: Mapping[str, str],
    provided: Mapping[str, LocalWheel],
    markers: Mapping[str, str],
) -> dict[str, LocalWheel]:
    """Every wheel ``roots`` need in Pyodide, by canonical name.

    A package the Pyodide lock knows is taken at the lock's version (what the kernel would load); one in
    ``provided`` (our own wheel, the kernel's shims) as it is; any other at the version installed here when
    that fits (the combination the project is tested with), else the newest that fits.
    """
    chosen: dict[str, LocalWheel] = {}
    queue = list(roots)
    while queue:
        req = queue.pop(0)
        name = canonicalize_name(req.name)
        if name in OPTIONAL_IN_PYODIDE and name not in provided:
            continue
        if name in chosen:
            have = chosen[name]
            if not req.specifier.contains(have.version, prereleases=True) and name not in provided:
                raise LiteBuildError(f"{name} {have.version} is in the site but something needs {req}")
            continue
        if name in provided:
            wheel = provided[name]
        elif name in lock_versions:
            wheel = read_wheel(cache.get(name, f"=={lock_versions[name]}"), markers)
        else:
            try:
                here = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                here = None
            path = None
            if here and req.specifier.contains(here, prereleases=True):
                try:
                    path = cache.get(name, f"=={here}")
                except LiteBuildError:  # installed from a private index or a local build: any fitting one
                    path = None
            wheel = read_wheel(path or cache.get(name, str(req.specifier)), markers)
        chosen[name] = wheel
        queue.extend(wheel.requires)
    return chosen

"""The files a site serves: each CONTENT (a file, or a folder's files) at the site's root.

Course notebooks often reach beside their folder (``notebooks/quiz.ipynb`` loads
``"../data/exams/week1.yaml"`` and saves under ``base_dir=".."``). In a site the folder's files are at the
root, where ``..`` leads out of the browser's storage, so such a reference is carried along: the file or
folder it names is copied into the site at its place relative to the CONTENT folder's parent, and the
string in the site's copy of the notebook is rewritten to point there. Only plain string literals in code
cells that name something that exists are touched; the source notebooks are never changed.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path

from quiz_widgets.lite.errors import LiteBuildError

_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", "node_modules"}


def _private(rel: Path, source: Path) -> bool:
    """Hidden files (by their site path), and the sessions and results of whoever ran the notebooks (by
    where they are on disk, whatever part of the tree was copied): never published."""
    if any(p.startswith(".") or p in _SKIP_DIRS for p in rel.parts):
        return True
    name, parent, grand = ("", "", "", *source.parts)[-3:][::-1]
    if parent == "sessions" and grand == "data" and fnmatch.fnmatch(name, "session_*.json"):
        return True
    return parent == "results" and fnmatch.fnmatch(name, "quiz_results_*.json")


@dataclass
class _Staging:
    root: Path
    origin: dict[str, Path]  # site-relative posix path -> the source file it came from

    def add_file(self, src: Path, rel: Path, *, shared_ok: bool = False) -> None:
        key = rel.as_posix()
        if key in self.origin:
            if shared_ok and self.origin[key] == src:
                return
            raise LiteBuildError(f"two contents want the site path {key!r}: {self.origin[key]} and {src}")
        self.origin[key] = src
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)

    def add_tree(self, src: Path, rel: Path, *, shared_ok: bool = False) -> list[tuple[Path, Path]]:
        """Copy a folder's files; returns (source file, site-relative path) of each one copied."""
        copied = []
        for folder, dirs, files in os.walk(src):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
            for name in sorted(files):
                path = Path(folder) / name
                inner = path.relative_to(src)
                if _private(rel / inner, path) or (
                    path.is_symlink() and not path.resolve().is_relative_to(src)
                ):
                    continue
                self.add_file(path, rel / inner, shared_ok=shared_ok)
                copied.append((path, rel / inner))
        return copied


def stage_contents(contents: list[Path], dest: Path) -> list[str]:
    """Copy ``contents`` into ``dest`` (the site's root); returns one note per rewritten reference."""
    staging = _Staging(dest, {})
    notebooks: list[tuple[Path, Path, Path]] = []  # (source file, site-relative path, its CONTENT root)
    for item in contents:
        src = Path(item).expanduser().resolve()
        if not src.exists():
            raise LiteBuildError(f"content {str(item)!r} does not exist")
        if src.is_dir():
            for path, rel in staging.add_tree(src, Path()):
                if path.suffix == ".ipynb":
                    notebooks.append((path, rel, src))
        else:
            staging.add_file(src, Path(src.name))
            if src.suffix == ".ipynb":
                notebooks.append((src, Path(src.name), src.parent))
    notes: list[str] = []
    for src, rel, root in notebooks:
        notes += _carry_references(staging, src, rel, root)
    return notes


def _carry_references(staging: _Staging, src: Path, rel: Path, root: Path) -> list[str]:
    site_copy = staging.root / rel
    try:
        nb = json.loads(site_copy.read_text("utf-8"))
        cells = nb["cells"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise LiteBuildError(f"{src}: not a readable notebook ({err})") from err
    notes: list[str] = []
    changed = False
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        new_text, cell_notes = _rewrite_cell(text, staging, src.parent, rel, root)
        if new_text != text:
            changed = True
            cell["source"] = new_text.splitlines(keepends=True)
            notes += [f"{rel.as_posix()} cell {number}: {n}" for n in cell_notes]
    if changed:
        tmp = site_copy.with_name(site_copy.name + ".tmp")
        tmp.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", "utf-8")
        tmp.replace(site_copy)
    return notes


def _rewrite_cell(text: str, staging: _Staging, nb_dir: Path, rel: Path, root: Path) -> tuple[str, list[str]]:
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):  # IPython magics, or not Python at all: left as written
        return text, []
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, int, str]] = []  # (line index, start byte, end byte, new literal)
    notes: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if node.end_lineno != node.lineno or node.end_col_offset is None:
            continue
        value = node.value
        if not (value == ".." or value.startswith("../")) or "\\" in value or len(value) > 300:
            continue
        raw = lines[node.lineno - 1].encode("utf-8")[node.col_offset : node.end_col_offset].decode("utf-8")
        prefix = raw[: len(raw) - len(raw.lstrip("rR"))]
        body = raw[len(prefix) :]
        if not body or body[0] not in "'\"" or body.startswith(('"""', "'''")):
            continue
        target = _site_target(staging, nb_dir / value, root)
        if target is None:
            continue
        new = posixpath.relpath(target, posixpath.dirname(rel.as_posix()) or ".")
        edits.append(
            (node.lineno - 1, node.col_offset, node.end_col_offset, f"{prefix}{body[0]}{new}{body[0]}")
        )
        notes.append(f"{value!r} -> {new!r}")
    for index, start, end, literal in sorted(edits, reverse=True):
        line = lines[index].encode("utf-8")
        lines[index] = (line[:start] + literal.encode("utf-8") + line[end:]).decode("utf-8")
    return "".join(lines), notes


def _site_target(staging: _Staging, path: Path, root: Path) -> str | None:
    """The site path (posix, from the site's root) for a reference out of ``root``; None to leave it."""
    target = Path(os.path.abspath(path))
    parent = root.parent
    if not target.exists() or target.is_relative_to(root) or not target.is_relative_to(parent):
        return None
    site_rel = target.relative_to(parent)
    if target == parent:
        return "."
    if target.is_dir():
        staging.add_tree(target, site_rel, shared_ok=True)
    elif not _private(site_rel, target):
        staging.add_file(target, site_rel, shared_ok=True)
    else:
        return None
    return site_rel.as_posix()

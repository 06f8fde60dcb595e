"""Running the outside tools a build needs (npm, pip), with failures turned into LiteBuildError."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from quiz_widgets.lite.errors import LiteBuildError


def run(
    cmd: Sequence[str], *, what: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> str:
    """Run ``cmd``; its stdout, or LiteBuildError naming ``what`` with the end of the tool's output."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    try:
        proc = subprocess.run(
            list(cmd), cwd=cwd, env=full_env, capture_output=True, text=True, check=False, timeout=900
        )
    except FileNotFoundError as err:
        raise LiteBuildError(f"{what}: {cmd[0]!r} is not installed ({err})") from err
    except subprocess.TimeoutExpired as err:
        raise LiteBuildError(f"{what}: {' '.join(cmd)} took more than 15 minutes") from err
    if proc.returncode != 0:
        tail = "\n".join(ln[:300] for ln in (proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise LiteBuildError(f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n{tail}")
    return proc.stdout


def require(program: str, *, why: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise LiteBuildError(f"{program!r} was not found on PATH; it is needed {why}")
    return path

"""When a missing prerequisite skips a test and when it fails it: one rule for every test module.

A skip is for a developer's machine without Chromium or without the original app's files; in CI the same
absence must fail the run, or a green run could mean nothing was checked.

- QUIZ_WIDGETS_REQUIRE_BROWSER=1 (scripts/test.sh sets it under CI=true): no Chromium or no Playwright fails.
- CI=true or QUIZ_WIDGETS_REQUIRE_COMPAT=1: no ../shared/compat/quizpython fails the ``compat`` tests.
- QUIZ_WIDGETS_COMPAT_DIR points the compat tests at another copy of the original app's files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NoReturn

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
COMPAT = Path(
    os.environ.get("QUIZ_WIDGETS_COMPAT_DIR") or REPO_ROOT.parent / "shared" / "compat" / "quizpython"
)
_TRUE = ("1", "true", "yes")


def flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def browser_required() -> bool:
    return flag("QUIZ_WIDGETS_REQUIRE_BROWSER")


def compat_required() -> bool:
    return flag("CI") or flag("QUIZ_WIDGETS_REQUIRE_COMPAT")


def missing(reason: str, *, required: bool, flag_name: str) -> NoReturn:
    """Skip, or fail when ``required`` (saying which setting made it required)."""
    if required:
        pytest.fail(f"{reason} ({flag_name}: these tests must run, not skip)", pytrace=False)
    pytest.skip(reason)


def require_compat() -> None:
    """Skip (or in CI fail) a test that needs the original app's files when they are not there."""
    if not COMPAT.is_dir():
        missing(
            f"original app files not found at {COMPAT} (they live outside the repository)",
            required=compat_required(),
            flag_name="CI=true or QUIZ_WIDGETS_REQUIRE_COMPAT=1",
        )

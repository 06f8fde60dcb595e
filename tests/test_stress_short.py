"""The stress and fault suite in its CI form: ``python -m stress --short`` must meet every goal.

The table is printed (shown with ``pytest -rA`` and on failure), so CI logs carry the figures.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

GOAL_ROWS = {
    "1 torn writes": ("files broken", "answers lost"),
    "3 two writers": (
        "acknowledged answers lost (two writers)",
        "acknowledged answers lost (SIGKILLed writer)",
    ),
    "4 fuzzing": ("crashes", "unintended changes", "unclear refusals"),
}


def _value(table: str, section: str, measure: str) -> list[str]:
    """Values of the rows of *section* whose measure contains *measure*."""
    values = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] == section and measure in cells[1]:
            values.append(cells[2])
    return values


@pytest.mark.kernel
def test_stress_short_meets_every_goal() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "stress", "--short"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=6 * 60,
    )
    out = proc.stdout
    table = out[out.find("STRESS TABLE") :] if "STRESS TABLE" in out else out
    print(table)  # in the CI log with -rA, and on failure
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
    assert "STRESS TABLE" in out, f"no table printed; stderr:\n{proc.stderr[-3000:]}"
    for section, measures in GOAL_ROWS.items():
        for measure in measures:
            values = _value(table, section, measure)
            assert values, f"row {section} / {measure} missing from the table"
            assert all(v == "0" for v in values), f"{section} / {measure}: {values}"
    assert (
        _value(table, "1 torn writes", "SIGKILLs")
        and int(_value(table, "1 torn writes", "SIGKILLs")[0]) >= 100
    )
    missed = re.findall(r"\|\s*MISSED\s*\|", table)
    assert proc.returncode == 0 and not missed, f"goals missed:\n{table}"

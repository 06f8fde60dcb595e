"""Section 5, kernel ends: the shutdown matrix from tests/kernel_scenarios.py (real ipykernels)."""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from pathlib import Path

from stress.common import REPO, Report

SECTION = "5 kernel ends"


def run(short: bool, report: Report) -> None:
    tests = str(REPO / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    try:
        import kernel_scenarios as ks
    except Exception as exc:
        report.add(
            SECTION,
            "shutdown matrix",
            f"not run: tests/kernel_scenarios.py unavailable ({exc})",
            "all endings",
            None,
        )
        return
    rows = []
    with tempfile.TemporaryDirectory(prefix="stress-kernels-") as tmp:
        for ending in ks.ENDINGS:
            started = time.perf_counter()
            try:
                row = ks.SCENARIOS[ending](Path(tmp) / ending)
            except Exception as exc:
                report.goal(
                    SECTION, f"{ending}: scenario ran", f"{type(exc).__name__}: {exc}"[:200], "ran", False
                )
                print("".join(traceback.format_exception(exc)[-4:]), flush=True)
                continue
            rows.append(row)
            flags = ",".join(f for f in ks.TIMER_FLAGS if (row.get("flags") or {}).get(f)) or "-"
            kept, given = row["answers_kept"], row["answers_given"]
            ok = bool(row.get("file_parses")) and kept >= given
            report.goal(
                SECTION,
                f"{ending}: answers kept/given, flags, time to save",
                f"{kept}/{given}, flags {flags}, save {row.get('time_to_save_ms')} ms after the ending"
                f" ({time.perf_counter() - started:.1f} s)",
                "kept = given, parses",
                ok,
            )
    if rows:
        print(ks.format_table(rows), flush=True)

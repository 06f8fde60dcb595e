"""Section 6, load: one process with 20 QuizWidgets, a 1 s heartbeat and running clocks (every beat
writes), in an asyncio loop, for 10 minutes (30 s short)."""

from __future__ import annotations

import json
import subprocess
import tempfile

from stress.common import HERE, PYTHON, Report

SECTION = "6 load"
WIDGETS = 20


def run(short: bool, report: Report) -> None:
    seconds = 30 if short else 600
    with tempfile.TemporaryDirectory(prefix="stress-load-") as tmp:
        out = subprocess.run(
            [PYTHON, str(HERE / "load_child.py"), tmp, str(seconds), str(WIDGETS)],
            capture_output=True,
            text=True,
            cwd=str(HERE),
            timeout=seconds + 120,
        )
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if out.returncode != 0 or line is None:
        report.goal(SECTION, "load run", f"failed rc={out.returncode}: {out.stderr[-300:]}", "ran", False)
        return
    r = json.loads(line[7:])
    expected = WIDGETS * 60
    report.add(
        SECTION, "widgets x seconds (heartbeat 1 s, clocks running)", f"{r['widgets']} x {r['seconds']}"
    )
    report.goal(
        SECTION,
        "writes per minute",
        round(r["writes_per_min"]),
        f">= {int(expected * 0.8)}",
        r["writes_per_min"] >= expected * 0.8,
    )
    report.goal(SECTION, "CPU share of the process", f"{r['cpu_share']:.1%}", "< 50%", r["cpu_share"] < 0.5)
    growth = r["rss_end_mb"] - r["rss_start_mb"]
    report.goal(
        SECTION,
        "memory RSS start -> end (MB)",
        f"{r['rss_start_mb']:.1f} -> {r['rss_end_mb']:.1f}",
        "growth <= 16 MB",
        growth <= 16,
    )
    report.goal(
        SECTION,
        "open files start -> end (max)",
        f"{r['fds_start']} -> {r['fds_end']} ({r['fds_max']})",
        "growth <= 2",
        r["fds_end"] - r["fds_start"] <= 2 and r["fds_max"] - r["fds_start"] <= 4,
    )
    report.goal(
        SECTION,
        "failed saves / save warnings",
        f"{r['save_errors']} / {r['warnings']}",
        "0 / 0",
        r["save_errors"] == 0 and r["warnings"] == 0,
    )
    report.goal(
        SECTION,
        "session files parse at the end, answers match",
        f"{r['files'] - r['broken']}/{r['files']}, mismatched {r['mismatched']}",
        f"{WIDGETS}/{WIDGETS}, 0",
        r["broken"] == 0 and r["mismatched"] == 0 and r["files"] == WIDGETS,
    )
    report.add(SECTION, "answers given during the run", r["answers"])

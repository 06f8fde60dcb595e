"""Run every benchmark and print one table: ``python -m benchmarks`` (from the repository root).

``python benchmarks/run.py`` does the same.

Adding a row: write a function that returns a list of ``Row`` and append it to ``BENCHMARKS`` (or call
``register``). Baselines are measured in the same run, so ratios compare like with like on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script from a checkout: import this quiz_widgets
    sys.path.insert(0, str(HERE.parent))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
# Run as a script this module is __main__; benchmark modules do `from run import register`, which must
# find this very module (and its BENCHMARKS list), not a second copy.
sys.modules.setdefault("run", sys.modules[__name__])


@dataclass
class Row:
    name: str  # what was measured
    ms: float | None  # median milliseconds, or a value in *unit* (None: could not run)
    baseline: str = ""  # what it is compared with
    baseline_ms: float | None = None
    target: str = ""  # human-readable target, e.g. "<= 2x" or "< 200 ms"
    passed: bool | None = None  # None: no target, or not run
    note: str = ""
    unit: str = "ms"  # what ms holds when it is not a time (the browser rows report synced bytes)

    @property
    def ratio(self) -> float | None:
        if self.ms is None or not self.baseline_ms or self.unit != "ms":
            return None
        return self.ms / self.baseline_ms


def median_ms(fn: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None = None) -> float:
    """Median wall time of *repeat* calls, in ms (median: robust to a noisy neighbour)."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


BENCHMARKS: list[Callable[[], list[Row]]] = []


def register(fn: Callable[[], list[Row]]) -> Callable[[], list[Row]]:
    BENCHMARKS.append(fn)
    return fn


def _fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _fmt_value(r: Row) -> str:
    if r.ms is None:
        return "-"
    return f"{r.ms:,.2f} ms" if r.unit == "ms" else f"{r.ms:,.0f} {r.unit}"


def format_table(rows: list[Row]) -> str:
    header = ["benchmark", "median", "baseline", "baseline ms", "ratio", "target", "result"]
    body = []
    for r in rows:
        ratio = r.ratio
        result = "-" if r.passed is None else ("PASS" if r.passed else "FAIL")
        body.append(
            [
                r.name,
                _fmt_value(r),
                r.baseline or "-",
                _fmt_ms(r.baseline_ms),
                "-" if ratio is None else f"{ratio:.2f}x",
                r.target or "-",
                result + (f" ({r.note})" if r.note else ""),
            ]
        )
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [
        " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in [header, *body]
    ]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def bench_session_browser() -> list[Row]:
    """bench_browser.py's rows (one timed run each, not a median) in this table's shape."""
    from bench_browser import bench_session_browser as measure

    rows = []
    for r in measure(2000):
        limit = r["limit"]
        if r["unit"] == "s":
            ms = r["value"] * 1000
            rows.append(Row(r["name"], ms, target=f"< {limit * 1000:,.0f} ms", passed=ms < limit * 1000))
        else:
            rows.append(Row(r["name"], r["value"], unit=r["unit"], note="size, no target"))
    return rows


def bench_lab_feedback() -> list[Row]:
    """bench_browser.py's JupyterLab click-to-feedback rows (p50, p95), each beside the bare anywidget round
    trip of the same page and kernel; the p95 target is LAB_P95_RATIO x the bare p95. Starts JupyterLab and
    Chromium (about 1-2 min); QUIZ_WIDGETS_BENCH_LAB=0 skips it."""
    import os

    from bench_browser import LAB_P95_RATIO
    from bench_browser import bench_lab_feedback as measure

    if os.environ.get("QUIZ_WIDGETS_BENCH_LAB", "1") == "0":
        return [Row("lab click to feedback: skipped (QUIZ_WIDGETS_BENCH_LAB=0)", None)]
    rows = []
    for r in measure():
        target = f"<= {LAB_P95_RATIO}x" if "passed" in r else ""
        rows.append(
            Row(
                f"{r['name']} of {r['clicks']}",
                r["value"],
                "bare anywidget round trip" + r["name"].partition("feedback")[2].replace(" p", ", p"),
                r["baseline"],
                target=target,
                passed=r.get("passed"),
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only benchmark functions whose name contains this")
    args = parser.parse_args(argv)

    import bench_authoring  # noqa: F401  (a quiz's first question on screen)
    import bench_class  # noqa: F401  (ClassView refreshes over a big class, moto and a folder; --full in its file)
    import bench_lite  # noqa: F401  (JupyterLite in Chromium: builds a site; QUIZ_WIDGETS_BENCH_LITE=0 skips)
    import bench_report  # noqa: F401  (the class report over S3; starts a moto server)
    import bench_review  # noqa: F401  (ReviewDeck: built from 1,000 sessions vs reading them; due() on 10,000 cards)
    import bench_richtext  # noqa: F401  (registers its benchmarks)
    import bench_storage  # noqa: F401  (registers its benchmarks)

    if bench_session_browser not in BENCHMARKS:
        register(bench_session_browser)
    if bench_lab_feedback not in BENCHMARKS:
        register(bench_lab_feedback)

    rows: list[Row] = []
    started = time.perf_counter()
    for bench in BENCHMARKS:
        if args.k and args.k not in bench.__name__:
            continue
        print(f"running {bench.__name__} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(bench())
        except Exception as err:  # one broken benchmark must not hide the others
            traceback.print_exc()
            rows.append(Row(bench.__name__, None, passed=False, note=f"error: {type(err).__name__}"))
    print(format_table(rows))
    failed = [r for r in rows if r.passed is False]
    print(
        f"\n{len(rows) - len(failed)} of {len(rows)} rows without FAIL; {time.perf_counter() - started:.1f} s"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""python -m stress [--short] [--only 1,2,...]: run the stress and fault suite, print the table, exit 1
when any goal is missed."""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback

from stress.common import Report

SECTIONS = {
    "1": ("torn writes", "stress.torn"),
    "2": ("disk faults", "stress.disk"),
    "3": ("two writers", "stress.writers"),
    "4": ("fuzzing", "stress.fuzz"),
    "5": ("kernel ends", "stress.kernels"),
    "6": ("load", "stress.load"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stress", description=__doc__)
    parser.add_argument("--short", action="store_true", help="the CI form: a couple of minutes")
    parser.add_argument("--only", default="", help="comma-separated section numbers, e.g. 1,4")
    args = parser.parse_args(argv)
    chosen = [s.strip() for s in args.only.split(",") if s.strip()] or list(SECTIONS)
    report = Report()
    form = "short" if args.short else "full"
    print(f"quiz_widgets stress suite ({form} form), sections {', '.join(chosen)}", flush=True)
    started = time.perf_counter()
    for key in chosen:
        name, module = SECTIONS[key]
        print(f"== {key} {name}", flush=True)
        t0 = time.perf_counter()
        try:
            importlib.import_module(module).run(args.short, report)
        except Exception as exc:
            report.goal(f"{key} {name}", "section ran", f"{type(exc).__name__}: {exc}"[:200], "ran", False)
            traceback.print_exc()
        report.timings[key] = time.perf_counter() - t0
        print(f"   ({report.timings[key]:.1f} s)", flush=True)
    total = time.perf_counter() - started
    print()
    print(
        f"STRESS TABLE ({form} form, {total:.0f} s; "
        + ", ".join(f"section {k}: {v:.0f} s" for k, v in report.timings.items())
        + ")"
    )
    print(report.table())
    missed = report.missed
    if missed:
        print(f"\nGOALS MISSED: {len(missed)}")
        for row in missed:
            print(f"  - {row.section}: {row.measure} = {row.value} (goal {row.goal})")
        return 1
    print("\nALL GOALS MET")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``quiz-widgets lite build CONTENT... -o SITE``: the command line of the site build."""

from __future__ import annotations

import argparse
import sys
import time


def add_lite_parser(sub: argparse._SubParsersAction) -> None:
    lite = sub.add_parser("lite", help="build an offline JupyterLite site (needs the 'lite' extra)")
    lsub = lite.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = lsub.add_parser(
        "build",
        help="build a static site: JupyterLab at lab/, quiz_widgets in its Pyodide kernel, no network needed",
    )
    build.add_argument("contents", nargs="+", metavar="CONTENT", help="notebooks, exam files, folders")
    build.add_argument("-o", "--output", required=True, metavar="SITE", help="folder for the site")
    build.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="where downloads are kept (default: $QUIZ_WIDGETS_LITE_CACHE or .cache/lite)",
    )
    build.add_argument(
        "--wheel", metavar="WHL", help="a quiz_widgets wheel to use instead of this installation's"
    )
    build.add_argument(
        "--open",
        metavar="NOTEBOOK",
        help="the notebook the site opens on, as a path in the site (default: the first notebook of CONTENT)",
    )
    build.add_argument(
        "--check",
        action="store_true",
        help="then open the site in headless Chromium, run the opening notebook and answer one question",
    )
    build.set_defaults(func=cmd_lite_build)


def cmd_lite_build(args: argparse.Namespace) -> int:
    try:
        from quiz_widgets.lite import LiteBuildError, build_site
    except ImportError as err:
        print(f'error: {err}; install the extra: pip install "quiz_widgets[lite]"', file=sys.stderr)
        return 1
    started = time.monotonic()
    try:
        site = build_site(
            args.contents,
            args.output,
            cache_dir=args.cache_dir,
            wheel=args.wheel,
            open_path=args.open,
            log=lambda msg: print(msg, file=sys.stderr),
        )
    except LiteBuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"Built {site} in {time.monotonic() - started:.0f} s. Try it: python -m http.server -d {site}")
    if not args.check:
        return 0
    from quiz_widgets.lite.check import check_site

    try:
        seen = check_site(site, log=lambda msg: print(msg, file=sys.stderr))
    except LiteBuildError as err:
        print(f"check failed: {err}", file=sys.stderr)
        return 1
    print(
        f"Checked: {seen['notebook']} ran and answered a question (kernel {seen['kernel_s']:.0f} s, "
        f"cells {seen['run_s']:.1f} s, feedback {seen['feedback_s'] * 1000:.0f} ms). Ready to publish."
    )
    return 0

"""``quiz-widgets`` command line: validate exams, list and clear saved sessions.

    quiz-widgets validate EXAM [EXAM...]
    quiz-widgets sessions list  [--base-dir DIR]
    quiz-widgets sessions clear [--base-dir DIR] [--yes]
    quiz-widgets report SOURCE... [--csv DIR] [--html FILE [--lang LANG]] [--cache FILE] [--regrade EXAM]
                        [--gradebook canvas|moodle -o FILE [--roster CSV] [--attempt best|last|first]]
    quiz-widgets import FILE -o OUT.yaml         (GIFT, Moodle XML, Canvas QTI or jupyterquiz bank -> exam YAML)
    quiz-widgets export EXAM --to gift|moodle-xml|qti [-o OUT]   (qti: a zip, -o required)
    quiz-widgets marimo NOTEBOOK.ipynb -o app.py  (a marimo app; its %%quiz cells as from_questions)
    quiz-widgets lite build CONTENT... -o SITE   (an offline JupyterLite site; the `lite` extra)

Exit status: 0 fine, 1 a check failed, the user declined or a session is open in a running quiz,
2 bad usage (argparse).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.i18n import resolve, shipped_languages
from quiz_widgets.store.labels import score_hidden, session_state
from quiz_widgets.store.live import clear_sessions, refuse_if_in_use
from quiz_widgets.store.manager import SessionManager


def _hms(seconds: object) -> str:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds != seconds:
        return "-"
    total = int(max(seconds, 0))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def cmd_validate(args: argparse.Namespace) -> int:
    # Lazy: the exam model is only needed here, and a broken exam module must not stop `sessions`.
    from quiz_widgets.exam import load_exam

    failed = 0
    for name in args.exams:
        try:
            # What loading warns about (a skipped GIFT item, with its line) is listed under the file.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                exam = load_exam(name)
        except ExamError as err:
            failed += 1
            print(f"FAIL {name}")
            for problem in err.problems:
                print(f"  - {problem}")
        except (OSError, ValueError) as err:  # missing/unreadable file, or a SessionError-like ValueError
            failed += 1
            print(f"FAIL {name}")
            print(f"  - {err}")
        else:
            print(f"OK   {name}: {len(exam)} question{'s' if len(exam) != 1 else ''}")
            for warning in caught:
                print(f"  - skipped: {warning.message}")
    if failed and len(args.exams) > 1:
        print(f"{failed} of {len(args.exams)} exam files failed")
    return 1 if failed else 0


def cmd_sessions_list(args: argparse.Namespace) -> int:
    manager = SessionManager(args.base)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sessions = manager.find_study_sessions()
    for warning in caught:  # bad files: said on stderr, so the table on stdout stays clean
        print(f"warning: {warning.message}", file=sys.stderr)
    if not sessions:
        print(f"No sessions in {manager.sessions_dir}")
        return 0
    rows = []
    for s in sessions:
        quiz_mode = s.get("quiz_mode") or {}
        timer = s.get("timer_data") or {}
        answered = quiz_mode.get("total_answered", 0)
        total = s.get("total_questions", "?")
        rows.append(
            [
                Path(s["_filepath"]).name,
                _cut(str(s.get("exam_title", "?")), 40),
                f"{answered}/{total}",
                "-" if score_hidden(s) else str(quiz_mode.get("score", 0)),
                _hms(timer.get("elapsed_seconds", 0)),
                session_state(s),
            ]
        )
    print(_table(["FILE", "EXAM", "PROGRESS", "SCORE", "TIME", "STATE"], rows))
    return 0


def _confirm(question: str) -> bool:
    # No stdin (closed, /dev/null, a batch job) means no: deleting needs a yes someone typed.
    if sys.stdin is None or sys.stdin.closed:
        return False
    try:
        answer = input(question)
    except (EOFError, OSError):
        print()
        return False
    return answer.strip().lower() in {"y", "yes"}


def cmd_sessions_clear(args: argparse.Namespace) -> int:
    manager = SessionManager(args.base)
    paths = [Path(e.path) for e in manager._session_entries() if not e.is_dir()]
    count = len(paths)
    if count == 0:
        print(f"No session files in {manager.sessions_dir}")
        return 0
    refuse_if_in_use(paths)  # before asking: a yes could not be honoured
    noun = "file" if count == 1 else "files"
    if not args.yes and not _confirm(f"Delete {count} session {noun} in {manager.sessions_dir}? [y/N] "):
        print("Nothing deleted.")
        return 1
    # Refused, nothing deleted, while a running quiz holds any of them (the SessionBrowser's rule).
    deleted = clear_sessions(manager)
    print(f"Deleted {deleted} session {'file' if deleted == 1 else 'files'}.")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    # Lazy: the report code (and fsspec for URLs) only loads for this command.
    from quiz_widgets.teaching.report import ClassReport

    if args.gradebook and not args.output:
        print("error: --gradebook needs -o FILE, the CSV to write", file=sys.stderr)
        return 2
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = ClassReport.load(*args.sources, cache=args.cache)
        if args.regrade:
            report = _regraded(report, args.regrade)
            if report is None:
                return 1
    for warning in caught:  # skipped files: on stderr, each naming the file and why
        print(f"warning: {warning.message}", file=sys.stderr)
    read = report.read_stats
    if read.listed == 0 and not report.skipped:
        # Most likely the wrong folder: say what was looked for rather than write an empty report.
        print(
            f"error: no results files in {', '.join(args.sources)}: name the folder they are in (a "
            "project's results/, the folder `collect` delivers to; folders are read with their subfolders) "
            "or the files themselves",
            file=sys.stderr,
        )
        return 1
    attempts = report.attempt_list
    print(f"{_count(len(attempts), 'attempt')} by {_count(len({a.learner for a in attempts}), 'learner')}")
    # How much the cache saved: only new or changed files are read again.
    known = f", {read.unchanged:,} unchanged since {args.cache}" if args.cache else ""
    print(f"read {read.fetched:,} of {read.listed:,} files{known}; skipped {len(report.skipped):,}")
    if args.csv:
        for path in report.to_csv(args.csv):
            print(f"wrote {path}")
    if args.html:
        if args.lang and resolve(args.lang) == "en" and not args.lang.lower().startswith("en"):
            shipped = ", ".join(shipped_languages())
            print(
                f"warning: --lang {args.lang}: not shipped ({shipped}); the report is in English",
                file=sys.stderr,
            )
        print(f"wrote {report.to_html(args.html, lang=args.lang)}")
    if args.gradebook:
        return _write_gradebook(report, args)
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _regraded(report: Any, exam_file: str) -> Any:
    from quiz_widgets.exam import load_exam

    try:
        regraded = report.regrade(load_exam(exam_file))
    except ExamError as err:
        print(f"error: {exam_file}: " + "; ".join(err.problems), file=sys.stderr)
        return None
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return None
    done = regraded.regrade_summary
    dropped = f"; dropped question(s) {', '.join(done.dropped)}" if done.dropped else ""
    print(f"regraded {done.attempts} attempt(s) of {done.exam!r}: {done.changed} score(s) changed{dropped}")
    return regraded


def _write_gradebook(report: Any, args: argparse.Namespace) -> int:
    # The roster's mismatches are printed as lists here, so the instructor sees them beside the file.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = report.to_gradebook(args.gradebook, args.output, roster=args.roster, attempt=args.attempt)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    learners = len(book.rows) - (args.gradebook == "canvas")  # Canvas's second row is Points Possible
    print(f"wrote {book.path} ({args.gradebook} gradebook, {args.attempt} attempt, {learners} learners)")
    if book.not_in_roster:
        print(f"not in the roster ({len(book.not_in_roster)}): {', '.join(book.not_in_roster)}")
    if book.without_attempts:
        print(
            f"in the roster without an attempt ({len(book.without_attempts)}): "
            f"{', '.join(book.without_attempts)}"
        )
    return 0


def _write_output(path: str, text: str | bytes) -> bool:
    """Write the command's output file whole (store.atomic: a temp file, fsynced, renamed over it); False,
    with the reason on stderr, when it cannot be written (no such folder, no permission, a full disk)."""
    from quiz_widgets.store.atomic import atomic_write_bytes

    try:
        atomic_write_bytes(path, text.encode("utf-8") if isinstance(text, str) else text)
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return False
    return True


def _load_reporting(source: str) -> Any:
    """load_exam, each warning (a skipped item, with its line) printed on stderr as it was raised."""
    from quiz_widgets.exam import load_exam

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exam = load_exam(source)
        finally:
            for warning in caught:
                print(f"skipped: {warning.message}", file=sys.stderr)
    return exam


def _fail(err: ExamError) -> int:
    print("error: " + "\n  ".join(err.problems), file=sys.stderr)
    return 1


def cmd_import(args: argparse.Namespace) -> int:
    from quiz_widgets.exam.export import exam_yaml

    try:
        exam = _load_reporting(args.source)
    except ExamError as err:
        return _fail(err)
    if not _write_output(args.output, exam_yaml(exam)):
        return 1
    print(f"wrote {args.output}: {len(exam)} question{'s' if len(exam) != 1 else ''} of {exam.title!r}")
    return 0


_EXPORTS = {"gift": ("exam_gift", "Moodle GIFT"), "moodle-xml": ("exam_moodle_xml", "Moodle XML"),
            "qti": ("exam_qti", "a Canvas QTI 1.2 zip")}  # fmt: skip


def cmd_export(args: argparse.Namespace) -> int:
    from quiz_widgets.exam import export

    writer, name = _EXPORTS[args.to]
    if args.to == "qti" and args.output in (None, "-"):
        print("error: --to qti writes a zip: name it with -o canvas.zip", file=sys.stderr)
        return 2
    try:
        exam = _load_reporting(args.exam)
        text, problems = getattr(export, writer)(exam)
    except ExamError as err:
        return _fail(err)
    for problem in problems:  # what the format cannot say, as the importer reports what it cannot read
        print(f"warning: {problem}", file=sys.stderr)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    if not _write_output(args.output, text):
        return 1
    print(f"wrote {args.output}: {len(exam)} question{'s' if len(exam) != 1 else ''} as {name}")
    return 0


def _add_base_dir(parser: argparse.ArgumentParser) -> None:
    # --base-dir as Python's base_dir says; --base, its first name, still works (hidden) for old commands.
    parser.add_argument(
        "--base-dir",
        dest="base",
        default=".",
        metavar="DIR",
        help="folder holding data/sessions, as QuizWidget's base_dir (default: the current folder)",
    )
    parser.add_argument("--base", dest="base", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="quiz-widgets", description="quiz_widgets command line tools")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = sub.add_parser("validate", help="check exam files (JSON, YAML or Markdown)")
    validate.add_argument("exams", nargs="+", metavar="EXAM", help="exam file(s) to check")
    validate.set_defaults(func=cmd_validate)

    sessions = sub.add_parser("sessions", help="list or clear saved sessions")
    ssub = sessions.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = ssub.add_parser("list", help="show saved sessions, newest first")
    _add_base_dir(listing)
    listing.set_defaults(func=cmd_sessions_list)
    clear = ssub.add_parser(
        "clear", help="delete every session_*.json file (asks first; refused while a quiz has one open)"
    )
    _add_base_dir(clear)
    clear.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    clear.set_defaults(func=cmd_sessions_clear)
    report = sub.add_parser("report", help="a class report from results files, folders or URLs")
    report.add_argument("sources", nargs="+", metavar="SOURCE", help="folder, URL (s3://...) or results file")
    report.add_argument("--csv", metavar="DIR", help="write attempts, questions, topics and learners CSVs")
    report.add_argument("--html", metavar="FILE", help="write a self-contained HTML report")
    report.add_argument(
        "--lang", metavar="LANG", help="the HTML report's words in LANG (de, es, fr; default English)"
    )
    report.add_argument(
        "--cache", metavar="FILE", help="remember what was read in FILE: the next run reads only new results"
    )
    report.add_argument(
        "--gradebook", choices=("canvas", "moodle"), help="write the LMS's gradebook import CSV (with -o)"
    )
    report.add_argument("-o", "--output", metavar="FILE", help="the gradebook CSV to write")
    report.add_argument(
        "--roster",
        metavar="CSV",
        help="learner names to the LMS's ids and sections (learner, ID, Section...)",
    )
    report.add_argument(
        "--attempt", choices=("best", "last", "first"), default="best", help="which attempt counts (best)"
    )
    report.add_argument(
        "--regrade", metavar="EXAM", help="score every attempt again against this corrected exam first"
    )
    report.set_defaults(func=cmd_report)

    convert = sub.add_parser(
        "import", help="convert a question bank (Moodle GIFT or XML, Canvas QTI, jupyterquiz) to a YAML exam"
    )
    convert.add_argument(
        "source",
        metavar="FILE",
        help="a .gift, Moodle XML, Canvas QTI .xml/.zip, jupyterquiz .json or exam file",
    )
    convert.add_argument("-o", "--output", required=True, metavar="OUT.yaml", help="the YAML exam to write")
    convert.set_defaults(func=cmd_import)
    export = sub.add_parser("export", help="write an exam as Moodle GIFT, Moodle XML or a Canvas QTI zip")
    export.add_argument(
        "exam", metavar="EXAM", help="an exam file (YAML, JSON, Markdown, GIFT, Moodle XML, QTI)"
    )
    export.add_argument(
        "--to", choices=list(_EXPORTS), default="gift", help="the format to write (gift, moodle-xml, qti)"
    )
    export.add_argument(
        "-o", "--output", metavar="OUT", help="the file to write (default: stdout; qti: required)"
    )
    export.set_defaults(func=cmd_export)

    from quiz_widgets.convert import add_marimo_parser  # the widgets are imported when `marimo` runs
    from quiz_widgets.lite.command import add_lite_parser  # its heavy imports wait until `lite build` runs

    add_marimo_parser(sub, _fail)
    add_lite_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (SessionError, OSError) as err:  # e.g. an unreadable sessions folder: a message, not a traceback
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

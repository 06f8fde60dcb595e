"""quiz-widgets CLI: validate, sessions list, sessions clear (in-process via main() and as a subprocess)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from quiz_widgets.cli import main
from quiz_widgets.ui.session_browser import SessionBrowser

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]

GOOD_EXAM = {
    "title": "Tiny",
    "questions": [
        {
            "id": 1,
            "question": "2 + 2?",
            "options": {"A": "3", "B": "4"},
            "type": "singleChoice",
            "answer": "B",
        },
        {
            "id": 2,
            "question": "Pick two",
            "options": ["x", "y", "z"],
            "type": "multiChoice",
            "answer": ["A", "C"],
        },
    ],
}


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "quiz_widgets.cli", *args],
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


@pytest.fixture
def base(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "sessions", tmp_path / "data" / "sessions")
    return tmp_path


def test_validate_ok_and_failures(tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(GOOD_EXAM))
    assert main(["validate", str(good)]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "good.json" in out and "2 questions" in out

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"title": "Bad", "questions": [{"id": 1, "question": "?", "answer": "Z"}]}))
    missing = tmp_path / "missing.json"
    assert main(["validate", str(good), str(bad), str(missing)]) == 1
    out = capsys.readouterr().out
    assert f"OK   {good}" in out
    assert f"FAIL {bad}" in out
    assert f"FAIL {missing}" in out
    assert "2 of 3 exam files failed" in out


def test_validate_lists_every_problem(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"title": "", "questions": [{"id": 1, "question": ""}, {"id": 1, "question": "q", "answer": 3}]}
        )
    )
    assert main(["validate", str(bad)]) == 1
    problems = [line for line in capsys.readouterr().out.splitlines() if line.startswith("  - ")]
    assert len(problems) >= 2


def test_validate_subprocess_with_repo_exams(exams_dir: Path) -> None:
    exams = sorted(str(p) for p in exams_dir.glob("*.*"))
    assert len(exams) >= 2, "the package ships its sample exams in quiz_widgets/exam/samples"
    result = run_cli("validate", *exams)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("OK") == len(exams)


def test_sessions_list_table(base: Path, capsys) -> None:
    assert main(["sessions", "list", "--base", str(base)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["FILE", "EXAM", "PROGRESS", "SCORE", "TIME", "STATE"]
    rows = {line.split()[0]: line for line in lines[2:]}
    assert list(rows) == [
        "session_20240107_080000.json",
        "session_20240106_120000.json",
        "session_20240105_100000.json",
        "session_20240105_090000.json",
    ]
    assert "quit" in rows["session_20240107_080000.json"]
    completed = rows["session_20240106_120000.json"]
    assert "completed" in completed and "3/3" in completed and "1:02:05" in completed
    assert "in progress" in rows["session_20240105_100000.json"]
    emergency = rows["session_20240105_090000.json"]
    assert "saved at shutdown" in emergency and "5/10" in emergency and "0:06:52" in emergency


def test_sessions_list_states_match_the_session_browser(tmp_path: Path, capsys) -> None:
    # One label per session wherever it is shown: the CLI table says what the Previous Sessions list says.
    sessions = tmp_path / "data" / "sessions"
    shutil.copytree(FIXTURES / "sessions", sessions)
    # Every question answered but never flagged completed (a crash right after the last answer).
    all_answered = json.loads((sessions / "session_20240105_100000.json").read_text())
    all_answered["quiz_mode"]["total_answered"] = all_answered["total_questions"]
    (sessions / "session_20240108_090000.json").write_text(json.dumps(all_answered))
    browser = SessionBrowser(tmp_path)
    shown = {row["title"] + " " + row["progress"]: row["state"] for row in browser.sessions}
    browser.close()
    assert main(["sessions", "list", "--base", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()[2:]
    assert len(lines) == len(shown) == 5
    for line in lines:
        name = line.split()[0]
        data = json.loads((sessions / name).read_text())
        key = f"{data['exam_title']} {data['quiz_mode']['total_answered']}/{data['total_questions']}"
        assert line.rstrip().endswith(shown[key]), (line, shown[key])
    assert "completed" in next(line for line in lines if line.startswith("session_20240108_090000.json"))


def _hold_session_in_another_process(base: Path) -> tuple[subprocess.Popen, Path]:
    """A second process with a live quiz on a session under ``base``, as a running kernel has."""
    exam = base / "tiny.json"
    exam.write_text(json.dumps(GOOD_EXAM))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget({str(exam)!r}, base_dir={str(base)!r}, autosave_interval=0)\n"
            "quiz.answer('B')\n"
            "print(quiz.session_path, flush=True)\n"
            "sys.stdin.read()\n"
            "quiz.answer('A')\n"
            "print(quiz.save(), flush=True)\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    line = holder.stdout.readline().strip()
    assert line, "the holding process did not start its quiz"
    return holder, Path(line)


@pytest.mark.parametrize("how", ["in-process", "subprocess"])
def test_sessions_clear_refuses_sessions_a_running_quiz_holds(base: Path, capsys, how: str) -> None:
    holder, live = _hold_session_in_another_process(base)
    try:
        before = sorted(p.name for p in (base / "data" / "sessions").glob("session_*.json"))
        assert live.name in before and len(before) == 5
        if how == "in-process":
            code = main(["sessions", "clear", "--base", str(base), "--yes"])
            err = capsys.readouterr().err
        else:
            result = run_cli("sessions", "clear", "--base", str(base), "--yes")
            code, err = result.returncode, result.stderr
        assert code == 1
        assert live.name in err and "nothing was deleted" in err, err
        after = sorted(p.name for p in (base / "data" / "sessions").glob("session_*.json"))
        assert after == before
        # The running quiz goes on writing its file.
        holder.stdin.close()
        assert holder.stdout.readline().strip() == str(live)
        assert holder.wait(30) == 0
        assert json.loads(live.read_text())["quiz_mode"]["total_answered"] == 2
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)
    # Once that quiz has ended, clearing deletes every file (and the lock files with them).
    assert main(["sessions", "clear", "--base", str(base), "--yes"]) == 0
    assert "Deleted 5 session files." in capsys.readouterr().out
    sessions = base / "data" / "sessions"
    assert not list(sessions.glob("session_*.json"))
    assert not list(sessions.glob(".locks/*.lock"))


def test_sessions_list_subprocess_warns_about_bad_files(base: Path) -> None:
    (base / "data" / "sessions" / "session_broken.json").write_text("{")
    result = run_cli("sessions", "list", "--base", str(base))
    assert result.returncode == 0
    assert "session_broken.json" in result.stderr and "invalid JSON" in result.stderr
    assert "session_broken.json" not in result.stdout
    assert result.stdout.count("session_2024") == 4


def test_sessions_list_default_base_and_empty(tmp_path: Path) -> None:
    result = run_cli("sessions", "list", cwd=tmp_path)
    assert result.returncode == 0
    assert "No sessions in" in result.stdout
    assert not (tmp_path / "data").exists()


def test_sessions_clear_yes(base: Path, capsys) -> None:
    (base / "data" / "sessions" / "notes.txt").write_text("keep")
    assert main(["sessions", "clear", "--base", str(base), "--yes"]) == 0
    assert "Deleted 4 session files." in capsys.readouterr().out
    assert sorted(p.name for p in (base / "data" / "sessions").iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(
    ("answer", "deleted"), [("y\n", True), ("yes\n", True), ("n\n", False), ("\n", False)]
)
def test_sessions_clear_asks(base: Path, capsys, monkeypatch, answer: str, deleted: bool) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer))
    code = main(["sessions", "clear", "--base", str(base)])
    out = capsys.readouterr().out
    assert f"Delete 4 session files in {base / 'data' / 'sessions'}? [y/N]" in out
    remaining = list((base / "data" / "sessions").glob("session_*.json"))
    assert (code, len(remaining)) == ((0, 0) if deleted else (1, 4))


def test_sessions_clear_without_stdin_is_no(base: Path) -> None:
    result = run_cli("sessions", "clear", "--base", str(base))
    assert result.returncode == 1
    assert "Nothing deleted." in result.stdout
    assert len(list((base / "data" / "sessions").glob("session_*.json"))) == 4


def test_sessions_clear_subprocess_confirmed(base: Path) -> None:
    result = run_cli("sessions", "clear", "--base", str(base), stdin="y\n")
    assert result.returncode == 0, result.stderr
    assert "Deleted 4 session files." in result.stdout
    assert not list((base / "data" / "sessions").glob("session_*.json"))


def test_sessions_clear_nothing_to_do(tmp_path: Path, capsys) -> None:
    assert main(["sessions", "clear", "--base", str(tmp_path)]) == 0
    assert "No session files" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["sessions", "frobnicate"])
    assert info.value.code == 2


def test_console_script_installed() -> None:
    script = Path(sys.executable).parent / "quiz-widgets"
    assert script.exists(), "pip install -e . installs the quiz-widgets console script"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "validate" in result.stdout and "sessions" in result.stdout


@pytest.mark.parametrize("action", ["list", "clear"])
def test_sessions_take_base_dir_as_python_names_it(base: Path, capsys, action: str) -> None:
    """`--base-dir` as QuizWidget(base_dir=...) says; `--base` still works for old commands and scripts."""
    extra = ["--yes"] if action == "clear" else []
    assert main(["sessions", action, "--base-dir", str(base), *extra]) == 0
    first = capsys.readouterr().out
    assert ("session_2024" in first) if action == "list" else first == "Deleted 4 session files.\n"
    if action == "clear":
        shutil.copytree(FIXTURES / "sessions", base / "data" / "sessions", dirs_exist_ok=True)
    assert main(["sessions", action, "--base", str(base), *extra]) == 0
    assert capsys.readouterr().out == first


@pytest.mark.parametrize("action", ["list", "clear"])
def test_sessions_help_names_base_dir(action: str) -> None:
    result = run_cli("sessions", action, "--help")
    assert result.returncode == 0
    assert "--base-dir DIR" in result.stdout
    assert "--base DIR" not in result.stdout


def test_report_says_what_it_read_and_fails_on_a_folder_without_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A newcomer who runs it in the wrong folder is told so, not handed an empty report and exit 0.
    (tmp_path / "empty").mkdir()
    html = tmp_path / "report.html"
    assert main(["report", str(tmp_path / "empty"), "--html", str(html)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: no results files in {tmp_path / 'empty'}: name the folder")
    assert captured.out == "" and not html.exists()
    assert main(["report", str(FIXTURES / "results"), "--html", str(html)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == ["3 attempts by 1 learner", "read 3 of 3 files; skipped 0"]
    assert html.stat().st_mode & 0o777 == 0o666 & ~_umask()  # shared with the class: not a temp file's 0600


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask

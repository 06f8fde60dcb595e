"""The gradebook CSV: Canvas's import layout and Moodle's grade import, which attempt counts, the roster
(and who is missing on either side), formula-safe cells, the CLI."""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path

import pytest
from grades_class import EXAM, MATRIX, class_results, results

from quiz_widgets.cli import main as cli_main
from quiz_widgets.teaching.report import ClassReport

ROSTER = (
    "Student,ID,SIS User ID,SIS Login ID,Section,learner\r\n"
    '"Ann, A.",101,S1,ann01,Mon,ann\r\n'
    '"Gus, G.",107,S7,gus07,Tue,gus\r\n'
    '"Zed, Z.",199,S9,zed09,Tue,zed\r\n'
)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


@pytest.fixture
def report() -> ClassReport:
    return ClassReport.load(class_results())


def test_canvas_layout_best_attempt_by_default(report: ClassReport, tmp_path: Path) -> None:
    book = report.to_gradebook("canvas", tmp_path / "grades.csv")
    rows = _rows(tmp_path / "grades.csv")
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", EXAM]
    assert rows[1] == ["Points Possible", "", "", "", "", "4"]
    grades = {r[0]: r[5] for r in rows[2:]}
    assert grades == {"ann": "3", "ben": "3", "cat": "2", "dan": "2", "eve": "2", "fay": "1", "gus": "4"}
    assert book.not_in_roster == [] and book.without_attempts == []


def test_canvas_assignment_id_in_the_header(report: ClassReport, tmp_path: Path) -> None:
    report.to_gradebook("canvas", tmp_path / "g.csv", assignment_ids={EXAM: 4711})
    assert _rows(tmp_path / "g.csv")[0][5] == f"{EXAM} (4711)"


@pytest.mark.parametrize(("which", "gus"), [("best", "4"), ("last", "4"), ("first", "0")])
def test_which_attempt_counts(report: ClassReport, tmp_path: Path, which: str, gus: str) -> None:
    report.to_gradebook("moodle", tmp_path / "g.csv", attempt=which)
    rows = _rows(tmp_path / "g.csv")
    assert rows[0] == ["Username", EXAM]
    assert dict(rows[1:])["gus"] == gus


def test_best_is_not_last(tmp_path: Path) -> None:
    # ann scores 3, then 1 on a later try: best keeps 3, last gives 1.
    data = [*class_results(), results("ann", [1, 0, 0, 0], day=6)]
    report = ClassReport.load(data)
    report.to_gradebook("moodle", tmp_path / "best.csv")
    report.to_gradebook("moodle", tmp_path / "last.csv", attempt="last")
    assert dict(_rows(tmp_path / "best.csv")[1:])["ann"] == "3"
    assert dict(_rows(tmp_path / "last.csv")[1:])["ann"] == "1"


def test_roster_maps_names_and_lists_who_is_missing(report: ClassReport, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        book = report.to_gradebook("canvas", tmp_path / "g.csv", roster=roster)
    messages = " | ".join(str(w.message) for w in caught)
    assert "not in the roster: ben, cat, dan, eve, fay" in messages
    assert "have no attempt: zed" in messages
    assert book.not_in_roster == ["ben", "cat", "dan", "eve", "fay"]
    assert book.without_attempts == ["zed"]
    rows = _rows(tmp_path / "g.csv")
    # Roster order first, with the LMS's ids; zed's cell is empty (no attempt), not a zero.
    assert rows[2] == ["Ann, A.", "101", "S1", "ann01", "Mon", "3"]
    assert rows[3] == ["Gus, G.", "107", "S7", "gus07", "Tue", "4"]
    assert rows[4] == ["Zed, Z.", "199", "S9", "zed09", "Tue", ""]
    assert [r[0] for r in rows[5:]] == ["ben", "cat", "dan", "eve", "fay"]


def test_moodle_with_roster_identifiers(report: ClassReport, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("learner,username,email\r\nann,a.smith,ann@example.org\r\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report.to_gradebook("moodle", tmp_path / "g.csv", roster=roster)
    rows = _rows(tmp_path / "g.csv")
    assert rows[0] == ["Username", "Email address", EXAM]
    assert rows[1] == ["a.smith", "ann@example.org", "3"]


def test_cells_are_formula_safe(tmp_path: Path) -> None:
    data = results("ann")
    data["learner"] = '=HYPERLINK("http://x")'
    data["exam_info"]["title"] = "+cmd"
    report = ClassReport.load([data])
    report.to_gradebook("canvas", tmp_path / "g.csv")
    rows = _rows(tmp_path / "g.csv")
    assert rows[0][5] == "'+cmd"
    assert rows[2][0] == '\'=HYPERLINK("http://x")'


def test_bad_arguments_name_what(report: ClassReport, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="found LMS 'blackboard'"):
        report.to_gradebook("blackboard", tmp_path / "g.csv")
    with pytest.raises(ValueError, match="found attempt 'median'"):
        report.to_gradebook("canvas", tmp_path / "g.csv", attempt="median")
    roster = tmp_path / "r.csv"
    roster.write_text("Section,Student\r\nMon,Ann\r\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"r\.csv, line 1: no 'learner' column"):
        report.to_gradebook("canvas", tmp_path / "g.csv", roster=roster)
    roster.write_text("learner\r\nann\r\nbob\r\nann\r\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 4: learner 'ann' again \(first on line 2\)"):
        report.to_gradebook("canvas", tmp_path / "g.csv", roster=roster)
    roster.write_bytes(b"learner\r\n\xff\xfe ann\r\n")
    with pytest.raises(ValueError, match=r"r\.csv: not UTF-8 text \(byte 9\)"):
        report.to_gradebook("canvas", tmp_path / "g.csv", roster=roster)
    assert not (tmp_path / "g.csv").exists()


def test_cli_gradebook_with_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "class"
    for data in class_results():
        target = folder / data["learner"] / f"r_{data['session_info']['completion_date'][:10]}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data), encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    out = tmp_path / "grades.csv"
    code = cli_main(
        [
            "report",
            str(folder),
            "--gradebook",
            "canvas",
            "-o",
            str(out),
            "--roster",
            str(roster),
            "--attempt",
            "first",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert f"wrote {out} (canvas gradebook, first attempt, 8 learners)" in captured.out
    assert "not in the roster (5): ben, cat, dan, eve, fay" in captured.out
    assert "in the roster without an attempt (1): zed" in captured.out
    assert _rows(out)[3] == ["Gus, G.", "107", "S7", "gus07", "Tue", "0"]


def test_cli_gradebook_needs_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["report", str(tmp_path), "--gradebook", "canvas"]) == 2
    assert "--gradebook needs -o" in capsys.readouterr().err


def test_roster_as_dicts(report: ClassReport, tmp_path: Path) -> None:
    people = [{"learner": name, "id": 100 + i, "section": "Mon"} for i, name in enumerate(sorted(MATRIX))]
    book = report.to_gradebook("canvas", tmp_path / "g.csv", roster=people)
    assert book.not_in_roster == [] and book.without_attempts == []
    assert _rows(tmp_path / "g.csv")[2] == ["ann", "100", "", "ann", "Mon", "3"]
    with pytest.raises(ValueError, match="expected a RosterEntry or a dict with 'learner'"):
        report.to_gradebook("canvas", tmp_path / "g.csv", roster=[{"name": "ann"}])

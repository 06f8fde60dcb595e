"""A live class of many learners (issue 23): the class view and the report read only what changed since they
last read the store, and still lose nothing and count nothing twice. Object stores are the tests' moto
server through s3fs, counted by a FaultProxy in front of it (the requests a store would bill); folders are
real local folders."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from class_data import results, write_class
from s3_server import FaultProxy, S3Server

from quiz_widgets import ClassView
from quiz_widgets.teaching import incremental
from quiz_widgets.teaching.collect import Collector
from quiz_widgets.teaching.live import class_snapshot
from quiz_widgets.teaching.quiz_link import PROGRESS_KIND
from quiz_widgets.teaching.report import ClassReport

BUCKET = "live"
EXAM = "Big lecture"


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[S3Server]:
    server = S3Server(log_dir=tmp_path).start()
    server.make_bucket(BUCKET)
    yield server
    server.stop()


@pytest.fixture
def proxy(s3: S3Server) -> Iterator[FaultProxy]:
    counting = FaultProxy(s3.port)
    yield counting
    counting.close()


def _fs(s3: S3Server) -> Any:
    import fsspec

    return fsspec.filesystem("s3", skip_instance_cache=True, **s3.storage_options())


def _record(learner: str, marks: list[bool], *, session: str = "2026-01-05T10:00:00") -> bytes:
    """One learner's progress record for one attempt: every answer so far (what quiz_link writes)."""
    return json.dumps(
        {
            "kind": PROGRESS_KIND,
            "learner": learner,
            "exam": EXAM,
            "session_date": session,
            "answers": [
                {"question_id": q + 1, "question": f"Q{q + 1}?", "topic": None, "correct": right}
                for q, right in enumerate(marks)
            ],
            "answered": len(marks),
            "total": 24,
            "date": "2026-01-05T10:30:00",
        }
    ).encode()


def _old(learner: str, qid: int, correct: bool, *, answered: int, date: str, session: str = "s1") -> bytes:
    """A record per answer, as stores written before issue 23 hold them."""
    return json.dumps(
        {
            "kind": PROGRESS_KIND,
            "learner": learner,
            "exam": EXAM,
            "session_date": session,
            "question_id": qid,
            "question": f"Q{qid}?",
            "correct": correct,
            "answered": answered,
            "total": 24,
            "date": date,
        }
    ).encode()


def _shares(snap: dict[str, Any]) -> dict[str, tuple[int, float]]:
    return {h["question_id"]: (h["answers"], h["correct_share"]) for h in snap["hardest"]}


def _started(snap: dict[str, Any]) -> int:
    return snap["quizzes"][0]["started"] if snap["quizzes"] else 0


# -- the view: a quiet refresh is one listing -----------------------------------------------------------


def test_a_quiet_refresh_of_the_class_view_costs_one_listing_and_a_change_one_get_each(
    s3: S3Server, proxy: FaultProxy, recording_comms: list
) -> None:
    fs = _fs(s3)
    fs.pipe({f"{BUCKET}/cs/l{i:02d}/progress_a.json": _record(f"l{i:02d}", [True, False]) for i in range(30)})
    view = ClassView(f"s3://{BUCKET}/cs", storage_options=s3.storage_options(proxy.endpoint), refresh=5)
    assert _started(view.snapshot) == 30 and _shares(view.snapshot)["2"] == (30, 0.0)

    proxy.requests.clear()
    snap = view.refresh_now()
    # Before issue 23 every refresh fetched every object again: 30 GETs for 30 learners, 24,000 for a hall.
    assert dict(proxy.requests) == {"GET": 1}  # the listing (list-type=2), nothing fetched
    assert snap["read"] == {"listed": 30, "fetched": 0, "requests": 1}
    assert _started(snap) == 30

    # Three learners answer one more question: their records are rewritten, one more learner starts.
    for i in range(3):
        fs.pipe_file(f"{BUCKET}/cs/l{i:02d}/progress_a.json", _record(f"l{i:02d}", [True, False, True]))
    fs.pipe_file(f"{BUCKET}/cs/new/progress_a.json", _record("new", [False]))
    proxy.requests.clear()
    snap = view.refresh_now()
    assert dict(proxy.requests) == {"GET": 1 + 4}
    assert snap["read"]["fetched"] == 4 and _started(snap) == 31
    shares = _shares(snap)
    assert shares["1"] == (31, pytest.approx(30 / 31)) and shares["3"] == (3, 1.0)


def test_a_record_rewritten_while_the_view_reads_it_is_read_again_and_never_twice(
    s3: S3Server, monkeypatch: pytest.MonkeyPatch, recording_comms: list
) -> None:
    fs = _fs(s3)
    key = f"{BUCKET}/cs/ada/progress_a.json"
    fs.pipe({key: _record("ada", [False]), f"{BUCKET}/cs/bob/progress_a.json": _record("bob", [True])})
    view = ClassView(f"s3://{BUCKET}/cs", storage_options=s3.storage_options(), refresh=5)
    assert _shares(view.snapshot)["1"] == (2, 0.5)

    real = incremental.fetch_objects
    rewrites = [_record("ada", [True, True]), _record("ada", [True, True, False])]

    def rewritten_around_the_get(fs_: Any, listing: dict[str, Any], **kw: Any) -> Any:
        # Between the listing and the GET, then again right after the GET: the listing's ETag is the old
        # version's both times.
        fs.pipe_file(key, rewrites[0])
        found = real(fs_, listing, **kw)
        fs.pipe_file(key, rewrites[1])
        return found

    fs.pipe_file(key, _record("ada", [True]))
    monkeypatch.setattr(incremental, "fetch_objects", rewritten_around_the_get)
    snap = view.refresh_now()
    assert _shares(snap)["1"] == (2, 1.0) and _shares(snap)["2"] == (1, 1.0)  # the version the GET saw
    monkeypatch.setattr(incremental, "fetch_objects", real)
    snap = view.refresh_now()  # the store's last version, whose ETag differs from what was kept
    assert snap["read"]["fetched"] == 1
    assert _shares(snap) == {"1": (2, 1.0), "2": (1, 1.0), "3": (1, 0.0)}
    assert _started(snap) == 2
    assert view.refresh_now()["read"]["fetched"] == 0


def test_a_get_that_failed_is_tried_again_at_the_next_refresh(
    s3: S3Server, monkeypatch: pytest.MonkeyPatch, recording_comms: list
) -> None:
    fs = _fs(s3)
    fs.pipe({f"{BUCKET}/cs/{n}/progress_a.json": _record(n, [True]) for n in ("ada", "bob")})
    real = incremental.fetch_objects

    def bob_times_out(fs_: Any, listing: dict[str, Any], **kw: Any) -> Any:
        found, gets = real(fs_, listing, **kw)
        for path in found:
            if "/bob/" in path:
                found[path] = TimeoutError("the store did not answer")
        return found, gets

    monkeypatch.setattr(incremental, "fetch_objects", bob_times_out)
    with pytest.warns(UserWarning, match="class view: skipped s3://live/cs/bob/progress_a.json"):
        view = ClassView(f"s3://{BUCKET}/cs", storage_options=s3.storage_options(), refresh=5)
    assert _started(view.snapshot) == 1 and view.snapshot["skipped"] == 1
    monkeypatch.setattr(incremental, "fetch_objects", real)
    snap = view.refresh_now()  # nothing changed in the store, but bob's record was never read
    assert snap["read"]["fetched"] == 1 and _started(snap) == 2 and snap["skipped"] == 0


def test_a_listing_that_pages_and_objects_deleted_from_it(
    s3: S3Server, proxy: FaultProxy, recording_comms: list
) -> None:
    # 1,050 records of the old kind (one per answer): more than one listing page of 1,000 keys.
    fs = _fs(s3)
    fs.pipe(
        {
            f"{BUCKET}/cs/l{i:02d}/progress_{q:02d}.json": _old(
                f"l{i:02d}", q, q % 2 == 0, answered=q, date=f"2026-01-05T10:{q:02d}:00"
            )
            for i in range(50)
            for q in range(1, 22)
        }
    )
    assert len(s3.keys(BUCKET)) == 1050
    view = ClassView(f"s3://{BUCKET}/cs", storage_options=s3.storage_options(proxy.endpoint), refresh=5)
    assert _started(view.snapshot) == 50 and view.snapshot["read"]["listed"] == 1050
    assert sum(n for n, _ in _shares(view.snapshot).values()) == 5 * 50  # the five hardest, 50 answers each

    proxy.requests.clear()
    assert view.refresh_now()["read"] == {"listed": 1050, "fetched": 0, "requests": 2}
    assert dict(proxy.requests) == {"GET": 2}  # two listing pages

    fs.rm([f"{BUCKET}/cs/l00/progress_{q:02d}.json" for q in range(1, 22)])  # a learner's records deleted
    fs.pipe_file(
        f"{BUCKET}/cs/l01/progress_01.json", _old("l01", 1, True, answered=1, date="2026-01-05T10:01:00")
    )
    snap = view.refresh_now()
    assert _started(snap) == 49 and snap["read"]["listed"] == 1029 and snap["read"]["fetched"] == 1
    # l01 is now right on Q1, so Q1 leaves the hardest (all wrong before); l00's answers are gone.
    assert "1" not in _shares(snap) and _shares(snap)["11"] == (49, 0.0)


def test_a_resumed_session_on_a_kernel_whose_clock_is_behind_still_replaces_the_answers_before_it(
    tmp_path: Path,
) -> None:
    # Kernel A (clock right) took Q1 wrong; the session resumed on kernel B, whose clock is an hour behind,
    # where Q1 was answered again, right. The later answer must win, whatever the dates say.
    root = tmp_path / "cs"
    (root / "ada").mkdir(parents=True)
    (root / "ada" / "progress_a.json").write_bytes(
        _old("ada", 1, False, answered=1, date="2026-01-05T10:00:00")
    )
    (root / "ada" / "progress_b.json").write_bytes(
        _old("ada", 1, True, answered=2, date="2026-01-05T09:01:00")
    )
    assert _shares(class_snapshot(root))["1"] == (1, 1.0)


def test_a_folder_record_rewritten_with_an_older_time_and_the_same_size_is_read_again(
    tmp_path: Path, recording_comms: list
) -> None:
    root = tmp_path / "cs"
    (root / "ada").mkdir(parents=True)
    path = root / "ada" / "progress_a.json"
    old = _record("ada", [False, False])
    path.write_bytes(old)
    past = os.stat(path).st_mtime_ns - 3600 * 10**9
    view = ClassView(root, refresh=5)
    assert _shares(view.snapshot)["1"] == (1, 0.0)
    assert view.refresh_now()["read"]["fetched"] == 0
    with open(path, "r+b") as fh:  # in place, same size: a writer whose clock is an hour behind
        fh.write(_record("ada", [True, False]).ljust(len(old)))
    os.utime(path, ns=(past, past))
    snap = view.refresh_now()
    assert snap["read"]["fetched"] == 1 and _shares(snap)["1"] == (1, 1.0)


# -- the report: a store read before -------------------------------------------------------------------


def test_report_load_of_a_store_read_before_in_this_process_reads_only_new_results(
    s3: S3Server, proxy: FaultProxy, tmp_path: Path
) -> None:
    root = write_class(tmp_path / "cs101")
    fs = _fs(s3)
    for path in sorted(root.rglob("*.json")):
        fs.pipe_file(f"{BUCKET}/cs101/{path.relative_to(root).as_posix()}", path.read_bytes())
    url, options = f"s3://{BUCKET}/cs101", s3.storage_options(proxy.endpoint)
    first = ClassReport.load(url, storage_options=options)
    assert len(first.attempt_rows()) == 5 and first.read_stats.fetched == 5

    fay = results("ada", day=2)
    fay["learner"] = "fay"
    fs.pipe_file(f"{BUCKET}/cs101/fay/quiz_results_f.json", json.dumps(fay).encode())
    proxy.requests.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = ClassReport.load(url, storage_options=options)
    assert dict(proxy.requests) == {"GET": 2}  # the listing and fay's new file
    assert (again.read_stats.fetched, again.read_stats.unchanged) == (1, 5)
    assert sorted(r["learner"] for r in again.attempt_rows()) == ["ada", "bob", "cy", "dee", "eve", "fay"]
    # Reports do not share their attempts: the first is as it was, and inferred outcomes are not kept.
    assert len(first.attempt_rows()) == 5
    assert again.question_rows() == ClassReport.load(root, fay).question_rows()


def test_cli_report_with_a_cache_file_reads_only_new_results_in_the_next_run(tmp_path: Path) -> None:
    root = write_class(tmp_path / "cs101")
    cache = tmp_path / "report-cache.json"

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "quiz_widgets.cli", "report", str(root), "--cache", str(cache)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    assert "read 5 of 5 files, 0 unchanged since" in run()
    assert "read 0 of 5 files, 5 unchanged since" in run()  # another process: the cache file knew them
    (root / "fay").mkdir()
    fay = results("ada", day=2)
    fay["learner"] = "fay"
    (root / "fay" / "quiz_results_f.json").write_text(json.dumps(fay), encoding="utf-8")
    (root / "bob" / "quiz_results_x.json").write_text("{not json", encoding="utf-8")
    out = run()
    assert "6 attempts by 6 learners\n" in out
    assert "read 2 of 7 files, 5 unchanged since" in out and "skipped 1" in out
    cache.write_text("[]", encoding="utf-8")  # not a cache file: said, and everything read again
    done = subprocess.run(
        [sys.executable, "-m", "quiz_widgets.cli", "report", str(root), "--cache", str(cache)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert f"cache file {cache} not used" in done.stderr and "read 7 of 7 files" in done.stdout


# -- the learner's side: one record per attempt, never lost ---------------------------------------------


def test_a_progress_record_rewritten_in_the_outbox_while_it_is_sent_is_not_lost(tmp_path: Path) -> None:
    shared = tmp_path / "class"
    shared.mkdir()
    collector = Collector(str(shared), learner="ada", base_dir=tmp_path / "ada", background=False)
    real_put = collector._put
    newer = {"kind": PROGRESS_KIND, "exam": EXAM, "answers": [1, 2], "learner": "ada"}

    def put_while_the_quiz_saves(learner: str, name: str, payload: bytes) -> None:
        real_put(learner, name, payload)
        if json.loads(payload)["answers"] == [1]:
            # The next answer's record replaces the item while the first version is on its way.
            from quiz_widgets.store.atomic import atomic_write_json

            atomic_write_json(collector.outbox / f"{name}.json", newer)

    collector._put = put_while_the_quiz_saves  # type: ignore[method-assign]
    collector.submit({"kind": PROGRESS_KIND, "exam": EXAM, "answers": [1]}, "progress_x")
    assert json.loads((shared / "ada" / "progress_x.json").read_text())["answers"] == [1, 2]
    assert collector.pending() == []

"""Collector: the outbox, a shared folder, and a real S3-compatible server (moto) with its faults."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from class_data import EXAM, results, write_class
from s3_server import FaultProxy, S3Server

from quiz_widgets.errors import SessionError
from quiz_widgets.teaching.collect import COLLECT_ENV, Collector, attempt_name
from quiz_widgets.teaching.learner import resolve_learner
from quiz_widgets.teaching.report import ClassReport

BUCKET = "course"


@pytest.fixture
def s3(tmp_path: Path) -> Iterator[S3Server]:
    server = S3Server(log_dir=tmp_path).start()
    server.make_bucket(BUCKET)
    yield server
    server.stop()


def record(n: int = 1) -> dict:
    data = results("ada")
    data.pop("learner")
    data["session_info"]["completion_date"] = f"2025-03-01T10:00:{n:02d}.000000"
    return data


# -- learner -------------------------------------------------------------------------------------


def test_resolve_learner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "grace@example.org")
    assert resolve_learner("ada") == "ada"
    assert resolve_learner() == "grace@example.org"
    monkeypatch.delenv("JUPYTERHUB_USER")
    monkeypatch.setenv("USER", "osuser")
    monkeypatch.setenv("LOGNAME", "osuser")
    assert resolve_learner() == "osuser"
    for bad in ("../bob", "bob/x", "..", ".hidden", "", " ada", "a\x00b", "c:d", "x" * 200):
        with pytest.raises(SessionError, match="learner argument: found") as info:
            resolve_learner(bad)
        assert "expected a name usable as one folder name" in str(info.value)
    monkeypatch.setenv("JUPYTERHUB_USER", "../../etc")
    with pytest.raises(ValueError, match=r"JUPYTERHUB_USER: found '\.\./\.\./etc', starts with '\.'"):
        resolve_learner()


# -- a shared folder -----------------------------------------------------------------------------


def test_folder_delivery_atomic_names_and_outbox(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    collector = Collector(shared, learner="ada", base_dir=tmp_path / "home", background=False)
    name = attempt_name("quiz_results_20250301_100000_123456")
    assert name.startswith("quiz_results_20250301_100000_123456-") and len(name) == 42
    assert collector.submit(record(), name) == "delivered"
    files = sorted(p.relative_to(shared).as_posix() for p in shared.rglob("*"))
    assert files == ["ada", f"ada/{name}.json"]  # no temp file left, nothing outside ada/
    sent = json.loads((shared / "ada" / f"{name}.json").read_text(encoding="utf-8"))
    assert sent["learner"] == "ada" and sent["exam_info"]["title"] == EXAM
    assert collector.pending() == []


def test_missing_shared_folder_queues_and_a_later_save_sends(tmp_path: Path) -> None:
    shared = tmp_path / "mount"  # the network mount is not there yet
    collector = Collector(shared, learner="ada", base_dir=tmp_path / "home", background=False)
    status = collector.submit(record(1), "a1")
    assert status == "queued: the store's folder or bucket does not exist"
    assert not shared.exists()  # never created: that would "deliver" to a local folder
    outbox_item = next((tmp_path / "home" / "data" / "outbox").rglob("a1.json"))
    assert json.loads(outbox_item.read_text(encoding="utf-8"))["learner"] == "ada"
    shared.mkdir()
    assert collector.submit(record(2), "a2") == "delivered"  # the next save sends both
    assert sorted(p.name for p in (shared / "ada").iterdir()) == ["a1.json", "a2.json"]
    assert not outbox_item.exists()


def test_bad_records_names_and_protocols_write_nothing(tmp_path: Path) -> None:
    collector = Collector(tmp_path, learner="ada", base_dir=tmp_path / "home", background=False)
    with pytest.raises(SessionError, match=r"field 'learner' is 'bob'; expected 'ada'"):
        collector.submit({**record(), "learner": "bob"}, "x")
    for bad in ("../x", ".x", "a/b", ""):
        with pytest.raises(SessionError, match="collection name"):
            collector.submit(record(), bad)
    with pytest.raises(TypeError):
        collector.submit({"when": object()}, "y")
    assert collector.pending() == [] and not (tmp_path / "ada").exists()
    with pytest.raises(SessionError, match="unknown protocol 'nosuch'"):
        Collector("nosuch://x/y", learner="ada", base_dir=tmp_path)


def test_disabled_without_collect_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(COLLECT_ENV, raising=False)
    collector = Collector(learner="ada", base_dir=tmp_path)
    assert not collector.enabled and collector.submit(record()) == ""
    assert not (tmp_path / "data").exists()
    monkeypatch.setenv(COLLECT_ENV, str(tmp_path))
    assert Collector(learner="ada", base_dir=tmp_path).collect_to == str(tmp_path)


def test_two_kernels_one_outbox_never_collide(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    kernels = [Collector(shared, learner="ada", base_dir=tmp_path / "home") for _ in range(2)]
    names: list[str] = []

    def finish_many(c: Collector) -> None:
        for i in range(20):
            name = attempt_name()
            names.append(name)
            c.submit(record(i), name)

    threads = [threading.Thread(target=finish_many, args=(c,)) for c in kernels]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for c in kernels:
        assert c.wait(30)
        c.flush()
        assert c.wait(30)
    assert len(set(names)) == 40
    assert sorted(p.name for p in (shared / "ada").iterdir()) == sorted(f"{n}.json" for n in names)
    assert kernels[0].pending() == [] and kernels[0].status == "delivered"


# -- a real S3-compatible server -----------------------------------------------------------------


def test_s3_delivery_and_report_over_the_bucket(s3: S3Server, tmp_path: Path) -> None:
    url = f"s3://{BUCKET}/cs101"
    seen: list[str] = []
    for learner in ("ada", "bob", "cy", "dee"):
        c = Collector(url, learner=learner, base_dir=tmp_path / learner, storage_options=s3.storage_options(),
                      on_status=seen.append)  # fmt: skip
        data = results(learner)
        data.pop("learner")
        assert c.submit(data, attempt_name()) == "sending"  # the caller does not wait for the store
        assert c.wait(30) and c.status == "delivered"
    assert seen.count("delivered") == 4
    keys = s3.keys(BUCKET)
    assert len(keys) == 4 and all(k.startswith(f"cs101/{k.split('/')[1]}/quiz_results_") for k in keys)
    report = ClassReport.load(url, storage_options=s3.storage_options())
    assert sorted(r["learner"] for r in report.attempt_rows()) == ["ada", "bob", "cy", "dee"]
    assert {r["question_id"]: r["correct_share"] for r in report.question_rows()}["4"] == 0.25


def test_s3_through_aws_endpoint_url(s3: S3Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A hub administrator's setup: the endpoint and keys in the environment, nothing in the notebook.
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", s3.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", s3.secret_key)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv(COLLECT_ENV, f"s3://{BUCKET}/env-course")
    c = Collector(learner="ada", base_dir=tmp_path, background=False)
    assert c.submit(record(), "a1") == "delivered"
    assert s3.keys(BUCKET) == ["env-course/ada/a1.json"]


def test_s3_server_stopped_then_back(s3: S3Server, tmp_path: Path) -> None:
    c = Collector(f"s3://{BUCKET}/c", learner="ada", base_dir=tmp_path, storage_options=s3.storage_options(),
                  background=False, timeout=2)  # fmt: skip
    assert c.submit(record(1), "a1") == "delivered"
    s3.stop()
    started = time.monotonic()
    assert c.submit(record(2), "a2") == "queued: cannot reach the store"
    print(f"\nsubmit with the store down returned after {time.monotonic() - started:.2f} s")
    assert c.pending() == ["a2"]
    s3.start()  # moto keeps data in memory: the restarted store is empty and needs its bucket again
    s3.make_bucket(BUCKET)
    # A quiz start in a new kernel of the same learner flushes the outbox.
    fresh = Collector(f"s3://{BUCKET}/c", learner="ada", base_dir=tmp_path, storage_options=s3.storage_options(),
                      background=False)  # fmt: skip
    assert fresh.flush() == "delivered"
    assert s3.keys(BUCKET) == ["c/ada/a2.json"] and fresh.pending() == []


def test_s3_slow_store_does_not_hold_the_quiz_and_never_duplicates(s3: S3Server, tmp_path: Path) -> None:
    proxy = FaultProxy(s3.port)
    proxy.delay = 4.0  # every answer from the store arrives 4 s late
    try:
        c = Collector(f"s3://{BUCKET}/c", learner="ada", base_dir=tmp_path,
                      storage_options=s3.storage_options(proxy.endpoint), timeout=1)  # fmt: skip
        assert c.submit(record(), "slow1") == "sending"  # returned at once: delivery is in the worker
        assert c.wait(60)
        assert c.status == "queued: the store did not answer within 1 s"
        assert c.pending() == ["slow1"]
        # The PUT reached the store; only its answer was late. Sending again writes the same key.
        proxy.delay = 0.0
        c.flush()
        assert c.wait(30) and c.status == "delivered"
        assert s3.keys(BUCKET) == ["c/ada/slow1.json"]
    finally:
        proxy.close()


def test_s3_refusing_writes(s3: S3Server, tmp_path: Path) -> None:
    proxy = FaultProxy(s3.port)
    proxy.refuse_puts = True
    try:
        c = Collector(f"s3://{BUCKET}/c", learner="ada", base_dir=tmp_path,
                      storage_options=s3.storage_options(proxy.endpoint), background=False, timeout=2)  # fmt: skip
        status = c.submit(record(1), "r1")
        assert status.startswith("queued: the store failed (") and "Please reduce" in status
        assert c.submit(record(2), "r2").endswith("(2 waiting)")
        assert proxy.refused >= 2 and s3.keys(BUCKET) == []
        proxy.refuse_puts = False
        assert c.flush() == "delivered"
        assert s3.keys(BUCKET) == ["c/ada/r1.json", "c/ada/r2.json"]
    finally:
        proxy.close()


def test_s3_wrong_credentials(tmp_path: Path) -> None:
    with S3Server(auth=True, log_dir=tmp_path) as s3:
        s3.create_iam_user(BUCKET)
        wrong = s3.storage_options(key="AKIAWRONGWRONGWRONG1", secret="nope")
        c = Collector(f"s3://{BUCKET}/c", learner="ada", base_dir=tmp_path, storage_options=wrong,
                      background=False, timeout=2)  # fmt: skip
        assert c.submit(record(), "w1") == (
            "queued: the store refused access (check the credentials and the store's permissions)"
        )
        assert s3.keys(BUCKET) == [] and c.pending() == ["w1"]
        right = Collector(f"s3://{BUCKET}/c", learner="ada", base_dir=tmp_path,
                          storage_options=s3.storage_options(), background=False)  # fmt: skip
        assert right.flush() == "delivered" and s3.keys(BUCKET) == ["c/ada/w1.json"]


def test_report_reads_many_objects_concurrently(s3: S3Server, tmp_path: Path) -> None:
    import fsspec

    write_class(tmp_path / "cls")
    fs = fsspec.filesystem("s3", skip_instance_cache=True, **s3.storage_options())
    for path in (tmp_path / "cls").rglob("*.json"):
        fs.pipe_file(f"{BUCKET}/cls/{path.relative_to(tmp_path / 'cls').as_posix()}", path.read_bytes())
    fs.pipe_file(f"{BUCKET}/cls/ada/.partial.json", b"{")  # a temp name: not an attempt
    fs.pipe_file(f"{BUCKET}/cls/bob/bad.json", b"[1]")
    with pytest.warns(UserWarning, match=r"s3://course/cls/bob/bad\.json: top level is list"):
        report = ClassReport.load(f"s3://{BUCKET}/cls", storage_options=s3.storage_options())
    assert sorted(r["learner"] for r in report.attempt_rows()) == ["ada", "bob", "cy", "dee", "eve"]
    local = ClassReport.load(tmp_path / "cls")
    assert _same_numbers(report, local)  # the bucket and the folder give the same report


def _same_numbers(a: ClassReport, b: ClassReport) -> bool:
    def key(rows: list[dict]) -> list[tuple]:
        return [
            (r["exam"], r["question_id"], r["attempts"], r["correct_share"], r["most_chosen_wrong"])
            for r in rows
        ]

    return key(a.question_rows()) == key(b.question_rows())

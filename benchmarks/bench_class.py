"""Live class benchmark (issue 23): what a ClassView refresh costs over a big class, beside a bare read.

A class of L learners with 24 answers each, stored two ways: one progress object per learner and attempt
(what quizzes write now) and one object per answer (what stores written before hold). For each, on a moto
S3 server on 127.0.0.1, through a proxy adding 20 ms to every answer (a cloud store's latency), and on a
local folder:

- the first load (a new ClassView), against a bare read of the same objects (list, fetch all, json.loads:
  the least any reading of them costs, which is what every refresh cost before);
- a quiet refresh (nothing changed): one listing;
- a refresh after 25 learners answered one more question.

Request counts (listing pages + GETs) are printed in each row; the 20 ms rows count them at the proxy too.
Default sizes keep ``python -m benchmarks`` short; ``python benchmarks/bench_class.py --full`` (or
``QW_BENCH_CLASS_FULL=1``) runs the issue's sizes: 250 learners x 24 per-answer objects on S3, 1,000
learners on a folder.
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # run as a script: the benchmarks folder and this checkout on the path
    sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from run import Row, median_ms, register

from quiz_widgets.teaching.live import LiveClass
from quiz_widgets.teaching.quiz_link import PROGRESS_KIND

TESTS = Path(__file__).resolve().parent.parent / "tests"
BUCKET = "bench-class"
ANSWERS = 24
CHANGED = 25
QUIET_TARGET_MS = 1000.0
# Each change is a question nobody answered yet (rounds go on across stores and runs: a rewrite with the
# same bytes would have the same ETag, and rightly be no change at all).
_ROUNDS = itertools.count(1)
CHANGED_TARGET_MS = 2000.0
TODAY_FOLDER_MS = 1600.0
FIRST_LOAD_REPEAT_UP_TO = 300


def _full() -> bool:
    return os.environ.get("QW_BENCH_CLASS_FULL", "") not in ("", "0") or "--full" in sys.argv


def _sizes() -> dict[str, int]:
    full = _full()
    return {
        "s3_learners": 250,  # one object each: cheap at any size
        "s3_old_learners": 250 if full else 40,  # x 24 objects: 6,000 (full) or 960
        "local_learners": 1000,
        "local_old_learners": 1000 if full else 250,  # x 24 files: 24,000 (full) or 6,000
    }


def _record(learner: str, answered: int) -> bytes:
    return json.dumps(
        {
            "kind": PROGRESS_KIND,
            "learner": learner,
            "exam": "Lecture 12",
            "exam_fingerprint": "f" * 16,
            "session_date": "2026-01-05T10:00:00.000000",
            "answers": [
                {"question_id": q, "question": f"Question {q} of a realistic length, sixty characters or so.",
                 "topic": "t", "correct": (q + len(learner)) % 3 != 0}
                for q in range(1, answered + 1)
            ],
            "answered": answered,
            "total": 40,
            "date": "2026-01-05T10:30:00.000000",
        }
    ).encode()  # fmt: skip


def _old(learner: str, q: int) -> bytes:
    return json.dumps(
        {
            "kind": PROGRESS_KIND,
            "learner": learner,
            "exam": "Lecture 12",
            "exam_fingerprint": "f" * 16,
            "session_date": "2026-01-05T10:00:00.000000",
            "question_id": q,
            "question": f"Question {q} of a realistic length, sixty characters or so.",
            "topic": "t",
            "correct": (q + len(learner)) % 3 != 0,
            "answered": q,
            "total": 40,
            "date": f"2026-01-05T10:{q:02d}:00.000000",
        }
    ).encode()


def _class(learners: int, old: bool) -> dict[str, bytes]:
    """Relative path -> bytes of a class of *learners* with ANSWERS answers each."""
    if old:
        return {f"l{i:04d}/progress_{q:02d}.json": _old(f"l{i:04d}", q)
                for i in range(learners) for q in range(1, ANSWERS + 1)}  # fmt: skip
    return {f"l{i:04d}/progress_a.json": _record(f"l{i:04d}", ANSWERS) for i in range(learners)}


def _one_more(learners: int, old: bool, round_: int) -> dict[str, bytes]:
    """CHANGED learners answer question ANSWERS + round_."""
    q = ANSWERS + round_
    picked = [f"l{(i * 7 + round_) % learners:04d}" for i in range(CHANGED)]
    if old:
        return {f"{name}/progress_{q:02d}.json": _old(name, q) for name in picked}
    return {f"{name}/progress_a.json": _record(name, q) for name in picked}


def _rows(
    where: str,
    label: str,
    open_view: Callable[[], LiveClass],
    bare_read: Callable[[], int],
    write: Callable[[dict[str, bytes]], None],
    learners: int,
    old: bool,
    count_gets: Callable[[], int] | None = None,
) -> list[Row]:
    """First load, quiet refresh and a refresh after CHANGED learners answered, each beside a bare read."""
    t0 = time.perf_counter()
    objects = bare_read()
    bare_ms = (time.perf_counter() - t0) * 1000
    # The median of three first loads where they are cheap (a noisy neighbour skews one run), else one.
    firsts = []
    for _ in range(3 if objects <= FIRST_LOAD_REPEAT_UP_TO or where == "folder" else 1):
        view = open_view()
        mark = count_gets() if count_gets is not None else 0
        t0 = time.perf_counter()
        first = view.snapshot()
        firsts.append((time.perf_counter() - t0) * 1000)
        first_gets = count_gets() - mark if count_gets is not None else None
    first_ms = statistics.median(firsts)
    assert first["learners"] == learners, f"{first['learners']} learners shown of {learners}"
    bare = f"bare read ({objects:,} objects)" if where != "folder" else f"bare read ({objects:,} files)"

    def counted(proxy_gets: int | None = None) -> str:
        stats = view.reader.stats
        what = "folders listed" if where == "folder" else "listing"
        text = f"{stats.requests:,} requests: {stats.list_requests:,} {what} + {stats.get_requests:,} read"
        return text + (f"; the proxy saw {proxy_gets:,} GET" if proxy_gets is not None else "")

    def last_gets() -> int | None:
        # One more refresh of the same kind, counted alone at the proxy.
        if count_gets is None:
            return None
        mark = count_gets()
        view.snapshot()
        return count_gets() - mark

    if where == "folder":
        # Parsing and checking 24,000 small files costs more than reading their bytes: the goal is no slower
        # than a refresh was before (issue 23 measured 1.3-1.6 s for 24,000 records on this machine).
        target, passed = f"< {TODAY_FOLDER_MS:,.0f} ms", first_ms < TODAY_FOLDER_MS
    else:  # before, every refresh was this bare read (issue 23: 30.6-34.9 s against 31.0-36.4 s)
        target, passed = "<= 1.25x", first_ms <= 1.25 * bare_ms
    rows = [Row(f"{where}: first load, {label}", first_ms, bare, bare_ms, target=target, passed=passed,
                note=counted(first_gets))]  # fmt: skip
    quiet_ms = median_ms(view.snapshot, repeat=5)
    quiet_gets = last_gets()
    assert view.reader.stats.fetched == 0
    rows.append(Row(f"{where}: quiet refresh, {label}", quiet_ms, bare, bare_ms,
                    target=f"< {QUIET_TARGET_MS:,.0f} ms", passed=quiet_ms < QUIET_TARGET_MS,
                    note=counted(quiet_gets)))  # fmt: skip
    changed_ms = median_ms(
        view.snapshot, repeat=3, setup=lambda: write(_one_more(learners, old, next(_ROUNDS)))
    )
    assert view.reader.stats.fetched == CHANGED, view.reader.stats
    changed_note = counted()
    if count_gets is not None:
        write(_one_more(learners, old, next(_ROUNDS)))
        changed_note = counted(last_gets())
    rows.append(Row(f"{where}: refresh after {CHANGED} answered one more, {label}", changed_ms, bare, bare_ms,
                    target=f"< {CHANGED_TARGET_MS:,.0f} ms", passed=changed_ms < CHANGED_TARGET_MS,
                    note=changed_note))  # fmt: skip
    return rows


def _s3_rows(server: Any, endpoint: str, where: str, sizes: dict[str, int], proxy: Any = None) -> list[Row]:
    import fsspec

    options = server.storage_options(endpoint)
    # fsspec's cached instance, which LiveClass gets too: both reads use one client, made here (botocore's
    # service models cost about a second of CPU, once per process).
    fs = fsspec.filesystem("s3", **options)
    fs.ls(BUCKET)
    writer = fsspec.filesystem("s3", skip_instance_cache=True, **server.storage_options())
    rows = []
    for old, learners in ((False, sizes["s3_learners"]), (True, sizes["s3_old_learners"])):
        prefix = f"{BUCKET}/{where.replace(' ', '')}-{'old' if old else 'new'}"
        if not writer.exists(f"{prefix}/l0000"):
            writer.pipe({f"{prefix}/{k}": v for k, v in _class(learners, old).items()})

        def bare(prefix: str = prefix) -> int:
            paths = fs.find(prefix)
            for data in fs.cat(paths).values():  # concurrent GETs, as fsspec does them
                json.loads(data)
            return len(paths)

        def write(files: dict[str, bytes], prefix: str = prefix) -> None:
            writer.pipe({f"{prefix}/{k}": v for k, v in files.items()})

        label = f"{learners:,} learners x {ANSWERS} " + (
            "(one object per answer)" if old else "(one object each)"
        )
        rows += _rows(where, label, lambda prefix=prefix: LiveClass(f"s3://{prefix}", options), bare, write,
                      learners, old, (lambda: proxy.requests["GET"]) if proxy is not None else None)  # fmt: skip
    return rows


@register
def bench_class_live() -> list[Row]:
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from s3_server import FaultProxy, S3Server

    sizes = _sizes()
    rows: list[Row] = []
    with S3Server() as server:
        server.make_bucket(BUCKET)
        rows += _s3_rows(server, server.endpoint, "moto", sizes)
        proxy = FaultProxy(server.port)
        proxy.request_delay = 0.02
        try:
            rows += _s3_rows(server, proxy.endpoint, "moto +20 ms", sizes, proxy)
        finally:
            proxy.close()
    with tempfile.TemporaryDirectory() as tmp:
        for old, learners in ((False, sizes["local_learners"]), (True, sizes["local_old_learners"])):
            root = Path(tmp, "old" if old else "new")

            def write(files: dict[str, bytes], root: Path = root) -> None:
                for rel, data in files.items():
                    path = root / rel
                    path.parent.mkdir(parents=True, exist_ok=True)
                    tmp_path = path.with_name(f".{path.name}.tmp")
                    tmp_path.write_bytes(data)
                    os.replace(tmp_path, path)  # as the collector writes: a new file renamed over

            write(_class(learners, old))

            def bare(root: Path = root) -> int:
                n = 0
                for folder, _dirs, files in os.walk(root):
                    for name in files:
                        json.loads(Path(folder, name).read_bytes())
                        n += 1
                return n

            label = f"{learners:,} learners x {ANSWERS} " + (
                "(one file per answer)" if old else "(one file each)"
            )
            rows += _rows("folder", label, lambda root=root: LiveClass(root), bare, write, learners, old)
    return rows


if __name__ == "__main__":
    from run import format_table

    print(format_table(bench_class_live()))

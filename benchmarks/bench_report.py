"""Class report benchmark: reading 10,000 results files from an S3-compatible server (moto, started here).

ClassReport.load(url) fetches the objects with fsspec's batched ``cat`` (concurrent GETs); the baseline is
the loop an instructor would write first: list the bucket, then ``cat_file`` one object after another.
Both parse the same files into the same report. ``QW_BENCH_REPORT_FILES`` sets the count (default 10,000).
"""

from __future__ import annotations

import json
import os
import sys
import time
import warnings
from pathlib import Path

from run import Row, register

from quiz_widgets.teaching.report import ClassReport

TESTS = Path(__file__).resolve().parent.parent / "tests"
BUCKET = "bench"


def _results(i: int) -> bytes:
    score = i % 11
    wrong = [
        {"question_id": q, "question": f"Question {q} of a realistic length, about sixty characters.",
         "your_answer": "Amazon EC2.", "correct_answer": "AWS Lambda."}
        for q in range(10 - score)
    ]  # fmt: skip
    return json.dumps(
        {
            "learner": f"learner{i % 300:03d}",
            "exam_info": {"title": f"Quiz {i % 5}", "total_questions": 10, "shuffle_enabled": False},
            "session_info": {
                "completion_date": f"2025-03-01T10:{i // 60 % 60:02d}:{i % 60:02d}.{i:06d}",
                "time_taken": "00:05:00",
                "time_taken_seconds": 300,
            },
            "performance": {"score": score, "total_answered": 10, "accuracy_percentage": 10.0 * score},
            "detailed_results": {"correct_answers": score, "incorrect_answers": wrong},
        },
        indent=2,
    ).encode()


def _one_by_one(fs, url: str) -> ClassReport:
    root = url.removeprefix("s3://")
    records = []
    for path in sorted(fs.find(root)):
        data = json.loads(fs.cat_file(path))
        rel = path[len(root) :].strip("/").split("/")
        data.setdefault("learner", rel[0])
        records.append(data)
    return ClassReport.load(records)


def _compare(server, endpoint: str, count: int) -> tuple[float, float]:
    """Milliseconds of ClassReport.load(url) and of the one-by-one loop; both must give the same report."""
    import fsspec

    url = f"s3://{BUCKET}/course"
    options = server.storage_options(endpoint)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a skipped file would make the comparison meaningless
        t0 = time.perf_counter()
        fast = ClassReport.load(url, storage_options=options)
        fast_ms = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        slow = _one_by_one(fsspec.filesystem("s3", skip_instance_cache=True, **options), url)
        slow_ms = (time.perf_counter() - t0) * 1000

    def numbers(report: ClassReport) -> list[tuple]:
        return [(r["learner"], r["exam"], r["date"], r["score"]) for r in report.attempt_rows()]

    assert len(fast.attempt_rows()) == count, f"read {len(fast.attempt_rows())} of {count} files"
    assert numbers(fast) == numbers(slow), "the two reads gave different reports"
    return fast_ms, slow_ms


@register
def bench_report_s3() -> list[Row]:
    import fsspec

    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    from s3_server import FaultProxy, S3Server

    count = int(os.environ.get("QW_BENCH_REPORT_FILES", "10000"))
    latency_count = min(count, 2000)
    rows = []
    with S3Server() as server:
        server.make_bucket(BUCKET)
        fs = fsspec.filesystem("s3", skip_instance_cache=True, **server.storage_options())
        fs.pipe({f"{BUCKET}/course/learner{i % 300:03d}/quiz_results_{i:06d}-ab12cd.json": _results(i)
                 for i in range(count)})  # fmt: skip
        fast_ms, slow_ms = _compare(server, server.endpoint, count)
        # moto and both clients share this machine's cores, so the first row mostly measures moto's CPU.
        rows.append(Row(f"ClassReport.load(s3://...), {count:,} files", fast_ms, "one GET after another",
                        slow_ms, target="<= 1x", passed=fast_ms <= slow_ms, note="moto on 127.0.0.1"))  # fmt: skip
        # A cloud store answers in tens of ms: the same read through a proxy adding 20 ms per answer.
        fs.rm([f"{BUCKET}/course/learner{i % 300:03d}/quiz_results_{i:06d}-ab12cd.json"
               for i in range(latency_count, count)])  # fmt: skip
        proxy = FaultProxy(server.port)
        proxy.delay = 0.02
        try:
            fast_ms, slow_ms = _compare(server, proxy.endpoint, latency_count)
        finally:
            proxy.close()
        rows.append(Row(f"ClassReport.load, {latency_count:,} files, +20 ms per answer", fast_ms,
                        "one GET after another", slow_ms, target="<= 0.25x",
                        passed=fast_ms <= 0.25 * slow_ms))  # fmt: skip
    return rows

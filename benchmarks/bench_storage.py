"""Storage benchmarks: save_session vs a bare atomic write, listing vs the original app's loop, load_exam."""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from run import Row, median_ms, register

from quiz_widgets.store import atomic
from quiz_widgets.store.atomic import dumps_json
from quiz_widgets.store.manager import SessionManager


def _session(i: int, answers: int, wrong_every: int = 4) -> dict:
    """A session as quiz_widgets writes it: the seed's fields plus the resume block."""
    wrong = [
        {
            "question_id": q,
            "question": f"Which AWS service fits scenario {q}? (a realistic question length, about 100 chars)",
            "your_answer": "Amazon EC2 instances with a load balancer.",
            "correct_answer": "AWS Lambda functions behind Amazon API Gateway.",
        }
        for q in range(answers)
        if q % wrong_every == 0
    ]
    return {
        "session_date": f"2025-11-{1 + i // 86400 % 28:02d}T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}.123456",
        "exam_title": "AWS Certified Cloud Practitioner Practice Exam",
        "total_questions": max(answers, 65),
        "quiz_mode": {"score": answers - len(wrong), "total_answered": answers, "wrong_answers": wrong},
        "timer_data": {
            "elapsed_seconds": 1845.5,
            "completed": False,
            "auto_saved": True,
            "emergency_saved": False,
            "quit_by_user": False,
        },
        "quiz_widgets": {
            "format_version": 1,
            "exam_path": "/home/learner/exams/practice.json",
            "exam_fingerprint": "ab" * 32,
            "question_order": list(range(max(answers, 65))),
            "answers": [
                {"question_id": q, "answer": "B", "correct": q % wrong_every != 0} for q in range(answers)
            ],
        },
    }


def _bare_write(path: Path, payload: bytes) -> None:
    # The floor: what any crash-safe save has to do.
    tmp = path.with_name(path.name + ".bare.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, payload)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _interleaved_ms(fns: list, rounds: int = 41) -> list[float]:
    # The calls alternate within each round, so a neighbour's burst of disk or CPU load hits every
    # variant alike (measured one after the other, fsync drift alone moved the ratio by 2x).
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) * 1000 for t in times]


@register
def bench_save_session() -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        mgr = SessionManager(tmp)
        for answers in (10, 1000):
            data = _session(0, answers)
            path = mgr.save_session(data)
            bare = mgr.sessions_dir / "bare.json"
            payload = dumps_json(data)

            def json_only(data=data, path=path):
                saved, atomic._orjson = atomic._orjson, None
                try:
                    mgr.save_session(data, path)
                finally:
                    atomic._orjson = saved

            base, ours, plain = _interleaved_ms(
                [lambda: _bare_write(bare, payload), lambda: mgr.save_session(data, path), json_only]  # noqa: B023
            )
            size = f"{answers:,} answers ({len(payload) / 1024:.0f} kB)"
            encoder = "orjson" if atomic._orjson is not None else "json (orjson not installed)"
            rows.append(
                Row(
                    f"save_session, {size}, {encoder}",
                    ours,
                    "bare write+fsync+rename",
                    base,
                    "<= 2x",
                    ours / base <= 2.0,
                )
            )
            rows.append(
                Row(f"save_session, {size}, json only", plain, "bare write+fsync+rename", base, "none", True)
            )
            if atomic._orjson is not None:
                # The encoding alone, free of disk noise: what orjson changes.
                fast = median_ms(lambda: dumps_json(data), repeat=51)  # noqa: B023
                saved, atomic._orjson = atomic._orjson, None
                try:
                    slow = median_ms(lambda: dumps_json(data), repeat=51)  # noqa: B023
                finally:
                    atomic._orjson = saved
                name = f"encode session, {size}"
                rows.append(Row(name, fast, "json.dumps, same bytes", slow, "<= 0.25x", fast / slow <= 0.25))
    return rows


def _original_app_listing(sessions_dir: str) -> list[dict]:
    # The original app's find_study_sessions: listdir, json.load each file, sort by session_date.
    sessions = []
    for filename in os.listdir(sessions_dir):
        if filename.startswith("session_") and filename.endswith(".json"):
            filepath = os.path.join(sessions_dir, filename)
            with open(filepath) as f:
                data = json.load(f)
            data["_filepath"] = filepath
            sessions.append(data)
    sessions.sort(key=lambda s: s.get("session_date", ""), reverse=True)
    return sessions


@register
def bench_find_study_sessions() -> list[Row]:
    n = 10_000
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        mgr = SessionManager(tmp)
        mgr.sessions_dir.mkdir(parents=True)
        # Sizes like the original app's folder: most sessions short, some long review sessions.
        for i in range(n):
            answers = rng.choice([0, 0, 1, 2, 5, 10, 20, 50])
            data = _session(i, answers)
            (mgr.sessions_dir / f"session_20251101_{i:06d}.json").write_text(json.dumps(data, indent=2))
        folder = str(mgr.sessions_dir)
        _original_app_listing(folder)  # warm the OS page cache for both sides alike
        plain = median_ms(lambda: _original_app_listing(folder), repeat=5)

        def fresh() -> None:
            global _fresh_mgr
            _fresh_mgr = SessionManager(tmp)  # empty cache: what the first call pays

        first = median_ms(lambda: _fresh_mgr.find_study_sessions(), repeat=5, setup=fresh)
        assert len(mgr.find_study_sessions()) == n
        repeat = median_ms(mgr.find_study_sessions, repeat=7)
        # What any cache keyed on (name, size, mtime) must pay on every call: one stat per file.
        floor = median_ms(lambda: [entry.stat() for entry in os.scandir(folder)], repeat=7)
    return [
        Row(
            f"find_study_sessions first call, {n:,} files",
            first,
            "original app json.load loop",
            plain,
            "<= 1x",
            first <= plain,
        ),
        Row(
            f"find_study_sessions repeat call, {n:,} files",
            repeat,
            "original app json.load loop",
            plain,
            ">= 10x faster (<= 0.1x)",
            repeat * 10 <= plain,
        ),
        Row(
            f"  the floor of a repeat call: scandir + stat of {n:,} files",
            floor,
            "original app json.load loop",
            plain,
            note="no target: shows how much of the repeat call is the per-file stat",
        ),
    ]


_fresh_mgr: SessionManager


def _exam(n: int) -> dict:
    questions = []
    for i in range(1, n + 1):
        q = {
            "id": i,
            "question": f"Question {i}: which of the following statements about service {i % 97} is true?",
            "options": {k: f"Option {k} for question {i}, a plausible distractor." for k in "ABCD"},
            "type": "singleChoice",
            "answer": "ABCD"[i % 4],
        }
        if i % 10 == 0:
            q["options"]["E"] = "Option E."
            q["type"] = "multiChoice"
            q["answer"] = ["B", "E"]
        questions.append(q)
    return {"title": f"Generated exam ({n:,} questions)", "questions": questions}


@register
def bench_load_exam() -> list[Row]:
    n = 10_000
    try:
        from quiz_widgets.exam import load_exam  # lazy: exam.py is another module's work
    except ImportError as err:
        return [Row(f"load_exam, {n:,} questions", None, target="< 200 ms", note=f"not run: {err}")]
    tmp = tempfile.mkdtemp()
    try:
        path = Path(tmp) / "big_exam.json"
        path.write_text(json.dumps(_exam(n), indent=2))
        size_mb = path.stat().st_size / 1e6
        exam = load_exam(path)
        assert len(exam) == n
        ms = median_ms(lambda: load_exam(path), repeat=5)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return [Row(f"load_exam, {n:,} questions ({size_mb:.1f} MB)", ms,
                target="< 200 ms", passed=ms < 200)]  # fmt: skip


@register
def bench_nesting_scan() -> list[Row]:
    """The depth check every session read pays before decoding (store/atomic.check_raw_nesting)."""
    rows = []
    for answers, accents in ((10, False), (1000, False), (1000, True)):
        data = _session(0, answers)
        if accents:  # non-ASCII text is written as \\u escapes: the scan's escape pass then has work
            for wrong in data["quiz_mode"]["wrong_answers"]:
                wrong["question"] += " Qu'est-ce qu'un « [service] » géré ?"
        raw = dumps_json(data)
        scan, loads = _interleaved_ms(
            [lambda: atomic.check_raw_nesting(raw, "bench"), lambda: json.loads(raw)],  # noqa: B023
            rounds=201,
        )
        kind = "text with escapes" if accents else "ASCII text"
        name = f"nesting scan, {answers:,} answers ({len(raw) / 1024:.0f} kB, {kind})"
        rows.append(Row(name, scan, "json.loads, same bytes", loads, "<= 0.5x", scan / loads <= 0.5))
    return rows

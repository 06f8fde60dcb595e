"""Section 1, torn writes: SIGKILL a saving child at random moments; every file must parse and keep
every acknowledged answer."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import tempfile
import threading
import time
import warnings
from pathlib import Path

from quiz_widgets.quiz.codec import from_session
from stress.common import HERE, PYTHON, Report, write_exam

SECTION = "1 torn writes"
QUESTIONS = 150


def _check(path: Path, acked: int, exam) -> tuple[bool, int, str]:
    """(parses, answers on disk, problem) for one session file."""
    from quiz_widgets.store.manager import SessionManager

    try:
        json.loads(path.read_bytes())
        data = SessionManager(path.parent.parent.parent).load_session(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            state = from_session(data, exam)
    except Exception as exc:
        return False, 0, f"{path.name}: {type(exc).__name__}: {exc}"
    answered = state.total_answered
    if len(data.get("quiz_widgets", {}).get("answers", [])) != answered:
        return False, answered, f"{path.name}: answers list does not match total_answered"
    return True, answered, ""


def _worker(
    base: Path, exam_path: Path, kills: int, seed: int, stats: dict, lock: threading.Lock, exam
) -> None:
    rng = random.Random(seed)
    sessions = base / "data" / "sessions"
    file_no = 1
    acked: dict[Path, int] = {}
    done = 0
    while done < kills:
        target = sessions / f"session_20240101_{file_no:06d}.json"
        proc = subprocess.Popen(
            [PYTHON, str(HERE / "torn_child.py"), str(base), str(exam_path), str(target)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(HERE),
            bufsize=0,  # unbuffered: readline() must not swallow lines communicate() then misses
        )
        mode = rng.random()
        if mode < 0.1:  # anywhere, even during start-up and resume
            time.sleep(rng.uniform(0, 0.25))
        else:
            first = proc.stdout.readline()
            if not first.startswith(b"ready"):
                proc.kill()
                _, err = proc.communicate()
                with lock:
                    stats["child_failures"].append(f"{target.name}: {first!r} {err.decode()[-500:]}")
                done += 1
                continue
            time.sleep(rng.uniform(0, 0.3))
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate()
        finished = b"done\n" in out
        counts = [int(x) for x in out.decode().split("\n")[:-1] if x.isdigit()]  # complete lines only
        if counts:
            acked[target] = max(acked.get(target, 0), counts[-1])
        if proc.returncode != -signal.SIGKILL and not finished:
            with lock:
                stats["child_failures"].append(f"{target.name}: rc {proc.returncode} {err.decode()[-500:]}")
        done += 1
        if target.exists():
            ok, on_disk, problem = _check(target, acked.get(target, 0), exam)
            with lock:
                stats["checks"] += 1
                if not ok:
                    stats["broken"].append(problem)
                stats["lost"] += max(0, acked.get(target, 0) - on_disk)
        elif acked.get(target, 0):
            with lock:
                stats["lost"] += acked[target]
                stats["broken"].append(f"{target.name}: missing after acknowledged saves")
        with lock:
            stats["kills"] += 1
            stats["acked"] += len(counts)
        if finished or (target.exists() and acked.get(target, 0) >= QUESTIONS):
            file_no += 1
    with lock:
        stats["final"].append((sessions, dict(acked)))


def run(short: bool, report: Report) -> None:
    from quiz_widgets.exam import load_exam

    kills = 100 if short else 1000
    workers = max(2, min(4, (os.cpu_count() or 2) * 2))
    stats = {"kills": 0, "checks": 0, "broken": [], "lost": 0, "acked": 0, "final": [], "child_failures": []}
    lock = threading.Lock()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stress-torn-") as tmp:
        root = Path(tmp)
        exam_path = write_exam(root / "exams", QUESTIONS)
        exam = load_exam(exam_path)
        threads = []
        for w in range(workers):
            share = kills // workers + (1 if w < kills % workers else 0)
            t = threading.Thread(
                target=_worker, args=(root / f"w{w}", exam_path, share, 1000 + w, stats, lock, exam)
            )
            t.start()
            threads.append(t)
        for t in threads:
            t.join()
        files = 0
        temps = 0
        for sessions, acked in stats["final"]:
            for path in sorted(sessions.glob("session_*.json")):
                files += 1
                ok, on_disk, problem = _check(path, acked.get(path, 0), exam)
                if not ok:
                    stats["broken"].append("final " + problem)
                elif on_disk < acked.get(path, 0):
                    stats["broken"].append(
                        f"final {path.name}: {on_disk} on disk < {acked[path]} acknowledged"
                    )
            temps += len(list(sessions.glob(".*.tmp")))
    elapsed = time.perf_counter() - started
    report.goal(SECTION, "SIGKILLs of a saving child", stats["kills"], f">= {kills}", stats["kills"] >= kills)
    report.add(SECTION, "saves acknowledged before the kills", stats["acked"])
    report.add(SECTION, "file checks after a kill / files at the end", f"{stats['checks']} / {files}")
    report.goal(SECTION, "files broken", len(stats["broken"]), "0", not stats["broken"])
    report.goal(SECTION, "answers lost", stats["lost"], "0", stats["lost"] == 0)
    report.goal(
        SECTION,
        "child failures (not the kill)",
        len(stats["child_failures"]),
        "0",
        not stats["child_failures"],
    )
    report.add(SECTION, "orphan temp files left by kills (ignored by globs)", temps)
    report.add(SECTION, "seconds", round(elapsed, 1))
    for problem in (stats["broken"] + stats["child_failures"])[:5]:
        print("    problem:", problem, flush=True)

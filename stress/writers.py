"""Section 3, two writers: one session resumed in two processes at once (the second must be read-only,
the file never corrupt, no acknowledged answer lost) and stale locks of SIGKILLed processes."""

from __future__ import annotations

import json
import queue
import random
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import warnings
from pathlib import Path

from stress.common import HERE, PYTHON, Report, write_exam

SECTION = "3 two writers"


class Child:
    def __init__(self, path: Path, n: int, delay: float) -> None:
        self.proc = subprocess.Popen(
            [PYTHON, str(HERE / "writer_child.py"), str(path), str(n), str(delay)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(HERE),
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def expect(self, prefix: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, end - time.monotonic()))
            if line is None:
                raise RuntimeError(f"child ended before {prefix!r}: {self.proc.stderr.read()[-800:]}")
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def send(self, text: str) -> None:
        try:
            self.proc.stdin.write(text + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def acks(self) -> list[int]:
        return [int(x.split()[1]) for x in self.seen if x.startswith("ack ")]

    def finish(self) -> None:
        self.send("exit")
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _new_session(base: Path, exam_path: Path) -> Path:
    from quiz_widgets import QuizWidget

    widget = QuizWidget(str(exam_path), base_dir=base, autosave_interval=0)
    widget.answer(0)
    path = widget.session_path
    widget.close()
    return path


class Watcher:
    """Parses the session file over and over while children write it."""

    def __init__(self, path: Path) -> None:
        self.path, self.reads, self.broken, self.stop = path, 0, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                json.loads(self.path.read_bytes())
                self.reads += 1
            except FileNotFoundError:
                self.broken.append("missing")
            except ValueError as exc:
                self.broken.append(str(exc))
            time.sleep(0.002)

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def _answered(path: Path) -> int:
    return json.loads(path.read_bytes())["quiz_mode"]["total_answered"]


def run(short: bool, report: Report) -> None:
    rounds = 3 if short else 25
    rng = random.Random(5)
    stats = {
        "pairs": 0,
        "one_writer": 0,
        "ro_refused": 0,
        "ro_accepted": 0,
        "lost": 0,
        "reads": 0,
        "broken": 0,
        "stale": 0,
        "stale_ok": 0,
        "stale_lost": 0,
        "problems": [],
    }
    root = Path(tempfile.mkdtemp(prefix="stress-writers-"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exam_path = write_exam(root / "exams", 60)
            for r in range(rounds):
                # Two processes resume the same session at once, then both answer.
                path = _new_session(root / f"pair{r}", exam_path)
                a, b = Child(path, 8, 0.01), Child(path, 8, 0.01)
                watch = Watcher(path)
                try:
                    ready = [json.loads(c.expect("ready").split(" ", 1)[1]) for c in (a, b)]
                    writable = [c for c, info in zip((a, b), ready, strict=False) if not info["read_only"]]
                    stats["pairs"] += 1
                    stats["one_writer"] += len(writable) == 1
                    for c in (a, b):
                        c.send("go")
                    for c in (a, b):
                        c.expect("done")
                    for c, info in zip((a, b), ready, strict=False):
                        if info["read_only"]:
                            stats["ro_refused"] += sum(x.startswith("refused") for x in c.seen)
                            stats["ro_accepted"] += len(c.acks())
                            if not info["warning"]:
                                stats["problems"].append("read-only copy shows no warning")
                    for c in (a, b):
                        c.finish()
                    acked = max([max(c.acks(), default=0) for c in writable], default=0)
                    on_disk = _answered(path)
                    stats["lost"] += max(0, acked - on_disk)
                    if len(writable) == 1 and on_disk != acked:
                        stats["problems"].append(f"pair {r}: {on_disk} on disk, writer acknowledged {acked}")
                except Exception as exc:
                    stats["problems"].append(f"pair {r}: {type(exc).__name__}: {exc}")
                finally:
                    watch.close()
                    stats["reads"] += watch.reads
                    stats["broken"] += len(watch.broken)
                    for c in (a, b):
                        if c.proc.poll() is None:
                            c.proc.kill()

                # A writer SIGKILLed mid-quiz leaves a lock file behind; the next resume must own it.
                path = _new_session(root / f"stale{r}", exam_path)
                c = Child(path, 40, 0.005)
                try:
                    c.expect("ready")
                    c.send("go")
                    time.sleep(rng.uniform(0.02, 0.2))
                    c.proc.send_signal(signal.SIGKILL)
                    c.proc.wait()
                    while (line := c.lines.get(timeout=30)) is not None:
                        c.seen.append(line)
                    acked = max(c.acks(), default=1)
                    d = Child(path, 2, 0)
                    info = json.loads(d.expect("ready").split(" ", 1)[1])
                    d.send("go")
                    d.expect("done")
                    d.finish()
                    stats["stale"] += 1
                    good = not info["read_only"] and info["answered"] >= acked and len(d.acks()) == 2
                    stats["stale_ok"] += good
                    stats["stale_lost"] += max(0, acked - info["answered"])
                    if not good:
                        stats["problems"].append(
                            f"stale {r}: {info}, killed writer acknowledged {acked}, {d.seen}"
                        )
                    if _answered(path) != info["answered"] + 2:
                        stats["problems"].append(f"stale {r}: resumed writer's answers not on disk")
                except Exception as exc:
                    stats["problems"].append(f"stale {r}: {type(exc).__name__}: {exc}")
                finally:
                    if c.proc.poll() is None:
                        c.proc.kill()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    report.goal(
        SECTION,
        "sessions resumed in 2 processes at once: exactly one writer",
        f"{stats['one_writer']}/{stats['pairs']}",
        "all",
        stats["one_writer"] == stats["pairs"] == rounds,
    )
    report.goal(
        SECTION,
        "answers refused in the read-only copy / accepted there",
        f"{stats['ro_refused']} / {stats['ro_accepted']}",
        "accepted 0",
        stats["ro_accepted"] == 0,
    )
    report.goal(
        SECTION,
        "file reads while both wrote: broken",
        f"{stats['broken']} of {stats['reads']}",
        "0",
        stats["broken"] == 0,
    )
    report.goal(SECTION, "acknowledged answers lost (two writers)", stats["lost"], "0", stats["lost"] == 0)
    report.goal(
        SECTION,
        "stale locks (SIGKILLed writer) that did not block the next resume",
        f"{stats['stale_ok']}/{stats['stale']}",
        "all",
        stats["stale_ok"] == stats["stale"] == rounds,
    )
    report.goal(
        SECTION,
        "acknowledged answers lost (SIGKILLed writer)",
        stats["stale_lost"],
        "0",
        stats["stale_lost"] == 0,
    )
    report.goal(SECTION, "other problems", len(stats["problems"]), "0", not stats["problems"])
    for problem in stats["problems"][:5]:
        print("    problem:", problem[:300], flush=True)

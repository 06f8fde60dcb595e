"""A class of 30 learners x 3 attempts, each learner kernel a real process, against a real S3 server that
is killed mid-class and started again. Nothing may be lost and nothing sent twice."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from s3_server import S3Server

HERE = Path(__file__).resolve().parent
BUCKET = "class"
URL = f"s3://{BUCKET}/cs101"
LEARNERS = [f"learner{i:02d}" for i in range(30)]
PROCESSES = 3


def _run(server: S3Server, base: Path, action: str, learners: list[str], attempt: int | None = None) -> dict:
    """The learners split over PROCESSES kernel processes running at the same time; summed results."""
    share = [learners[i::PROCESSES] for i in range(PROCESSES)]
    procs = []
    for group in share:
        args = [sys.executable, str(HERE / "class_sim.py"), action, URL, server.endpoint, str(base)]
        if attempt is not None:
            args.append(str(attempt))
        procs.append(
            subprocess.Popen([*args, *group], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    total = Counter()
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        summary = json.loads(out.strip().splitlines()[-1])
        total.update({k: summary[k] for k in ("written", "delivered", "queued")})
    return dict(total)


def _stored(server: S3Server) -> dict[str, str]:
    """key -> attempt id of every object in the class bucket."""
    return {key: json.loads(server.get(BUCKET, key))["attempt_id"] for key in server.keys(BUCKET)}


def _outbox_items(base: Path) -> int:
    return sum(1 for p in base.rglob("data/outbox/*/*.json") if not p.name.startswith("."))


def test_class_with_the_store_killed_mid_class(tmp_path: Path) -> None:
    base = tmp_path / "homes"
    server = S3Server(log_dir=tmp_path).start()
    server.make_bucket(BUCKET)
    rows = []
    try:
        first = _run(server, base, "submit", LEARNERS, 1)
        rows.append(("attempt 1, store up", first))
        # On a loaded machine a delivery may time out here; it then waits in its outbox like any other.

        rows.append(("attempt 2, first half, store up", _run(server, base, "submit", LEARNERS[:15], 2)))
        # moto keeps objects in memory: remember what the store held before it dies.
        before_kill = _stored(server)
        server.stop()
        rows.append(("attempt 2, second half, store down", _run(server, base, "submit", LEARNERS[15:], 2)))
        rows.append(("attempt 3, store down", _run(server, base, "submit", LEARNERS, 3)))
        queued_while_down = _outbox_items(base)

        server.start()
        server.make_bucket(BUCKET)
        rows.append(("quiz start in a new kernel, store back", _run(server, base, "flush", LEARNERS)))
        after = _stored(server)
    finally:
        server.stop()

    written = sum(r["written"] for _, r in rows)
    stored = list(before_kill.values()) + list(after.values())
    counts = Counter(stored)
    expected = {f"{learner}#{n}" for learner in LEARNERS for n in (1, 2, 3)}
    queued = _outbox_items(base)
    lost = len(expected - set(counts)) - queued
    duplicated = sum(c - 1 for c in counts.values() if c > 1)
    resent = len(set(before_kill) & set(after))  # delivered before the kill and sent again afterwards

    print()
    print(f"{'phase':40} {'written':>8} {'delivered':>10} {'queued':>7}")
    for name, r in rows:
        print(f"{name:40} {r['written']:>8} {r['delivered']:>10} {r['queued']:>7}")
    print(f"queued in outboxes while the store was down: {queued_while_down}")
    print(f"{'TOTAL':40} written {written}, delivered {len(set(counts))}, queued {queued}, "
          f"lost {lost} (goal 0), duplicated {duplicated} (goal 0), re-sent {resent}")  # fmt: skip

    assert written == 90
    assert queued_while_down >= 45  # 15 + 30 attempts finished while the store was down
    assert queued == 0
    assert lost == 0
    assert duplicated == 0
    assert resent == 0
    assert set(counts) == expected
    # Every key sits under its own learner's prefix.
    for key, attempt_id in {**before_kill, **after}.items():
        assert key.split("/")[1] == attempt_id.split("#")[0]

"""Child of the load section: 20 QuizWidgets, heartbeat 1 s, clocks running, in one asyncio loop.

Prints one JSON line with writes, CPU, memory, open files and file checks.
Usage: load_child.py BASE_DIR SECONDS [WIDGETS]
"""

import asyncio
import json
import sys
import time
import warnings

warnings.simplefilter("ignore")

import psutil  # noqa: E402
from common import any_answer, make_exam  # noqa: E402

from quiz_widgets import QuizWidget, SessionManager  # noqa: E402

saves = {"ok": 0, "failed": 0}
_real_save = SessionManager.save_session


def counting_save(self, data, filepath=None):
    try:
        path = _real_save(self, data, filepath)
    except BaseException:
        saves["failed"] += 1
        raise
    saves["ok"] += 1
    return path


SessionManager.save_session = counting_save


async def main(base: str, seconds: float, count: int) -> dict:
    proc = psutil.Process()
    widgets = [
        QuizWidget(make_exam(60, title=f"Load {i}"), base_dir=base, autosave_interval=1.0)
        for i in range(count)
    ]
    for i, w in enumerate(widgets):  # quizzes under way: a session file appears at a quiz's first answer
        w.answer(any_answer(w.state.current_question, i))
        w.next()
    await asyncio.sleep(1.5)  # first beats, caches warm
    rss0, fds0 = proc.memory_info().rss, proc.num_fds()
    cpu0, wall0, saves0 = sum(proc.cpu_times()[:2]), time.monotonic(), saves["ok"]
    samples = []
    k = 0
    while time.monotonic() - wall0 < seconds:
        await asyncio.sleep(5)
        # now and then a learner answers (an answer save on top of the beats)
        for w in widgets[k % count :: 7]:
            if w.state.current_question is not None and w.phase == "question":
                w.answer(any_answer(w.state.current_question, k))
                w.next()
        k += 1
        samples.append(
            {"t": round(time.monotonic() - wall0, 1), "rss": proc.memory_info().rss, "fds": proc.num_fds()}
        )
    wall = time.monotonic() - wall0
    cpu = sum(proc.cpu_times()[:2]) - cpu0
    writes = saves["ok"] - saves0
    rss1, fds1 = proc.memory_info().rss, proc.num_fds()
    errors = [w._ctl.writer.last_error for w in widgets if w._ctl.writer.last_error]
    warnings_shown = [w.warning for w in widgets if w.warning]
    answered = [w.total_answered for w in widgets]
    paths = [w.session_path for w in widgets]
    for w in widgets:
        w.close()
    mgr = SessionManager(base)
    broken, mismatched = 0, 0
    for w_answered, path in zip(answered, paths, strict=False):
        try:
            data = mgr.load_session(path)
            mismatched += data["quiz_mode"]["total_answered"] != w_answered
        except Exception:
            broken += 1
    files = len(list(mgr.sessions_dir.glob("session_*.json")))
    return {
        "widgets": count,
        "seconds": round(wall, 1),
        "writes": writes,
        "writes_per_min": writes / wall * 60,
        "cpu_share": cpu / wall,
        "rss_start_mb": rss0 / 2**20,
        "rss_end_mb": rss1 / 2**20,
        "fds_start": fds0,
        "fds_end": fds1,
        "fds_max": max([s["fds"] for s in samples] + [fds1]),
        "save_errors": len(errors) + saves["failed"],
        "warnings": len(warnings_shown),
        "files": files,
        "broken": broken,
        "mismatched": mismatched,
        "answers": sum(answered),
    }


if __name__ == "__main__":
    base, seconds = sys.argv[1], float(sys.argv[2])
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    print("RESULT " + json.dumps(asyncio.run(main(base, seconds, count))), flush=True)

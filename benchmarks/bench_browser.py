"""How fast the SessionBrowser list appears for many saved sessions.

``bench_session_browser(n=2000)`` writes ``n`` realistic session files (our format, 12 answers each) in a
temporary folder and returns rows ``{"name", "value", "unit", "limit"}``:

- ``browser_list_cold_s``: ``SessionBrowser(base)`` with an empty listing cache (every file read once);
- ``browser_refresh_warm_s``: ``refresh()`` again (SessionManager's listing cache: stat only);
- ``browser_sync_bytes``: size of the JSON the page receives for the list.

Run alone: ``python benchmarks/bench_browser.py [n]``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

LIMIT_SECONDS = 1.0


def _session(i: int, start: datetime) -> dict[str, Any]:
    answered = 12
    answers = [{"question_id": q, "answer": "A", "correct": q % 3 != 0} for q in range(1, answered + 1)]
    wrong = [
        {
            "question_id": a["question_id"],
            "question": f"Question {a['question_id']}: which statement about cloud elasticity is true?",
            "your_answer": "Elasticity applies only to storage.",
            "correct_answer": "Resources grow and shrink automatically to track demand.",
        }
        for a in answers
        if not a["correct"]
    ]
    return {
        "session_date": (start + timedelta(minutes=i)).isoformat(),
        "exam_title": f"Practice Exam {i % 7 + 1}",
        "total_questions": 50,
        "quiz_mode": {"score": answered - len(wrong), "total_answered": answered, "wrong_answers": wrong},
        "timer_data": {
            "elapsed_seconds": 60 * (i % 90),
            "completed": False,
            "auto_saved": True,
            "emergency_saved": i % 11 == 0,
            "quit_by_user": i % 5 == 0,
        },
        "quiz_widgets": {
            "format_version": 1,
            "exam_path": "data/exams/practice.json",
            "exam_fingerprint": "0" * 64,
            "question_order": list(range(1, 51)),
            "answers": answers,
            "elapsed_seconds": 60.0 * (i % 90),
        },
    }


def write_sessions(base: Path, n: int) -> None:
    folder = base / "data" / "sessions"
    folder.mkdir(parents=True, exist_ok=True)
    start = datetime(2024, 1, 1, 9, 0, 0)
    for i in range(n):
        stamp = (start + timedelta(minutes=i)).strftime("%Y%m%d_%H%M%S")
        (folder / f"session_{stamp}.json").write_text(json.dumps(_session(i, start), indent=2))


def bench_session_browser(n: int = 2000, base: Path | None = None) -> list[dict[str, Any]]:
    from quiz_widgets.ui.session_browser import SessionBrowser

    with tempfile.TemporaryDirectory(prefix="qw-bench-browser-") as tmp:
        folder = Path(base) if base is not None else Path(tmp)
        write_sessions(folder, n)
        started = time.perf_counter()
        browser = SessionBrowser(folder)
        cold = time.perf_counter() - started
        assert len(browser.sessions) == n, len(browser.sessions)
        started = time.perf_counter()
        browser.refresh()
        warm = time.perf_counter() - started
        synced = len(json.dumps(browser.view.get_state(["sessions", "results"])))
        browser.close()
    return [
        {"name": f"browser_list_cold_s[{n}]", "value": round(cold, 4), "unit": "s", "limit": LIMIT_SECONDS},
        {
            "name": f"browser_refresh_warm_s[{n}]",
            "value": round(warm, 4),
            "unit": "s",
            "limit": LIMIT_SECONDS,
        },
        {"name": f"browser_sync_bytes[{n}]", "value": synced, "unit": "bytes", "limit": None},
    ]


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for row in bench_session_browser(count):
        print(f"{row['name']:32} {row['value']:>12} {row['unit']}")

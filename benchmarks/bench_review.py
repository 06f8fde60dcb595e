"""ReviewDeck benchmarks: building the deck from 1,000 sessions vs reading those files once; due() on 10,000 cards.

The sessions are what the quiz writes (our ``"quiz_widgets"`` key with every answer and its seconds): six weeks
of a learner's practice, 1,000 attempts of 5 to 40 answers at 5 exams of 200 questions each. They have no
results files (a finished quiz also writes one: benchmarks/README.md gives a build with both). The first
build's note prints the CPU-time ratio, which leaves out the neighbours' load and the state's two fsyncs
that the wall clock counts; benchmarks/README.md has its steps and their counts in instructions.
"""

from __future__ import annotations

import json
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from run import Row, median_ms, register

from quiz_widgets.review.deck import Deck
from quiz_widgets.store.atomic import atomic_write_json, read_json_file


def _exam(title: str, count: int) -> dict:
    return {
        "title": title,
        "questions": [
            {
                "id": i,
                "question": f"{title}: question {i}?",
                "options": ["a", "b", "c", "d"],
                "answer": "A",
                "topic": f"Topic {i % 6}",
            }
            for i in range(1, count + 1)
        ],
    }


def _history(
    base: Path, sessions: int, exams: int, per_exam: int, seed: int = 7, cover: bool = False
) -> None:
    """``cover``: attempts of 40 questions in turn, so every question is answered once."""
    rng = random.Random(seed)
    (base / "exams").mkdir(parents=True)
    folder = base / "data" / "sessions"
    folder.mkdir(parents=True)
    titles = [f"Practice Exam {n}" for n in range(1, exams + 1)]
    for title in titles:
        (base / "exams" / f"{title.replace(' ', '_')}.json").write_text(json.dumps(_exam(title, per_exam)))
    start = datetime(2026, 1, 5, 8, 0)
    for n in range(sessions):
        when = start + timedelta(minutes=n * 60)  # 1,000 hours: six weeks
        title = titles[n % exams]
        if cover:
            first = (n // exams) * 40
            ids = list(range(first + 1, first + 41))
        else:
            ids = rng.sample(range(1, per_exam + 1), rng.randint(5, 40))
        answers = [{"question_id": q, "answer": "A", "correct": rng.random() < 0.7} for q in ids]
        atomic_write_json(
            folder / f"session_{when:%Y%m%d_%H%M%S}.json",
            {
                "session_date": when.isoformat(),
                "exam_title": title,
                "total_questions": per_exam,
                "quiz_mode": {"score": 0, "total_answered": len(ids), "wrong_answers": []},
                "timer_data": {
                    "elapsed_seconds": 600,
                    "completed": False,
                    "auto_saved": True,
                    "emergency_saved": False,
                    "quit_by_user": True,
                },
                "quiz_widgets": {
                    "format_version": 2,
                    "exam_path": None,
                    "answers": answers,
                    "seconds": {str(q): round(rng.uniform(4, 90), 3) for q in ids},
                },
            },
        )


def _paired(
    baseline: Callable[[], object],
    measured: Callable[[], object],
    setup: Callable[[], object] | None = None,
    cpu: list[float] | None = None,
) -> tuple[float, float]:
    """Median ms of each, run in turn 5 times; ``cpu`` gets the CPU-time medians (baseline, measured):
    on a shared machine the wall clock also counts the neighbours' work and the state file's fsync."""
    times: tuple[list[float], list[float]] = ([], [])
    cpu_times: tuple[list[float], list[float]] = ([], [])
    for _ in range(5):
        for fn, out, out_cpu, prepare in (
            (baseline, times[0], cpu_times[0], None),
            (measured, times[1], cpu_times[1], setup),
        ):
            if prepare is not None:
                prepare()
            start, start_cpu = time.perf_counter(), time.process_time()
            fn()
            out.append((time.perf_counter() - start) * 1000)
            out_cpu.append((time.process_time() - start_cpu) * 1000)
    if cpu is not None:
        cpu[:] = [statistics.median(cpu_times[0]), statistics.median(cpu_times[1])]
    return statistics.median(times[0]), statistics.median(times[1])


def _cpu_note(cpu: list[float]) -> str:
    return f"CPU time {cpu[1]:.0f} ms vs {cpu[0]:.0f} ms: {cpu[1] / cpu[0]:.2f}x"


@register
def bench_review_deck() -> list[Row]:
    base = Path(tempfile.mkdtemp(prefix="bench_review_"))
    try:
        _history(base, 1000, 5, 200)
        files = sorted((base / "data" / "sessions").glob("session_*.json"))
        state = base / "data" / "review" / "deck.json"

        def read_once() -> None:
            for path in files:
                read_json_file(path)

        def forget_state() -> None:
            state.unlink(missing_ok=True)

        # Interleaved, so a neighbour's load (2 cores, many engineers) weighs on both sides alike.
        build_cpu: list[float] = []
        read_ms, build_ms = _paired(read_once, lambda: Deck(base), setup=forget_state, cpu=build_cpu)
        reviews = sum(info.reviews for info in Deck(base).cards.values())
        reopen_cpu: list[float] = []
        reopen_base, reopen_ms = _paired(read_once, lambda: Deck(base), cpu=reopen_cpu)
        # The usual build: the state holds 999 sessions and one more is on disk (read, its cards replayed).
        last = files[-1]
        payload = last.read_bytes()

        def one_session_less() -> None:
            last.unlink()
            Deck(base)
            last.write_bytes(payload)

        add_cpu: list[float] = []
        add_base, add_ms = _paired(read_once, lambda: Deck(base), setup=one_session_less, cpu=add_cpu)
        rows = [
            Row(
                "ReviewDeck from 1,000 sessions (no state: read, FSRS replay, state written)",
                build_ms,
                "read the 1,000 files once (read_json_file)",
                read_ms,
                "<= 1.5x",
                build_ms <= 1.5 * read_ms,
                note=f"{reviews:,} reviews; {_cpu_note(build_cpu)}",
            ),
            Row(
                "ReviewDeck reopened, no file changed (its state file)",
                reopen_ms,
                "read the 1,000 files once",
                reopen_base,
                "<= 1.5x",
                reopen_ms <= 1.5 * reopen_base,
                note=_cpu_note(reopen_cpu),
            ),
            Row(
                "ReviewDeck reopened with 1 new session (state + 1 file, its cards replayed)",
                add_ms,
                "read the 1,000 files once",
                add_base,
                "<= 1.5x",
                add_ms <= 1.5 * add_base,
                note=_cpu_note(add_cpu) + "; its state write waits for two fsyncs in wall clock only",
            ),
        ]
    finally:
        shutil.rmtree(base, ignore_errors=True)

    base = Path(tempfile.mkdtemp(prefix="bench_review_"))
    try:
        _history(base, 250, 50, 200, seed=8, cover=True)  # 250 attempts of 40 at 50 exams: 10,000 questions
        deck = Deck(base)
        cards = len(deck.cards)
        first_ms = median_ms(lambda: Deck(base).due(), repeat=3)
        deck.due()  # the exams are found and loaded once per deck
        due_ms = median_ms(deck.due)
        rows.append(
            Row(
                f"due() on {cards:,} cards",
                due_ms,
                target="< 100 ms",
                passed=due_ms < 100,
                note="exams loaded",
            )
        )
        rows.append(
            Row(
                f"a new deck's first due() on {cards:,} cards (state read, 50 exams of 200 questions loaded)",
                first_ms,
                note="no target",
            )
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return rows


if __name__ == "__main__":
    from run import format_table

    print(format_table(bench_review_deck()))

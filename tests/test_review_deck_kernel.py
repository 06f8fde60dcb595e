"""ReviewDeck.quiz() in a real kernel: an answer from the page reschedules its card at once, and survives the
kernel being killed right after (the deck's state and the quiz's session file are both on disk)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from kernel_scenarios import kernel_in
from test_review_deck import write_attempt, write_exam

from quiz_widgets import ReviewDeck

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(240)]

MARK = "QWREVIEW:"

CODE = """
import json
from quiz_widgets import ReviewDeck
deck = ReviewDeck(BASE)
quiz = deck.quiz(limit=5)
def page(content):
    quiz._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})
page({"type": "answer", "value": 0, "request": "r1"})
print(MARK + json.dumps({"title": quiz.exam_title, "total": quiz.total, "correct": quiz.feedback.get("correct"),
                         "due": deck.due()}), flush=True)
"""


def test_a_page_answer_reschedules_at_once_and_survives_sigkill(tmp_path: Path) -> None:
    exam = write_exam(tmp_path, "Networking")
    write_attempt(
        tmp_path, exam, datetime.now(timezone.utc) - timedelta(days=9), [(1, False, 30), (2, False, 30)]
    )
    before = ReviewDeck(tmp_path).cards[("Networking", "1")]
    with kernel_in(tmp_path) as k:
        out = k.execute(f"MARK = {MARK!r}\nBASE = {str(tmp_path)!r}\n" + CODE, timeout=90).stdout
        lines = [line for line in out.splitlines() if line.startswith(MARK)]
        assert lines, out
        seen = json.loads(lines[-1][len(MARK) :])
        k.sigkill()
    assert seen == {"title": "Spaced review", "total": 2, "correct": True, "due": [["Networking", 2]]}
    after = ReviewDeck(tmp_path).cards[("Networking", "1")]
    assert after.reviews == before.reviews + 1 and after.right == 1
    assert after.card.due > datetime.now(timezone.utc) + timedelta(days=1)

"""Session files are encoded by orjson when it is installed and by json otherwise: the same files either way."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from quiz_widgets import SessionManager
from quiz_widgets.store import atomic

orjson = pytest.importorskip("orjson", reason="the `fast` extra (orjson) is part of the test extra")


def session(answers: int, *, title: str = "Cloud Basics", exam_path: str | None = "/x/cloud.json") -> dict:
    return {
        "session_date": "2026-11-26T10:00:00.123456",
        "exam_title": title,
        "total_questions": answers,
        "quiz_mode": {
            "score": answers // 2,
            "total_answered": answers,
            "wrong_answers": [
                {"question_id": i, "question": "Which?", "your_answer": "EBS", "correct_answer": "S3"}
                for i in range(answers // 2)
            ],
        },
        "timer_data": {"elapsed_seconds": 123.4, "completed": False, "auto_saved": True},
        "quiz_widgets": {
            "format_version": 1,
            "exam_path": exam_path,
            "question_order": list(range(answers)),
            "answers": [{"question_id": i, "answer": ["B", "E"], "correct": True} for i in range(answers)],
        },
    }


def json_bytes(data: object) -> bytes:
    return json.dumps(data, indent=2, allow_nan=False).encode("ascii")


@pytest.mark.parametrize(
    "data", [session(10), session(10, exam_path=None), session(10, title="Caf\u00e9 \u2615")]
)
def test_small_files_are_byte_for_byte_what_json_writes(data: dict) -> None:
    assert atomic.dumps_json(data) == json_bytes(data)


def test_non_ascii_text_is_escaped_as_the_original_app_writes_it() -> None:
    out = atomic.dumps_json(session(3, title="\u00c9tudes \u00e0 Paris"))
    assert out.isascii() and b"\\u00c9tudes" in out


def test_big_files_are_compact_and_read_back_equal() -> None:
    data = session(1000)
    out = atomic.dumps_json(data)
    assert b"\n" not in out and len(out) > atomic._INDENT_LIMIT
    assert json.loads(out) == data


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize("use_orjson", [True, False])
def test_nan_and_infinity_are_refused_on_both_paths(bad: float, use_orjson: bool, monkeypatch) -> None:
    if not use_orjson:
        monkeypatch.setattr(atomic, "_orjson", None)
    with pytest.raises(ValueError):
        atomic.dumps_json({"timer_data": {"elapsed_seconds": bad}, "exam_path": None})


def test_without_orjson_the_same_bytes(monkeypatch) -> None:
    fast = {n: atomic.dumps_json(session(n)) for n in (10, 1000)}
    monkeypatch.setattr(atomic, "_orjson", None)
    assert atomic.dumps_json(session(10)) == fast[10]
    assert json.loads(atomic.dumps_json(session(1000))) == json.loads(fast[1000])


def test_keys_orjson_refuses_go_to_json() -> None:
    assert atomic.dumps_json({1: "a"}) == json_bytes({1: "a"})  # json writes the key as "1"
    with pytest.raises(TypeError):
        atomic.dumps_json({1j: 2})


def test_save_session_adds_session_date_when_missing(tmp_path, monkeypatch) -> None:
    mgr = SessionManager(tmp_path)
    data = session(2)
    del data["session_date"]
    before = datetime.now()
    saved = json.loads(mgr.save_session(data).read_text())
    assert before <= datetime.fromisoformat(saved["session_date"]) <= datetime.now()
    kept = json.loads(mgr.save_session(session(2)).read_text())
    assert kept["session_date"] == "2026-11-26T10:00:00.123456"

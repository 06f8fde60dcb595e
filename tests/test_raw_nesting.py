"""The nesting check on a file's bytes, before any JSON decoder sees them (quiz_widgets/nesting.py).

A decoder recurses once per level: in Pyodide a file nested 10,000 deep kills the kernel for good. So the
bytes are scanned without recursion and a file over DECODE_NESTING_LIMIT is refused, naming the file, the
byte offset and the limit, and never decoded: session and results files (store/atomic.py), exam files and
jupyterquiz banks (exam/). This module also runs inside Pyodide (tests/lite/test_pyodide_core.py), where
a missed check kills the run.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import ExamError, SessionError
from quiz_widgets.exam.formats.jupyterquiz import read_jupyterquiz
from quiz_widgets.exam.loading import load_exam
from quiz_widgets.store import atomic
from quiz_widgets.store.atomic import DECODE_NESTING_LIMIT, check_raw_nesting, parse_json_bytes
from quiz_widgets.store.manager import SessionManager


def _depth(value: object) -> int:
    """Levels of arrays/objects in a decoded value (iterative, like the check it verifies)."""
    best, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            depth += 1
            best = max(best, depth)
            stack.extend((child, depth) for child in (item.values() if isinstance(item, dict) else item))
    return best


def _decoder_depth(raw: bytes) -> int:
    """The deepest level outside strings, byte by byte (a string runs to the next unescaped quote), up to
    the first backslash outside a string, where any JSON decoder stops: how deep a decoder could recurse."""
    best = depth = 0
    in_string = escaped = False
    for byte in raw:
        char = chr(byte)
        if not in_string and char == "\\":
            break
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            best = max(best, depth)
        elif char in "]}":
            depth -= 1
    return best


# Strings full of what could fool a scan: brackets, quotes, backslashes, escapes of non-ASCII text.
tricky_text = st.text(alphabet=st.sampled_from(list('[]{}"\\ab/é€\n')), max_size=12)
json_values = st.recursive(
    st.none() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(value=json_values, ascii_only=st.booleans())
def test_the_check_refuses_exactly_what_is_deeper_than_the_limit(value: object, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    depth = _depth(value)
    check_raw_nesting(raw, "file x", limit=depth)  # exactly at the limit: accepted
    if depth > 0:
        with pytest.raises(SessionError, match=rf"expected a JSON object at most {depth - 1} levels deep"):
            check_raw_nesting(raw, "file x", limit=depth - 1)


@settings(max_examples=600, deadline=None)
@given(raw=st.binary(max_size=60) | st.text(alphabet='[]{}"\\,:a ', max_size=60).map(str.encode))
def test_on_any_bytes_the_check_lets_nothing_through_a_decoder_could_nest_too_deep_in(raw: bytes) -> None:
    # Invalid JSON included: whatever a decoder would nest deeper than the limit before its first error
    # is refused. (Invalid bytes may be refused more often; the decoder would refuse them anyway.)
    try:
        check_raw_nesting(raw, "file x", limit=3)
    except SessionError:
        refused = True
    else:
        refused = False
    assert refused or _decoder_depth(raw) <= 3


def test_a_10000_deep_file_is_refused_before_decoding_naming_file_offset_and_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "session_20240101_000000.json"
    path.write_bytes(b'{"a": ' + b"[" * 10_000 + b"]" * 10_000 + b"}")

    class NoDecoder:
        def decode(self, _text: str) -> object:
            raise AssertionError("the decoder was called on a file the scan must refuse")

    monkeypatch.setattr(atomic, "_DECODER", NoDecoder())
    with pytest.raises(SessionError) as info:
        atomic.read_json_file(path)
    message = str(info.value)
    assert str(path) in message
    # level 1 is the object at byte 0; the array opening level 1,001 is the 1,000th "[" (byte 6 + 999)
    assert "byte 1,005 opens level 1,001" in message
    assert f"at most {DECODE_NESTING_LIMIT:,} levels deep" in message


def test_brackets_inside_strings_do_not_count() -> None:
    text = "[" * 5000 + '\\"' + "{" * 5000
    data = parse_json_bytes(json.dumps({"note": text}).encode(), "session file s.json")
    assert data["note"] == text


def test_an_escaped_backslash_ends_no_string_early() -> None:
    # "\\" is a whole string: the brackets after it are structure, 1,001 levels of them.
    raw = b'{"a": "\\\\", "b": ' + b"[" * 1_000 + b"]" * 1_000 + b"}"
    with pytest.raises(SessionError, match="byte 1,016 opens level 1,001"):
        parse_json_bytes(raw, "session file s.json")


def test_the_listing_skips_a_hostile_deep_file_and_shows_the_rest(tmp_path: Path) -> None:
    mgr = SessionManager(tmp_path)
    good = mgr.save_session(
        {
            "session_date": "2025-01-02T10:00:00",
            "exam_title": "Kept",
            "total_questions": 1,
            "quiz_mode": {"score": 1, "total_answered": 1, "wrong_answers": []},
            "timer_data": {"elapsed_seconds": 3.0, "completed": True},
        }
    )
    deep = mgr.sessions_dir / "session_20240101_000000.json"
    deep.write_bytes(b"[" * 10_000 + b"]" * 10_000)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        listed = mgr.find_study_sessions()
    assert [entry["_filepath"] for entry in listed] == [str(good)]
    messages = [str(w.message) for w in caught]
    assert any(
        re.search(r"session_20240101_000000\.json: nested too deeply.*byte 1,000", m) for m in messages
    )
    with pytest.raises(SessionError, match="nested too deeply"):
        mgr.load_session(deep)


DEEP = "[" * 10_000 + "]" * 10_000


def test_a_10000_deep_exam_file_is_refused_naming_file_line_and_column(tmp_path: Path) -> None:
    exam = tmp_path / "deep.json"
    exam.write_text('{"title": "Deep",\n "questions": ' + DEEP + "}", "utf-8")
    with pytest.raises(ExamError) as caught:
        load_exam(exam)
    message = str(caught.value)
    assert message.startswith(f"{exam}: line 2 column ")
    assert "opens level 1,001" in message and "nested too deeply" in message and "not decoded" in message


def test_a_10000_deep_jupyterquiz_bank_is_refused() -> None:
    with pytest.raises(ExamError, match=r"bank\.json: line 1 column 1,001 opens level 1,001"):
        read_jupyterquiz(DEEP, "bank.json")


def test_a_normally_nested_exam_still_loads(tmp_path: Path) -> None:
    exam = tmp_path / "fine.json"
    question = {"id": 1, "question": "2 + 2?", "type": "numeric", "answers": [{"value": 4, "tolerance": 0}]}
    exam.write_text(json.dumps({"title": "Fine", "questions": [question]}), "utf-8")
    assert load_exam(exam).title == "Fine"

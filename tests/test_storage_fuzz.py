"""Property tests: no file content makes the storage layer raise anything but SessionError/FileNotFoundError."""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz_widgets.errors import SessionError
from quiz_widgets.store import manager as storage
from quiz_widgets.store.manager import SessionManager, atomic_write_json

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sessions"
VALID = [p.read_bytes() for p in sorted(FIXTURES.glob("session_*.json"))]

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)

# Session-shaped dicts with random values in the seed's fields: the structural check's territory.
field_values = st.one_of(json_values, st.just({}), st.just([]), st.integers(-5, 5))
session_like = st.fixed_dictionaries(
    {},
    optional={
        "session_date": field_values,
        "exam_title": field_values,
        "total_questions": field_values,
        "quiz_mode": st.one_of(
            field_values,
            st.fixed_dictionaries(
                {},
                optional={
                    "score": field_values,
                    "total_answered": field_values,
                    "wrong_answers": field_values,
                },
            ),
        ),
        "timer_data": st.one_of(
            field_values,
            st.fixed_dictionaries(
                {},
                optional={
                    "elapsed_seconds": field_values,
                    "completed": field_values,
                    "quit_by_user": field_values,
                },
            ),
        ),
        "quiz_widgets": field_values,
    },
)


def check_file(content: bytes) -> None:
    """Write *content* as a session file; load_session and find_study_sessions must behave."""
    with tempfile.TemporaryDirectory() as tmp:
        mgr = SessionManager(tmp)
        mgr.sessions_dir.mkdir(parents=True)
        path = mgr.sessions_dir / "session_20240101_000000.json"
        path.write_bytes(content)
        try:
            data = mgr.load_session(path)
        except SessionError as err:
            assert str(path) in str(err)
            loaded = False
        else:
            assert isinstance(data, dict)
            assert data["_filepath"] == str(path)
            loaded = True
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            found = mgr.find_study_sessions()
        assert len(found) == (1 if loaded else 0)
        assert len(caught) == (0 if loaded else 1)
        if loaded:
            # Whatever loads can be saved again (strict JSON, no NaN) and reloads equal. The entry is
            # read-only; save_session leaves "_filepath" out of the file itself, and adds a session_date
            # when there was none (as the original app does).
            entry = found[0]
            mgr.save_session(entry, path)
            again = mgr.load_session(path)
            if "session_date" not in entry:
                assert isinstance(again.pop("session_date"), str)
            assert again == entry


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes(content: bytes) -> None:
    check_file(content)


@FUZZ
@given(st.sampled_from(VALID).flatmap(lambda b: st.tuples(st.just(b), st.integers(0, len(b)))))
def test_truncated_valid_files(case: tuple[bytes, int]) -> None:
    content, cut = case
    check_file(content[:cut])


@FUZZ
@given(json_values)
def test_random_json_values(value: object) -> None:
    check_file(json.dumps(value).encode())


@FUZZ
@given(session_like)
def test_random_session_shaped_dicts(value: dict) -> None:
    check_file(json.dumps(value).encode())


@FUZZ
@given(st.sampled_from(VALID), st.integers(0, 2000), st.binary(min_size=1, max_size=3))
def test_corrupted_byte_in_valid_file(content: bytes, pos: int, junk: bytes) -> None:
    pos = pos % len(content)
    check_file(content[:pos] + junk + content[pos + len(junk) :])


@FUZZ
@given(old=json_values, new=json_values)
def test_crash_between_temp_write_and_rename_keeps_old_file(old, new) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "session_1.json"
        atomic_write_json(path, {"v": old})
        before = path.read_bytes()
        real_replace = os.replace

        def crash(src, dst):
            raise OSError(5, "simulated crash")

        os.replace = crash  # monkeypatch fixture is function-scoped; hypothesis runs many examples
        try:
            with pytest.raises(OSError, match=r"session_1\.json"):
                atomic_write_json(path, {"v": new})
        finally:
            os.replace = real_replace
        assert path.read_bytes() == before
        assert os.listdir(tmp) == ["session_1.json"]


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 40), second=st.integers(0, 59))
def test_many_sessions_in_one_second_never_overwrite(n: int, second: int) -> None:
    frozen = datetime(2024, 2, 29, 23, 59, second)
    real_now = storage._now
    storage._now = lambda: frozen
    try:
        with tempfile.TemporaryDirectory() as tmp:
            mgr = SessionManager(tmp)
            paths = [mgr.save_session({"n": i}) for i in range(n)]
            assert len(set(paths)) == n
            stamp = frozen.strftime("session_%Y%m%d_%H%M%S")
            assert all(p.name.startswith(stamp) and p.suffix == ".json" for p in paths)
            assert [json.loads(p.read_text())["n"] for p in paths] == list(range(n))
    finally:
        storage._now = real_now

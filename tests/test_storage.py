"""storage.py: atomic writes, tolerant reads, SessionManager listing/cache, SessionLock."""

from __future__ import annotations

import copy
import gc
import json
import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from datetime import datetime
from pathlib import Path

import pytest

from quiz_widgets.errors import SessionError
from quiz_widgets.store import atomic
from quiz_widgets.store import manager as storage
from quiz_widgets.store.manager import (
    SessionLock,
    SessionManager,
    atomic_write_json,
    check_session,
    read_json_file,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
COMPAT = Path(__file__).resolve().parents[2] / "shared" / "compat" / "quizpython"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def session(**overrides) -> dict:
    data = {
        "session_date": "2024-03-01T10:00:00.000000",
        "exam_title": "Cloud Basics",
        "total_questions": 10,
        "quiz_mode": {"score": 1, "total_answered": 2, "wrong_answers": []},
        "timer_data": {
            "elapsed_seconds": 12,
            "completed": False,
            "auto_saved": True,
            "emergency_saved": False,
            "quit_by_user": False,
        },
    }
    data.update(overrides)
    return data


@pytest.fixture
def mgr(tmp_path: Path) -> SessionManager:
    return SessionManager(tmp_path)


@pytest.fixture
def populated(tmp_path: Path) -> SessionManager:
    m = SessionManager(tmp_path)
    shutil.copytree(FIXTURES / "sessions", m.sessions_dir)
    shutil.copytree(FIXTURES / "results", m.results_dir)
    return m


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------------------------------
# atomic_write_json


def test_atomic_write_writes_indented_json(tmp_path: Path) -> None:
    target = tmp_path / "x.json"
    atomic_write_json(target, {"a": [1, 2], "é": "ü"})
    assert json.loads(target.read_text("utf-8")) == {"a": [1, 2], "é": "ü"}
    assert target.read_text("ascii").startswith('{\n  "a"')  # like the original app
    atomic_write_json(target, {"b": 1})
    assert json.loads(target.read_text()) == {"b": 1}
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("bad", [{"x": object()}, {"x": float("nan")}, {1j: 2}])
def test_serialization_error_touches_no_file(tmp_path: Path, bad: dict) -> None:
    target = write(tmp_path / "x.json", '{"old": true}')
    with pytest.raises((TypeError, ValueError)):
        atomic_write_json(target, bad)
    assert target.read_text() == '{"old": true}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.json"]


def test_crash_before_rename_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path / "session_1.json", '{"old": true}')

    def boom(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(storage.os, "replace", boom)
    with pytest.raises(OSError) as info:
        atomic_write_json(target, {"new": True})
    assert str(target) in str(info.value)
    assert info.value.errno == 5
    assert target.read_text() == '{"old": true}'
    assert leftovers(tmp_path) == []


def test_fsync_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path / "s.json", '{"old": true}')

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", no_space)
    with pytest.raises(OSError, match="No space left") as info:
        atomic_write_json(target, {"new": True})
    assert str(target) in str(info.value)
    assert target.read_text() == '{"old": true}'
    assert leftovers(tmp_path) == []


def test_missing_folder_is_file_not_found_with_path(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "s.json"
    with pytest.raises(FileNotFoundError) as info:
        atomic_write_json(target, {})
    assert str(target) in str(info.value)


# --------------------------------------------------------------------------------------------------
# read_json_file


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('{\n  "a": 1,\n  "b": \n}', "line 4 column 1"),
        ("", "empty"),
        ("   \n", "empty"),
        ("[1, 2]", "top level is list"),
        ('"text"', "top level is str"),
        ("null", "top level is NoneType"),
        ('{"a": NaN}', "NaN"),
        ('{"a": -Infinity}', "Infinity"),
        ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
        ('{"a": ' * 200_000 + "1" + "}" * 200_000, "nested too deeply"),
        ('{"a": ' + "[" * 100 + "]" * 100 + "}", "nested more than"),
        ('{"a": 1' + "0" * 5000 + "}", "digits"),
        (b'{"a": "\xff\xfe"}', "not valid UTF-8"),
    ],
)
def test_read_json_file_bad_content(tmp_path: Path, content, needle: str) -> None:
    path = write(tmp_path / "session_x.json", content)
    with pytest.raises(SessionError) as info:
        read_json_file(path)
    assert str(path) in str(info.value)
    assert needle in str(info.value)
    assert "session file" in str(info.value)


def test_read_json_file_what_names_the_kind(tmp_path: Path) -> None:
    path = write(tmp_path / "r.json", "{")
    with pytest.raises(SessionError, match=r"^results file .*r\.json: invalid JSON at line 1 column 2"):
        read_json_file(path, what="results")


def test_read_json_file_accepts_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "s.json", b'\xef\xbb\xbf{"a": 1}')
    assert read_json_file(path) == {"a": 1}


def test_read_json_file_missing_stays_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_json_file(tmp_path / "gone.json")


def test_read_json_file_directory(tmp_path: Path) -> None:
    folder = tmp_path / "session_x.json"
    folder.mkdir()
    with pytest.raises(SessionError, match="is a folder"):
        read_json_file(folder)


def test_read_json_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "MAX_FILE_BYTES", 100)
    path = write(tmp_path / "s.json", json.dumps({"a": "x" * 200}))
    with pytest.raises(SessionError, match="at most 100 bytes"):
        read_json_file(path)


def test_read_json_file_permission_denied_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "s.json", "{}")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(storage.os, "open", denied)
    with pytest.raises(SessionError, match="cannot read it \\(Permission denied\\)"):
        read_json_file(path)


# --------------------------------------------------------------------------------------------------
# load_session and its structural check


def test_fixture_sessions_load(mgr: SessionManager) -> None:
    for path in sorted((FIXTURES / "sessions").glob("session_*.json")):
        data = mgr.load_session(path)
        assert data["_filepath"] == str(path)
        assert isinstance(data["quiz_mode"], dict)


@pytest.mark.compat
@pytest.mark.skipif(not COMPAT.is_dir(), reason="no ../shared/compat folder")
def test_original_app_sessions_load(mgr: SessionManager) -> None:
    paths = sorted((COMPAT / "sessions").glob("session_*.json"))
    assert paths
    for path in paths:
        assert mgr.load_session(path)["_filepath"] == str(path)


def test_load_session_missing_is_file_not_found(mgr: SessionManager, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        mgr.load_session(tmp_path / "session_nope.json")


def test_session_without_timer_or_quit_flag_is_valid(mgr: SessionManager, tmp_path: Path) -> None:
    data = session()
    del data["timer_data"]
    path = write(tmp_path / "a.json", json.dumps(data))
    assert mgr.load_session(path)["quiz_mode"]["score"] == 1
    data = session()
    del data["timer_data"]["quit_by_user"]
    path = write(tmp_path / "b.json", json.dumps(data))
    assert "quit_by_user" not in mgr.load_session(path)["timer_data"]


@pytest.mark.parametrize(
    ("change", "field", "found", "expected"),
    [
        ({"quiz_mode": []}, "'quiz_mode'", "[]", "an object"),
        ({"quiz_mode": {"score": -1}}, "'quiz_mode.score'", "-1", "a non-negative integer"),
        ({"quiz_mode": {"score": "3"}}, "'quiz_mode.score'", "'3'", "a non-negative integer"),
        ({"quiz_mode": {"score": True}}, "'quiz_mode.score'", "True", "a non-negative integer"),
        ({"quiz_mode": {"total_answered": 1.5}}, "'quiz_mode.total_answered'", "1.5", "non-negative integer"),
        ({"quiz_mode": {"wrong_answers": {}}}, "'quiz_mode.wrong_answers'", "{}", "a list"),
        ({"quiz_mode": {"wrong_answers": [3]}}, "'quiz_mode.wrong_answers[0]'", "3", "an object"),
        ({"timer_data": "soon"}, "'timer_data'", "'soon'", "an object"),
        (
            {"timer_data": {"elapsed_seconds": -5}},
            "'timer_data.elapsed_seconds'",
            "-5",
            "non-negative number",
        ),
        ({"timer_data": {"completed": "no"}}, "'timer_data.completed'", "'no'", "true or false"),
        ({"session_date": 20240101}, "'session_date'", "20240101", "a string"),
        ({"exam_title": None}, "'exam_title'", "None", "a string"),
        ({"total_questions": -2}, "'total_questions'", "-2", "a non-negative integer"),
        ({"quiz_widgets": [1]}, "'quiz_widgets'", "[1]", "an object"),
    ],
)
def test_structural_check_names_field_found_expected(
    mgr: SessionManager, tmp_path: Path, change: dict, field: str, found: str, expected: str
) -> None:
    path = write(tmp_path / "session_bad.json", json.dumps(session(**change)))
    with pytest.raises(SessionError) as info:
        mgr.load_session(path)
    message = str(info.value)
    assert str(path) in message
    assert field in message
    assert f"is {found};" in message
    assert expected in message


def test_check_session_cuts_long_values() -> None:
    with pytest.raises(SessionError) as info:
        check_session({"exam_title": ["x" * 500]}, "<dict>")
    assert len(str(info.value)) < 200
    assert "..." in str(info.value)


# --------------------------------------------------------------------------------------------------
# save_session


def test_manager_creates_no_folders_until_written(tmp_path: Path) -> None:
    m = SessionManager(tmp_path / "base")
    assert m.sessions_dir == tmp_path / "base" / "data" / "sessions"
    assert m.results_dir == tmp_path / "base" / "results"
    assert not (tmp_path / "base").exists()
    assert m.find_study_sessions() == []
    assert m.find_completed_results() == []
    assert m.clear_all_sessions() == 0
    assert not (tmp_path / "base").exists()


def test_save_session_new_name_and_no_filepath_key(mgr: SessionManager) -> None:
    data = session(_filepath="/somewhere/else.json")
    path = mgr.save_session(data)
    assert path.parent == mgr.sessions_dir
    assert datetime.strptime(path.name, "session_%Y%m%d_%H%M%S.json")
    on_disk = json.loads(path.read_text())
    assert "_filepath" not in on_disk
    assert on_disk == session()
    assert data["_filepath"] == "/somewhere/else.json"  # the caller's dict is not modified
    loaded = mgr.load_session(path)
    assert loaded.pop("_filepath") == str(path)
    assert loaded == session()


def test_save_session_with_filepath_overwrites(mgr: SessionManager) -> None:
    path = mgr.save_session(session())
    again = mgr.save_session(session(exam_title="Changed", _filepath=str(path)), path)
    assert again == path
    assert mgr.load_session(path)["exam_title"] == "Changed"
    assert len(list(mgr.sessions_dir.glob("session_*.json"))) == 1
    assert leftovers(mgr.sessions_dir) == []


def test_many_sessions_in_one_second_never_overwrite(mgr: SessionManager, monkeypatch) -> None:
    monkeypatch.setattr(storage, "_now", lambda: datetime(2024, 5, 6, 7, 8, 9))
    paths = [mgr.save_session(session(total_questions=i)) for i in range(25)]
    assert len(set(paths)) == 25
    assert paths[0].name == "session_20240506_070809.json"
    assert paths[1].name == "session_20240506_070809_2.json"
    for i, p in enumerate(paths):
        assert p.name.startswith("session_20240506_070809")
        assert mgr.load_session(p)["total_questions"] == i
    assert sorted(mgr.sessions_dir.iterdir()) == sorted(paths)  # no temp files, nothing else


def test_concurrent_new_sessions_never_collide(mgr: SessionManager, monkeypatch) -> None:
    monkeypatch.setattr(storage, "_now", lambda: datetime(2024, 5, 6, 7, 8, 9))
    out: list[Path] = []
    lock = threading.Lock()

    def worker(k: int) -> None:
        for i in range(10):
            p = mgr.save_session(session(total_questions=k * 100 + i))
            with lock:
                out.append(p)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 60
    assert sorted(mgr.load_session(p)["total_questions"] for p in out) == sorted(
        k * 100 + i for k in range(6) for i in range(10)
    )


def test_save_session_falls_back_when_links_unsupported(mgr: SessionManager, monkeypatch) -> None:
    monkeypatch.setattr(storage, "_now", lambda: datetime(2024, 5, 6, 7, 8, 9))

    def no_links(src, dst):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(storage.os, "link", no_links)
    a = mgr.save_session(session(total_questions=1))
    b = mgr.save_session(session(total_questions=2))
    assert a != b
    assert [mgr.load_session(p)["total_questions"] for p in (a, b)] == [1, 2]
    assert leftovers(mgr.sessions_dir) == []


def test_save_session_crash_leaves_no_session_file(mgr: SessionManager, monkeypatch) -> None:
    def boom(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(storage.os, "fsync", boom)
    with pytest.raises(OSError, match="session_"):
        mgr.save_session(session())
    assert list(mgr.sessions_dir.iterdir()) == []


# --------------------------------------------------------------------------------------------------
# find_study_sessions


def test_find_study_sessions_newest_first(populated: SessionManager) -> None:
    names = [Path(s["_filepath"]).name for s in populated.find_study_sessions()]
    assert names == [
        "session_20240107_080000.json",
        "session_20240106_120000.json",
        "session_20240105_100000.json",
        "session_20240105_090000.json",
    ]


def test_find_study_sessions_ties_by_mtime(mgr: SessionManager) -> None:
    same = "2024-01-01T00:00:00"
    old = mgr.save_session(session(session_date=same, exam_title="old"), mgr.sessions_dir / "session_b.json")
    new = mgr.save_session(session(session_date=same, exam_title="new"), mgr.sessions_dir / "session_a.json")
    os.utime(old, ns=(1_000_000_000, 1_000_000_000))
    os.utime(new, ns=(2_000_000_000, 2_000_000_000))
    assert [s["exam_title"] for s in mgr.find_study_sessions()] == ["new", "old"]


def test_find_study_sessions_skips_bad_files_with_one_warning_each(
    populated: SessionManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = populated.sessions_dir
    bad = {
        "session_syntax.json": ('{"a": ', "invalid JSON"),
        "session_deep.json": ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        "session_types.json": (json.dumps(session(quiz_mode={"score": "lots"})), "quiz_mode.score"),
        "session_list.json": ("[]", "top level is list"),
        "session_bytes.json": (b"\x80\x81\x82", "not valid UTF-8"),
        "session_empty.json": ("", "empty"),
        "session_unreadable.json": ("{}", "Permission denied"),
    }
    for name, (content, _) in bad.items():
        write(d / name, content)
    (d / "session_folder.json").mkdir()
    bad["session_folder.json"] = ("", "is a folder")
    write(d / "notes.txt", "not a session")
    write(d / "session_x.json.bak", "{")

    real_open = os.open

    def fake_open(file, *args, **kwargs):
        if str(file).endswith("session_unreadable.json"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(storage.os, "open", fake_open)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = populated.find_study_sessions()
    assert len(found) == 4
    messages = [str(w.message) for w in caught]
    assert len(messages) == len(bad)
    for name, (_, why) in bad.items():
        mine = [m for m in messages if name in m]
        assert len(mine) == 1, (name, messages)
        assert why in mine[0]
    assert all(w.category is UserWarning for w in caught)
    assert all(w.filename == __file__ for w in caught)  # points at the caller, not at storage.py


def test_listing_entries_are_read_only(populated: SessionManager) -> None:
    first = populated.find_study_sessions()
    entry = first[0]
    wrong = entry["quiz_mode"]["wrong_answers"]
    attempts = [
        lambda: entry.__setitem__("exam_title", "x"),
        lambda: entry["quiz_mode"].__setitem__("score", 999),
        lambda: entry.__delitem__("exam_title"),
        lambda: entry.update(exam_title="x"),
        lambda: entry.pop("exam_title"),
        lambda: entry.popitem(),
        lambda: entry.clear(),
        lambda: entry.setdefault("new", 1),
        lambda: entry.__ior__({"new": 1}),
        lambda: wrong.append({"x": 1}),
        lambda: wrong.extend([1]),
        lambda: wrong.insert(0, 1),
        lambda: wrong.remove(1),
        lambda: wrong.pop(),
        lambda: wrong.clear(),
        lambda: wrong.sort(),
        lambda: wrong.reverse(),
        lambda: wrong.__setitem__(0, 1),
        lambda: wrong.__delitem__(0),
        lambda: wrong.__iadd__([1]),
        lambda: wrong.__imul__(2),
    ]
    for attempt in attempts:
        with pytest.raises(TypeError, match=r"read-only; use SessionManager\.load_session"):
            attempt()
    second = populated.find_study_sessions()
    assert second[0] is entry  # unchanged files: the very same objects, no copy
    assert second[0]["quiz_mode"]["score"] == 1
    assert second[0]["quiz_mode"]["wrong_answers"] == []
    # They stay plain JSON to everyone who reads them.
    assert isinstance(entry, dict) and isinstance(wrong, list)
    assert json.loads(json.dumps(entry)) == entry
    assert entry == {**entry}
    # A dict you can change: load_session, or a deep copy (plain dicts and lists all the way down).
    loaded = populated.load_session(entry["_filepath"])
    loaded["quiz_mode"]["score"] = 999
    for copied in (copy.deepcopy(entry), pickle.loads(pickle.dumps(entry))):
        assert type(copied) is dict and type(copied["quiz_mode"]) is dict
        assert type(copied["quiz_mode"]["wrong_answers"]) is list
        assert copied == entry
        copied["quiz_mode"]["score"] = 999
        copied["quiz_mode"]["wrong_answers"].append({"x": 1})
    shallow = copy.copy(entry)
    assert type(shallow) is dict
    shallow["exam_title"] = "changed"
    assert populated.find_study_sessions()[0]["exam_title"] != "changed"


def test_listing_entry_of_a_changed_file_is_new(populated: SessionManager) -> None:
    before = {s["_filepath"]: s for s in populated.find_study_sessions()}
    path = populated.sessions_dir / "session_20240105_100000.json"
    populated.save_session(session(exam_title="Fresh"), path)
    after = {s["_filepath"]: s for s in populated.find_study_sessions()}
    assert after[str(path)]["exam_title"] == "Fresh"
    assert before[str(path)]["exam_title"] != "Fresh"  # the old entry object is never changed
    assert after[str(path)] is not before[str(path)]
    assert all(after[p] is before[p] for p in after if p != str(path))


def test_listing_cache_avoids_rereading(populated: SessionManager, monkeypatch) -> None:
    calls: list[str] = []
    real = storage.read_json_and_stat

    def counting(path, what, **options):
        calls.append(Path(path).name)
        return real(path, what, **options)

    monkeypatch.setattr(storage, "read_json_and_stat", counting)
    populated.find_study_sessions()
    assert len(calls) == 4
    populated.find_study_sessions()
    assert len(calls) == 4  # nothing re-read
    populated.save_session(
        session(exam_title="Fresh"), populated.sessions_dir / "session_20240105_100000.json"
    )
    titles = [s["exam_title"] for s in populated.find_study_sessions()]
    assert calls[4:] == ["session_20240105_100000.json"]
    assert "Fresh" in titles


def test_cache_invalidated_when_same_size_file_changes_mtime(mgr: SessionManager) -> None:
    path = mgr.save_session(session(exam_title="AAAA"))
    assert mgr.find_study_sessions()[0]["exam_title"] == "AAAA"
    st = path.stat()
    # Rewrite in place (same inode, same size), as another tool might, then move the mtime on.
    with open(path, "r+b") as fh:
        text = fh.read().replace(b"AAAA", b"BBBB")
        fh.seek(0)
        fh.write(text)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert path.stat().st_size == st.st_size
    assert mgr.find_study_sessions()[0]["exam_title"] == "BBBB"


def test_cache_forgets_deleted_and_sees_new_files(populated: SessionManager) -> None:
    assert len(populated.find_study_sessions()) == 4
    (populated.sessions_dir / "session_20240105_090000.json").unlink()
    assert len(populated.find_study_sessions()) == 3
    populated.save_session(session())
    assert len(populated.find_study_sessions()) == 4


def test_listing_entries_are_summaries(mgr: SessionManager) -> None:
    ours = {
        "format_version": 1,
        "exam_path": "/exams/a.json",
        "exam_fingerprint": "ab" * 32,
        "question_order": [1, 2, 3],
        "answers": [{"question_id": 1, "answer": "A", "correct": True}],
        "carried_over": {"score": 1, "total_answered": 1},
    }
    path = mgr.save_session(session(quiz_widgets=ours, extra_key={"kept": True}))
    small = {k: ours[k] for k in ("format_version", "exam_path", "exam_fingerprint")}
    for _ in range(2):  # first (read from disk) and repeat (from the cache) calls alike
        (entry,) = mgr.find_study_sessions()
        assert entry["quiz_widgets"] == small
        assert entry["extra_key"] == {"kept": True}
        assert entry["quiz_mode"] == session()["quiz_mode"]
        assert entry["_filepath"] == str(path)
        with pytest.raises(TypeError, match="load_session"):
            entry["quiz_widgets"]["exam_path"] = "changed"
    assert mgr.load_session(path)["quiz_widgets"] == ours  # the whole file


def test_listing_sees_files_changed_by_another_manager(populated: SessionManager) -> None:
    assert len(populated.find_study_sessions()) == 4
    other = SessionManager(populated.base_dir)
    other.save_session(session(exam_title="Fresh"), populated.sessions_dir / "session_20240105_100000.json")
    other.delete_session(populated.sessions_dir / "session_20240105_090000.json")
    titles = [s["exam_title"] for s in populated.find_study_sessions()]
    assert len(titles) == 3
    assert "Fresh" in titles


# --------------------------------------------------------------------------------------------------
# results


def test_find_completed_results_only_with_wrong_answers(populated: SessionManager) -> None:
    found = populated.find_completed_results()
    assert [Path(r["_filepath"]).name for r in found] == [
        "quiz_results_20240106_130000_123456.json",
        "quiz_results_20240105_101500.json",
    ]
    old = found[1]["detailed_results"]["incorrect_answers"]
    assert old[1]["your_answer"] == ["A", "D"]
    with pytest.raises(TypeError, match="read-only"):
        old.append({})
    with pytest.raises(TypeError, match="read-only"):
        found[0]["detailed_results"]["incorrect_answers"][0]["question"] = "x"
    assert populated.find_completed_results()[1] is found[1]
    mutable = copy.deepcopy(found[1])
    mutable["detailed_results"]["incorrect_answers"].append({})
    assert storage.read_json_file(found[1]["_filepath"], what="results") == {
        k: v for k, v in found[1].items() if k != "_filepath"
    }


@pytest.mark.compat
@pytest.mark.skipif(not COMPAT.is_dir(), reason="no ../shared/compat folder")
def test_original_app_results_listed(tmp_path: Path) -> None:
    m = SessionManager(tmp_path)
    shutil.copytree(COMPAT / "results", m.results_dir)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(m.find_completed_results()) == len(list((COMPAT / "results").glob("quiz_results_*.json")))


def test_bad_results_file_is_warned_and_skipped(populated: SessionManager) -> None:
    write(populated.results_dir / "quiz_results_20240101_000000.json", "{oops")
    write(populated.results_dir / "quiz_results_20240102_000000.json", '{"detailed_results": []}')
    with pytest.warns(UserWarning) as record:
        found = populated.find_completed_results()
    assert len(found) == 2
    assert {m for r in record for m in ("20240101", "20240102") if m in str(r.message)} == {
        "20240101",
        "20240102",
    }
    assert all(str(r.message).startswith("skipped results file") for r in record)


def test_save_results_name_and_never_overwrites(mgr: SessionManager, monkeypatch) -> None:
    monkeypatch.setattr(storage, "_now", lambda: datetime(2024, 5, 6, 7, 8, 9, 123456))
    a = mgr.save_results({"performance": {"score": 1}, "_filepath": "x"})
    b = mgr.save_results({"performance": {"score": 2}})
    assert a.name == "quiz_results_20240506_070809_123456.json"
    assert b.name == "quiz_results_20240506_070809_123456_2.json"
    assert json.loads(a.read_text()) == {"performance": {"score": 1}}
    assert json.loads(b.read_text()) == {"performance": {"score": 2}}


def test_aggregate_reads_every_completed_results_file(populated: SessionManager) -> None:
    # One entry per (exam, question) across the results files that have wrong answers, each naming its exam.
    from quiz_widgets.store.results_files import aggregate_all_incorrect_answers, incorrect_answers

    completed = populated.find_completed_results()
    assert len(completed) == 2
    wrong = populated.aggregate_all_incorrect_answers()
    assert wrong == aggregate_all_incorrect_answers(completed)
    per_file = sum(len(incorrect_answers(r)) for r in completed)
    assert 0 < len(wrong) <= per_file
    assert all(w["exam_title"] for w in wrong)


# --------------------------------------------------------------------------------------------------
# delete_session / clear_all_sessions


def test_delete_session(populated: SessionManager) -> None:
    target = populated.sessions_dir / "session_20240105_090000.json"
    populated.find_study_sessions()
    populated.delete_session(target)
    assert not target.exists()
    assert len(populated.find_study_sessions()) == 3
    with pytest.raises(FileNotFoundError):
        populated.delete_session(target)


def test_delete_session_refuses_outside_or_other_names(populated: SessionManager, tmp_path: Path) -> None:
    outside = write(tmp_path / "session_20240101_000000.json", "{}")
    other = write(populated.sessions_dir / "notes.json", "{}")
    results = next(populated.results_dir.iterdir())
    sneaky = populated.sessions_dir / ".." / ".." / "session_20240101_000000.json"
    for path in (outside, other, results, sneaky):
        with pytest.raises(SessionError):
            populated.delete_session(path)
        assert path.exists()
    folder = populated.sessions_dir / "session_dir.json"
    folder.mkdir()
    with pytest.raises(SessionError, match="is a folder"):
        populated.delete_session(folder)


def test_clear_all_sessions_only_session_files(populated: SessionManager) -> None:
    d = populated.sessions_dir
    write(d / "notes.txt", "keep")
    write(d / "session_1.json.bak", "keep")
    (d / "session_dir.json").mkdir()
    lock = SessionLock(d / "session_20240105_090000.json")
    assert lock.acquire()
    try:
        assert populated.clear_all_sessions() == 4
    finally:
        lock.release()
    assert sorted(p.name for p in d.iterdir()) == [
        ".locks",
        "notes.txt",
        "session_1.json.bak",
        "session_dir.json",
    ]
    with pytest.warns(UserWarning, match="session_dir.json: is a folder"):
        assert populated.find_study_sessions() == []
    assert populated.clear_all_sessions() == 0
    assert len(list(populated.results_dir.iterdir())) == 3


# --------------------------------------------------------------------------------------------------
# SessionLock


def test_lock_basic(tmp_path: Path) -> None:
    path = tmp_path / "data" / "sessions" / "session_1.json"
    lock = SessionLock(path)
    assert not lock.held
    assert lock.acquire()
    assert lock.held
    assert lock.acquire()  # already ours
    assert (path.parent / ".locks" / "session_1.json.lock").exists()
    assert not list(path.parent.glob("session_*.json"))
    lock.release()
    assert not lock.held
    lock.release()  # idempotent
    with SessionLock(path) as again:
        assert again.held
    assert not again.held


def test_second_lock_in_same_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "session_1.json"
    a, b = SessionLock(path), SessionLock(str(path))
    assert a.acquire()
    assert not b.acquire()
    assert not b.held
    result: list[bool] = []
    t = threading.Thread(target=lambda: result.append(SessionLock(path).acquire()))
    t.start()
    t.join()
    assert result == [False]
    a.release()
    assert b.acquire()
    b.release()


def test_different_sessions_do_not_block_each_other(tmp_path: Path) -> None:
    a, b = SessionLock(tmp_path / "session_1.json"), SessionLock(tmp_path / "session_2.json")
    assert a.acquire() and b.acquire()
    a.release()
    b.release()


def test_dropped_lock_object_frees_the_file(tmp_path: Path) -> None:
    path = tmp_path / "session_1.json"
    a = SessionLock(path)
    assert a.acquire()
    del a
    gc.collect()
    b = SessionLock(path)
    assert b.acquire()
    b.release()


HOLDER = textwrap.dedent(
    """
    import sys, time
    from quiz_widgets.store.manager import SessionLock
    lock = SessionLock(sys.argv[1])
    print("acquired" if lock.acquire() else "refused", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_lock_across_processes_and_killed_holder_releases(tmp_path: Path) -> None:
    path = tmp_path / "session_1.json"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "acquired"
        mine = SessionLock(path)
        assert not mine.acquire()
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        assert mine.acquire()  # a dead holder never leaves a stale lock
        # ...and now another process is refused.
        out = subprocess.run(
            [sys.executable, "-c", HOLDER.replace("time.sleep(60)", ""), str(path)],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert out.stdout.strip() == "refused"
        mine.release()
    finally:
        proc.kill()
        proc.wait()


def test_files_get_the_usual_mode_and_keep_their_own(mgr: SessionManager) -> None:
    from quiz_widgets.store.atomic import NEW_FILE_MODE

    path = mgr.save_session(session())
    assert stat.S_IMODE(path.stat().st_mode) == NEW_FILE_MODE  # not mkstemp's 0600
    path.chmod(0o640)
    mgr.save_session(session(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_new_session_clears_temp_files_that_killed_writers_left(mgr: SessionManager) -> None:
    mgr.sessions_dir.mkdir(parents=True)
    old = mgr.sessions_dir / ".session_20240101_000000.json.abc.tmp"
    fresh = mgr.sessions_dir / ".session_20240101_000001.json.def.tmp"
    other = mgr.sessions_dir / "notes.tmp"
    for p in (old, fresh, other):
        p.write_text("{")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    os.utime(other, (time.time() - 7200, time.time() - 7200))
    mgr.save_session(session())
    assert not old.exists()  # a writer's temp file lives for milliseconds: this one has no writer
    assert fresh.exists() and other.exists()


def test_listing_skips_a_session_nested_deeper_than_the_limit(mgr: SessionManager) -> None:
    mgr.sessions_dir.mkdir(parents=True)
    deep = mgr.sessions_dir / "session_20240101_000000.json"
    deep.write_text(
        json.dumps(session()).replace('"quiz_mode"', '"extra": ' + "[" * 100 + "]" * 100 + ', "quiz_mode"')
    )
    fine = mgr.save_session(session())
    with pytest.warns(UserWarning, match=r"session_20240101_000000\.json: nested too deeply"):
        listed = mgr.find_study_sessions()
    assert [entry["_filepath"] for entry in listed] == [str(fine)]
    with pytest.raises(SessionError, match="nested more than"):
        mgr.load_session(deep)

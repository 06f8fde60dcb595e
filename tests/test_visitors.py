"""Many visitors of one process (marimo run serves every visitor from one kernel process): one learner's
quiz never continues, takes over or shows another learner's attempt, even in a shared project folder.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from quiz_widgets import QuizWidget

CLOUD_KEY = ["C", "B", "D"]


@pytest.fixture
def exam(tmp_path: Path, exams_dir: Path) -> Path:
    path = tmp_path / "cloud-basics.json"
    shutil.copy(exams_dir / "cloud-basics.json", path)
    return path


def test_a_second_learner_in_a_shared_folder_starts_their_own_attempt(tmp_path: Path, exam: Path) -> None:
    shared = tmp_path / "course"
    ada = QuizWidget(exam, base_dir=shared, learner="ada", autosave_interval=0)
    assert ada.answer(CLOUD_KEY[0]) is True
    bob = QuizWidget(exam, base_dir=shared, learner="bob", autosave_interval=0)
    try:
        # Bob's quiz is a new attempt: not Ada's answers, no "Continuing your attempt" note.
        assert bob.total_answered == 0 and bob.continued == "" and bob.session_path is None
        # Ada's quiz was not taken over: it goes on writing her file.
        assert not ada.read_only and not ada.closed and ada.warning == ""
        ada.next()
        assert ada.answer(CLOUD_KEY[1]) is True
        bob.answer("A")
        files = sorted((shared / "data" / "sessions").glob("session_*.json"))
        saved = {data["learner"]: data for data in (json.loads(p.read_text()) for p in files)}
        assert sorted(saved) == ["ada", "bob"]
        assert saved["ada"]["quiz_mode"]["total_answered"] == 2
        assert saved["bob"]["quiz_mode"]["total_answered"] == 1
    finally:
        bob.close()
        ada.close()


def test_the_same_learner_still_continues_their_attempt(tmp_path: Path, exam: Path) -> None:
    shared = tmp_path / "course"
    first = QuizWidget(exam, base_dir=shared, learner="ada", autosave_interval=0)
    first.answer(CLOUD_KEY[0])
    again = QuizWidget(exam, base_dir=shared, learner="ada", autosave_interval=0)  # the re-run cell
    try:
        assert again.total_answered == 1 and again.session_path == first.session_path
        assert again.continued != ""
    finally:
        again.close()
        first.close()

"""Child of the torn-writes section: resume (or start) one session file and answer, saving after each.

Prints "ready <answered>" once loaded, then the answered count after every save returns (the
acknowledgement), then "done" when the quiz is complete. Imports only the storage/state layers.
Usage: torn_child.py BASE_DIR EXAM_PATH SESSION_PATH
"""

import sys
from pathlib import Path

from common import any_answer  # stdlib-only helper next to this script

from quiz_widgets.exam import load_exam
from quiz_widgets.quiz.codec import from_session, to_session
from quiz_widgets.quiz.state import QuizState
from quiz_widgets.store.manager import SessionManager


def main() -> None:
    base, exam_path, target = sys.argv[1:4]
    exam = load_exam(exam_path)
    mgr = SessionManager(base)
    path = Path(target)
    state = from_session(mgr.load_session(path), exam) if path.exists() else QuizState(exam)
    out = sys.stdout
    out.write(f"ready {state.total_answered}\n")
    out.flush()
    k = state.total_answered
    while not state.completed:
        state.answer(any_answer(state.current_question, k))
        k += 1
        mgr.save_session(to_session(state), path)
        out.write(f"{state.total_answered}\n")
        out.flush()
    out.write("done\n")
    out.flush()


if __name__ == "__main__":
    main()

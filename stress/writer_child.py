"""Child of the two-writers section: resume a session with the widget (from Python) and answer.

Prints "ready {json}" after resuming, waits for "go" on stdin, then answers N questions (a pause of
DELAY s between), printing "ack <answered on disk>" after each accepted answer or "refused <why>",
then "done", and waits for "exit" (or EOF).
Usage: writer_child.py SESSION_PATH N DELAY
"""

import json
import sys
import time
import warnings

warnings.simplefilter("ignore")

from common import any_answer  # noqa: E402

from quiz_widgets import QuizWidget, SessionError  # noqa: E402


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def main() -> None:
    path, n, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    widget = QuizWidget.resume(path, autosave_interval=0)
    say(
        "ready "
        + json.dumps(
            {"read_only": widget.read_only, "answered": widget.total_answered, "warning": widget.warning}
        )
    )
    sys.stdin.readline()
    for k in range(n):
        question = widget.state.current_question
        if question is None:
            break
        try:
            widget.answer(any_answer(question, k))
            widget.next()
            if widget.warning:
                say("refused save-warning " + widget.warning)
            else:
                say(f"ack {widget.total_answered}")
        except SessionError as exc:
            say("refused " + str(exc).replace("\n", " "))
        time.sleep(delay)
    say("done")
    sys.stdin.readline()
    widget.close()


if __name__ == "__main__":
    main()

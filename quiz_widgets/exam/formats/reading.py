"""What the GIFT, Moodle XML and QTI readers share: what they collect, the skip reasons and choice fields."""

from __future__ import annotations

from quiz_widgets.exam.formats.common import LETTERS, Skipped

__all__ = ["ESSAY", "LATER", "NOTHING_TO_ASK", "Reader", "choice_fields"]

LATER = "quiz_widgets has no {} questions yet (they come with the matching and cloze kinds)"
ESSAY = ("an essay question", "quiz_widgets grades answers itself and has no free-text essays")
NOTHING_TO_ASK = "it has no answer, so there is nothing to ask"


class Reader:
    """What a reader collects from one file: the questions, the items it skipped, the problems it found."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.questions: list[dict] = []
        self.skipped: list[Skipped] = []
        self.problems: list[str] = []

    def skip(self, line: int, what: str, why: str, title: str | None = None) -> None:
        self.skipped.append(Skipped(line, what, why, title))

    def problem(self, line: int, title: str | None, message: str) -> None:
        """The next question is refused: "FILE, line N: question K ('title'): why"."""
        where = f"question {len(self.questions) + 1}" + (f" ({title!r})" if title else "")
        self.problems.append(f"{self.source}, line {line}: {where}: {message}")


def choice_fields(
    options: list, names: list[str], weights: list[float], single: bool, feedback: dict, out: dict
) -> Skipped | None:
    """Fill *out* with a choice question's type, options, answer, weights and feedback from its checked
    answers (*names*: each option's text, *weights*: its percent); a Skipped when the exam model cannot
    hold them. The Skipped's line is 0: the caller knows where the question starts."""
    if len(options) > len(LETTERS):
        return Skipped(0, "a multiple choice question", f"it has {len(options)} answers, at most 26 fit")
    # Options are told apart by their text, so two with the same text could not be graded apart.
    seen: set[str] = set()
    for name in names:
        if name.strip().casefold() in seen:
            return Skipped(0, "a multiple choice question", f"two answers have the same text {name!r}")
        seen.add(name.strip().casefold())
    letters = LETTERS[: len(options)]
    out["type"] = "singleChoice" if single else "multiChoice"
    out["options"] = dict(zip(letters, options, strict=True))
    if single:
        out["answer"] = letters[weights.index(max(weights))]
        # Weights are kept only where they say more than the answer does.
        if sorted(weights) != [0.0] * (len(weights) - 1) + [100.0]:
            out["weights"] = dict(zip(letters, weights, strict=True))
    else:
        out["answer"] = [k for k, w in zip(letters, weights, strict=True) if w > 0]
        out["weights"] = dict(zip(letters, weights, strict=True))
    if feedback:
        out["feedback"] = feedback
    return None

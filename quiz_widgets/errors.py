"""Errors a user can cause. All are ValueError so callers can catch one familiar type."""

from __future__ import annotations

import reprlib
from collections.abc import Iterable

# reprlib keeps huge or deeply nested values cheap to show (a megabyte string from the page, say).
_repr = reprlib.Repr()
_repr.maxstring = 90
_repr.maxother = 90
_repr.maxlevel = 3


def shown(value: object, limit: int = 80) -> str:
    """How every error message shows a value it found: repr(), cut to *limit* characters."""
    try:
        text = _repr.repr(value)
    except Exception:  # a hostile __repr__ must not hide the real problem
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ExamError(ValueError):
    """An exam (file or dict) that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, problems: str | Iterable[str], *, source: str | None = None) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else [str(p) for p in problems]
        if not self.problems:
            self.problems = ["unknown problem"]
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        # One problem reads best on its own; several get a header so the count is obvious.
        if len(self.problems) == 1:
            return self.problems[0]
        header = f"{self.source or '<exam>'}: {len(self.problems)} problems"
        return "\n".join([header, *(f"  - {p}" for p in self.problems)])

    def __str__(self) -> str:
        return self._render()


class AnswerError(ExamError):
    """A bad answer value for one question; nothing was changed.

    ``for_learner`` is what a view shows the learner instead (quiz_widgets.i18n.Words, said in their
    language): the message itself is for the notebook's author, with the value found and the forms expected.
    """

    for_learner: str | None = None


class SessionError(ValueError):
    """A session or results file that cannot be used, or an action the session state refuses."""

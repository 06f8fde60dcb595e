"""Errors a user can cause. All are ValueError so callers can catch one familiar type."""

from __future__ import annotations

from collections.abc import Iterable


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
    """A bad answer value for one question; nothing was changed."""


class SessionError(ValueError):
    """A session or results file that cannot be used, or an action the session state refuses."""

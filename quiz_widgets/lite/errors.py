"""The one error a site build raises for anything it cannot do (a missing tool, a failed download...)."""

from __future__ import annotations


class LiteBuildError(RuntimeError):
    """A site build failed; the message says which step and what to do. Nothing was written to the output."""

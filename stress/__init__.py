"""Stress and fault suite for quiz_widgets (issue 5): figures that show nothing answered is lost.

Run ``python -m stress`` (full) or ``python -m stress --short`` (CI form). Each section module has a
``run(short: bool, report: Report) -> None`` that adds rows to the report; ``__main__`` prints the table
and exits non-zero when any goal is missed. Child scripts (``*_child.py``) are run as plain scripts so
they import only what they need.
"""

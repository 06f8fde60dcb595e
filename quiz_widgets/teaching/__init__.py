"""Tools for a class: who the learner is, collecting attempts into a shared store, and reading them back.

- ``learner.py``  resolve_learner(): the learner's name (argument, JUPYTERHUB_USER, OS user), checked
- ``collect.py``  Collector: a local outbox first, then delivery to a folder or an fsspec URL
- ``records.py``  reading one results file (ours, collected, or the original app's) into an Attempt
- ``report.py``   ClassReport: attempts, questions, topics and learners tables (pandas optional), read by
  ``report_sources.py`` (sources -> attempts) and made by ``report_tables.py`` (attempts -> rows)
- ``html.py``     the self-contained HTML report with inline SVG plots
- ``progress.py`` learner_progress(): one learner's own scores and topics from their results folder

Modules here may import ``quiz_widgets.errors`` and the storage layer's atomic helpers
(``quiz_widgets.store.atomic``), never the widgets or the kernel layer: the widget calls in, not the reverse.
fsspec, s3fs and pandas are optional and imported where they are used.
"""

from __future__ import annotations

from quiz_widgets.teaching.learner import resolve_learner

__all__ = ["ClassReport", "Collector", "learner_progress", "resolve_learner"]


def __getattr__(name: str) -> object:
    # Lazy: resolving a learner must not import fsspec or the report code.
    if name == "Collector":
        from quiz_widgets.teaching.collect import Collector

        return Collector
    if name == "ClassReport":
        from quiz_widgets.teaching.report import ClassReport

        return ClassReport
    if name == "learner_progress":
        from quiz_widgets.teaching.progress import learner_progress

        return learner_progress
    raise AttributeError(f"module 'quiz_widgets.teaching' has no attribute {name!r}")

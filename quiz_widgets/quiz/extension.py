"""Our key in the session dict, ``"quiz_widgets"``: written from a state, read back into one exactly.

The original app's fields (codec.py) keep only the score, the count answered and the wrong answers; this
key adds what an exact resume needs: the question order, every answer, the mode and arrangement, flags,
the time left and the time per question. This module writes the key; session_record.py reads it back into
a checked record and restore.py builds the state from that (a changed exam matched by changes.py).
"""

from __future__ import annotations

from typing import Any

from quiz_widgets.exam.generated import saved_variants
from quiz_widgets.quiz.session_record import EXTENSION_KEY, FORMAT_VERSION, SETTINGS
from quiz_widgets.quiz.state import QuizState

# The key's name, version and settings are read back by session_record.py; re-exported from here.
__all__ = ["EXTENSION_KEY", "FORMAT_VERSION", "SETTINGS", "to_extension"]


def to_extension(state: QuizState, elapsed: float) -> dict[str, Any]:
    """The ``"quiz_widgets"`` key of ``state``'s session dict (``elapsed``: the time taken, read once)."""
    extension: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "exam_path": str(state.exam.source) if state.exam.source is not None else None,
        "exam_fingerprint": state.exam.fingerprint,
        "question_order": list(state.order),
        "answers": state.answers,
        "elapsed_seconds": elapsed,
    }
    extension.update(_study_fields(state))
    if state.exam.generators:
        # The variant this attempt asks (text and key): a resume shows it again without its generator.
        extension["variants"] = saved_variants(state.exam)
        extension["variant_seed"] = state.exam.variant_seed
    if state.confidence:
        # True: each answer says how sure (its "confidence", 1-3); "cbm": scored by certainty-based marking.
        extension["confidence"] = state.confidence
    if state.carried_over is not None:
        extension["carried_over"] = state.carried_over
    return extension


def _study_fields(state: QuizState) -> dict[str, Any]:
    """Mode, arrangement, position, flags, revealed answers, time left and time per question."""
    seconds = state.question_seconds()
    fields: dict[str, Any] = {
        "mode": state.mode,
        "position": state.position,
        "flags": state.flagged_ids,
        "revealed": state.revealed_ids,
        "submitted": state.submitted,
        "points": state.points,
        # Keyed by str(id): JSON object keys are strings; ids are matched as the exam matches them.
        "seconds": {str(qid): round(seconds[qid], 3) for qid in state.order if qid in seconds},
        "option_orders": {str(qid): list(keys) for qid, keys in state.option_orders.items()},
        "drawn": state.drawn,
        "time_limit": state.time_limit,
        "time_left": None if state.time_left is None else round(state.time_left, 3),
    }
    fields.update({key: state.settings[key] for key in SETTINGS if key in state.settings})
    return fields

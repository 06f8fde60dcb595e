"""my_progress(): a learner's own progress (teaching/progress.py) with the review deck's forecast.

teaching/ sits below review/ (the deck reads the learner name check from it), so the public
``quiz_widgets.my_progress`` is this wrapper: ``learner_progress``'s dict plus ``forecast`` (deck.forecast()'s
rows, plain dicts) and ``forecast_text`` (the same as a small text chart a notebook prints readably).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from quiz_widgets.review.deck import Deck
from quiz_widgets.teaching.progress import learner_progress

__all__ = ["forecast_text", "my_progress"]

_BAR = 20  # characters of the text chart's bars


def my_progress(
    base_dir: str | os.PathLike[str] = ".", *, exam: str | None = None, learner: str | None = None
) -> dict[str, Any]:
    """teaching.progress.learner_progress's dict (attempts, exams, topics, skipped, and what other parts add)
    plus ``"forecast"``: ReviewDeck(base_dir, learner).forecast()'s rows as dicts (exam, topic, seen,
    retrievability_now, retrievability_7d, predicted_score, lower, upper; *exam* keeps one exam's), and
    ``"forecast_text"``: those rows as a text chart, ``print(my_progress()["forecast_text"])``."""
    data = learner_progress(base_dir, exam=exam, learner=learner)
    rows: list[dict[str, Any]] = []
    if Path(base_dir).is_dir():
        rows = Deck(base_dir, learner).forecast_rows()
        if exam is not None:
            rows = [row for row in rows if row["exam"] == exam]
    data["forecast"] = rows
    data["forecast_text"] = forecast_text(rows)
    return data


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def forecast_text(rows: list[dict[str, Any]]) -> str:
    """The forecast rows as lines a person reads: per exam, each topic's predicted score as a bar of #
    with its 90% band marked by [ and ], the numbers, and recall now and in 7 days of the questions seen."""
    if not rows:
        return "Forecast: no answers yet under this folder (answer a quiz, then ask again)."
    lines = [
        "Forecast if you took the exam today: predicted score per topic [90% band]; "
        "recall of the questions seen, now -> in 7 days"
    ]
    width = max(len(str(row["topic"])) for row in rows)
    exam = None
    for row in rows:
        if row["exam"] != exam:
            exam = row["exam"]
            lines.append(str(exam))
        cells = ["#" if i < round(row["predicted_score"] * _BAR) else "." for i in range(_BAR)]
        low, high = round(row["lower"] * _BAR), round(row["upper"] * _BAR)
        bar = "".join(cells[:low]) + "[" + "".join(cells[low:high]) + "]" + "".join(cells[high:])
        recall = (
            f"{row['seen']} seen, recall {_pct(row['retrievability_now'])} -> {_pct(row['retrievability_7d'])}"
            if row["seen"]
            else "not seen yet"
        )
        lines.append(
            f"  {str(row['topic']).ljust(width)}  {bar}  {_pct(row['predicted_score'])} "
            f"({_pct(row['lower'])}-{_pct(row['upper'])})  {recall}"
        )
    return "\n".join(lines)

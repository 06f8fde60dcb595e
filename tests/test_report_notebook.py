"""notebooks/instructor-report.ipynb shows the right numbers for its generated class.

The notebook's first cell generates the class (a fixed seed). This test runs that cell again, computes the
figures by hand from the raw results files (plain loops and the statistics module, not ClassReport) and
compares them with the outputs stored in the notebook, which strict nbval checks against a fresh run.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import nbformat
import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "instructor-report.ipynb"


def _outputs(nb: Any) -> list[str]:
    """The stdout text of each code cell, in order."""
    return [
        "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")
        for cell in nb.cells
        if cell.cell_type == "code"
    ]


@pytest.fixture(scope="module")
def generated() -> Any:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    namespace: dict[str, Any] = {}
    # The kernel runs in notebooks/, so the cell imports the notebook's helper module from there.
    sys.path.insert(0, str(NOTEBOOK.parent))
    try:
        exec(compile(first.source, str(NOTEBOOK), "exec"), namespace)
    finally:
        sys.path.remove(str(NOTEBOOK.parent))
    folder: Path = namespace["folder"]
    files = sorted(folder.rglob("quiz_results_*.json"))
    yield nb, [json.loads(p.read_text(encoding="utf-8")) for p in files]
    shutil.rmtree(folder)


def _table(text: str, first_column: str) -> list[list[str]]:
    """Rows of a table printed by DataFrame.to_string(index=False) that starts with header `first_column`;
    the last column may hold spaces."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [first_column])
    header = lines[start].split()
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(line.split(None, len(header) - 1))
    return rows


def test_attempt_figures_match_the_hand_count(generated: Any) -> None:
    nb, results = generated
    out = _outputs(nb)
    learners = {r["learner"] for r in results}
    assert out[0].strip() == f"{len(results)} attempts by {len(learners)} learners written"
    assert (len(results), len(learners)) == (25, 20)
    assert out[1].splitlines()[0] == "<ClassReport: 25 attempts by 20 learners, 0 skipped>"
    scores = [r["performance"]["score"] for r in results]
    accuracy = [r["performance"]["score"] / r["performance"]["total_answered"] for r in results]
    assert out[1].splitlines()[1] == (
        f"mean score {statistics.fmean(scores):.3f} of 6, mean accuracy {statistics.fmean(accuracy):.3f}"
    )
    # The first rows, oldest first: learner01 .. learner06 on the first day.
    first_day = sorted((r for r in results if r["session_info"]["completion_date"].startswith("2025-03-01")),
                       key=lambda r: r["learner"])[:6]  # fmt: skip
    shown = _table(out[1], "learner")
    assert [(row[0], int(row[2]), float(row[4])) for row in shown] == [
        (r["learner"], r["performance"]["score"], float(r["session_info"]["time_taken_seconds"]))
        for r in first_day
    ]


def test_question_figures_match_the_hand_count(generated: Any) -> None:
    nb, results = generated
    items: dict[str, list[int]] = defaultdict(list)
    rest: dict[str, list[int]] = defaultdict(list)
    seconds: dict[str, list[float]] = defaultdict(list)
    wrong: dict[str, Counter] = defaultdict(Counter)
    for r in results:
        score = r["performance"]["score"]
        for entry in r["quiz_widgets"]["answers"]:
            qid = str(entry["question_id"])
            items[qid].append(int(entry["correct"]))
            rest[qid].append(score - int(entry["correct"]))
            seconds[qid].append(entry["seconds"])
            if not entry["correct"]:
                wrong[qid][entry["your_answer"]] += 1
    rows = _table(_outputs(nb)[2], "question_id")
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    for qid, attempts, share, discrimination, mean_seconds, most_wrong in rows:
        assert int(attempts) == len(items[qid]) == 25
        assert share == f"{statistics.fmean(items[qid]):.3f}"
        # Point-biserial correlation = Pearson's r of the 0/1 item with the rest of the score.
        assert discrimination == f"{statistics.correlation(items[qid], rest[qid]):.3f}"
        assert mean_seconds == f"{statistics.fmean(seconds[qid]):.3f}"
        top = max(wrong[qid].values())
        assert most_wrong == min(text for text, n in wrong[qid].items() if n == top)
    # The hardest question of this class by hand: the one the generator made hardest (35% base chance).
    assert min(rows, key=lambda row: float(row[2]))[0] == "5"


def test_topic_and_learner_figures_match_the_hand_count(generated: Any) -> None:
    nb, results = generated
    text = _outputs(nb)[3]
    answered: Counter = Counter()
    correct: Counter = Counter()
    for r in results:
        for entry in r["quiz_widgets"]["answers"]:
            answered[entry["topic"]] += 1
            correct[entry["topic"]] += int(entry["correct"])
    topics = _table(text, "topic")
    assert [(t, int(n), int(c), a) for t, n, c, a, _ in topics] == [
        (t, answered[t], correct[t], f"{correct[t] / answered[t]:.3f}") for t in sorted(answered)
    ]
    by_learner: dict[str, list[float]] = defaultdict(list)
    for r in sorted(results, key=lambda r: r["session_info"]["completion_date"]):
        by_learner[r["learner"]].append(r["performance"]["score"] / r["performance"]["total_answered"])
    for name, attempts, mean, best, last in _table(text, "learner"):
        acc = by_learner[name]
        assert (int(attempts), mean, best, last) == (
            len(acc),
            f"{statistics.fmean(acc):.3f}",
            f"{max(acc):.3f}",
            f"{acc[-1]:.3f}",
        )


def test_html_report_is_self_contained(generated: Any) -> None:
    nb, _ = generated
    assert _outputs(nb)[4].strip() == "plots: 24 | scripts: 0 | network addresses: 0"


def test_the_report_and_its_plots_are_shown_in_the_notebook(generated: Any) -> None:
    nb, _ = generated
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert not [o for o in code[4].outputs if o.get("name") == "stderr"]
    shown = [o.data["text/html"] for o in code[4].outputs if "text/html" in o.get("data", {})]
    assert len(shown) == 1, "the HTML report cell shows no report"
    assert shown[0].startswith("<div><iframe") and 'sandbox="allow-same-origin"' in shown[0]
    assert shown[0].count("&lt;svg") == 24  # every plot, inside the frame's escaped srcdoc


def test_the_lab_extra_installs_what_the_report_notebook_imports() -> None:
    """`bash scripts/lab.sh` installs quiz_widgets[lab]: ClassReport needs the report extra (pandas)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        from pip._vendor import tomli as tomllib

    extras = tomllib.loads((NOTEBOOK.parents[1] / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    assert set(extras["report"]) <= set(extras["lab"]), extras["lab"]


def test_the_notebook_shows_only_the_public_api() -> None:
    """Its first cell was 40 lines importing quiz_widgets' internals to make up a class: an instructor
    copying it would learn the wrong thing. The making-up lives in notebooks/demo_class.py."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    internal = [line for source in code for line in source.splitlines() if "quiz_widgets." in line]
    assert internal == []
    assert len(code[0].splitlines()) <= 6, code[0]

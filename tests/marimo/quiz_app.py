"""A marimo app with a quiz written in the notebook (QuizWidget.from_questions, the marimo form of %%quiz)
and its score shown by another cell, reactively (quiz.observe + mo.state).

tests/browser/test_marimo_e2e.py serves it with `marimo run`; QW_MARIMO_BASE names the folder its sessions
go to.
"""

import marimo

app = marimo.App()


@app.cell
def _():
    import os

    import marimo as mo

    from quiz_widgets import QuizWidget

    return QuizWidget, mo, os


@app.cell
def _(mo):
    # The quiz's progress as marimo state: cells that read it run again when it changes.
    get_progress, set_progress = mo.state({"answered": 0, "score": 0})
    return get_progress, set_progress


@app.cell
def _(QuizWidget, mo, os, set_progress):
    quiz = QuizWidget.from_questions(
        """
- question: "2 + 2 = ?"
  options: ["3", "4", "5"]
  answer: B
- question: "Which planet is the largest?"
  options: ["Mars", "Jupiter", "Venus"]
  answer: B
- question: "The chemical symbol of gold?"
  options: ["Ag", "Au", "Gd"]
  answer: B
""",
        title="Warm-up",
        base_dir=os.environ["QW_MARIMO_BASE"],
    )

    def _publish(_change=None):
        set_progress({"answered": quiz.answered, "score": quiz.score})

    quiz.observe(_publish, names=["answered", "score"])
    widget = mo.ui.anywidget(quiz)
    widget  # noqa: B018 - the cell's output, as marimo shows it
    return quiz, widget


@app.cell
def _(get_progress, mo):
    progress = get_progress()
    mo.md(f"<p id='qw-live-score'>Score {progress['score']} of {progress['answered']} answered</p>")
    return (progress,)


if __name__ == "__main__":
    app.run()

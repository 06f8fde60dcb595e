"""A marimo app for many visitors at once (`marimo run` serves every visitor from one process): each visitor
gets their own learner and project folder, taken from their request, so their attempts never meet.

The README's marimo section shows this pattern. tests/browser/test_marimo_e2e.py serves it with `marimo run`
and opens it as two visitors (?learner=ada, ?learner=bob); QW_MARIMO_BASE names the folder of folders.
"""

import marimo

app = marimo.App()


@app.cell
def _():
    import os
    from pathlib import Path

    import marimo as mo

    from quiz_widgets import QuizWidget

    return Path, QuizWidget, mo, os


@app.cell
def _(mo):
    def visitor() -> str | None:
        """The learner this visitor's link names (?learner=ada), from their request; None without one.

        Behind a login that names each visitor (an auth middleware in front of marimo), take
        request.user["username"] instead: marimo's own token login names every visitor "user".
        """
        request = mo.app_meta().request
        if request is None:
            return None
        return (request.query_params.get("learner") or [None])[0]

    learner = visitor()
    return (learner,)


@app.cell
def _(Path, QuizWidget, learner, mo, os):
    mo.stop(learner is None, mo.md("Open this app with your link: `?learner=your-name`."))
    # learner= is checked (one safe folder name) before the folder is used.
    quiz = QuizWidget(
        "cloud-basics",
        learner=learner,
        base_dir=Path(os.environ["QW_MARIMO_BASE"]) / learner,
    )
    widget = mo.ui.anywidget(quiz)
    widget  # noqa: B018 - the cell's output, as marimo shows it
    return quiz, widget


if __name__ == "__main__":
    app.run()

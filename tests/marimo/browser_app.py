"""A marimo app showing SessionBrowser (one anywidget: the list, and the quiz a Resume or Study opens).

tests/browser/test_marimo_e2e.py serves it with `marimo run`; QW_MARIMO_BASE names the project folder.
"""

import marimo

app = marimo.App()


@app.cell
def _():
    import os

    import marimo as mo

    from quiz_widgets import SessionBrowser

    browser = mo.ui.anywidget(SessionBrowser(os.environ["QW_MARIMO_BASE"]))
    browser  # noqa: B018 - the cell's output, as marimo shows it
    return (browser,)


if __name__ == "__main__":
    app.run()

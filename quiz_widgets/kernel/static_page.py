"""What a page without a kernel shows where a widget was: an exported notebook, a Jupyter Book page.

A widget's output holds the widget view's mime type beside text/plain. A static page has no kernel and
no widget manager for it: nbconvert's HTML skips the view when the notebook keeps no state for its model
(JupyterLab saves none unless asked) and shows the next type it knows, text/html, then text/plain. So each
widget's bundle carries a short text in both: what it is, its title, how far it got, and that it runs in
Jupyter. The title is exam text, so untrusted: escaped, and cut to a line.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["RUNS_IN_JUPYTER", "static_text", "with_static_text"]

RUNS_IN_JUPYTER = "This quiz runs in Jupyter: open this notebook in Jupyter to take the quiz."
_TITLE_CHARS = 200


def _line(text: object) -> str:
    """One line of at most _TITLE_CHARS characters: a title never breaks the page's layout."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= _TITLE_CHARS else flat[: _TITLE_CHARS - 1] + "\u2026"


def static_text(heading: str, title: object, facts: Sequence[str], note: str) -> dict[str, str]:
    """text/plain and text/html for *heading* ("Quiz"), the untrusted *title*, *facts* and the *note*."""
    name = _line(title)
    plain = "\n".join([f"{heading}: {name}" if name else heading, *facts, note])
    facts_html = "".join(f"<li>{html.escape(f)}</li>" for f in facts)
    strong = f"{html.escape(heading)}: {html.escape(name)}" if name else html.escape(heading)
    markup = (
        '<div class="quiz-widgets-static" role="note" style="border:1px solid #9e9e9e;'
        'border-radius:4px;padding:0.5em 1em;margin:0.5em 0">'
        f"<p><strong>{strong}</strong></p>"
        + (f"<ul>{facts_html}</ul>" if facts else "")
        + f"<p>{html.escape(note)}</p></div>"
    )
    return {"text/plain": plain, "text/html": markup}


def with_static_text(bundle: Any, text: Mapping[str, str]) -> Any:
    """*bundle* (a data dict, or (data, metadata) as anywidget returns it) with *text*'s types added.

    The widget's own text/plain (its repr) is kept at the top of the plain text: a terminal shows both.
    """
    if bundle is None:
        return None
    data, rest = (bundle[0], bundle[1:]) if isinstance(bundle, tuple) else (bundle, None)
    data = dict(data)
    own = data.get("text/plain")
    data["text/html"] = text["text/html"]
    data["text/plain"] = f"{own}\n{text['text/plain']}" if own else text["text/plain"]
    return data if rest is None else (data, *rest)

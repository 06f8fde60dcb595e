"""Where the views' ES modules and stylesheets live, and how each widget's module and stylesheet are joined.

anywidget loads ONE ``_esm`` string and ONE ``_css`` string per widget, and a module it loads from a blob
cannot import files next to it; with no bundler and no build step, the parts are joined here, once, at
import. Every ES part but the last holds top-level declarations only and exports nothing; the last one (the
entry) exports ``{ render }``. tests/test_static_modules.py checks that the joined modules parse.
"""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"

# The parts both views share, in the order they are joined: element helpers, then the page protocol.
SHARED_PARTS = ("dom.js", "protocol.js")
# Each kind's part of the question view (exam/kinds/ on the kernel's side), before question_view.js, whose
# KIND_VIEWS map names them (docs/architecture.md: "Adding a kind").
KIND_PARTS = (
    "kind_choice.js",
    "kind_typed.js",
    "kind_matching.js",
    "kind_ordering.js",
    "kind_cloze.js",
    "kind_code.js",
)
QUIZ_VIEW_PARTS = (
    *SHARED_PARTS,
    "keys.js",
    "header.js",
    "rich.js",
    *KIND_PARTS,
    "question_view.js",
    "finish_view.js",
    "deck_view.js",
    "review_view.js",
    "map_view.js",
    "exam_view.js",
    "visibility.js",
    "continued.js",
    "confidence.js",
    "quiz.js",
)
QUIZ_PARTS = (*QUIZ_VIEW_PARTS, "quiz_entry.js")
# SessionBrowser draws the quiz inside its own view (one anywidget, as marimo needs): the quiz's parts, then
# the browser's entry.
BROWSER_PARTS = (*QUIZ_VIEW_PARTS, "browser.js")


def esm(*parts: str) -> str:
    """The ES module joined from ``parts`` (file names under static/), the entry part last.

    Each part is preceded by a comment naming its file, so an error in the browser's console points back
    to the file to open.
    """
    return "\n".join(f"// ---- {name} ----\n" + (STATIC / name).read_text(encoding="utf-8") for name in parts)


def stylesheet(name: str) -> str:
    """theme.css (the palette every view shares) followed by the view's own stylesheet.

    anywidget loads one ``_css`` per widget and no bundler joins files, so the join happens here, once, at
    import; a SessionBrowser shown before any quiz still gets the palette.
    """
    return (
        (STATIC / "theme.css").read_text(encoding="utf-8")
        + "\n"
        + (STATIC / name).read_text(encoding="utf-8")
    )

"""Where the views' ES modules and stylesheets live, and how a widget's stylesheet is put together."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"


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

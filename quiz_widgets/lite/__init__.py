"""Building an offline JupyterLite site with quiz_widgets ready in its Pyodide kernel.

    from quiz_widgets.lite import build_site
    build_site([Path("notebooks")], Path("_site"))      # or: quiz-widgets lite build notebooks -o _site

Needs the optional ``lite`` extra (jupyterlite-core, jupyterlite-pyodide-kernel), ``npm`` and ``pip`` for the
first build; what they download is cached (``.cache/lite/`` by default), so later builds work offline.
"""

from __future__ import annotations

from quiz_widgets.lite.build import build_site
from quiz_widgets.lite.errors import LiteBuildError

__all__ = ["LiteBuildError", "build_site"]

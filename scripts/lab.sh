#!/usr/bin/env bash
# The README's main command: bash scripts/lab.sh [jupyter lab args...]
# Creates .venv if missing, installs quiz_widgets[lab] (editable) and opens the quickstart notebook.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
    PYTHON_BIN="${PYTHON:-python3}"
    if ! "$PYTHON_BIN" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
        echo "error: need Python 3.10+ as '$PYTHON_BIN' (set PYTHON=/path/to/python3)" >&2
        exit 2
    fi
    "$PYTHON_BIN" -m venv "$VENV"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1

STAMP="$VENV/.quiz_widgets-lab-install"
WANT="$(cat pyproject.toml | cksum) $ROOT"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ] ||
    ! "$PY" -c 'import quiz_widgets, jupyterlab' >/dev/null 2>&1; then
    # pip's own lines show the progress: the first install takes a minute or more, silence looked hung.
    echo "==> installing quiz_widgets[lab] into .venv (the first time takes a minute or two)" >&2
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install -e ".[lab]" >&2
    printf '%s' "$WANT" >"$STAMP"
fi

ARGS=()
if [ "$(id -u)" = 0 ]; then ARGS+=(--allow-root); fi
exec "$VENV/bin/jupyter" lab notebooks/quickstart.ipynb "${ARGS[@]}" "$@"

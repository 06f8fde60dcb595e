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

# JupyterLab's own first-run prompts (Jupyter news, update checks) sit over the quiz's question map and
# ask a newcomer about things unrelated to the quiz: this .venv's JupyterLab defaults them off (an app-level
# overrides.json, only when there is none; anyone can turn them on again in Settings).
OVERRIDES="$VENV/share/jupyter/lab/settings/overrides.json"
if [ ! -e "$OVERRIDES" ]; then
    mkdir -p "$(dirname "$OVERRIDES")"
    printf '%s\n' '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' >"$OVERRIDES"
fi

ARGS=()
if [ "$(id -u)" = 0 ]; then ARGS+=(--allow-root); fi
exec "$VENV/bin/jupyter" lab notebooks/quickstart.ipynb "${ARGS[@]}" "$@"

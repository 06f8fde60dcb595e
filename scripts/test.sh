#!/usr/bin/env bash
# The project's test command (README): bash scripts/test.sh [pytest args...]
#
# Works on a fresh clone with only Python 3.10+ (and root on Debian for the browser):
#   1. creates .venv if missing and installs the package with its test extra (skipped when up to date),
#   2. installs Debian's chromium when /usr/bin/chromium is missing (root only), and axe-core with npm,
#   3. runs ruff check + ruff format --check,
#   4. runs pytest on tests/ and, strictly (--nbval), on notebooks/*.ipynb (with no arguments: in two
#      processes side by side, the tests that drive Chromium and the rest; QUIZ_WIDGETS_TWO_STREAMS=0: one),
#   5. under CI=true (or QUIZ_WIDGETS_LOWEST=1), and when no paths were named: the unit tests again in
#      .venv-lowest, with the lowest versions pyproject.toml's floors allow.
# Extra arguments go to pytest. With paths among them, only those paths are collected.
# CI=true: a missing browser is an error (QUIZ_WIDGETS_REQUIRE_BROWSER=1), never a skip; so are missing
# ../shared/compat files for the compat tests (tests/run_flags.py).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CHROMIUM=/usr/bin/chromium
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
IS_CI=false
case "${CI:-}" in true | TRUE | True | 1 | yes) IS_CI=true ;; esac

log() { printf '\n==> %s\n' "$*" >&2; }

# --- 1. virtualenv + editable install -------------------------------------------------------------
if [ ! -x "$PY" ]; then
    PYTHON_BIN="${PYTHON:-python3}"
    if ! "$PYTHON_BIN" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
        echo "error: need Python 3.10+ as '$PYTHON_BIN' (set PYTHON=/path/to/python3)" >&2
        exit 2
    fi
    log "creating .venv with $("$PYTHON_BIN" --version 2>&1)"
    "$PYTHON_BIN" -m venv "$VENV"
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 # we always use Debian's chromium
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Reinstall only when pyproject.toml changed since the last successful install (or the install is gone).
STAMP="$VENV/.quiz_widgets-test-install"
WANT="$(cat pyproject.toml | cksum) $ROOT"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ] ||
    ! "$PY" -c 'import quiz_widgets, pytest, playwright, nbval, ruff' >/dev/null 2>&1; then
    log "installing quiz_widgets[test] into .venv"
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -e ".[test]"
    printf '%s' "$WANT" >"$STAMP"
fi

# --- 2. browser ----------------------------------------------------------------------------------
if [ "$IS_CI" = true ]; then
    export QUIZ_WIDGETS_REQUIRE_BROWSER=1
fi
if [ ! -x "$CHROMIUM" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        log "installing Debian's chromium (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium >/dev/null
    elif [ "$IS_CI" = true ]; then
        echo "error: $CHROMIUM is missing and this is not root on Debian; the browser tests need it." >&2
        echo "       Install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2
        exit 2
    else
        echo "warning: $CHROMIUM is missing: browser tests will be SKIPPED." >&2
        echo "         Install it with: sudo apt-get update && sudo apt-get install -y chromium" >&2
    fi
fi
if [ "$IS_CI" = true ] && [ ! -x "$CHROMIUM" ]; then
    echo "error: $CHROMIUM still missing after apt-get install" >&2
    exit 2
fi

# axe-core for the tour's accessibility checks (tests/browser/test_tour.py), from npm into .cache/axe; the
# test injects that file, so the page never loads it from the network. Missing: a skip, under CI a failure.
AXE_VERSION=4.14.1
AXE_DIR="$ROOT/.cache/axe"
if [ "$(cat "$AXE_DIR/.installed" 2>/dev/null || true)" != "$AXE_VERSION" ] ||
    [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
    if command -v npm >/dev/null 2>&1; then
        log "installing axe-core@$AXE_VERSION into .cache/axe (npm)"
        if npm install --prefix "$AXE_DIR" --no-save --no-audit --no-fund --loglevel=error \
            "axe-core@$AXE_VERSION" >&2; then
            printf '%s' "$AXE_VERSION" >"$AXE_DIR/.installed"
        else
            echo "warning: npm could not install axe-core: the tour's accessibility test will not run." >&2
        fi
    else
        echo "warning: npm is missing, so axe-core is too: the tour's accessibility test will not run." >&2
        echo "         Install it with: sudo apt-get install -y npm" >&2
    fi
fi

# --- 3. lint -------------------------------------------------------------------------------------
LINT_PATHS=()
for p in quiz_widgets tests benchmarks stress scripts; do [ -e "$p" ] && LINT_PATHS+=("$p"); done
lint_rc=0
log "ruff check ${LINT_PATHS[*]}"
"$PY" -m ruff check "${LINT_PATHS[@]}" || lint_rc=$?
log "ruff format --check ${LINT_PATHS[*]}"
"$PY" -m ruff format --check "${LINT_PATHS[@]}" || lint_rc=$?

# --- 4. pytest -----------------------------------------------------------------------------------
shopt -s nullglob
NOTEBOOKS=(notebooks/*.ipynb)
shopt -u nullglob

# Did the caller name what to collect? (an existing path or a node id)
has_paths=false
for a in "$@"; do
    case "$a" in -*) continue ;; esac
    if [ -e "${a%%::*}" ]; then has_paths=true; fi
done

PYTEST_ARGS=()
if [ ${#NOTEBOOKS[@]} -gt 0 ]; then
    # strict nbval, kernel from this venv
    PYTEST_ARGS+=(--nbval --nbval-current-env)
fi
if [ "$has_paths" = false ]; then
    PYTEST_ARGS+=(tests)
    [ ${#NOTEBOOKS[@]} -gt 0 ] && PYTEST_ARGS+=("${NOTEBOOKS[@]}")
fi

# --- 5. lowest versions (CI, or QUIZ_WIDGETS_LOWEST=1) ------------------------------------------
# A pip user may get the oldest versions the floors in pyproject.toml allow: .venv-lowest installs exactly
# those for the package and its user-facing extras (scripts/lowest_constraints.py), with the test tools at
# their current versions (they are the rig, not what a user installs: moto, jsonschema, pytest...), and runs
# the unit tests that need neither a browser nor a kernel. Reinstalled only when pyproject.toml changes.
install_lowest() {
    local LOW_VENV="$ROOT/.venv-lowest"
    local LOW_PY="$LOW_VENV/bin/python"
    local LOW_STAMP="$LOW_VENV/.quiz_widgets-lowest-install"
    local USER_EXTRAS=collect,s3,report,fast
    [ -x "$LOW_PY" ] || "$PY" -m venv "$LOW_VENV"
    if [ "$(cat "$LOW_STAMP" 2>/dev/null || true)" != "$WANT" ]; then
        log "installing the lowest allowed versions into .venv-lowest"
        "$PY" scripts/lowest_constraints.py constraints ${USER_EXTRAS//,/ } >"$LOW_VENV/constraints.txt"
        local LOW_TOOLS
        mapfile -t LOW_TOOLS < <("$PY" scripts/lowest_constraints.py names test \
            --without jupyterlab,notebook,voila,playwright,build,ruff,fsspec,s3fs,pandas,orjson,jupyterlite-core,jupyterlite-pyodide-kernel)
        # s3fs[boto3] asks for the aiobotocore[boto3] of that s3fs, which pins the boto3 matching its botocore:
        # without it pip backtracked through hundreds of boto3 releases for moto (over 15 minutes). A bare
        # aiobotocore[boto3] still sent it through every aiobotocore 3.x first: 5-8 CPU minutes, against
        # 1.5 for the resolve this way (pip 23.2, the same versions chosen).
        "$LOW_PY" -m pip install --quiet -c "$LOW_VENV/constraints.txt" -e ".[$USER_EXTRAS]" "s3fs[boto3]" \
            "${LOW_TOOLS[@]}" || return $?
        printf '%s' "$WANT" >"$LOW_STAMP"
    fi
}
test_lowest() {
    log "pytest (lowest versions) -m 'not browser and not kernel'"
    "$ROOT/.venv-lowest/bin/python" -m pytest tests -q -m "not browser and not kernel" --ignore=tests/browser \
        --ignore=tests/test_packaging.py --ignore=tests/test_run_rules.py \
        --ignore=tests/lite --ignore=tests/test_lite_build.py --ignore=tests/test_lab_script.py
}
want_lowest=false
if { [ "$IS_CI" = true ] || [ "${QUIZ_WIDGETS_LOWEST:-}" = 1 ]; } && [ "$has_paths" = false ]; then
    want_lowest=true
fi

test_rc=0
lowest_rc=0
if [ "$#" -eq 0 ] && [ "${QUIZ_WIDGETS_TWO_STREAMS:-1}" != 0 ]; then
    # The whole run, in two streams side by side: the tests that drive Chromium wait on a browser, a
    # JupyterLab server and kernels most of the time, so the rest (and then the lowest versions) run beside
    # them in a second process (CI on two cores: 40 -> 25 minutes). Each stream has its own session
    # fixtures; the ones they share (.cache/lite) are written atomically. The tests' kernels use Unix
    # sockets, not TCP ports: a port one stream's kernel was given could be taken by the other stream
    # before the kernel bound it, and the kernel died (lab_utils.start_lab says more).
    mkdir -p test-artifacts
    REST_LOG="$ROOT/test-artifacts/pytest-without-browser.log"
    log "pytest -m 'not browser' ${PYTEST_ARGS[*]}: beside this one, its output in $REST_LOG (shown at the end)"
    LOW_LOG="$ROOT/test-artifacts/lowest-install.log"
    (
        if [ "$want_lowest" = true ]; then
            # Its resolve is about 1.5 CPU minutes (s3fs[boto3], below): it installs while the tests run.
            install_lowest >"$LOW_LOG" 2>&1 &
            install_pid=$!
        fi
        rc=0
        low=0
        "$PY" -m pytest "${PYTEST_ARGS[@]}" -m "not browser" --durations=10 -p no:cacheprovider || rc=$?
        if [ "$want_lowest" = true ]; then
            wait "$install_pid" || low=$?
            cat "$LOW_LOG"
            if [ "$low" -eq 0 ]; then test_lowest || low=$?; fi
            echo "==> lowest versions: exit $low"
        fi
        echo "==> tests without a browser: exit $rc"
        # Its exit status is the stream's result (a stream killed before this line exits non-zero too).
        if [ "$rc" -ne 0 ]; then exit "$rc"; fi
        exit "$low"
    ) >"$REST_LOG" 2>&1 </dev/null &
    rest_pid=$!
    log "pytest -m browser ${PYTEST_ARGS[*]}"
    "$PY" -m pytest "${PYTEST_ARGS[@]}" -m browser --durations=10 || test_rc=$?
    rest_rc=0
    wait "$rest_pid" || rest_rc=$?
    log "the tests without a browser (${REST_LOG#"$ROOT"/}):"
    cat "$REST_LOG" >&2
    if [ "$test_rc" -eq 0 ]; then test_rc=$rest_rc; fi
else
    log "pytest ${PYTEST_ARGS[*]} $*"
    "$PY" -m pytest "${PYTEST_ARGS[@]}" "$@" || test_rc=$?
    if [ "$want_lowest" = true ]; then
        install_lowest || lowest_rc=$?
        if [ "$lowest_rc" -eq 0 ]; then test_lowest || lowest_rc=$?; fi
    fi
fi
[ "$test_rc" -ne 0 ] || test_rc=$lowest_rc

if [ "$lint_rc" -ne 0 ]; then
    echo "error: ruff failed (exit $lint_rc); pytest exit code was $test_rc" >&2
fi
if [ "$test_rc" -ne 0 ]; then
    exit "$test_rc" # includes 5 (no tests collected): never hidden
fi
exit "$lint_rc"

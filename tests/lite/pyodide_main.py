"""Runs inside Pyodide (see run_pyodide.mjs): installs quiz_widgets with micropip, then runs pytest.

HARNESS_ARGV: [package names joined by ",", tests folder, pytest arguments...]. Sets ``exit_code``.
"""

import os
import sys

import micropip

sys.dont_write_bytecode = True  # the repository is mounted: leave no __pycache__ in it
packages, tests_dir, *pytest_args = HARNESS_ARGV  # noqa: F821 - set by run_pyodide.mjs
# By name: micropip takes them, and their dependencies, from the lock, which lists only local wheels
# (the wheel built from this checkout among them), the way the site's kernel loads quiz_widgets.
await micropip.install(packages.split(","))  # noqa: F704 - runPythonAsync awaits
sys.path.insert(0, os.path.join(tests_dir, "lite"))
sys.path.insert(0, tests_dir)
os.chdir("/tmp")  # hypothesis keeps its database in the working folder

import pytest  # noqa: E402

print(f"platform {sys.platform}")

exit_code = int(pytest.main(pytest_args))

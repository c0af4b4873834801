#!/usr/bin/env bash
# Every check CI runs, in order: lint, format, types, catalogs, tests (with doctests and
# fuzzing, under branch coverage), the documentation build, the built wheel, and the
# benchmarks in smoke mode.
# Uses $PYTHON (default: python) with the project installed with its `test` extra.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
step() { printf '\n== %s\n' "$*"; }

step "ruff"
"$PY" -m ruff check .
"$PY" -m ruff format --check .
step "mypy --strict"
"$PY" -m mypy
step "message catalogs"
"$PY" scripts/catalogs.py check
step "pytest (tests, doctests and the time-boxed fuzzing) under branch coverage"
# pytest exits 5 when it collects no tests; set -e turns that (like any failure) into a red run.
# Coverage (configured in pyproject.toml) also measures the CLI run in child processes; the
# report prints the modules not fully covered and the total, and fails under the floor.
"$PY" -m coverage erase
"$PY" -m coverage run -m pytest -q -p no:cacheprovider
"$PY" -m coverage combine -q
"$PY" -m coverage report
step "sphinx (offline, warnings are errors)"
"$PY" -m sphinx -W --keep-going -q -b html docs docs/_build/html
step "wheel"
bash scripts/check_wheel.sh "$PY"
step "benchmarks (smoke)"
"$PY" -m benchmarks.run --smoke
echo
echo "all checks passed"

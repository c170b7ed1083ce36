#!/usr/bin/env bash
# Installs what is missing, then runs the linter, the type checker and the whole test suite
# headless.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check .
.venv/bin/mypy  # models/, services/ and pdf/: see [tool.mypy] in pyproject.toml
# One worker per core (pytest-xdist): each test has its own folder and settings, so they
# run side by side; pass -n 0 to run in one process.
exec .venv/bin/python -m pytest -n auto "$@"

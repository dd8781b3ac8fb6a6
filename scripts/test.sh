#!/bin/sh
# Runs the test suite (SQLite by default; PostgreSQL when TEST_DATABASE_URL is set).
# Extra arguments go to pytest.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"

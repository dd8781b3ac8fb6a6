#!/bin/sh
# Quick start: install, create/upgrade the SQLite database, load the demo data and serve.
# A second run reuses the virtualenv and the database it made.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh requirements.txt
export FLASK_APP=run
.venv/bin/flask --app run hamrah init
.venv/bin/flask --app run hamrah demo
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"
echo ""
echo "Hamrah Support is running at http://$HOST:$PORT/"
echo "Demo logins (password = username): manager, agent, agent2, clerk, clerk2, clerk3"
echo "Demo host page with the support widget: http://$HOST:$PORT/support/demo-host"
echo ""
HOST="$HOST" PORT="$PORT" exec .venv/bin/python run.py

#!/bin/sh
# Quick start: install, create/upgrade the SQLite database, load the demo data and serve.
# A second run reuses the virtualenv and the database it made. HOST and PORT choose where
# it serves (127.0.0.1:5000 by default).
set -eu
cd "$(dirname "$0")/.."
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"
# A busy port is found before anything is installed or migrated (the server would fail last).
if ! python3 - "$HOST" "$PORT" <<'PY'
import socket, sys
probe = socket.socket(socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET)
probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself does
try:
    probe.bind((sys.argv[1], int(sys.argv[2])))
except (OSError, ValueError) as error:
    sys.exit(f"Cannot serve on {sys.argv[1]}:{sys.argv[2]} ({error}).")
finally:
    probe.close()
PY
then
  echo "Choose another address or port, e.g. PORT=5001 sh scripts/start.sh (HOST sets the address)." >&2
  exit 1
fi
sh scripts/setup.sh requirements.txt
export FLASK_APP=run
.venv/bin/flask --app run hamrah init
.venv/bin/flask --app run hamrah demo
echo ""
echo "Hamrah Support is running at http://$HOST:$PORT/"
echo "Demo logins (password = username): manager, agent, agent2, clerk, clerk2, clerk3, supervisor (region 01)"
echo "Demo host page with the support widget: http://$HOST:$PORT/support/demo-host"
echo ""
HOST="$HOST" PORT="$PORT" exec .venv/bin/python run.py

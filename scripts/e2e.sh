#!/bin/sh
# End-to-end tests: the real app (gunicorn, fresh SQLite, demo data) driven by Playwright in
# Debian's chromium, in Persian and in English; axe-core from e2e/package.json (npm ci).
# Extra arguments go to pytest.
# Usage: sh scripts/e2e.sh [-k fa] [-x] ...      Screenshots: e2e/screenshots/
set -eu
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  # Playwright's own browser download is not used: Debian's chromium is.
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if ! command -v npm >/dev/null 2>&1; then
  # axe-core (e2e/package.json) comes from the npm registry, never from a CDN at test time.
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
fi
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
sh scripts/setup.sh requirements-e2e.txt
exec .venv/bin/python -m pytest e2e "$@"

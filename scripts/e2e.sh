#!/bin/sh
# End-to-end tests: the real app (gunicorn, fresh SQLite, demo data) driven by Playwright in
# Debian's chromium, in Persian and in English. Extra arguments go to pytest.
# Usage: sh scripts/e2e.sh [-k fa] [-x] ...      Screenshots: e2e/screenshots/
set -eu
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  # Playwright's own browser download is not used: Debian's chromium is.
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
sh scripts/setup.sh requirements-e2e.txt
exec .venv/bin/python -m pytest e2e "$@"

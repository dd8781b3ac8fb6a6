#!/bin/sh
# A two-node Hamrah Support cluster on one machine, everything on 127.0.0.1:
#
#   nginx :18080 ──round robin──> node1 gunicorn -w 2 :18081 ─┐   PostgreSQL hamrah_cluster
#                                 node2 gunicorn -w 2 :18082 ─┼─> Redis db 7 (rate limits)
#   outbox workers: `hamrah notify --loop` per node ──────────┤   S3 (moto_server :18083)
#                                                             └─> SMTP sink :18084 (files)
#
# Usage: sh deploy/cluster.sh up | down | status | test | start-node NAME | stop-node NAME
#   up       starts it all in the background (PIDs in deploy/.run/pids), waits until /readyz
#            answers through nginx, prints the URL and the demo logins
#   down     stops exactly what `up` started, by PID (TERM, then KILL after a timeout)
#   test     down (if up), up on a fresh database and Redis db, the checks
#            (deploy/cluster_check.py), down (also on failure); exit status = the checks'
#   start-node/stop-node NAME   (node1, node2) one app node, for the checks and for trying out
#
# Environment (defaults): CLUSTER_PORT (18080), NODE1_PORT (18081), NODE2_PORT (18082),
# S3_PORT (18083), SMTP_PORT (18084), CLUSTER_DB (hamrah_cluster), CLUSTER_REDIS_DB (7),
# PG_ADMIN_URL (postgresql://postgres@127.0.0.1:5432/postgres), CLUSTER_RUN (deploy/.run),
# and the app settings passed to both nodes: TICKET_RATE_LIMIT ("5 per hour"),
# LOGIN_FAILURE_LIMIT ("5 per 15 minutes"), AUTH_RATE_LIMIT ("600 per minute": every check
# comes from 127.0.0.1), REPLY_RATE_LIMIT, RATELIMIT_ENABLED (1), SQL_COUNT_HEADER (0),
# GUNICORN_WORKERS (2).
# In production the same pieces run under systemd (deploy/systemd/), see deploy/README.md.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv/bin"
RUN="${CLUSTER_RUN:-$ROOT/deploy/.run}"
PIDS="$RUN/pids"
CLUSTER_PORT="${CLUSTER_PORT:-18080}"
NODE1_PORT="${NODE1_PORT:-18081}"
NODE2_PORT="${NODE2_PORT:-18082}"
S3_PORT="${S3_PORT:-18083}"
SMTP_PORT="${SMTP_PORT:-18084}"
CLUSTER_DB="${CLUSTER_DB:-hamrah_cluster}"
CLUSTER_REDIS_DB="${CLUSTER_REDIS_DB:-7}"
PG_ADMIN_URL="${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$CLUSTER_DB"
REDIS_URL="redis://127.0.0.1:6379/$CLUSTER_REDIS_DB"
S3_BUCKET="${S3_BUCKET:-hamrah-attachments}"
START_TIMEOUT="${START_TIMEOUT:-60}"  # seconds for each service to answer
STOP_TIMEOUT="${STOP_TIMEOUT:-15}"    # seconds for each process to exit after TERM

say() { echo "cluster: $*" >&2; }
fail() { echo "cluster: FAILED: $*" >&2; exit 1; }

# --- process bookkeeping: one line "name pid" per process we started ---------------------
record() { echo "$1 $2" >>"$PIDS"; }
alive() {  # a process that exists and is not a zombie (init may reap our orphans late)
  [ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
  [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ]
}
pid_of() { [ -f "$PIDS" ] && awk -v n="$1" '$1 == n { p = $2 } END { print p }' "$PIDS"; }
forget() { [ -f "$PIDS" ] && { grep -v "^$1 " "$PIDS" >"$PIDS.tmp" || true; mv "$PIDS.tmp" "$PIDS"; }; }
children() { [ -n "$1" ] && pgrep -P "$1" 2>/dev/null || true; }

stop_pid() {  # stop_pid <name> <pid>: TERM, wait, KILL; gunicorn's workers with their master
  name=$1 pid=$2
  if ! alive "$pid"; then forget "$name"; return 0; fi
  kids=$(children "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  i=0
  while alive "$pid" && [ $i -lt $((STOP_TIMEOUT * 5)) ]; do sleep 0.2; i=$((i + 1)); done
  if alive "$pid"; then say "$name ($pid) ignored TERM: KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  for kid in $kids; do  # workers of a master that died first (they exit on their own soon)
    if alive "$kid"; then kill -KILL "$kid" 2>/dev/null || true; fi
  done
  forget "$name"
  say "stopped $name ($pid)"
}

wait_http() {  # wait_http <url> <what> [pid to watch]: until 200 or START_TIMEOUT
  i=0
  until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null)" = 200 ]; do
    i=$((i + 1))
    [ $i -lt $((START_TIMEOUT * 5)) ] || fail "$2 did not answer 200 at $1 within ${START_TIMEOUT}s"
    if [ -n "${3:-}" ] && ! alive "$3"; then fail "$2 exited (see $RUN)"; fi
    sleep 0.2
  done
}

wait_port() {  # wait_port <port> <what> <pid>
  i=0
  until "$VENV/python" -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$1" 2>/dev/null; do
    i=$((i + 1))
    [ $i -lt $((START_TIMEOUT * 5)) ] || fail "$2 did not listen on 127.0.0.1:$1 within ${START_TIMEOUT}s"
    alive "$3" || fail "$2 exited (see $RUN)"
    sleep 0.2
  done
}

port_free() {
  ! "$VENV/python" -c "import socket, sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 1).close()" "$1" 2>/dev/null
}

running() {  # true when any recorded process is alive
  [ -f "$PIDS" ] || return 1
  while read -r _name pid; do alive "$pid" && return 0; done <"$PIDS"
  return 1
}

# --- pieces --------------------------------------------------------------------------------
tools() {
  [ -x "$VENV/python" ] || fail ".venv missing: run 'sh scripts/setup.sh requirements-dev.txt' first"
  [ -x "$VENV/gunicorn" ] || fail "gunicorn missing from .venv"
  [ -x "$VENV/moto_server" ] || fail "moto_server missing from .venv (requirements-dev.txt: moto[server])"
  "$VENV/python" -c "import aiosmtpd, boto3, redis, requests" 2>/dev/null \
    || fail "aiosmtpd, boto3, redis and requests are needed in .venv (requirements-dev.txt)"
  command -v psql >/dev/null 2>&1 || fail "psql is not installed (postgresql-client)"
  command -v curl >/dev/null 2>&1 || fail "curl is not installed"
  if [ ! -x /usr/sbin/nginx ]; then
    [ "$(id -u)" = 0 ] || fail "nginx is not installed: sudo apt-get install -y nginx"
    say "installing nginx (Debian package)"
    { apt-get install -y -qq nginx || { apt-get update -qq && apt-get install -y -qq nginx; }; } \
      >"${TMPDIR:-/tmp}/hamrah-cluster-apt.log" 2>&1 || fail "apt-get install nginx (see ${TMPDIR:-/tmp}/hamrah-cluster-apt.log)"
  fi
  "$VENV/python" -c "import redis, sys; redis.Redis.from_url(sys.argv[1], socket_timeout=2).ping()" "$REDIS_URL" \
    2>/dev/null || fail "Redis does not answer at $REDIS_URL"
  psql "$PG_ADMIN_URL" -X -q -A -t -c "select 1" >/dev/null 2>&1 || fail "PostgreSQL does not answer at $PG_ADMIN_URL"
}

database() {  # database fresh|keep
  if [ "$1" = fresh ]; then
    say "dropping database $CLUSTER_DB and Redis db $CLUSTER_REDIS_DB (fresh)"
    psql "$PG_ADMIN_URL" -X -q -c "DROP DATABASE IF EXISTS \"$CLUSTER_DB\" WITH (FORCE)" >/dev/null
    "$VENV/python" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS_URL"
  fi
  if [ -z "$(psql "$PG_ADMIN_URL" -X -A -t -c "select 1 from pg_database where datname = '$CLUSTER_DB'")" ]; then
    psql "$PG_ADMIN_URL" -X -q -c "CREATE DATABASE \"$CLUSTER_DB\"" >/dev/null || fail "cannot create database $CLUSTER_DB"
  fi
}

write_env() {  # write_env <node>: the node's environment (systemd EnvironmentFile syntax too)
  node=$1
  port=$(eval echo "\$$(echo "$node" | tr a-z A-Z)_PORT")
  {
    echo "# $node of deploy/cluster.sh (written at up; the same keys as deploy/hamrah.env.example)"
    echo "HAMRAH_ENV=\"production\""
    echo "HAMRAH_NODE=\"$node\""
    echo "SECRET_KEY=\"$(cat "$RUN/secret")\""
    echo "DATABASE_URL=\"$DATABASE_URL\""
    echo "TRUST_PROXY=\"1\""
    echo "PUBLIC_BASE_URL=\"http://127.0.0.1:$CLUSTER_PORT\""
    echo "ATTACHMENT_STORAGE=\"s3\""
    echo "ATTACHMENT_DIR=\"$RUN/$node/attachments\""
    echo "S3_BUCKET=\"$S3_BUCKET\""
    echo "S3_ENDPOINT_URL=\"http://127.0.0.1:$S3_PORT\""
    echo "S3_ACCESS_KEY=\"cluster-access\""
    echo "S3_SECRET_KEY=\"cluster-secret\""
    echo "S3_REGION=\"us-east-1\""
    echo "RATELIMIT_ENABLED=\"${RATELIMIT_ENABLED:-1}\""
    echo "RATELIMIT_STORAGE_URI=\"$REDIS_URL\""
    echo "TICKET_RATE_LIMIT=\"${TICKET_RATE_LIMIT:-5 per hour}\""
    echo "REPLY_RATE_LIMIT=\"${REPLY_RATE_LIMIT:-120 per hour}\""
    echo "LOGIN_FAILURE_LIMIT=\"${LOGIN_FAILURE_LIMIT:-5 per 15 minutes}\""
    echo "AUTH_RATE_LIMIT=\"${AUTH_RATE_LIMIT:-600 per minute}\""
    echo "MAIL_SERVER=\"127.0.0.1\""
    echo "MAIL_PORT=\"$SMTP_PORT\""
    echo "MAIL_FROM=\"hamrah@cluster.example\""
    echo "MAIL_RETRY_SECONDS=\"5\""
    echo "SQL_COUNT_HEADER=\"${SQL_COUNT_HEADER:-0}\""
    echo "NODE_PORT=\"$port\""
  } >"$RUN/$node.env"
  chmod 600 "$RUN/$node.env"
}

in_env() {  # in_env <node> <command...>: run with the node's environment, in the repo root
  # (In the foreground only: backgrounded, a function is a shell of its own between us and
  # the process, and its PID is not the process's. Background starts inline the subshell.)
  node=$1; shift
  ( set -a; . "$RUN/$node.env"; set +a; exec "$@" )
}

start_s3() {
  mkdir -p "$RUN/s3"
  "$VENV/moto_server" -H 127.0.0.1 -p "$S3_PORT" </dev/null >"$RUN/s3/moto.log" 2>&1 &
  record s3 $!
  wait_port "$S3_PORT" "moto_server" "$(pid_of s3)"
  # The bucket, versioned as production's should be (deploy/README.md: backups).
  AWS_ACCESS_KEY_ID=cluster-access AWS_SECRET_ACCESS_KEY=cluster-secret "$VENV/python" - \
    "http://127.0.0.1:$S3_PORT" "$S3_BUCKET" <<'EOF' || fail "cannot create bucket $S3_BUCKET"
import sys
import boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1], region_name="us-east-1")
if sys.argv[2] not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
    s3.create_bucket(Bucket=sys.argv[2])
s3.put_bucket_versioning(Bucket=sys.argv[2], VersioningConfiguration={"Status": "Enabled"})
EOF
  say "S3 (moto_server, pid $(pid_of s3)) on 127.0.0.1:$S3_PORT, bucket $S3_BUCKET"
}

start_smtp() {
  mkdir -p "$RUN/mail"
  "$VENV/python" "$ROOT/deploy/smtp_sink.py" --port "$SMTP_PORT" --dir "$RUN/mail" \
    </dev/null >"$RUN/smtp.log" 2>&1 &
  record smtp $!
  wait_port "$SMTP_PORT" "SMTP sink" "$(pid_of smtp)"
  say "SMTP sink (pid $(pid_of smtp)) on 127.0.0.1:$SMTP_PORT, messages in ${RUN#$ROOT/}/mail/"
}

start_node() {  # start_node <node>
  node=$1
  [ -f "$RUN/$node.env" ] || fail "no $RUN/$node.env: run 'up' first"
  if alive "$(pid_of "$node-web")"; then say "$node is already running"; return 0; fi
  forget "$node-web"
  port=$(awk -F'"' '/^NODE_PORT=/ { print $2 }' "$RUN/$node.env")
  port_free "$port" || fail "port $port is taken"
  mkdir -p "$RUN/$node/attachments"
  ( set -a; . "$RUN/$node.env"; set +a
    exec "$VENV/gunicorn" -w "${GUNICORN_WORKERS:-2}" -b "127.0.0.1:$port" \
      --pid "$RUN/$node/gunicorn.pid" --error-logfile "$RUN/$node/gunicorn.log" \
      --access-logfile "$RUN/$node/access.log" --graceful-timeout 10 run:app
  ) </dev/null >>"$RUN/$node/gunicorn.out" 2>&1 &
  record "$node-web" $!
  wait_http "http://127.0.0.1:$port/readyz" "$node (gunicorn)" "$(pid_of "$node-web")"
  say "$node: gunicorn (pid $(pid_of "$node-web")) on 127.0.0.1:$port"
}

start_notify() {  # start_notify <node>: the node's outbox worker
  node=$1
  ( set -a; . "$RUN/$node.env"; set +a
    exec "$VENV/flask" --app run hamrah notify --loop --interval 2
  ) </dev/null >>"$RUN/$node/notify.log" 2>&1 &
  record "$node-notify" $!
  sleep 0.5
  alive "$(pid_of "$node-notify")" || { cat "$RUN/$node/notify.log" >&2; fail "$node's outbox worker exited"; }
  say "$node: outbox worker (pid $(pid_of "$node-notify"))"
}

start_nginx() {
  mkdir -p "$RUN/nginx"
  sed -e "s#@RUN@#$RUN/nginx#g" -e "s#@PORT@#$CLUSTER_PORT#g" \
      -e "s#@NODE1@#127.0.0.1:$NODE1_PORT#g" -e "s#@NODE2@#127.0.0.1:$NODE2_PORT#g" \
      "$ROOT/deploy/nginx/cluster.conf.in" >"$RUN/nginx/nginx.conf"
  /usr/sbin/nginx -t -q -p "$RUN/nginx/" -e "$RUN/nginx/error.log" -c "$RUN/nginx/nginx.conf" \
    || fail "nginx -t refused $RUN/nginx/nginx.conf"
  /usr/sbin/nginx -p "$RUN/nginx/" -e "$RUN/nginx/error.log" -c "$RUN/nginx/nginx.conf" \
    </dev/null >"$RUN/nginx/stdout.log" 2>&1 &
  record nginx $!
  wait_http "http://127.0.0.1:$CLUSTER_PORT/readyz" "nginx" "$(pid_of nginx)"
  say "nginx (pid $(pid_of nginx)) on 127.0.0.1:$CLUSTER_PORT"
}

# --- commands --------------------------------------------------------------------------------
up() {  # up [fresh]
  if running; then fail "already up (PIDs in $PIDS): 'sh deploy/cluster.sh down' first"; fi
  tools
  for port in "$CLUSTER_PORT" "$NODE1_PORT" "$NODE2_PORT" "$S3_PORT" "$SMTP_PORT"; do
    port_free "$port" || fail "port $port on 127.0.0.1 is taken"
  done
  database "${1:-keep}"
  rm -rf "$RUN"
  mkdir -p "$RUN/node1" "$RUN/node2"
  : >"$PIDS"
  umask_was=$(umask); umask 077
  "$VENV/python" -c 'import secrets; print(secrets.token_hex(32))' >"$RUN/secret"
  umask "$umask_was"
  write_env node1
  write_env node2
  # A stop half-way leaves no orphans: whatever started is in $PIDS for `down`.
  start_s3
  start_smtp
  say "hamrah init + demo on $CLUSTER_DB (from node1)"
  in_env node1 "$VENV/flask" --app run hamrah init >"$RUN/node1/init.log" 2>&1 \
    || { cat "$RUN/node1/init.log" >&2; fail "hamrah init"; }
  in_env node1 "$VENV/flask" --app run hamrah demo >>"$RUN/node1/init.log" 2>&1 \
    || { cat "$RUN/node1/init.log" >&2; fail "hamrah demo"; }
  start_node node1
  start_node node2
  start_notify node1
  start_notify node2
  start_nginx
  echo ""
  echo "Hamrah Support cluster is up at http://127.0.0.1:$CLUSTER_PORT/ (nginx)"
  echo "  node1 http://127.0.0.1:$NODE1_PORT/  node2 http://127.0.0.1:$NODE2_PORT/  (direct)"
  echo "  database $CLUSTER_DB, Redis db $CLUSTER_REDIS_DB, S3 http://127.0.0.1:$S3_PORT/$S3_BUCKET,"
  echo "  SMTP 127.0.0.1:$SMTP_PORT (messages in ${RUN#$ROOT/}/mail/), logs in ${RUN#$ROOT/}/"
  echo "Demo logins (password = username): manager, agent, agent2, clerk, clerk2, clerk3"
  echo "Stop it with: sh deploy/cluster.sh down"
  echo ""
}

down() {
  if [ ! -f "$PIDS" ]; then say "nothing recorded in $PIDS: nothing to stop"; return 0; fi
  # Reverse order of start: the balancer first, the storage last.
  for name in nginx node2-notify node1-notify node2-web node1-web smtp s3; do
    pid=$(pid_of "$name")
    [ -z "$pid" ] || stop_pid "$name" "$pid"
  done
  while read -r name pid; do stop_pid "$name" "$pid"; done <"$PIDS"  # anything else recorded
  say "down"
}

status() {
  [ -f "$PIDS" ] || { echo "not running"; return 0; }
  while read -r name pid; do
    if alive "$pid"; then echo "$name $pid running"; else echo "$name $pid gone"; fi
  done <"$PIDS"
}

run_test() {
  if running; then say "stopping the running cluster first"; down; fi
  started=$(date +%s)
  trap 'rc=$?; trap - EXIT INT TERM; down || true; exit $rc' EXIT
  trap 'exit 130' INT TERM
  up fresh
  in_env node1 "$VENV/python" "$ROOT/deploy/cluster_check.py" users >&2 || fail "the checks' users"
  rc=0
  CLUSTER_RUN="$RUN" CLUSTER_SH="$ROOT/deploy/cluster.sh" CLUSTER_PORT="$CLUSTER_PORT" \
    NODE1_PORT="$NODE1_PORT" NODE2_PORT="$NODE2_PORT" \
    timeout -k 10 "${CHECK_TIMEOUT:-270}" "$VENV/python" "$ROOT/deploy/cluster_check.py" || rc=$?
  say "test took $(( $(date +%s) - started )) s"
  if [ $rc = 0 ]; then say "all checks passed"; else say "checks FAILED (exit $rc); logs were in $RUN"; fi
  exit $rc
}

case "${1:-}" in
  up) up keep ;;
  down) down ;;
  status) status ;;
  test) run_test ;;
  start-node) [ -n "${2:-}" ] || fail "usage: start-node node1|node2"; start_node "$2" ;;
  stop-node) [ -n "${2:-}" ] || fail "usage: stop-node node1|node2"; stop_pid "$2-web" "$(pid_of "$2-web")" ;;
  *) echo "usage: sh deploy/cluster.sh up|down|status|test|start-node NAME|stop-node NAME" >&2; exit 2 ;;
esac

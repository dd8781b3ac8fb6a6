#!/bin/sh
# Hamrah Support benchmark through the two-node cluster: sh bench/cluster.sh [N]  (default 10000)
#
# Brings up deploy/cluster.sh (nginx, two gunicorn -w 2 nodes, PostgreSQL, S3, Redis) with
# SQL_COUNT_HEADER=1 and rate limits off, fills its database (CLUSTER_DB, default
# hamrah_cluster) to N tickets with `hamrah generate` like bench/run.sh, and measures in the
# same run, with wrk -t2 -c8 and bench/report.lua, each scenario three ways:
#   node1 direct          one node (gunicorn -w 2), no proxy (node2 stopped)
#   nginx -> node1        the balancer with node2 stopped: the proxy hop's own cost
#                         (these two alternate, twice: each row's share is of the direct run
#                         just before it)
#   nginx -> node1+node2  the balancer, round robin over both nodes
# The table goes to bench/results/<date>-cluster-<N>.md; the cluster is stopped at the end
# (also on failure). Environment: as bench/run.sh (BENCH_DURATION, BENCH_WARMUP,
# BENCH_THREADS, BENCH_CONNECTIONS, BENCH_SEED) and deploy/cluster.sh's ports.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N="${1:-10000}"
case "$N" in ''|*[!0-9]*) echo "usage: sh bench/cluster.sh [N]" >&2; exit 2;; esac
. "$ROOT/bench/lib.sh"
RUN="${CLUSTER_RUN:-$ROOT/deploy/.run}"
BALANCER="http://127.0.0.1:${CLUSTER_PORT:-18080}"
NODE1="http://127.0.0.1:${NODE1_PORT:-18081}"

need_wrk

# --- the cluster, as bench/run.sh's server: statement counts on, limits off --------------
export_bench_settings
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hamrah-bench-cluster.XXXXXX")
trap 'rc=$?; trap - EXIT; sh "$ROOT/deploy/cluster.sh" down >/dev/null 2>&1 || true; rm -rf "$WORK"; exit $rc' EXIT
trap 'exit 130' INT TERM
sh deploy/cluster.sh down >/dev/null 2>&1 || true
sh deploy/cluster.sh up >/dev/null || fail "deploy/cluster.sh up"

PG_URL=$(awk -F'"' '/^DATABASE_URL=/ { print $2 }' "$RUN/node1.env" | sed -e 's#^postgresql+[a-z0-9]*://#postgresql://#')
DB_NAME=$(printf '%s' "$PG_URL" | sed -e 's#.*/##')
sql() { psql "$PG_URL" -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
node_env() { ( set -a; . "$RUN/node1.env"; set +a; exec "$@" ); }

HAVE=$(sql "select count(*) from ticket")
if [ "$HAVE" -lt "$N" ]; then
  say "generating $((N - HAVE)) tickets (database has $HAVE)"
  node_env "$FLASK" --app run hamrah generate --tickets "$((N - HAVE))" --seed "$SEED" >&2 || fail "hamrah generate"
  sql "VACUUM ANALYZE" >/dev/null
fi
TICKETS=$(sql "select count(*) from ticket")
prewarm

# The busiest generated office's newest ticket and the first agent of its department, as
# bench/run.sh chooses them.
busiest_office
ROW=$(generated 0)
NUMBER=$(printf '%s' "$ROW" | cut -d'|' -f1)
DEPARTMENT=$(printf '%s' "$ROW" | cut -d'|' -f2)
CLERK="clerk-$OFFICE_CODE-1"
AGENT="agent-$DEPARTMENT-1"
say "clerk $CLERK, agent $AGENT, ticket $NUMBER"

CLERK_COOKIE=$(login "$CLERK" "$NODE1")  # the session is valid on every node
AGENT_COOKIE=$(login "$AGENT" "$NODE1")

# --- measuring ------------------------------------------------------------------------------
COMMIT=$(bench_commit app config.py migrations run.py deploy)
pid_of() { awk -v n="$1" '$1 == n { p = $2 } END { print p }' "$RUN/pids"; }
app_ticks() { cpu_ticks $(pgrep -P "$(pid_of node1-web)" 2>/dev/null) $(pgrep -P "$(pid_of node2-web)" 2>/dev/null); }
nginx_ticks() { cpu_ticks $(pgrep -P "$(pid_of nginx)" 2>/dev/null); }
ROWS="$WORK/rows.md"
: >"$ROWS"

measure() {  # measure <scenario> <way> <base url> <cookie or -> <path>
  name=$1 way=$2 base=$3 cookie=$4 path=$5
  set -- -t"$THREADS" -c"$CONNECTIONS" --timeout 10s -s "$ROOT/bench/report.lua"
  [ "$cookie" = - ] || set -- "$@" -H "Cookie: $cookie"
  BENCH_POST=0 wrk "$@" -d"$WARMUP" "$base$path" >"$WORK/warmup.txt" 2>&1 || fail "wrk warm-up for $name"
  out=$(curl -sS -o /dev/null -D - -H "Cookie: ${cookie#-}" "$base$path" | tr -d '\r')
  [ "$(printf '%s\n' "$out" | awk 'NR == 1 { print $2 }')" = 200 ] || fail "$name via $way: GET $path did not answer 200"
  sqls=$(printf '%s\n' "$out" | awk -F': ' 'tolower($1) == "x-sql-statements" { print $2 }')
  a0=$(app_ticks); n0=$(nginx_ticks); p0=$(pg_ticks)
  BENCH_POST=0 wrk "$@" -d"$DURATION" "$base$path" >"$WORK/wrk.txt" 2>&1 || { cat "$WORK/wrk.txt" >&2; fail "wrk for $name"; }
  a1=$(app_ticks); n1=$(nginx_ticks); p1=$(pg_ticks)
  result=$(awk '$1 == "RESULT"' "$WORK/wrk.txt")
  [ -n "$result" ] || { cat "$WORK/wrk.txt" >&2; fail "no result for $name via $way"; }
  set -- $result
  rps=$2 p50=$3 p95=$4 p99=$5 requests=$6 status_errors=$7 socket_errors=$8
  [ "$status_errors" = 0 ] && [ "$socket_errors" = 0 ] && [ "$requests" -gt 0 ] \
    || { cat "$WORK/wrk.txt" >&2; fail "$name via $way: $status_errors non-2xx/3xx, $socket_errors socket errors"; }
  case "$way" in "node1 direct") eval "DIRECT_$(printf '%s' "$name" | tr -c 'a-z' _)=$rps"; share="100%";;
    *) direct=$(eval echo "\${DIRECT_$(printf '%s' "$name" | tr -c 'a-z' _):-}")
       share=$(awk -v a="$rps" -v b="$direct" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else printf "-" }');;
  esac
  nginx_ms="-"; [ "$way" = "node1 direct" ] || nginx_ms=$(per_request_ms "$n0" "$n1" "$requests")
  say "$name via $way: $rps req/s ($share of direct), p50 $p50 p95 $p95 p99 $p99 ms"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$way" "$rps" "$share" \
    "$p50" "$p95" "$p99" "$sqls" "$(per_request_ms "$a0" "$a1" "$requests")" "$nginx_ms" \
    "$(per_request_ms "$p0" "$p1" "$requests")" "$COMMIT" >>"$ROWS"
}

SCENARIOS="healthz agent_queue ticket_clerk ticket_agent"
scenario() {  # scenario <key> <way> <base>
  case "$1" in
    healthz) measure "bare endpoint /healthz (ceiling)" "$2" "$3" - /healthz ;;
    agent_queue) measure "agent queue" "$2" "$3" "$AGENT_COOKIE" /ticketmodelview/list/ ;;
    ticket_clerk) measure "ticket page (clerk)" "$2" "$3" "$CLERK_COOKIE" "/support/tickets/$NUMBER" ;;
    ticket_agent) measure "ticket page (agent)" "$2" "$3" "$AGENT_COOKIE" "/support/tickets/$NUMBER" ;;
  esac
}
# The proxy hop's cost: node1 alone, direct and through nginx, alternately and twice, so the
# machine's drift between runs (autovacuum after the load, other work) is not read as the hop's.
sh deploy/cluster.sh stop-node node2 >/dev/null 2>&1 || fail "stop-node node2"
for round in 1 2; do
  for key in $SCENARIOS; do
    scenario "$key" "node1 direct" "$NODE1"
    scenario "$key" "nginx -> node1" "$BALANCER"
  done
done
# Then both nodes behind nginx (on 2 cores no speed-up is expected: they share the cores).
sh deploy/cluster.sh start-node node2 >/dev/null 2>&1 || fail "start-node node2"
for key in $SCENARIOS; do scenario "$key" "nginx -> node1+node2" "$BALANCER"; done

# --- the table (rows of one scenario together) -------------------------------------------
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)-cluster-$N.md"
{
  echo "# Hamrah Support benchmark through the cluster, $TICKETS tickets"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT, PostgreSQL database $DB_NAME,"
  echo "deploy/cluster.sh: nginx (round robin) and two nodes of gunicorn -w 2 on 127.0.0.1,"
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up), $(nproc 2>/dev/null || echo '?') CPU cores shared by"
  echo "nginx, both nodes, PostgreSQL and wrk. Clerk $CLERK, agent $AGENT, ticket $NUMBER."
  echo
  echo "| scenario | served by | requests/s | of direct | p50 ms | p95 ms | p99 ms | SQL statements/request | app CPU ms/request | nginx CPU ms/request | PostgreSQL CPU ms/request | commit |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for name in "bare endpoint /healthz (ceiling)" "agent queue" "ticket page (clerk)" "ticket page (agent)"; do
    grep -F "| $name |" "$ROWS"
  done
} >"$OUT"
cat "$OUT"
say "written to ${OUT#$ROOT/}"

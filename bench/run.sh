#!/bin/sh
# Hamrah Support benchmark (issue 7): sh bench/run.sh [N]   (default N=10000)
#
# Creates or reuses the PostgreSQL database hamrah_bench_<N> (BENCH_DATABASE_URL
# overrides), runs `hamrah init`, `hamrah demo` and `hamrah generate --tickets N`
# (skipped when the database already holds >= N tickets), starts gunicorn (2 workers,
# 127.0.0.1 only) with SQL_COUNT_HEADER=1, logs in as a clerk, an agent and a manager
# with curl, measures each scenario with wrk (-t2 -c8, BENCH_DURATION each, default 10s),
# counts SQL statements per request from X-SQL-Statements, and writes the table to
# bench/results/<date>-<N>.md. Fails loudly when a scenario answers with errors.
#
# Environment: BENCH_DATABASE_URL, BENCH_DURATION (10s), BENCH_WARMUP (2s),
# BENCH_THREADS (2), BENCH_CONNECTIONS (8), BENCH_PORT (free port), BENCH_SEED (7),
# BENCH_SEARCH_WORD (a word from the chosen ticket's subject), BENCH_RARE_WORD and
# BENCH_UNCOMMON_WORD (the manager's list's words, see below).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
N="${1:-10000}"
case "$N" in ''|*[!0-9]*) echo "usage: sh bench/run.sh [N]" >&2; exit 2;; esac

. "$ROOT/bench/lib.sh"
DB_URL="${BENCH_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/hamrah_bench_$N}"
GUNICORN="$ROOT/.venv/bin/gunicorn"

# --- tools -------------------------------------------------------------------------
[ -x "$PY" ] || fail ".venv missing: run 'sh scripts/setup.sh' first"
[ -x "$GUNICORN" ] || fail "gunicorn missing from .venv: run 'sh scripts/setup.sh'"
need_wrk
command -v curl >/dev/null 2>&1 || fail "curl is not installed"
command -v psql >/dev/null 2>&1 || fail "psql is not installed (postgresql-client)"

# --- environment for the app ---------------------------------------------------------
unset HAMRAH_ENV
export DATABASE_URL="$DB_URL"
export SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}"
export_bench_settings
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hamrah-bench.XXXXXX")
export ATTACHMENT_DIR="$WORK/attachments"
mkdir -p "$ATTACHMENT_DIR"

# libpq URL for psql (drop the SQLAlchemy driver suffix).
PG_URL=$(printf '%s' "$DB_URL" | sed -e 's#^postgresql+[a-z0-9]*://#postgresql://#')
DB_NAME=$(printf '%s' "$PG_URL" | sed -e 's#.*/##' -e 's#?.*##')
sql() { psql "$PG_URL" -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }

GPID=""
cleanup() {
  if [ -n "$GPID" ] && kill -0 "$GPID" 2>/dev/null; then
    kill -TERM "$GPID" 2>/dev/null || true
    i=0; while kill -0 "$GPID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.2; i=$((i+1)); done
    kill -KILL "$GPID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- database and data ------------------------------------------------------------------
if ! psql "$PG_URL" -X -qAt -c 'select 1' >/dev/null 2>&1; then
  ADMIN_URL=$(printf '%s' "$PG_URL" | sed -e "s#/$DB_NAME\$#/postgres#")
  say "creating database $DB_NAME"
  psql "$ADMIN_URL" -X -q -c "CREATE DATABASE \"$DB_NAME\"" || fail "cannot create database $DB_NAME"
fi
say "hamrah init + demo on $DB_NAME"
"$FLASK" --app run hamrah init >"$WORK/init.log" 2>&1 || { cat "$WORK/init.log" >&2; fail "hamrah init"; }
"$FLASK" --app run hamrah demo >"$WORK/demo.log" 2>&1 || { cat "$WORK/demo.log" >&2; fail "hamrah demo"; }
HAVE=$(sql "select count(*) from ticket")
if [ "$HAVE" -lt "$N" ]; then
  say "generating $((N - HAVE)) tickets (database has $HAVE)"
  START=$(date +%s)
  "$FLASK" --app run hamrah generate --tickets "$((N - HAVE))" --seed "$SEED" >&2 || fail "hamrah generate"
  say "generation took $(( $(date +%s) - START )) s"
  sql "VACUUM ANALYZE" >/dev/null
else
  say "database already has $HAVE tickets (>= $N): generation skipped"
  # An earlier run's registered and removed tickets leave dead rows and, in the search
  # index's pending list (GIN fastupdate), entries every search reads: 74 pages at 10k
  # made a rare word's probe 3 ms instead of 0.6. A VACUUM of a clean database is quick.
  sql "VACUUM ANALYZE" >/dev/null
fi
TICKETS=$(sql "select count(*) from ticket")
prewarm

# --- who and what to measure ------------------------------------------------------------
# The busiest office, its newest ticket and agent (bench/lib.sh). The creation scenario
# registers its tickets on the case of the office's second newest generated ticket: never on
# the measured ticket's case, whose "other tickets of the same case" would otherwise grow
# with every run.
busiest_office
ROW=$(generated 0)
CASE_ROW=$(generated 1)
NUMBER=$(printf '%s' "$ROW" | cut -d'|' -f1)
DEPARTMENT=$(printf '%s' "$ROW" | cut -d'|' -f2)
TRACKING=$(printf '%s' "$CASE_ROW" | cut -d'|' -f3)
NATIONAL_ID=$(printf '%s' "$CASE_ROW" | cut -d'|' -f4)
SUBJECT=$(printf '%s' "$ROW" | cut -d'|' -f5-)
CLERK="clerk-$OFFICE_CODE-1"
AGENT="agent-$DEPARTMENT-1"
MANAGER="manager-1"
SUPERVISOR="supervisor-1"  # province P01: offices 3001 and 3032 (app/cli/generator_data.py)
# Longest word of the subject (a real Persian word of the generated vocabulary).
WORD="${BENCH_SEARCH_WORD:-$(printf '%s' "$SUBJECT" | tr ' ' '\n' | awk '{ if (length($0) > length(best)) best = $0 } END { print best }')}"
WORD_Q=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$WORD")
say "clerk $CLERK, agent $AGENT, manager $MANAGER, ticket $NUMBER, search word «$WORD»"
# Words in the manager's list (issue 17): Subject › "Contains words", FAB's tenth filter of a
# text column, `_flt_9_subject` (app/views/tickets.py). The rare word is a far city, which the
# generator writes only in a clerk's "<name> from <city> came in" message and mostly for the
# least busy offices (Zipf-weighted): 0.1-0.2% of the tickets at every size. The uncommon one
# names a problem, in about 3% of them: where a fixed 5,000-id limit made 100k slower than 1M.
RARE="${BENCH_RARE_WORD:-اردبیل}"
UNCOMMON="${BENCH_UNCOMMON_WORD:-تکراری}"
matches() {  # matches <word>: "<tickets matching> <number of the first in the list's order>"
  q=$("$PY" -c 'import sys; sys.path.insert(0, "."); from app.domain.search import query_terms, _tsquery
print(_tsquery(query_terms(sys.argv[1])))' "$1") || fail "no search terms in «$1»"
  printf '%s\n' "select count(*), (select t.number from ticket t join ticket_search m on m.ticket_id = t.id
      where m.document @@ :'q'::tsquery order by t.last_activity_at, t.id limit 1)
    from ticket_search where document @@ :'q'::tsquery;" |
    psql "$PG_URL" -X -qAt -F' ' -v ON_ERROR_STOP=1 -v q="$q"
}
set -- $(matches "$RARE"); RARE_MATCHES=$1; RARE_FIRST=${2:-}
set -- $(matches "$UNCOMMON"); UNCOMMON_MATCHES=$1; UNCOMMON_FIRST=${2:-}
say "«$RARE» matches $RARE_MATCHES and «$UNCOMMON» $UNCOMMON_MATCHES of the $TICKETS tickets"

# --- server --------------------------------------------------------------------------------
PORT="${BENCH_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BASE="http://127.0.0.1:$PORT"
"$GUNICORN" -w 2 -b "127.0.0.1:$PORT" --access-logfile /dev/null --error-logfile "$WORK/gunicorn.log" \
  run:app &
GPID=$!
i=0
until curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; do
  i=$((i+1)); [ $i -lt 150 ] || { cat "$WORK/gunicorn.log" >&2; fail "gunicorn did not start"; }
  kill -0 "$GPID" 2>/dev/null || { cat "$WORK/gunicorn.log" >&2; fail "gunicorn exited"; }
  sleep 0.2
done
say "gunicorn (pid $GPID) on $BASE"

CLERK_COOKIE=$(login "$CLERK" "$BASE")
AGENT_COOKIE=$(login "$AGENT" "$BASE")
MANAGER_COOKIE=$(login "$MANAGER" "$BASE")
SUPERVISOR_COOKIE=$(login "$SUPERVISOR" "$BASE")

# The CSRF token of the clerk's session, from the new-ticket form (reusable per session).
curl -fsS -H "Cookie: $CLERK_COOKIE" -o "$WORK/new.html" "$BASE/support/new" || fail "GET /support/new"
FORM_CSRF=$(csrf_of "$WORK/new.html")
[ -n "$FORM_CSRF" ] || fail "no csrf_token on /support/new"

# --- measuring ------------------------------------------------------------------------------
COMMIT=$(bench_commit app config.py migrations run.py)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')  # a shared machine: say how busy
ROWS="$WORK/rows.md"
: >"$ROWS"

# CPU time per request (bench/lib.sh): the app's workers here, PostgreSQL's processes.
app_ticks() { cpu_ticks $(pgrep -P "$GPID" 2>/dev/null); }

statements() {  # statements <cookie> <path>: X-SQL-Statements of one request (and checks 200)
  out=$(curl -sS -o /dev/null -D - -H "Cookie: $1" "$BASE$2" | tr -d '\r')
  code=$(printf '%s\n' "$out" | awk 'NR == 1 { print $2 }')
  [ "$code" = 200 ] || fail "GET $2 answered $code (expected 200)"
  printf '%s\n' "$out" | awk -F': ' 'tolower($1) == "x-sql-statements" { print $2 }'
}

measure() {  # measure <name> <cookie or -> <path> [post]
  name=$1; cookie=$2; path=$3; mode=${4:-get}
  set -- -t"$THREADS" -c"$CONNECTIONS" --timeout 10s -s "$ROOT/bench/report.lua"
  [ "$cookie" = - ] || set -- "$@" -H "Cookie: $cookie"
  if [ "$mode" = post ]; then
    sqls="-"
    before=$(sql "select count(*) from ticket")
    export BENCH_POST=1 BENCH_CSRF="$FORM_CSRF" BENCH_DEPARTMENT="$DEPARTMENT" \
      BENCH_TRACKING="$TRACKING" BENCH_NATIONAL_ID="$NATIONAL_ID" BENCH_RUN_ID="$(date +%s)$$"
  else
    export BENCH_POST=0
  fi
  wrk "$@" -d"$WARMUP" "$BASE$path" >"$WORK/warmup.txt" 2>&1 || fail "wrk warm-up for $name"
  # Counted after the warm-up, as every later request costs: the first look may do one-time
  # work (an agent's first look marks a ticket read; a worker fills its reference cache).
  [ "$mode" = post ] || sqls=$(statements "${cookie#-}" "$path")
  [ "$mode" = post ] && export BENCH_RUN_ID="${BENCH_RUN_ID}m"
  app_before=$(app_ticks); pg_before=$(pg_ticks)
  wrk "$@" -d"$DURATION" "$BASE$path" >"$WORK/wrk.txt" 2>&1 || { cat "$WORK/wrk.txt" >&2; fail "wrk for $name"; }
  app_after=$(app_ticks); pg_after=$(pg_ticks)
  result=$(awk '$1 == "RESULT"' "$WORK/wrk.txt")
  [ -n "$result" ] || { cat "$WORK/wrk.txt" >&2; fail "no result for $name"; }
  set -- $result
  rps=$2 p50=$3 p95=$4 p99=$5 requests=$6 status_errors=$7 socket_errors=$8 not_created=$9
  if grep -q "Non-2xx or 3xx responses" "$WORK/wrk.txt" || [ "$status_errors" != 0 ]; then
    cat "$WORK/wrk.txt" >&2; fail "$name: $status_errors non-2xx/3xx responses"
  fi
  [ "$requests" -gt 0 ] || { cat "$WORK/wrk.txt" >&2; fail "$name: no request completed"; }
  [ "$socket_errors" = 0 ] || { cat "$WORK/wrk.txt" >&2; fail "$name: $socket_errors socket errors/timeouts"; }
  if [ "$mode" = post ]; then
    [ "$not_created" = 0 ] || { cat "$WORK/wrk.txt" >&2; fail "$name: $not_created POSTs did not create a ticket"; }
    after=$(sql "select count(*) from ticket")
    say "$name: $((after - before)) tickets created (warm-up included)"
  fi
  app_ms=$(per_request_ms "$app_before" "$app_after" "$requests")
  pg_ms=$(per_request_ms "$pg_before" "$pg_after" "$requests")
  say "$name: $rps req/s, p50 $p50 ms, p95 $p95 ms, p99 $p99 ms, $sqls SQL/request, CPU app $app_ms ms + PostgreSQL $pg_ms ms/request"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$rps" "$p50" "$p95" "$p99" "$sqls" \
    "$app_ms" "$pg_ms" "$COMMIT" >>"$ROWS"
}

measure "bare endpoint /healthz (ceiling)" - /healthz
measure "message box (clerk)" "$CLERK_COOKIE" /support/inbox
measure "search by number (clerk)" "$CLERK_COOKIE" "/support/inbox?q=$NUMBER"
measure "full-text search (clerk)" "$CLERK_COOKIE" "/support/inbox?q=$WORD_Q"
measure "agent queue" "$AGENT_COOKIE" /ticketmodelview/list/
measure "ticket list, all tickets (manager)" "$MANAGER_COOKIE" /ticketmodelview/list/
measure "ticket list, regions (supervisor)" "$SUPERVISOR_COOKIE" /ticketmodelview/list/
words_row() {  # words_row <name> <word> <matches> <first match's number>
  [ -n "$4" ] || fail "«$2» matches no ticket"
  path="/ticketmodelview/list/?_flt_9_subject=$("$PY" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$2")"
  # The list shows the matches, oldest last activity first: the first must be on the page,
  # in either digits, or the filter did not run.
  curl -fsS -H "Cookie: $MANAGER_COOKIE" -o "$WORK/words.html" "$BASE$path" || fail "GET $path"
  grep -q -e "$4" -e "$(printf '%s' "$4" | sed 'y/0123456789/۰۱۲۳۴۵۶۷۸۹/')" "$WORK/words.html" \
    || fail "ticket $4, matching «$2», is not on $path"
  measure "$1 «$2», manager's list ($3 tickets)" "$MANAGER_COOKIE" "$path"
}
words_row "rare word" "$RARE" "$RARE_MATCHES" "$RARE_FIRST"
words_row "uncommon word" "$UNCOMMON" "$UNCOMMON_MATCHES" "$UNCOMMON_FIRST"
measure "ticket page (clerk)" "$CLERK_COOKIE" "/support/tickets/$NUMBER"
measure "ticket page (agent)" "$AGENT_COOKIE" "/support/tickets/$NUMBER"
measure "ticket creation, 1 PDF (clerk)" "$CLERK_COOKIE" /support/new post
# Leave the database at N tickets for the next run (messages, files' rows, history and search
# rows go with them: ON DELETE CASCADE).
REMOVED=$(sql "with gone as (delete from ticket where idempotency_key like 'bench-%' returning 1)
               select count(*) from gone")
say "removed the $REMOVED tickets the creation scenario registered"

# --- the table ----------------------------------------------------------------------------
mkdir -p "$ROOT/bench/results"
OUT="$ROOT/bench/results/$(date -u +%Y-%m-%d)-$N.md"
{
  echo "# Hamrah Support benchmark, $TICKETS tickets"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT, PostgreSQL database $DB_NAME,"
  echo "gunicorn -w 2 on 127.0.0.1, wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up),"
  echo "$(nproc 2>/dev/null || echo '?') CPU cores shared by the app, PostgreSQL and wrk."
  echo "Clerk $CLERK, agent $AGENT, manager $MANAGER, supervisor $SUPERVISOR, ticket $NUMBER, search word «$WORD»."
  echo "Words in the manager's list: «$RARE» matches $RARE_MATCHES tickets, «$UNCOMMON» $UNCOMMON_MATCHES."
  echo "Load average before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')."
  echo
  echo "| scenario | requests/s | p50 ms | p95 ms | p99 ms | SQL statements/request | app CPU ms/request | PostgreSQL CPU ms/request | commit |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  cat "$ROWS"
} >"$OUT"
cat "$OUT"
say "written to ${OUT#$ROOT/}"

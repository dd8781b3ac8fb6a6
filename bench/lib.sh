# Shared by bench/run.sh and bench/cluster.sh (sourced once ROOT is set): the run's settings,
# messages, wrk, choosing who and what to measure, signing in, and CPU time per request.
# Each script keeps what is its own: its server(s), its scenarios and its table.

DURATION="${BENCH_DURATION:-10s}"
WARMUP="${BENCH_WARMUP:-2s}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
SEED="${BENCH_SEED:-7}"
PY="$ROOT/.venv/bin/python"
FLASK="$ROOT/.venv/bin/flask"

fail() { echo "bench: FAILED: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

need_wrk() {  # wrk from Debian's package, installed when missing (as root)
  command -v wrk >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || fail "wrk is not installed: sudo apt-get install -y wrk"
  say "installing wrk (Debian package)"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
}

export_bench_settings() {  # the app as the benchmark runs it: statement counts on, limits off
  export SQL_COUNT_HEADER=1 RATELIMIT_ENABLED=false
  export TICKET_RATE_LIMIT="1000000 per second" REPLY_RATE_LIMIT="1000000 per second"
  export AUTH_RATE_LIMIT="1000000 per second" LOGIN_FAILURE_LIMIT="1000000 per second"
}

prewarm() {  # read every table and index once (into the OS page cache); needs sql()
  # A production server has its working set in memory; a freshly generated or restored
  # database has not: the scenarios should measure the application, not the first disk reads.
  if sql "CREATE EXTENSION IF NOT EXISTS pg_prewarm" >/dev/null 2>&1; then
    BLOCKS=$(sql "select sum(pg_prewarm(c.oid, 'read')) from pg_class c
                  join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'public' and c.relkind in ('r', 'i', 't')")
    say "read $BLOCKS blocks of tables and indexes into the page cache"
  else
    say "pg_prewarm is not available: the first requests will read from disk"
  fi
}

# Who and what to measure: the busiest generated office (clerk-<code>-1), its newest generated
# ticket, and the first agent of that ticket's department (agent-<department id>-1), so every
# page shows real rows. Needs sql().
busiest_office() {
  OFFICE_CODE=$(sql "select o.code from ticket t join office o on o.id = t.office_id
                     where o.code >= '3001' group by o.code order by count(*) desc, o.code limit 1")
  [ -n "$OFFICE_CODE" ] || fail "no generated tickets found"
}
generated() {  # generated <offset>: number|department|tracking|national id|subject
  sql "select t.number, t.department_id, coalesce(t.tracking_number, ''),
              coalesce(t.national_id, ''), t.subject
       from ticket t join office o on o.id = t.office_id
       where o.code = '$OFFICE_CODE' and t.idempotency_key is null
       order by t.id desc limit 1 offset $1"
}

csrf_of() { sed -n 's/.*name="csrf_token"[^>]*value="\([^"]*\)".*/\1/p' "$1" | head -n1; }

login() {  # login <user> <base url>: prints the Cookie header value (needs WORK)
  jar="$WORK/$1.jar"
  curl -fsS -c "$jar" -b "$jar" -o "$WORK/$1.login.html" "$2/login/" || fail "GET /login/"
  token=$(csrf_of "$WORK/$1.login.html")
  [ -n "$token" ] || fail "no csrf_token on /login/"
  code=$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' \
    --data-urlencode "username=$1" --data-urlencode "password=$1" --data-urlencode "csrf_token=$token" \
    "$2/login/")
  case "$code" in  # a refused sign-in also redirects: back to /login/
    302*/login/*|302) fail "login as $1 failed ($code)";; 302*) ;; *) fail "login as $1 answered $code";; esac
  session=$(awk '$6 == "session" { print $7 }' "$jar" | tail -n1)
  [ -n "$session" ] || fail "no session cookie for $1"
  printf 'session=%s' "$session"
}

bench_commit() {  # bench_commit <paths...>: the commit measured, "+local-changes" when dirty
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  git diff --quiet HEAD -- "$@" 2>/dev/null || commit="$commit+local-changes"
  printf '%s' "$commit"
}

# CPU seconds (user + system) of groups of processes, from /proc: with the requests of a run
# they say where a page's time goes. Nothing (and "-" per request) where /proc or the
# processes are not readable (PostgreSQL on another host, another OS).
TICK=$(getconf CLK_TCK 2>/dev/null || echo 100)
cpu_ticks() {  # cpu_ticks <pids...>: summed utime+stime in clock ticks, or nothing
  for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done |
    awk '{ sub(/^.*\) /, ""); s += $12 + $13; n++ } END { if (n) print s }'
}
pg_ticks() { cpu_ticks $(pgrep -x postgres 2>/dev/null); }
per_request_ms() {  # per_request_ms <ticks before> <ticks after> <requests>
  # "-" also when the sum went down: a process of the group exited during the run
  # (PostgreSQL's backends of other clients come and go).
  if [ -n "$1" ] && [ -n "$2" ] && [ "$3" -gt 0 ] && [ "$2" -ge "$1" ]; then
    awk -v a="$1" -v b="$2" -v n="$3" -v t="$TICK" 'BEGIN { printf "%.1f", (b - a) * 1000 / t / n }'
  else
    printf -- "-"
  fi
}

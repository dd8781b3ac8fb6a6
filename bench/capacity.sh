#!/bin/sh
# Hamrah Support capacity measurement: sh bench/capacity.sh [N ...]   (default: 100000 1000000)
#
# Fills ONE PostgreSQL database step by step with `hamrah generate` (the same COPY load as
# bench/run.sh: tickets with their messages, attachment rows, status history, ratings,
# related cases and search rows) and after each step runs VACUUM ANALYZE and prints, as
# Markdown: rows per table and per ticket, each table's heap/TOAST/index bytes, each index's
# bytes, the database size, bytes per ticket, the attachment file volume the rows describe,
# and the WAL written by the load. Compare the steps: bytes per ticket that stay the same
# mean sizes grow linearly with the ticket count (docs/capacity.md extrapolates from them).
#
# The database must hold no tickets (a fresh one): CAPACITY_DATABASE_URL, default
# postgresql+psycopg://postgres@127.0.0.1:5432/hamrah_capacity, created when missing and
# left in place (drop it yourself: dropdb hamrah_capacity). Step k generates with seed
# CAPACITY_SEED + k - 1 (default 1). Write the output where you like:
#   sh bench/capacity.sh 100000 1000000 | tee /tmp/capacity.md
# The WAL figure is pg_current_wal_lsn() before and after the load: cluster-wide, so it
# counts other databases' writes of the same minutes too (the script prints their sessions).
# The WAL of the app's own write path, per ticket lifecycle: bench/capacity_wal.py.
# Results and what they mean: docs/capacity-measurements.md, docs/capacity.md.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
[ $# -gt 0 ] || set -- 100000 1000000
for n in "$@"; do
  case "$n" in ''|*[!0-9]*) echo "usage: sh bench/capacity.sh [N ...]" >&2; exit 2;; esac
done
DB_URL="${CAPACITY_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/hamrah_capacity}"
SEED="${CAPACITY_SEED:-1}"
FLASK="$ROOT/.venv/bin/flask"
PY="$ROOT/.venv/bin/python"
fail() { echo "capacity: FAILED: $*" >&2; exit 1; }
say() { echo "capacity: $*" >&2; }
[ -x "$FLASK" ] || fail ".venv missing: run 'sh scripts/setup.sh' first"
command -v psql >/dev/null 2>&1 || fail "psql is not installed (postgresql-client)"

unset HAMRAH_ENV
export DATABASE_URL="$DB_URL"
export SECRET_KEY="${SECRET_KEY:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}"
PG_URL=$(printf '%s' "$DB_URL" | sed -e 's#^postgresql+[a-z0-9]*://#postgresql://#')
DB_NAME=$(printf '%s' "$PG_URL" | sed -e 's#.*/##' -e 's#?.*##')
sql() { psql "$PG_URL" -X -qAt -v ON_ERROR_STOP=1 -c "$1"; }
table() {  # table <text columns> <query>: a Markdown table, the columns after the first
  # <text columns> right-aligned (numbers)
  psql "$PG_URL" -X -q -v ON_ERROR_STOP=1 -A -F "$(printf '\t')" -P footer=off -c "$2" |
    awk -F '\t' -v text="$1" '{ line = "|"; for (i = 1; i <= NF; i++) line = line " " $i " |"; print line }
      NR == 1 { line = "|"; for (i = 1; i <= NF; i++) line = line (i <= text ? "---|" : "---:|"); print line }'
}

if ! psql "$PG_URL" -X -qAt -c 'select 1' >/dev/null 2>&1; then
  ADMIN_URL=$(printf '%s' "$PG_URL" | sed -e "s#/$DB_NAME\$#/postgres#")
  say "creating database $DB_NAME"
  psql "$ADMIN_URL" -X -q -c "CREATE DATABASE \"$DB_NAME\"" || fail "cannot create database $DB_NAME"
fi
"$FLASK" --app run hamrah init >/dev/null || fail "hamrah init"
HAVE=$(sql "select count(*) from ticket")
[ "$HAVE" = 0 ] || fail "$DB_NAME already holds $HAVE tickets: measure a fresh database"

COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "# Hamrah Support capacity measurement"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $COMMIT, database $DB_NAME, $(sql 'select version()' | cut -d, -f1),"
echo "$(nproc 2>/dev/null || echo '?') CPU cores; steps: $*; command: sh bench/capacity.sh $*"
echo "Settings: shared_buffers $(sql 'show shared_buffers'), wal_level $(sql 'show wal_level'), \
full_page_writes $(sql 'show full_page_writes'), wal_compression $(sql 'show wal_compression'), \
fillfactor default."

STEP=0
for N in "$@"; do
  STEP=$((STEP + 1))
  HAVE=$(sql "select count(*) from ticket")
  [ "$N" -gt "$HAVE" ] || fail "step $N: the database already holds $HAVE tickets (steps must grow)"
  OTHERS=$(sql "select count(*) from pg_stat_activity where datname is distinct from current_database()
                and backend_type = 'client backend' and state <> 'idle'")
  LSN0=$(sql "select pg_current_wal_lsn()")
  START=$(date +%s)
  say "generating $((N - HAVE)) tickets (seed $((SEED + STEP - 1)))"
  "$FLASK" --app run hamrah generate --tickets "$((N - HAVE))" --seed "$((SEED + STEP - 1))" >&2 \
    || fail "hamrah generate"
  GEN_S=$(( $(date +%s) - START ))
  sql "VACUUM ANALYZE" >/dev/null
  TOTAL_S=$(( $(date +%s) - START ))
  WAL=$(sql "select pg_wal_lsn_diff(pg_current_wal_lsn(), '$LSN0')::bigint")
  T=$(sql "select count(*) from ticket")
  # the tables the generator fills, then every other table of the schema (almost empty)
  ROWS_SQL="select relname, n from (values
      ('ticket', (select count(*) from ticket)), ('message', (select count(*) from message)),
      ('attachment', (select count(*) from attachment)),
      ('status_change', (select count(*) from status_change)),
      ('ticket_search', (select count(*) from ticket_search)),
      ('rating', (select count(*) from rating)),
      ('related_case', (select count(*) from related_case))) v(relname, n)"

  echo
  echo "## $T tickets"
  echo
  echo "Generation $GEN_S s, with VACUUM ANALYZE $TOTAL_S s. WAL written meanwhile (cluster-wide;"
  echo "$OTHERS other active sessions at the start): $WAL bytes = $(sql "select pg_size_pretty($WAL::bigint)")"
  echo "for $((T - HAVE)) tickets = $((WAL / (T - HAVE))) bytes per ticket loaded."
  echo
  echo "### Rows"
  echo
  table 1 "select relname as \"table\", to_char(n, 'FM999,999,999') as rows,
                round(n::numeric / $T, 3) as per_ticket
         from ($ROWS_SQL) r order by n desc"
  echo
  echo "### Tables (bytes; TOAST = total - heap - indexes)"
  echo
  table 1 "select c.relname as \"table\",
                pg_size_pretty(pg_total_relation_size(c.oid)) as total,
                pg_size_pretty(pg_relation_size(c.oid)) as heap,
                pg_size_pretty(pg_total_relation_size(c.oid) - pg_relation_size(c.oid)
                               - pg_indexes_size(c.oid)) as toast,
                pg_size_pretty(pg_indexes_size(c.oid)) as indexes,
                pg_total_relation_size(c.oid) as total_bytes,
                round(pg_total_relation_size(c.oid)::numeric / $T) as total_per_ticket,
                round(pg_relation_size(c.oid)::numeric / $T) as heap_per_ticket,
                round(pg_indexes_size(c.oid)::numeric / $T) as indexes_per_ticket
         from pg_class c join pg_namespace s on s.oid = c.relnamespace
         where s.nspname = 'public' and c.relkind = 'r'
           and pg_total_relation_size(c.oid) >= 1048576
         order by pg_total_relation_size(c.oid) desc"
  echo
  echo "Tables under 1 MB together: $(sql "select pg_size_pretty(coalesce(sum(pg_total_relation_size(c.oid)), 0))
        || ' in ' || count(*) || ' tables' from pg_class c join pg_namespace s on s.oid = c.relnamespace
        where s.nspname = 'public' and c.relkind = 'r' and pg_total_relation_size(c.oid) < 1048576")."
  echo
  echo "### Indexes over 1 MB"
  echo
  table 3 "select i.relname as index, t.relname as \"table\", am.amname as kind,
                pg_size_pretty(pg_relation_size(i.oid)) as size,
                pg_relation_size(i.oid) as bytes,
                round(pg_relation_size(i.oid)::numeric / $T, 1) as per_ticket
         from pg_index x join pg_class i on i.oid = x.indexrelid
         join pg_class t on t.oid = x.indrelid join pg_am am on am.oid = i.relam
         join pg_namespace s on s.oid = t.relnamespace
         where s.nspname = 'public' and pg_relation_size(i.oid) >= 1048576
         order by pg_relation_size(i.oid) desc"
  echo
  echo "### Totals"
  echo
  table 0 "select pg_size_pretty(pg_database_size(current_database())) as database,
                pg_database_size(current_database()) as database_bytes,
                round(pg_database_size(current_database())::numeric / $T) as database_per_ticket,
                (select sum(pg_relation_size(c.oid)) from pg_class c join pg_namespace s
                   on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind = 'r') as heap_bytes,
                (select sum(pg_relation_size(c.oid)) from pg_class c join pg_namespace s
                   on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind = 'i') as index_bytes,
                round((select sum(pg_relation_size(c.oid)) from pg_class c join pg_namespace s
                   on s.oid = c.relnamespace where s.nspname = 'public' and c.relkind = 'i')
                   / $T) as index_per_ticket_bytes"
  echo
  echo "### Attachment files the rows describe (the files themselves are not written)"
  echo
  table 0 "select count(*) as files, pg_size_pretty(sum(size)) as volume,
                round(sum(size)::numeric / $T) as bytes_per_ticket,
                round(avg(size)) as bytes_per_file,
                round(count(*)::numeric / $T, 3) as files_per_ticket
         from attachment"
done
say "done; the database $DB_NAME is left in place (dropdb it when finished)"

"""Benchmark data in bulk: `flask --app run hamrah generate --tickets N [--seed S]`.

Realistic tickets over the last two years (their rows: generator_rows), numbers taken from
the ticket counter in one bump, the SLA due times that creation would stamp (app/domain/sla.py
`due_times`, one calendar loaded up front, its days memoized), and the search index filled.

The few departments, offices and users go through the ORM and are reused by later runs;
the bulk goes with COPY on PostgreSQL, chunks made and loaded by one process per core,
and with executemany on SQLite; one transaction per chunk. Ids are assigned here, in a
band per chunk (so gaps), and the sequences moved past them at the end: run it while
nobody else creates tickets.
"""
import os
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing import get_context

from flask import current_app
from sqlalchemy import text, update

from app.cli.generator_data import Cast, prepare_cast
from app.cli.generator_rows import COLUMNS, SEARCH_COLUMNS, SPAN, DueTimes, RowFactory
from app.domain.numbering import COUNTER, ensure_counter
from app.domain.sla import load_calendar
from app.models import TicketCounter
from app.models.base import utcnow
from app.models.search import SEARCH_TABLE

CHUNK = 20_000
DUE_SPAN = timedelta(days=400)  # due times this far ahead are bisected; beyond, computed


def _may_skip_triggers(conn) -> bool:
    """May the load skip per-row foreign-key checks? Superuser, and no triggers of our own.

    With session_replication_role = replica the RI triggers do not fire: the data is
    consistent by construction and the checks would double PostgreSQL's share of the load.
    Nothing is dropped or disabled for anyone else.
    """
    with conn.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal "
                    "AND tgrelid::regclass::text = ANY(%s)", ([*COLUMNS, SEARCH_TABLE],))
        ours = cur.fetchone()[0]
    conn.commit()
    return bool(superuser) and ours == 0


def _column_types(conn) -> dict:
    """Type oids of the columns we COPY, read from the database itself (binary COPY needs them)."""
    types = {}
    with conn.cursor() as cur:
        for table, columns in COLUMNS.items():
            cur.execute("SELECT attname, atttypid FROM pg_attribute "
                        "WHERE attrelid = %s::regclass AND attnum > 0", (table,))
            oids = dict(cur.fetchall())
            types[table] = [oids[column] for column in columns]
    conn.commit()
    return types


def _write_postgres(conn, rows: dict, plan: "_Plan") -> None:
    """Binary COPY (cheap on both sides) per table; the tsvectors go as text."""
    with conn.cursor() as cur:
        cur.execute("SET LOCAL synchronous_commit TO off")
        cur.execute("SET LOCAL gin_pending_list_limit TO '64MB'")  # fewer, larger GIN merges
        if plan.replica:
            cur.execute("SET LOCAL session_replication_role TO replica")
        for table, columns in COLUMNS.items():
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(plan.types[table])
                for row in rows[table]:
                    copy.write_row(row)
        with cur.copy(f"COPY {SEARCH_TABLE} ({', '.join(SEARCH_COLUMNS)}) FROM STDIN") as copy:
            for row in rows["search"]:
                copy.write_row(row)
    conn.commit()


def _finish_postgres(conn, echo) -> None:
    """Sequences past our ids; VACUUM sets hint bits and the visibility map (index-only
    scans, no first-read writes), merges the GIN pending list and refreshes statistics."""
    with conn.cursor() as cur:
        for table in COLUMNS:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))")
    conn.commit()
    echo("  vacuuming and analysing")
    conn.autocommit = True
    try:
        conn.execute(f"VACUUM (ANALYZE) {', '.join([*COLUMNS, SEARCH_TABLE])}")
    finally:
        conn.autocommit = False


def _sqlite_value(value):
    if isinstance(value, datetime):  # SQLAlchemy's storage format
        return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"
    return value


def _write_sqlite(conn, rows: dict) -> None:
    for table, columns in COLUMNS.items():
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                         [tuple(map(_sqlite_value, row)) for row in rows[table]])
    # REPLACE: rows of tickets deleted by bulk SQL may linger under a reused id
    conn.executemany(f"INSERT OR REPLACE INTO {SEARCH_TABLE} (rowid, document) VALUES (?, ?)",
                     rows["search"])
    conn.commit()


# Most rows one ticket can have per table: each chunk gets its own band of ids.
ID_BANDS = {"ticket": 1, "related_case": 3, "message": 6, "attachment": 6, "status_change": 8,
            "rating": 1}


@dataclass
class _Plan:
    cast: Cast
    seed: object
    now: datetime
    tickets: int
    chunk: int
    first_number: int
    first_ids: dict
    postgres: bool
    due: DueTimes
    replica: bool = False
    types: dict | None = None
    url: str = ""


_PLAN: _Plan | None = None  # handed to the forked workers


def _load(plan: _Plan, index: int, dbapi) -> dict:
    """Make chunk `index` and write it in one transaction; returns its row counts."""
    start = index * plan.chunk
    stop = min(plan.tickets, start + plan.chunk)
    ids = {t: first + index * plan.chunk * ID_BANDS[t] for t, first in plan.first_ids.items()}
    limits = {t: ids[t] + plan.chunk * ID_BANDS[t] for t in ids}
    seed = None if plan.seed is None else f"{plan.seed}-{index}"
    factory = RowFactory(plan.cast, seed, plan.now, plan.tickets, plan.first_number, ids,
                         plan.due)
    rows = factory.chunk(start, stop)
    if any(ids[t] > limits[t] for t in ids):
        raise RuntimeError("a chunk used more ids than its band (see ID_BANDS)")
    if plan.postgres:
        _write_postgres(dbapi, rows, plan)
    else:
        _write_sqlite(dbapi, rows)
    return factory.counts


@contextmanager
def _driver_connection(engine):
    """The DBAPI connection itself (psycopg or sqlite3), from and back to the pool."""
    raw = engine.raw_connection()
    try:
        yield raw.driver_connection
    finally:
        raw.close()


def _load_in_worker(index: int) -> dict:
    import psycopg

    with psycopg.connect(_PLAN.url) as connection:
        return _load(_PLAN, index, connection)


def generate(session, tickets: int, seed=None, echo=print, workers=None, chunk=CHUNK) -> dict:
    """Add `tickets` tickets with everything around them; returns row counts and seconds."""
    global _PLAN
    started = time.monotonic()
    cast = prepare_cast(session)
    ensure_counter(session, current_app.config["TICKET_NUMBER_START"])
    last_number = session.execute(
        update(TicketCounter).where(TicketCounter.name == COUNTER)
        .values(value=TicketCounter.value + tickets).returning(TicketCounter.value)).scalar_one()
    first_ids = {t: session.scalar(text(f"SELECT coalesce(max(id), 0) FROM {t}")) + 1
                 for t in COLUMNS}
    session.commit()
    echo(f"{len(cast.offices)} offices, {len(cast.agents)} departments, "
         f"{sum(len(o[3]) for o in cast.offices)} clerks ready ({time.monotonic() - started:.1f} s)")
    engine = session.get_bind()
    now = utcnow()
    due = DueTimes(load_calendar(session), (now - SPAN).date() - timedelta(days=2),
                   now.date() + DUE_SPAN)  # SLA due times, as real creation stamps them
    plan = _Plan(cast, seed, now, tickets, chunk, last_number - tickets + 1, first_ids,
                 postgres=engine.dialect.name == "postgresql", due=due)
    chunks = range((tickets + chunk - 1) // chunk)
    workers = min(workers or os.cpu_count() or 1, len(chunks)) if plan.postgres else 1
    session.close()
    if plan.postgres:
        with _driver_connection(engine) as conn:
            plan.replica, plan.types = _may_skip_triggers(conn), _column_types(conn)
        plan.url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    counts = dict.fromkeys(list(COLUMNS) + ["search"], 0)

    def report(chunk_counts):
        for table, n in chunk_counts.items():
            counts[table] += n
        echo(f"  {counts['ticket']:>9,} / {tickets:,} tickets  {time.monotonic() - started:7.1f} s")

    if workers > 1:
        _PLAN = plan
        engine.dispose()  # forked workers must not inherit pooled connections
        try:
            with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool:
                for chunk_counts in pool.map(_load_in_worker, chunks):
                    report(chunk_counts)
        finally:
            _PLAN = None
    else:
        with _driver_connection(engine) as conn:
            for index in chunks:
                report(_load(plan, index, conn))
    if plan.postgres:
        with _driver_connection(engine) as conn:
            _finish_postgres(conn, echo)
    return dict(counts, seconds=round(time.monotonic() - started, 1))

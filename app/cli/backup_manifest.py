"""What a backup's manifest records so that a restore can prove the copy whole.

`manifest.json` (format 2) holds the size and SHA-256 of the database copy and of every
attachment file copied, the row count of every table, the schema's Alembic heads, the newest
ticket number, the ticket counter and the newest write time. All the database facts are read
in the same snapshot as the copy:

- SQLite: counted in the copy itself, once the online backup API has written it.
- PostgreSQL: counted inside one REPEATABLE READ transaction whose snapshot pg_dump shares
  (`pg_export_snapshot()` + `pg_dump --snapshot`). We chose this over restoring the dump into
  a scratch database and counting there because it needs no CREATEDB privilege, no second copy
  of the data and no extra time beyond the counts themselves, and it counts exactly the rows
  pg_dump writes: both read the one exported snapshot.
"""
import hashlib
import os
import shutil
import subprocess
from datetime import datetime

import click
from sqlalchemy import text

FORMAT = 2
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
ATTACHMENTS = "attachments"

# The columns application servers (and `hamrah notify`) stamp on every write they make: the
# newest of them is the backup's "newest write" and, on the live database, tells a restore
# whether servers are still writing. (outbox_message.next_attempt_at is a future time.)
WRITE_TIMES = (("ticket", "created_at"), ("ticket", "updated_at"), ("ticket", "last_activity_at"),
               ("message", "created_at"), ("audit_event", "created_at"),
               ("outbox_message", "created_at"), ("outbox_message", "sent_at"))


def file_entry(path: str) -> dict:
    with open(path, "rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return {"size": os.path.getsize(path), "sha256": digest}


def as_time(value) -> datetime | None:
    """A stored timestamp (SQLite gives text, PostgreSQL a naive UTC datetime)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def newest_write(scalar, tables) -> datetime | None:
    """The newest of WRITE_TIMES among `tables`; `scalar(sql)` runs one statement."""
    stamps = [as_time(scalar(f'SELECT max("{column}") FROM "{table}"'))
              for table, column in WRITE_TIMES if table in tables]
    stamps = [stamp for stamp in stamps if stamp is not None]
    return max(stamps) if stamps else None


def database_facts(scalar, rows, tables) -> dict:
    """Row counts, heads, newest ticket number, counter and newest write, by `scalar(sql)` and
    `rows(sql)` in one snapshot."""
    facts = {"tables": {name: int(scalar(f'SELECT count(*) FROM "{name}"')) for name in tables}}
    facts["migration_heads"] = (sorted(row[0] for row in rows("SELECT version_num FROM alembic_version"))
                                if "alembic_version" in tables else [])
    facts["newest_ticket_number"] = scalar("SELECT max(number) FROM ticket") if "ticket" in tables \
        else None
    facts["ticket_counter"] = scalar("SELECT value FROM ticket_counter WHERE name = 'ticket_number'") \
        if "ticket_counter" in tables else None
    newest = newest_write(scalar, tables)
    facts["newest_write_at"] = newest.isoformat() if newest else None
    return facts


def sqlite_tables(connection) -> list[str]:
    """Ordinary tables (FTS5's shadow tables included; the virtual table itself is not, so the
    check needs no FTS5 module)."""
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
    return sorted(row[0] for row in rows)


def sqlite_facts(connection) -> dict:
    """The facts of a sqlite3 connection (the copy, opened read-only)."""
    return database_facts(lambda sql: connection.execute(sql).fetchone()[0],
                          lambda sql: connection.execute(sql).fetchall(),
                          sqlite_tables(connection))


def pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(
            f"{name} is not on PATH. Install the PostgreSQL client tools of the server's major "
            "version (Debian: postgresql-client) or follow the manual procedure in README.")
    return path


def last_line(stderr: bytes) -> str:
    lines = [line for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no message"


def pg_dump_with_facts(engine, target: str, env: dict, path: str) -> dict:
    """pg_dump and the manifest's counts from one exported snapshot (see the module's doc)."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        with connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            schema = connection.execute(text("SELECT current_schema()")).scalar_one()
            tables = sorted(connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = :schema"),
                {"schema": schema}).scalars())
            facts = database_facts(lambda sql: connection.execute(text(sql)).scalar(),
                                   lambda sql: connection.execute(text(sql)).all(), tables)
            done = subprocess.run(
                [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={path}", target],
                env=env, capture_output=True)
            if done.returncode != 0:
                raise click.ClickException(f"pg_dump failed: {last_line(done.stderr)}")
    facts["schema"] = schema
    return facts


def copy_files(source: str, target: str) -> dict:
    """Copy the finished files (not `.part` writes in progress) of `source`; their entries,
    read from the copies."""
    os.makedirs(target, exist_ok=True)
    entries = {}
    for name in sorted(os.listdir(source)):
        path = os.path.join(source, name)
        if os.path.isfile(path) and not name.endswith(".part"):
            try:
                shutil.copy2(path, os.path.join(target, name))
            except FileNotFoundError:  # deleted meanwhile with its ticket
                continue
            entries[name] = file_entry(os.path.join(target, name))
    return entries

"""What `hamrah restore` finds in the live database: servers still writing, data a restore
would lose, ticket numbers it must not hand out twice, files it leaves without rows.

Servers still writing are detected from recent writes, not from a maintenance flag: the
newest of the write stamps (`backup_manifest.WRITE_TIMES`: tickets, messages, audit events,
outbox rows queued or sent) must be older than a quiet period (60 s by default). A flag only
proves that someone set it, and every server would have to read it on every request before
it proved anything; the write stamps show what the harm depends on, rows written that the
restore would throw away, whichever server or `hamrah notify` wrote them. A server that is
up but idle writes nothing a restore can lose; restart the servers after a restore all the
same, so that no worker keeps cached rows of the replaced data.

The ticket counter is never moved back: after the restore it is set to at least the highest
number the live database had handed out, so a ticket lost by the restore never shares its
number (already given to a clerk) with a new one.
"""
from datetime import datetime

import click
from sqlalchemy import DateTime, bindparam, inspect, text

from app.cli.backup_manifest import as_time, newest_write
from app.models.base import utcnow


def live_tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def refuse_while_writing(engine, tables: set[str], quiet_seconds: int, now: datetime | None = None):
    with engine.connect() as connection:
        newest = newest_write(lambda sql: connection.execute(text(sql)).scalar(), tables)
    if newest is None:
        return
    age = ((now or utcnow()) - newest).total_seconds()
    if age < quiet_seconds:
        raise click.ClickException(
            f"The live database was written {max(age, 0):.0f} s ago, within the quiet period of "
            f"{quiet_seconds} s, so servers are still writing: stop the application servers and "
            "`hamrah notify`, then run the restore again (or set --quiet-seconds).")


def highest_number(engine, tables: set[str]) -> int | None:
    """The highest ticket number the live database has handed out (counter or tickets)."""
    if not {"ticket", "ticket_counter"} <= tables:
        return None
    with engine.connect() as connection:
        counter = connection.execute(text(
            "SELECT value FROM ticket_counter WHERE name = 'ticket_number'")).scalar()
        newest = connection.execute(text("SELECT max(number) FROM ticket")).scalar()
    values = [value for value in (counter, newest) if value is not None]
    return max(values) if values else None


def loss_sentence(engine, tables: set[str], manifest: dict) -> str | None:
    """What the live database holds that the backup does not, in one sentence (or None)."""
    if not {"ticket", "message"} <= tables:
        return None
    newest_number = manifest["newest_ticket_number"] or 0
    since = as_time(manifest["newest_write_at"]) or datetime(1970, 1, 1)
    stamp = bindparam("since", since, type_=DateTime())
    with engine.connect() as connection:
        tickets, first, last = connection.execute(text(
            "SELECT count(*), min(number), max(number) FROM ticket WHERE number > :number"),
            {"number": newest_number}).one()
        messages = connection.execute(text(
            "SELECT count(*) FROM message WHERE created_at > :since").bindparams(stamp)).scalar()
        changed = connection.execute(text(
            "SELECT count(*) FROM ticket WHERE number <= :number AND updated_at > :since")
            .bindparams(stamp), {"number": newest_number}).scalar()
    if not (tickets or messages or changed):
        return None
    parts = []
    if tickets:
        span = f"{first}" if first == last else f"{first}–{last}"
        parts.append(f"{_many(tickets, 'ticket')} newer than this backup ({span})")
    if messages:
        parts.append(f"{_many(messages, 'message')} written after it")
    if changed:
        parts.append(f"{_many(changed, 'older ticket')} changed after it")
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"The live database has {listed}; they will be lost."


def _many(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def keep_counter_ahead(engine, highest: int | None) -> None:
    if highest is None:
        return
    with engine.begin() as connection:
        connection.execute(text("UPDATE ticket_counter SET value = :value "
                                "WHERE name = 'ticket_number' AND value < :value"), {"value": highest})


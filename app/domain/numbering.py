"""Human ticket numbers: unique, increasing, starting at TICKET_NUMBER_START; gaps are fine.

One counter row is bumped with `UPDATE ... RETURNING`, which both PostgreSQL (row lock)
and SQLite (database write lock) serialise, so concurrent creates never share a number.
"""
from flask import current_app
from sqlalchemy import insert, select, update

from app.models import TicketCounter

COUNTER = "ticket_number"


def ensure_counter(session, start: int) -> None:
    if session.get(TicketCounter, COUNTER) is None:
        session.execute(insert(TicketCounter).values(name=COUNTER, value=start - 1))


def next_ticket_number(session) -> int:
    stmt = (
        update(TicketCounter)
        .where(TicketCounter.name == COUNTER)
        .values(value=TicketCounter.value + 1)
        .returning(TicketCounter.value)
    )
    number = session.execute(stmt).scalar()
    if number is None:
        ensure_counter(session, current_app.config["TICKET_NUMBER_START"])
        number = session.execute(stmt).scalar_one()
    return int(number)


def peek_next(session) -> int | None:
    value = session.scalar(select(TicketCounter.value).where(TicketCounter.name == COUNTER))
    return None if value is None else value + 1

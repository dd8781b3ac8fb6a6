"""One writer per ticket at a time.

Every write that changes a ticket's status or thread (replies from either side, notes,
close, reopen, first look, transfer, assignment, link, merge, rating) first takes the
ticket's lock, then reads the ticket again, and keeps the lock until its transaction ends.
Two replies at once therefore run one after the other, each seeing the status the other
left, so the status history is a chain and the ticket's status is its last row's `to`.

Which lock, and why:
- PostgreSQL: a row lock (`SELECT ... FOR UPDATE`). It holds only this ticket's writers;
  readers and other tickets are not held back.
- SQLite: its database write lock, taken at once by a write that changes nothing. pysqlite
  opens a transaction only at the first write, so without this two writers would both read
  the old status and the second would fail or write a stale transition. SQLite has one
  writer at a time anyway; this only makes it take the lock before reading.
A version column with retries would work on both, but every caller would need a retry loop
for what the databases already do.
"""
import weakref

from sqlalchemy import select, update
from sqlalchemy.orm import scoped_session

from app.models import Ticket

# Tickets already locked by a transaction: a second call in it costs nothing.
_LOCKED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def lock_ticket(session, *tickets: Ticket) -> None:
    """Lock the tickets (in id order, so two writers never wait for each other) and refresh
    them in place from the database. Pending changes are flushed first (autoflush)."""
    if isinstance(session, scoped_session):  # Flask-SQLAlchemy's proxy: this thread's session
        session = session()
    transaction = session.get_transaction() or session.begin()
    done = _LOCKED.setdefault(transaction, set())
    ids = sorted({t.id for t in tickets} - done)
    if not ids:
        return
    if session.get_bind().dialect.name == "sqlite":
        table = Ticket.__table__
        session.execute(update(table).where(table.c.id.in_(ids)).values(status=table.c.status))
        statement = select(Ticket).where(Ticket.id.in_(ids))
    else:
        statement = select(Ticket).where(Ticket.id.in_(ids)).order_by(Ticket.id).with_for_update()
    session.scalars(statement.execution_options(populate_existing=True)).all()
    done.update(ids)

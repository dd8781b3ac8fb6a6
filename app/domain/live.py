"""What a live ticket page polls for: the ticket's version in one cheap statement.

The version (last message the reader may see, status, last update) is read through the
reader's ticket scope (app/domain/access.py), so a ticket out of scope has no version and
the poll answers 404 like the page. The statement is kept per scope and per "reads notes"
(a clerk's version ignores internal notes, so a note never changes what a clerk polls).
State lives only in the database: any worker on any node answers any poll.
"""
import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select

from app.domain.access import scope_criterion, ticket_scope
from app.domain.roles import reads_notes
from app.models import Message, Ticket


@dataclass(frozen=True)
class TicketVersion:
    ticket_id: int
    number: int
    status: str
    updated_at: datetime
    last_message_id: int

    def tag(self) -> str:
        """The parts of the ETag that come from the ticket."""
        return f"{self.ticket_id}.{self.last_message_id}.{self.status}.{self.updated_at.isoformat()}"


def ticket_version(session, user, number: int) -> TicketVersion | None:
    statement = _version_statement(ticket_scope(user), reads_notes(user))
    row = session.execute(statement, {"number": number}).first()
    if row is None:
        return None
    return TicketVersion(row.id, row.number, row.status, row.updated_at, row.last_id or 0)


def version_of(ticket, thread) -> TicketVersion:
    """The version of a page already rendered from `ticket` and its visible `thread`
    (no statement): the page carries it, so its first poll is already a 304."""
    return TicketVersion(ticket.id, ticket.number, ticket.status, ticket.updated_at,
                         max((m.id for m in thread), default=0))


@functools.lru_cache(maxsize=1024)
def _version_statement(scope: tuple, notes: bool):
    last = select(func.max(Message.id)).where(Message.ticket_id == Ticket.id)
    if not notes:
        last = last.where(Message.is_internal.is_(False))
    return (select(Ticket.id, Ticket.number, Ticket.status, Ticket.updated_at,
                   last.correlate(Ticket).scalar_subquery().label("last_id"))
            .where(scope_criterion(scope), Ticket.number == bindparam("number")))


@dataclass(frozen=True)
class RowState:
    number: int
    status: str
    unread_answer: bool
    updated_at: datetime


def row_states(session, user, numbers: list[int]) -> list[RowState]:
    """The status of the message box's rows (at most a page of numbers), through the scope."""
    if not numbers:
        return []
    statement = _rows_statement(ticket_scope(user))
    rows = session.execute(statement, {"numbers": sorted(set(numbers))})
    return [RowState(r.number, r.status, bool(r.unread_answer), r.updated_at) for r in rows]


@functools.lru_cache(maxsize=1024)
def _rows_statement(scope: tuple):
    return (select(Ticket.number, Ticket.status, Ticket.unread_answer, Ticket.updated_at)
            .where(scope_criterion(scope), Ticket.number.in_(bindparam("numbers", expanding=True)))
            .order_by(Ticket.number))

"""A ticket's thread as a given reader may see it: oldest first, internal notes for staff and
supervisors only."""
import functools

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.domain.roles import CLERK, is_staff, reads_notes, role_names
from app.domain.ticket_lock import lock_ticket
from app.models import Message


def thread_messages(session, ticket, reader) -> list[Message]:
    statement = _thread_statement(reads_notes(reader))
    return list(session.scalars(statement, {"ticket_id": ticket.id}).unique())


@functools.cache
def _thread_statement(staff: bool):
    """Built once for note readers and once for clerks; the ticket id is bound at each execution."""
    stmt = select(Message).where(Message.ticket_id == bindparam("ticket_id")).options(
        joinedload(Message.author), joinedload(Message.attachments))
    if not staff:
        stmt = stmt.where(Message.is_internal.is_(False))
    return stmt.order_by(Message.created_at, Message.id)


def mark_opened(session, ticket, reader) -> None:
    """Support's first look marks a New ticket Read; the clerk's look marks the answer seen.
    A supervisor's look changes nothing: they only read (and the answer is the clerk's to see)."""
    from app.domain import status as status_machine
    from app.models import TicketStatus

    if is_staff(reader):
        if ticket.status == TicketStatus.NEW.value:
            lock_ticket(session, ticket)  # two agents opening it at once: one moves it
            if ticket.status == TicketStatus.NEW.value:
                status_machine.apply_event(session, ticket, status_machine.Event.AGENT_OPENED,
                                           reader)
            session.commit()
    elif ticket.unread_answer and CLERK in role_names(reader):
        ticket.unread_answer = False
        session.commit()


def messages_after(session, ticket_id: int, reader, after_id: int) -> list[Message]:
    """The messages `reader` may see that came after the one with id `after_id` (ids grow)."""
    statement = _after_statement(reads_notes(reader))
    return list(session.scalars(statement, {"ticket_id": ticket_id, "after_id": after_id}).unique())


@functools.cache
def _after_statement(staff: bool):
    return _thread_statement(staff).where(Message.id > bindparam("after_id"))

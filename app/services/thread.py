"""A ticket's thread as a given reader may see it: oldest first, internal notes for staff only."""
from sqlalchemy import select

from app.models import Message
from app.services.roles import is_staff


def thread_messages(session, ticket, reader) -> list[Message]:
    stmt = select(Message).where(Message.ticket_id == ticket.id)
    if not is_staff(reader):
        stmt = stmt.where(Message.is_internal.is_(False))
    return list(session.scalars(stmt.order_by(Message.created_at, Message.id)))

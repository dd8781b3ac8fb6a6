"""The ticket status machine, as data, enforced in one place.

Every transition goes through `apply_event`, which refuses anything not in the
table and writes the status history in the same transaction.
"""
import enum

from flask_babel import lazy_gettext as _l

from app.domain.errors import DomainError
from app.domain.ticket_lock import lock_ticket
from app.models import StatusChange, Ticket, TicketStatus
from app.models.base import utcnow

S = TicketStatus


class Event(str, enum.Enum):
    AGENT_OPENED = "agent_opened"
    AGENT_REPLIED = "agent_replied"
    CLERK_REPLIED = "clerk_replied"
    CLOSED = "closed"
    REOPENED = "reopened"


# (current status, event) -> next status. Missing pairs are refused.
TRANSITIONS: dict[tuple[TicketStatus, Event], TicketStatus] = {
    (S.NEW, Event.AGENT_OPENED): S.READ,
    **{(s, Event.AGENT_REPLIED): S.ANSWERED for s in (S.NEW, S.READ, S.ANSWERED, S.CLERK_REPLIED)},
    (S.NEW, Event.CLERK_REPLIED): S.NEW,
    (S.READ, Event.CLERK_REPLIED): S.READ,
    (S.ANSWERED, Event.CLERK_REPLIED): S.CLERK_REPLIED,
    (S.CLERK_REPLIED, Event.CLERK_REPLIED): S.CLERK_REPLIED,
    (S.CLOSED, Event.CLERK_REPLIED): S.CLERK_REPLIED,
    **{(s, Event.CLOSED): S.CLOSED for s in (S.NEW, S.READ, S.ANSWERED, S.CLERK_REPLIED)},
    (S.CLOSED, Event.REOPENED): S.READ,
}


class IllegalTransition(DomainError):
    message = _l("This action is not possible while the ticket is %(status)s.")


def allowed_events(ticket: Ticket) -> set[Event]:
    current = TicketStatus(ticket.status)
    return {event for (status, event) in TRANSITIONS if status == current}


def apply_event(session, ticket: Ticket, event: Event, actor, note: str | None = None,
                now=None) -> bool:
    """Move `ticket` by `event`; record the change. Returns True when the status changed.

    The ticket is locked and read again first (app/domain/ticket_lock.py), so the status
    moved from is the one the last writer left."""
    lock_ticket(session, ticket)
    current = TicketStatus(ticket.status)
    target = TRANSITIONS.get((current, Event(event)))
    if target is None:
        raise IllegalTransition(status=current.label)
    now = now or utcnow()
    ticket.last_activity_at = now
    if target == current:
        return False
    ticket.status = target.value
    ticket.closed_at = now if target == S.CLOSED else None
    session.add(
        StatusChange(
            ticket=ticket, from_status=current.value, to_status=target.value,
            changed_by_id=getattr(actor, "id", None), changed_at=now, note=note,
        )
    )
    return True

"""The agent queue's quick filters, as one FAB base filter driven by `?quick=`."""
from flask import g, has_request_context, request
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam

from app.models import Ticket, TicketStatus
from app.models.ticket import WAITING_VALUES

S = TicketStatus


def waiting():
    """Tickets waiting for support. The statuses are written into the SQL, not bound: only
    then can PostgreSQL use the partial index ix_ticket_waiting (migration 0010) in a
    prepared statement."""
    return Ticket.status.in_(bindparam("waiting", WAITING_VALUES, expanding=True,
                                       literal_execute=True))


def _criteria(name: str, user):
    if name == "waiting":
        return waiting()
    if name == "unanswered":
        return Ticket.first_answered_at.is_(None) & (Ticket.status != S.CLOSED.value)
    if name == "mine":
        return Ticket.assignee_id == getattr(user, "id", -1)
    if name == "unassigned":
        return Ticket.assignee_id.is_(None) & (Ticket.status != S.CLOSED.value)
    if name == "closed":
        return Ticket.status == S.CLOSED.value
    return None


QUICK_FILTERS = [
    ("waiting", _l("Waiting for answer")),
    ("unanswered", _l("Unanswered")),
    ("mine", _l("Assigned to me")),
    ("unassigned", _l("Unassigned")),
    ("closed", _l("Closed")),
]


class QueueFilter(BaseFilter):
    name = "quick filter"

    def apply(self, query, value):
        if not has_request_context():
            return query
        criterion = _criteria(request.args.get("quick", ""), getattr(g, "user", None))
        return query if criterion is None else query.filter(criterion)

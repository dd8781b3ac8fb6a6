"""The navbar's counters, computed once per page and capped so they cost the same at any size."""
from sqlalchemy import func, select, true

from app.models import Ticket
from app.services import announcements
from app.services.access import ticket_criterion
from app.services.queue import waiting
from app.services.roles import is_staff

CAP = 99


def navbar_counters(session, user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    scope = ticket_criterion(user)

    def count(*criteria) -> int:
        """count(*) over at most CAP+1 rows: "99+" is all a badge needs."""
        inner = select(Ticket.id).where(scope, *criteria).limit(CAP + 1).subquery()
        return int(session.scalar(select(func.count()).select_from(inner)))

    unread = announcements.unread(session, user)
    counters = {"unread_announcements": len(unread),
                "pinned": [item for item in unread if item.pinned][:3]}
    if is_staff(user):
        counters["waiting"] = count(waiting())
    else:
        # `= true`, as the partial index ix_ticket_unread_answer is defined (`IS true` misses it)
        counters["unread_answers"] = count(Ticket.unread_answer == true())
    return counters


def badge_text(value: int) -> str:
    return f"{CAP}+" if value > CAP else str(value)

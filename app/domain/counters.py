"""The navbar's counters: one statement per page, capped so it costs the same at any size."""
import functools

from sqlalchemy import bindparam, func, select, true

from app.domain import announcements
from app.domain.access import scope_criterion, ticket_scope
from app.domain.queue import waiting
from app.domain.roles import watches_queue
from app.infra.sql_inline import inline
from app.models import Ticket

CAP = 99


def navbar_counters(session, user) -> dict:
    """The badge count and the user's announcement reads, in one statement."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    staff = watches_queue(user)  # support and supervisors: tickets waiting for support
    visible = announcements.visible_notices(session, user)
    statement = _statement(ticket_scope(user), staff, tuple(n.id for n in visible))
    row = session.execute(statement, {"reader_id": user.id}).one()
    unread = announcements.unread_among(visible, row[1] if visible else None)
    return {"waiting" if staff else "unread_answers": int(row[0]),
            "unread_announcements": len(unread),
            "pinned": [item for item in unread if item.pinned][:3]}


@functools.lru_cache(maxsize=1024)
def _statement(scope: tuple, staff: bool, announcement_ids: tuple[int, ...]):
    """Kept per scope and announcements: a statement built once is not built, nor its cache
    key computed, again on every page (about half the cost of the counters)."""
    # `= true`, as the partial index ix_ticket_unread_answer is defined (`IS true` misses it)
    criterion = waiting() if staff else Ticket.unread_answer == true()
    capped = (select(Ticket.id).where(scope_criterion(scope), criterion)
              .limit(inline("badge_cap", CAP + 1)).subquery())
    columns = [select(func.count()).select_from(capped).scalar_subquery()]
    if announcement_ids:
        columns.append(announcements.read_ids_column(bindparam("reader_id"), announcement_ids))
    return select(*columns)


def badge_text(value: int) -> str:
    return f"{CAP}+" if value > CAP else str(value)

"""A ticket's history for support: status changes and workspace activities (assigned,
transferred, linked, merged) in one chronological list, read in one statement."""
import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, bindparam, literal, null, select, union_all

from app.models import HamrahUser, StatusChange, TicketActivity
from app.models.user import shown_name

STATUS = "status"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # STATUS, or an activity kind
    from_status: str | None
    to_status: str | None
    detail: str | None
    note: str | None
    actor: str  # the actor's shown name, "" when unknown


def ticket_history(session, ticket_id: int) -> list[HistoryEntry]:
    rows = session.execute(_history_statement(), {"ticket_id": ticket_id})
    return [HistoryEntry(row.at, row.kind, row.from_status, row.to_status, row.detail, row.note,
                         "" if row.username is None else
                         shown_name(row.display_name, row.first_name, row.last_name, row.username))
            for row in rows]


@functools.cache
def _history_statement():
    """Built once (the ticket id is bound at each execution): building this union costs more
    than running it."""
    ticket_id = bindparam("ticket_id")
    user = (HamrahUser.display_name, HamrahUser.first_name, HamrahUser.last_name,
            HamrahUser.username)
    changes = (select(StatusChange.changed_at.label("at"), literal(STATUS, String).label("kind"),
                      StatusChange.from_status, StatusChange.to_status,
                      null().cast(String).label("detail"), StatusChange.note, *user,
                      literal(0).label("source"), StatusChange.id.label("row_id"))
               .outerjoin(HamrahUser, HamrahUser.id == StatusChange.changed_by_id)
               .where(StatusChange.ticket_id == ticket_id))
    activities = (select(TicketActivity.at, TicketActivity.kind,
                         null().cast(String), null().cast(String), TicketActivity.detail,
                         TicketActivity.note, *user, literal(1), TicketActivity.id)
                  .outerjoin(HamrahUser, HamrahUser.id == TicketActivity.actor_id)
                  .where(TicketActivity.ticket_id == ticket_id))
    both = union_all(changes, activities).subquery()
    return select(both).order_by(both.c.at, both.c.source, both.c.row_id)

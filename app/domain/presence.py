"""Who else has a ticket open, or is writing a reply on it (issue 18, item 4).

The support side's live poll (app/views/ticket_live.py) writes a heartbeat: one row per
(ticket, user) in `ticket_presence`, upserted with the state the page reports (viewing or
typing). A row counts while it is younger than `PRESENCE_SECONDS` (two poll intervals and a
little), so a closed tab drops out by itself; leaving the page deletes the row at once. The
rows are in the database, so agents on different workers and nodes see each other.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from app.infra.upsert import upsert_insert
from app.models import HamrahUser, TicketPresence
from app.models.base import utcnow
from app.models.user import shown_name

VIEWING, TYPING = "viewing", "typing"
STATES = (VIEWING, TYPING)


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    state: str


def expiry_seconds(poll_seconds: float) -> float:
    return 2 * poll_seconds + 5


def heartbeat(session, ticket_id: int, user, state: str, *, now: datetime | None = None) -> None:
    """Record that `user` has the ticket open (and whether they are writing), one statement."""
    state = state if state in STATES else VIEWING
    values = {"ticket_id": ticket_id, "user_id": user.id, "state": state,
              "seen_at": now or utcnow()}
    statement = upsert_insert(session, TicketPresence).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=["ticket_id", "user_id"],
        set_={"state": statement.excluded.state, "seen_at": statement.excluded.seen_at})
    session.execute(statement)


def others_present(session, ticket_id: int, user, *, seconds: float,
                   now: datetime | None = None) -> list[Present]:
    """The other people seen on the ticket within `seconds`, writers first, then by name."""
    since = (now or utcnow()) - timedelta(seconds=seconds)
    rows = session.execute(
        select(TicketPresence.user_id, TicketPresence.state, HamrahUser.display_name,
               HamrahUser.first_name, HamrahUser.last_name, HamrahUser.username)
        .join(HamrahUser, HamrahUser.id == TicketPresence.user_id)
        .where(TicketPresence.ticket_id == ticket_id, TicketPresence.user_id != user.id,
               TicketPresence.seen_at >= since))
    people = [Present(r.user_id, shown_name(r.display_name, r.first_name, r.last_name, r.username),
                      r.state) for r in rows]
    return sorted(people, key=lambda p: (p.state != TYPING, p.name))


def leave(session, ticket_id: int, user) -> None:
    session.execute(delete(TicketPresence).where(TicketPresence.ticket_id == ticket_id,
                                                 TicketPresence.user_id == user.id))

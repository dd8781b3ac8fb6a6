"""Who may see which ticket: the one scoping rule every view, API, export and counter uses.

Services load tickets *through* the scoped query, so out of scope is "not found".

- Managers and admins: every ticket.
- Agents: the tickets of their departments.
- Clerks: their office's tickets, or only their own when a manager set the office to
  "own only" (`Office.sharing`).
- Supervisors: the tickets of every office in their regions and the regions below them
  (app/domain/regions.py resolves the regions to office ids from the reference cache, so
  the criterion is `office_id IN (...)`, served by the ticket lists' office index).
A user with several roles sees the union.
"""
import functools

from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import and_, bindparam, false, or_, select, true
from sqlalchemy.orm import joinedload

from app.domain.regions import offices_in_regions, own_only_offices
from app.domain.roles import AGENT, CLERK, SEE_ALL_ROLES, SUPERVISOR, reads_notes, role_names
from app.extensions import db
from app.models import Ticket


def ticket_scope(user) -> tuple:
    """What decides the tickets `user` may see, as a hashable value: users with equal scopes
    see the same tickets, so statements built for one scope can be kept and reused."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_TICKETS
    names = role_names(user)
    if names & SEE_ALL_ROLES:
        return ALL_TICKETS
    departments = tuple(sorted(d.id for d in user.departments)) if AGENT in names else ()
    office = user.office_id if CLERK in names else None
    creator = user.id if office is not None and office in own_only_offices(db.session) else None
    offices = (offices_in_regions(db.session, [r.id for r in user.regions])
               if SUPERVISOR in names else ())
    if not departments and office is None and not offices:
        return NO_TICKETS
    return departments, office, creator, offices


NO_TICKETS = ("none",)
ALL_TICKETS = ("all",)


def ticket_criterion(user):
    """SQL criterion for the tickets `user` may see (the rules in the module docstring)."""
    return scope_criterion(ticket_scope(user))


@functools.lru_cache(maxsize=1024)
def scope_criterion(scope: tuple):
    """The criterion of a `ticket_scope` value (kept: clause elements never change)."""
    if scope == NO_TICKETS:
        return false()
    if scope == ALL_TICKETS:
        return true()
    departments, office, creator, offices = scope
    criteria = []
    if departments:
        criteria.append(Ticket.department_id.in_(departments))
    if office is not None and creator is not None:  # "own only": the office index, then one user
        criteria.append(and_(Ticket.office_id == office, Ticket.creator_id == creator))
    elif office is not None:
        criteria.append(Ticket.office_id == office)
    if offices:
        criteria.append(Ticket.office_id.in_(offices))
    return or_(*criteria)


def visible_tickets(user):
    """`select(Ticket)` limited to what `user` may see."""
    return select(Ticket).where(ticket_criterion(user))


def get_visible_ticket(session, user, number: int):
    """The ticket with this number if `user` may see it, else None (callers answer 404).

    Its header's relations come in the same statement: the ticket page stays a few queries.
    """
    statement = _visible_ticket_statement(ticket_scope(user))
    return session.scalars(statement, {"number": number}).unique().first()


@functools.lru_cache(maxsize=1024)
def _visible_ticket_statement(scope: tuple):
    """Built once per scope; the number is bound at each execution."""
    return (select(Ticket).where(scope_criterion(scope), Ticket.number == bindparam("number"))
            .options(joinedload(Ticket.department), joinedload(Ticket.office),
                     joinedload(Ticket.rating), joinedload(Ticket.related_cases),
                     joinedload(Ticket.assignee)))


class TicketAccessFilter(BaseFilter):
    """FAB base filter wrapping `ticket_criterion` for ModelViews and ModelRestApis."""

    name = "ticket access"

    def apply(self, query, value):
        from flask import g

        return query.filter(ticket_criterion(getattr(g, "user", None)))


def get_visible_attachment(session, user, attachment_id: int, ticket_id: int | None = None):
    """An attachment on a ticket `user` may see; internal notes' files only for staff and
    supervisors (who read and write the notes)."""
    from app.models import Attachment, Message

    stmt = (select(Attachment).join(Message, Message.id == Attachment.message_id)
            .join(Ticket, Ticket.id == Message.ticket_id)
            .where(Attachment.id == attachment_id).where(ticket_criterion(user)))
    if ticket_id is not None:
        stmt = stmt.where(Ticket.id == ticket_id)
    if not reads_notes(user):
        stmt = stmt.where(Message.is_internal.is_(False))
    return session.scalars(stmt).first()

"""Support's work on a ticket beyond replying: assign, transfer, link and merge duplicates.

Callers pass tickets loaded through the reader's scope; these functions check the rest.
"""
import functools

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from app.domain import status as status_machine
from app.domain.access import scope_criterion, ticket_scope
from app.domain.case_lookup import case_ticket_ids, linked_ticket_ids
from app.domain.errors import DomainError
from app.domain.roles import AGENT, is_staff
from app.domain.ticket_lock import lock_ticket
from app.infra.reference_cache import cached
from app.infra.sql_inline import inline
from app.models import Department, HamrahUser, Message, Ticket, TicketActivity, TicketLink
from app.models.base import utcnow


class WorkspaceRefused(DomainError):
    message = _l("This action is not allowed.")


class NotAnAgentOfDepartment(WorkspaceRefused):
    message = _l("Tickets can only be assigned to an active agent of their department.")


class SameDepartment(WorkspaceRefused):
    message = _l("Choose another active department.")


class CannotMerge(WorkspaceRefused):
    message = _l("These tickets cannot be merged.")


def _require_staff(actor) -> None:
    if not is_staff(actor):
        raise WorkspaceRefused()


def _log(session, ticket, actor, kind: str, detail: str = "", note: str | None = None) -> None:
    session.add(TicketActivity(ticket_id=ticket.id, kind=kind, detail=detail[:300],
                               note=(note or None) and note[:500], actor_id=actor.id))


def assignable_agents(session, ticket) -> list[HamrahUser]:
    """Active agents of the ticket's department, in one statement."""
    return list(session.scalars(_agents_statement(), {"department_id": ticket.department_id}))


def agent_choices(session, ticket) -> tuple[tuple[int, str], ...]:
    """(id, shown name) of `assignable_agents`, for the ticket page's drop-down: kept in the
    reference cache, which a change to a user's roles, departments, name or activity clears
    (app/infra/reference_cache.py). `assign` itself asks the database."""
    return cached(("agent_choices", ticket.department_id), lambda: tuple(
        (user.id, user.shown_name) for user in assignable_agents(session, ticket)))


@functools.cache
def _agents_statement():
    from flask_appbuilder.security.sqla.models import Role, assoc_user_role

    from app.models.user import user_department

    in_department = select(user_department.c.user_id).where(
        user_department.c.department_id == bindparam("department_id"))
    is_agent = (select(assoc_user_role.c.user_id).join(Role, Role.id == assoc_user_role.c.role_id)
                .where(Role.name == AGENT))
    return (select(HamrahUser).where(HamrahUser.active.is_(True))
            .where(HamrahUser.id.in_(in_department)).where(HamrahUser.id.in_(is_agent))
            .order_by(HamrahUser.username))


def assign(session, ticket, actor, assignee_id: int | None) -> None:
    _require_staff(actor)
    lock_ticket(session, ticket)
    if assignee_id is None:
        ticket.assignee_id = None
        _log(session, ticket, actor, "assigned", "-")
    else:
        assignee = next((u for u in assignable_agents(session, ticket) if u.id == assignee_id), None)
        if assignee is None:
            raise NotAnAgentOfDepartment()
        ticket.assignee_id = assignee.id
        _log(session, ticket, actor, "assigned", assignee.shown_name)
    session.commit()


def transfer(session, ticket, actor, department_id: int, note: str | None) -> None:
    """Move the ticket to another department's queue; it leaves the old one's."""
    _require_staff(actor)
    lock_ticket(session, ticket)
    target = session.get(Department, department_id)
    if target is None or not target.active or target.id == ticket.department_id:
        raise SameDepartment()
    source_name = ticket.department.name
    ticket.department_id = target.id
    ticket.assignee_id = None
    ticket.last_activity_at = utcnow()
    _log(session, ticket, actor, "transferred", f"{source_name} → {target.name}", note)
    session.commit()


def related_tickets(session, reader, ticket) -> list[tuple[Ticket, bool]]:
    """Other tickets on the same case (tracking number or national ID) or linked, any office,
    in the reader's scope, each with whether it is linked: one statement."""
    stmt = _related_statement(ticket_scope(reader), bool(ticket.tracking_number),
                              bool(ticket.national_id))
    params = {"ticket_id": ticket.id, "tracking": ticket.tracking_number,
              "national": ticket.national_id}
    return [(row[0], bool(row[1])) for row in session.execute(stmt, params)]


@functools.lru_cache(maxsize=1024)
def _related_statement(scope: tuple, by_tracking: bool, by_national: bool):
    """Built once per scope and case shape; the values are bound at each execution."""
    ticket_id = bindparam("ticket_id")
    linked = Ticket.id.in_(linked_ticket_ids(ticket_id))
    related = case_ticket_ids(bindparam("tracking") if by_tracking else None,
                              bindparam("national") if by_national else None,
                              linked_to=ticket_id)
    return (select(Ticket, linked.label("linked")).options(joinedload(Ticket.office))
            .where(scope_criterion(scope)).where(Ticket.id != ticket_id)
            .where(Ticket.id.in_(related)).order_by(Ticket.created_at.desc())
            .limit(inline("related_cap", 20)))


def link(session, ticket, other, actor) -> None:
    _require_staff(actor)
    if other.id == ticket.id:
        raise CannotMerge()
    lock_ticket(session, ticket, other)
    for a, b in ((ticket, other), (other, ticket)):
        if session.get(TicketLink, (a.id, b.id)) is None:
            session.add(TicketLink(ticket_id=a.id, other_id=b.id))
    _log(session, ticket, actor, "linked", str(other.number))
    _log(session, other, actor, "linked", str(ticket.number))
    session.commit()


def merge(session, source, target, actor) -> None:
    """Move `source`'s messages into `target`, close `source`, and tell the clerk on `target`."""
    _require_staff(actor)
    if source.id == target.id:
        raise CannotMerge()
    lock_ticket(session, source, target)
    if source.merged_into_id or target.merged_into_id:
        raise CannotMerge()
    session.execute(update(Message).where(Message.ticket_id == source.id)
                    .values(ticket_id=target.id))
    if source.status != "closed":
        status_machine.apply_event(session, source, status_machine.Event.CLOSED, actor,
                                   note=f"merged into {target.number}")
    source.merged_into_id = target.id
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = gettext("Ticket %(source)s was merged into this ticket; follow both here.",
                       source=source.number)
    session.add(Message(ticket_id=target.id, author_id=actor.id, body=text, from_support=True))
    target.unread_answer = True
    target.last_activity_at = utcnow()
    _log(session, source, actor, "merged", str(target.number))
    _log(session, target, actor, "merged", str(source.number))
    session.commit()

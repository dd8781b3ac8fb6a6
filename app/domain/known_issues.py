"""Known issues: create, create from a ticket, link and unlink tickets, who sees which.

Who may do what:
- see: managers and admins every known issue; agents their departments' ones; clerks and
  supervisors the published ones;
- create, edit, link, unlink, post the resolution: managers and admins any; agents those of
  their departments, linking only tickets they can see (app/domain/access.py); clerks and
  supervisors never.
A ticket belongs to at most one known issue; linking it elsewhere moves it.
"""
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, false, func, or_, select, true

from app.domain import audit
from app.domain.access import get_visible_ticket, ticket_criterion
from app.domain.errors import DomainError, NotFound
from app.domain.roles import AGENT, SEE_ALL_ROLES, role_names
from app.extensions import db
from app.infra.sql_inline import inline
from app.models import KnownIssue, KnownIssueTicket, Message, Ticket
from app.models.base import utcnow
from app.models.known_issue import KnownIssueStatus
from app.persian.text import ascii_digits, whole_number

MAX_LINK_NUMBERS = 1000


class KnownIssueRefused(DomainError):
    http_status = 403
    message = _l("Only support of the known issue's department may change it.")


class KnownIssueNotFound(NotFound):
    message = _l("No such known issue.")


class BadKnownIssue(DomainError):
    message = _l("A known issue needs a title and a department.")


class TicketsNotFound(DomainError):
    message = _l("These ticket numbers were not found: %(numbers)s")


class BadNumbers(DomainError):
    message = _l("Give the ticket numbers as a list of at most %(max)s numbers.")


def sees_all(user) -> bool:
    return bool(role_names(user) & SEE_ALL_ROLES)


def department_ids(user) -> set[int]:
    if user is None or AGENT not in role_names(user):
        return set()
    return {d.id for d in user.departments}


def is_worker(user) -> bool:
    """May create known issues and link tickets at all: managers, admins, agents."""
    return sees_all(user) or bool(department_ids(user))


def may_change(user, department_id: int) -> bool:
    return sees_all(user) or department_id in department_ids(user)


def known_issue_criterion(user):
    """Which known issues `user` sees (the module docstring)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    if sees_all(user):
        return true()
    departments = department_ids(user)
    published = KnownIssue.published.is_(True)
    if departments:
        return or_(KnownIssue.department_id.in_(departments), published)
    return published


def staff_criterion(user):
    """The known issues `user` works on (the agents' list and the link choices)."""
    if sees_all(user):
        return true()
    departments = department_ids(user)
    return KnownIssue.department_id.in_(departments) if departments else false()


def get_visible(session, user, issue_id: int) -> KnownIssue:
    issue = session.scalars(select(KnownIssue).where(KnownIssue.id == issue_id)
                            .where(known_issue_criterion(user))).first()
    if issue is None:
        raise KnownIssueNotFound()
    return issue


def visible_list(session, user, *, open_only=False, published_only=False, limit=200):
    stmt = select(KnownIssue).where(known_issue_criterion(user))
    if open_only:
        stmt = stmt.where(KnownIssue.status == KnownIssueStatus.OPEN.value)
    if published_only:
        stmt = stmt.where(KnownIssue.published.is_(True))
    return list(session.scalars(stmt.order_by(KnownIssue.created_at.desc()).limit(limit)))


def require_change(user, department_id: int) -> None:
    if not may_change(user, department_id):
        raise KnownIssueRefused()


def create(session, actor, *, title: str, department_id: int | None, description: str = "",
           published: bool = False, announcement_id: int | None = None,
           commit: bool = True) -> KnownIssue:
    title = (title or "").strip()
    if not title or not department_id:
        raise BadKnownIssue()
    require_change(actor, department_id)
    issue = KnownIssue(title=title[:200], description=(description or "").strip(),
                       department_id=department_id, published=bool(published),
                       announcement_id=announcement_id, created_by_id=actor.id,
                       status=KnownIssueStatus.OPEN.value)
    session.add(issue)
    session.flush()
    session.add(audit.new_event("known_issue_created", target_type="known_issue",
                                target_id=issue.id, target=issue.title))
    if commit:
        session.commit()
    return issue


def create_from_ticket(session, actor, ticket: Ticket, *, published: bool = False) -> KnownIssue:
    """"Mark as known issue": the ticket's subject, first message and department, linked."""
    first = session.scalars(select(Message.body).where(Message.ticket_id == ticket.id)
                            .where(Message.is_internal.is_(False))
                            .order_by(Message.created_at, Message.id).limit(1)).first()
    issue = create(session, actor, title=ticket.subject, description=first or "",
                   department_id=ticket.department_id, published=published, commit=False)
    link_rows(session, actor, issue, [ticket])
    session.commit()
    return issue


def parse_numbers(raw) -> list[int]:
    """Ticket numbers from a list (API) or a text of numbers in any digits (form)."""
    if isinstance(raw, str):
        raw = ascii_digits(raw).replace(",", " ").replace("،", " ").split()
    if not isinstance(raw, (list, tuple)) or not raw or len(raw) > MAX_LINK_NUMBERS:
        raise BadNumbers(max=MAX_LINK_NUMBERS)
    numbers = []
    for item in raw:
        if isinstance(item, bool):
            raise BadNumbers(max=MAX_LINK_NUMBERS)
        number = whole_number(item)
        if number is None:
            raise BadNumbers(max=MAX_LINK_NUMBERS)
        numbers.append(number)
    return list(dict.fromkeys(numbers))


def link_numbers(session, actor, issue: KnownIssue, numbers: list[int]) -> list[Ticket]:
    """Link the tickets with these numbers that `actor` can see; none linked if any is unseen."""
    require_change(actor, issue.department_id)
    tickets = list(session.scalars(select(Ticket).where(Ticket.number.in_(numbers))
                                   .where(ticket_criterion(actor))))
    missing = sorted(set(numbers) - {t.number for t in tickets})
    if missing:
        raise TicketsNotFound(numbers=", ".join(str(n) for n in missing[:20]))
    link_rows(session, actor, issue, tickets)
    session.commit()
    return tickets


def link_tickets(session, actor, issue: KnownIssue, tickets: list[Ticket], *,
                 commit: bool = True) -> None:
    """Tickets already loaded through the actor's scope (the queue's selected rows)."""
    require_change(actor, issue.department_id)
    visible = set(session.scalars(select(Ticket.id).where(
        Ticket.id.in_([t.id for t in tickets])).where(ticket_criterion(actor))))
    if visible != {t.id for t in tickets}:
        raise KnownIssueRefused()
    link_rows(session, actor, issue, tickets)
    if commit:
        session.commit()


def link_rows(session, actor, issue, tickets, *, followed: bool = False) -> None:
    ids = [t.id for t in tickets]
    existing = {row.ticket_id: row for row in session.scalars(
        select(KnownIssueTicket).where(KnownIssueTicket.ticket_id.in_(ids)))}
    for ticket in tickets:
        row = existing.get(ticket.id)
        if row is None:
            session.add(KnownIssueTicket(ticket_id=ticket.id, known_issue_id=issue.id,
                                         linked_by_id=actor.id, followed=followed))
        elif row.known_issue_id != issue.id:
            row.known_issue_id, row.linked_by_id, row.linked_at = issue.id, actor.id, utcnow()
    session.add(audit.new_event("known_issue_linked", target_type="known_issue",
                                target_id=issue.id, target=issue.title,
                                detail=" ".join(str(t.number) for t in tickets)))


def unlink(session, actor, issue: KnownIssue, ticket_number: int) -> None:
    require_change(actor, issue.department_id)
    ticket = get_visible_ticket(session, actor, ticket_number)
    if ticket is None:
        raise TicketsNotFound(numbers=str(ticket_number))
    session.execute(delete(KnownIssueTicket).where(KnownIssueTicket.ticket_id == ticket.id)
                    .where(KnownIssueTicket.known_issue_id == issue.id))
    session.add(audit.new_event("known_issue_unlinked", target_type="known_issue",
                                target_id=issue.id, target=issue.title, detail=str(ticket.number)))
    session.commit()


def linked_tickets(session, issue: KnownIssue, reader=None) -> list[Ticket]:
    """The known issue's tickets (in the reader's scope when one is given), newest first."""
    from sqlalchemy.orm import joinedload

    stmt = (select(Ticket).join(KnownIssueTicket, KnownIssueTicket.ticket_id == Ticket.id)
            .where(KnownIssueTicket.known_issue_id == issue.id)
            .options(joinedload(Ticket.office)).order_by(Ticket.created_at.desc()))
    if reader is not None:
        stmt = stmt.where(ticket_criterion(reader))
    return list(session.scalars(stmt))


def linked_counts(session, issue_ids) -> dict[int, int]:
    rows = session.execute(select(KnownIssueTicket.known_issue_id, func.count())
                           .where(KnownIssueTicket.known_issue_id.in_(list(issue_ids)))
                           .group_by(KnownIssueTicket.known_issue_id))
    return dict(rows.all())


def issue_of_ticket(session, ticket: Ticket) -> KnownIssue | None:
    return session.scalars(select(KnownIssue).join(
        KnownIssueTicket, KnownIssueTicket.known_issue_id == KnownIssue.id)
        .where(KnownIssueTicket.ticket_id == ticket.id)).first()


class KnownIssueStaffFilter(BaseFilter):
    """FAB base filter of the known issues' screen: `staff_criterion` of the signed-in user."""

    name = "known issue access"

    def apply(self, query, value):
        from flask import g

        return query.filter(staff_criterion(getattr(g, "user", None)))


def changeable_department_ids(user) -> list[int]:
    """The add and edit forms' department choices."""
    from app.models import Department

    if sees_all(user):
        return list(db.session.scalars(select(Department.id)))
    return sorted(department_ids(user))


def public_issue_of_ticket(session, ticket: Ticket) -> KnownIssue | None:
    """The ticket's known issue when it is published: the line the clerk sees."""
    issue = issue_of_ticket(session, ticket)
    return issue if issue is not None and issue.published else None


def ticket_panel(session, user, ticket: Ticket) -> tuple[KnownIssue | None, list[KnownIssue]]:
    """The ticket's known issue and the open known issues of its department `user` may link
    to, in one statement (the agent's ticket page stays within its statement budget)."""
    linked_id = (select(KnownIssueTicket.known_issue_id)
                 .where(KnownIssueTicket.ticket_id == ticket.id).scalar_subquery())
    offered = ((KnownIssue.department_id == ticket.department_id)
               & (KnownIssue.status == KnownIssueStatus.OPEN.value))
    if not may_change(user, ticket.department_id):
        offered = false()
    rows = session.execute(select(KnownIssue, (KnownIssue.id == linked_id).label("linked"))
                           .where(or_(offered, KnownIssue.id == linked_id))
                           .order_by(KnownIssue.created_at.desc())
                           .limit(inline("known_issue_panel_cap", 51))).all()
    linked = next((issue for issue, is_linked in rows if is_linked), None)
    if linked is not None and not (linked.published or may_change(user, linked.department_id)
                                   or sees_all(user)):
        linked = None
    return linked, [issue for issue, _ in rows if issue.is_open and offered is not false()
                    and issue.department_id == ticket.department_id][:50]


def open_choices(session, user, department_id: int) -> list[tuple[int, str]]:
    """Open known issues of the ticket's department that `user` may link to."""
    if not may_change(user, department_id):
        return []
    rows = session.execute(select(KnownIssue.id, KnownIssue.title)
                           .where(KnownIssue.department_id == department_id)
                           .where(KnownIssue.status == KnownIssueStatus.OPEN.value)
                           .order_by(KnownIssue.created_at.desc()).limit(50))
    return [(i, t) for i, t in rows]


def open_staff_choices(session, user) -> list[tuple[int, str]]:
    """(id, title) of the open known issues `user` works on: the bulk link's choices."""
    rows = session.execute(select(KnownIssue.id, KnownIssue.title)
                           .where(staff_criterion(user))
                           .where(KnownIssue.status == KnownIssueStatus.OPEN.value)
                           .order_by(KnownIssue.created_at.desc()).limit(100))
    return [(i, t) for i, t in rows]

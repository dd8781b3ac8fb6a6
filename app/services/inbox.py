"""The message box: the reader's scoped tickets with search, filters, paging and unread counts."""
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.models import RelatedCase, Ticket, TicketStatus
from app.services.access import ticket_criterion
from app.services.text import digits_only, normalize_text

PAGE_SIZE = 20


@dataclass
class InboxQuery:
    text: str = ""
    department_id: int | None = None
    status: str | None = None
    page: int = 1


def _search_clause(text: str):
    number = digits_only(text)
    if number.isdigit():
        clauses = [Ticket.tracking_number == number, Ticket.national_id == number,
                   Ticket.id.in_(select(RelatedCase.ticket_id).where(or_(
                       RelatedCase.tracking_number == number, RelatedCase.national_id == number)))]
        if len(number) <= 18:
            clauses.append(Ticket.number == int(number))
        return or_(*clauses)
    return Ticket.subject.contains(normalize_text(text))  # replaced by the search service


def inbox_statement(user, query: InboxQuery):
    stmt = select(Ticket).where(ticket_criterion(user))
    if query.text.strip():
        stmt = stmt.where(_search_clause(query.text))
    if query.department_id:
        stmt = stmt.where(Ticket.department_id == query.department_id)
    if query.status in {s.value for s in TicketStatus}:
        stmt = stmt.where(Ticket.status == query.status)
    return stmt


def inbox_page(session, user, query: InboxQuery) -> tuple[list[Ticket], bool]:
    """One page of tickets, newest activity first, and whether a next page exists.

    Fetches one row more than shown instead of counting, so paging costs the same at any size.
    """
    stmt = (inbox_statement(user, query)
            .options(joinedload(Ticket.department), joinedload(Ticket.office),
                     joinedload(Ticket.creator))
            .order_by(Ticket.last_activity_at.desc(), Ticket.id.desc())
            .offset((query.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
    rows = list(session.scalars(stmt).unique())
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def open_tickets_for_case(session, user, tracking_number: str | None, national_id: str | None):
    """Open tickets of the reader's scope on this case, so the clerk can continue one."""
    if not tracking_number and not national_id:
        return []
    case = []
    if tracking_number:
        case.append(Ticket.tracking_number == tracking_number)
    if national_id:
        case.append(Ticket.national_id == national_id)
    stmt = (select(Ticket).where(ticket_criterion(user)).where(or_(*case))
            .where(Ticket.status != TicketStatus.CLOSED.value)
            .order_by(Ticket.last_activity_at.desc()).limit(10))
    return list(session.scalars(stmt))

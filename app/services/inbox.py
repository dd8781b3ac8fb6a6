"""The message box: the reader's scoped tickets with search, filters, paging and unread counts."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models import Ticket, TicketStatus
from app.services.access import ticket_criterion
from app.services.case_lookup import case_ticket_ids
from app.services.search import ticket_search_criterion
from app.services.text import digits_only

PAGE_SIZE = 20


@dataclass
class InboxQuery:
    text: str = ""
    department_id: int | None = None
    status: str | None = None
    page: int = 1


def _search_clause(session, text: str):
    """Digits: the ticket, tracking or national number (also of related cases); words: the
    full-text search over the subject and the clerk-visible messages (app/services/search.py)."""
    number = digits_only(text)
    if number.isdigit():
        return Ticket.id.in_(case_ticket_ids(
            number, number, number=int(number) if len(number) <= 18 else None,
            related_cases=True))
    return ticket_search_criterion(session, text)


def inbox_statement(session, user, query: InboxQuery):
    stmt = select(Ticket).where(ticket_criterion(user))
    if query.text.strip():
        stmt = stmt.where(_search_clause(session, query.text))
    if query.department_id:
        stmt = stmt.where(Ticket.department_id == query.department_id)
    if query.status in {s.value for s in TicketStatus}:
        stmt = stmt.where(Ticket.status == query.status)
    return stmt


def inbox_page(session, user, query: InboxQuery) -> tuple[list[Ticket], bool]:
    """One page of tickets, newest activity first, and whether a next page exists.

    Fetches one row more than shown instead of counting, so paging costs the same at any size.
    """
    stmt = (inbox_statement(session, user, query)
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
    stmt = (select(Ticket).where(ticket_criterion(user))
            .where(Ticket.id.in_(case_ticket_ids(tracking_number, national_id)))
            .where(Ticket.status != TicketStatus.CLOSED.value)
            .order_by(Ticket.last_activity_at.desc()).limit(10))
    return list(session.scalars(stmt))

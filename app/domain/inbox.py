"""The message box: the reader's scoped tickets with search, filters, paging and unread counts."""
import functools
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.domain.access import scope_criterion, ticket_criterion, ticket_scope
from app.domain.case_lookup import case_ticket_ids
from app.domain.search import ticket_search_criterion
from app.infra.sql_inline import inline
from app.models import Ticket, TicketStatus
from app.models.ticket import STATUS_VALUES
from app.persian.text import digits_only

PAGE_SIZE = 20
NUMBER, WORDS = "number", "words"  # the two kinds of search


@dataclass
class InboxQuery:
    text: str = ""
    department_id: int | None = None
    status: str | None = None
    page: int = 1


def inbox_page(session, user, query: InboxQuery) -> tuple[list[Ticket], bool]:
    """One page of tickets, newest activity first, and whether a next page exists.

    Fetches one row more than shown instead of counting, so paging costs the same at any size.
    """
    text = query.text.strip()
    number = digits_only(text)
    search = (NUMBER if number.isdigit() else WORDS) if text else None
    shape = (ticket_scope(user), search, bool(query.department_id), query.status in STATUS_VALUES)
    if search == WORDS:  # its criterion depends on the words: built for this request only
        statement = _page_statement(*shape, ticket_search_criterion(session, text))
    else:
        statement = _kept_page_statement(*shape)
    params = {"department_id": query.department_id, "status": query.status,
              "offset": (query.page - 1) * PAGE_SIZE, "limit": PAGE_SIZE + 1}
    if search == NUMBER:
        params.update(case_number=number, ticket_number=int(number) if len(number) <= 18 else -1)
    rows = list(session.scalars(statement, params).unique())
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def _page_statement(scope: tuple, search: str | None, by_department: bool, by_status: bool,
                    words_criterion=None):
    """The page's statement for a scope and filter shape; the values are bound at execution.

    Digits are the ticket, tracking or national number (also of related cases); words go to
    the full-text search over the subject and the clerk-visible messages (domain/search.py).
    """
    stmt = select(Ticket).where(scope_criterion(scope))
    if search == NUMBER:
        number = bindparam("case_number")
        stmt = stmt.where(Ticket.id.in_(case_ticket_ids(
            number, number, number=bindparam("ticket_number"), related_cases=True)))
    elif search == WORDS:
        stmt = stmt.where(words_criterion)
    if by_department:
        stmt = stmt.where(Ticket.department_id == bindparam("department_id"))
    if by_status:
        stmt = stmt.where(Ticket.status == bindparam("status"))
    return (stmt.options(joinedload(Ticket.department), joinedload(Ticket.office),
                         joinedload(Ticket.creator))
            .order_by(Ticket.last_activity_at.desc(), Ticket.id.desc())
            .offset(inline("offset")).limit(inline("limit")))


# Built once per scope and shape: building the statement and its cache key cost more than
# running it.
_kept_page_statement = functools.lru_cache(maxsize=1024)(_page_statement)


def open_tickets_for_case(session, user, tracking_number: str | None, national_id: str | None):
    """Open tickets of the reader's scope on this case, so the clerk can continue one."""
    if not tracking_number and not national_id:
        return []
    stmt = (select(Ticket).where(ticket_criterion(user))
            .where(Ticket.id.in_(case_ticket_ids(tracking_number or None, national_id or None)))
            .where(Ticket.status != TicketStatus.CLOSED.value)
            .order_by(Ticket.last_activity_at.desc()).limit(10))
    return list(session.scalars(stmt))

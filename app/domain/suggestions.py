"""Suggestions when support opens a ticket or a known issue (issue 19): similar open tickets
and open known issues of the department.

Similar tickets: the Persian full-text index (app/domain/search.py) searched for any of the
subject's words (three letters or more, normalised like the index), among the open tickets
of the department registered in the last SUGGEST_WEEKS weeks, in the reader's scope
(app/domain/access.py): one statement. Known issues: the department's open ones the page
already loaded, ranked by the words they share with the subject (no statement).
"""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.domain.access import ticket_criterion
from app.domain.search import matching_any_tickets, query_terms, search_tokens
from app.infra.sql_inline import inline
from app.models import KnownIssueTicket, Ticket, TicketStatus
from app.models.base import utcnow

SUGGEST_WEEKS = 6
SUGGEST_LIMIT = 5
MIN_WORD = 3


def _terms(text: str) -> list[str]:
    return [t for t in query_terms(text) if len(t) >= MIN_WORD]


def similar_tickets(session, reader, text: str, department_id: int, *, exclude_ids=(),
                    unlinked_only=False, limit=SUGGEST_LIMIT) -> list[Ticket]:
    """Open tickets of the department sharing a word with `text`, newest first."""
    matching = matching_any_tickets(session, _terms(text))
    if matching is None:
        return []
    stmt = (select(Ticket).where(ticket_criterion(reader)).where(Ticket.id.in_(matching))
            .where(Ticket.department_id == department_id)
            .where(Ticket.status != TicketStatus.CLOSED.value)
            .where(Ticket.merged_into_id.is_(None))
            .where(Ticket.created_at >= utcnow() - timedelta(weeks=SUGGEST_WEEKS))
            .options(joinedload(Ticket.office))
            .order_by(Ticket.created_at.desc()).limit(inline("suggest_cap", limit)))
    if exclude_ids:
        stmt = stmt.where(Ticket.id.not_in(list(exclude_ids)))
    if unlinked_only:
        stmt = stmt.where(Ticket.id.not_in(select(KnownIssueTicket.ticket_id)))
    return list(session.scalars(stmt))


def similar_known_issues(issues, text: str, limit=3) -> list:
    """`issues` (already loaded) ranked by the words they share with `text`; none shared, none."""
    wanted = {t for t in search_tokens(text) if len(t) >= MIN_WORD}
    scored = []
    for issue in issues:
        shared = len(wanted & search_tokens(issue.text))
        if shared:
            scored.append((shared, issue))
    scored.sort(key=lambda pair: -pair[0])
    return [issue for _shared, issue in scored[:limit]]

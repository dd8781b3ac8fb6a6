"""Told before they ask (issue 19): published open known issues matching what a clerk types
as a new ticket's subject, and following one instead of writing.

Following creates the clerk's ticket, linked to the known issue at once (marked `followed`),
rather than a subscription: the resolution then reaches the clerk by the one path every
answer takes (the ticket's thread, the message box and its badge, the e-mail, the rating),
the case stays on record for the office, the clerk can still add details to it, and the
fan-out needs no second kind of recipient. A second follow by the same clerk finds the
first ticket instead of creating another.
"""
from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.known_issues import KnownIssueNotFound, link_rows
from app.domain.search import query_terms, search_tokens
from app.domain.tickets import NewTicket, OfficeRequired, create_ticket
from app.models import KnownIssue, KnownIssueTicket, Ticket
from app.models.known_issue import KnownIssueStatus

SUGGEST_MAX = 5
MIN_TERM = 2


class NotFollowable(DomainError):
    message = _l("This known issue is no longer open.")


def published_open(session, department_id: int | None = None, limit: int = 500):
    stmt = (select(KnownIssue).where(KnownIssue.published.is_(True))
            .where(KnownIssue.status == KnownIssueStatus.OPEN.value))
    if department_id:
        stmt = stmt.where(KnownIssue.department_id == department_id)
    return list(session.scalars(stmt.order_by(KnownIssue.created_at.desc()).limit(limit)))


def matching(session, text: str, department_id: int | None = None) -> list[KnownIssue]:
    """At most SUGGEST_MAX published open known issues sharing words with `text` (normalised
    like the search index; the last word typed may be a prefix), best first."""
    terms = [t for t in query_terms(text) if len(t) >= MIN_TERM]
    if not terms:
        return []
    scored = []
    for issue in published_open(session, department_id):
        tokens = search_tokens(issue.text)
        hits = sum(1 for term in terms if any(token.startswith(term) for token in tokens))
        if hits and any(len(t) > MIN_TERM for t in terms):
            scored.append((-hits, -issue.created_at.timestamp(), issue))
    scored.sort(key=lambda row: row[:2])
    return [issue for *_rank, issue in scored[:SUGGEST_MAX]]


def follow(session, clerk, issue_id: int) -> Ticket:
    """The clerk's ticket following the known issue: the one they have, or a new one linked."""
    if clerk.office_id is None:
        raise OfficeRequired()
    issue = session.scalars(select(KnownIssue).where(KnownIssue.id == issue_id)
                            .where(KnownIssue.published.is_(True))).first()
    if issue is None:
        raise KnownIssueNotFound()
    existing = session.scalars(
        select(Ticket).join(KnownIssueTicket, KnownIssueTicket.ticket_id == Ticket.id)
        .where(KnownIssueTicket.known_issue_id == issue.id)
        .where(Ticket.creator_id == clerk.id)).first()
    if existing is not None:
        return existing
    if not issue.is_open:
        raise NotFollowable()
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = gettext("I have the same problem; I follow the known issue «%(title)s».",
                       title=issue.title)
    ticket = create_ticket(session, clerk, NewTicket(
        subject=issue.title[:200], department_id=issue.department_id, body=body), commit=False)
    session.flush()
    link_rows(session, clerk, issue, [ticket], followed=True)
    session.commit()
    return ticket

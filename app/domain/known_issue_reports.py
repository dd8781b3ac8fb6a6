"""The dashboard's known-issue figures (issue 19): known issues by linked tickets, tickets
answered through known issues, clerks who followed a known issue instead of writing — for
tickets registered in the range, in the reader's scope (app/domain/access.py)."""
from sqlalchemy import distinct, func, select

from app.domain.access import ticket_criterion
from app.models import KnownIssue, KnownIssueResolutionTicket, KnownIssueTicket, Ticket

TOP = 10


def known_issue_figures(session, user, date_range) -> dict:
    in_range = (ticket_criterion(user), Ticket.created_at >= date_range.start,
                Ticket.created_at < date_range.end)
    linked = (select(KnownIssue.id, KnownIssue.title, KnownIssue.status,
                     func.count(KnownIssueTicket.ticket_id).label("tickets"))
              .join(KnownIssueTicket, KnownIssueTicket.known_issue_id == KnownIssue.id)
              .join(Ticket, Ticket.id == KnownIssueTicket.ticket_id).where(*in_range)
              .group_by(KnownIssue.id, KnownIssue.title, KnownIssue.status)
              .order_by(func.count(KnownIssueTicket.ticket_id).desc(), KnownIssue.id).limit(TOP))
    answered = (select(func.count(distinct(KnownIssueResolutionTicket.ticket_id)))
                .join(Ticket, Ticket.id == KnownIssueResolutionTicket.ticket_id).where(*in_range))
    followers = (select(func.count(distinct(Ticket.creator_id)))
                 .join(KnownIssueTicket, KnownIssueTicket.ticket_id == Ticket.id)
                 .where(KnownIssueTicket.followed.is_(True)).where(*in_range))
    return {"by_linked": [dict(row._mapping) for row in session.execute(linked)],
            "answered": session.scalar(answered) or 0,
            "followers": session.scalar(followers) or 0}

"""Support's bulk actions on the queue's selected rows: link to a known issue, assign,
transfer, close with a note. Tickets are loaded through the actor's scope
(app/domain/access.py): a number the actor cannot see is not touched. Each ticket is its own
transaction through the single-ticket rules (app/domain/workspace.py, status.py), so one
refused ticket does not undo the others; the result says which were done and which refused.
"""
from dataclasses import dataclass, field

from sqlalchemy import select

from app.domain import known_issues, workspace
from app.domain import status as status_machine
from app.domain.access import ticket_criterion
from app.domain.errors import DomainError
from app.domain.roles import is_staff
from app.domain.workspace import WorkspaceRefused
from app.models import Ticket

MAX_BULK = 200


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)


def visible_tickets(session, actor, numbers) -> list[Ticket]:
    """The selected tickets `actor` may see and work on, by number, in number order."""
    if not is_staff(actor):
        raise WorkspaceRefused()
    numbers = [n for n in numbers if isinstance(n, int)][:MAX_BULK]
    if not numbers:
        return []
    return list(session.scalars(select(Ticket).where(Ticket.number.in_(numbers))
                                .where(ticket_criterion(actor)).order_by(Ticket.number)))


def _each(session, tickets, work) -> BulkResult:
    result = BulkResult()
    for ticket in tickets:
        number = ticket.number
        try:
            work(ticket)
            result.done.append(number)
        except DomainError:
            session.rollback()
            result.refused.append(number)
    return result


def link(session, actor, numbers, issue_id: int) -> BulkResult:
    tickets = visible_tickets(session, actor, numbers)
    issue = known_issues.get_visible(session, actor, issue_id)
    known_issues.link_tickets(session, actor, issue, tickets)
    return BulkResult(done=[t.number for t in tickets])


def assign(session, actor, numbers, assignee_id: int | None) -> BulkResult:
    tickets = visible_tickets(session, actor, numbers)
    return _each(session, tickets, lambda t: workspace.assign(session, t, actor, assignee_id))


def transfer(session, actor, numbers, department_id: int, note: str | None) -> BulkResult:
    tickets = visible_tickets(session, actor, numbers)
    return _each(session, tickets,
                 lambda t: workspace.transfer(session, t, actor, department_id, note))


def close(session, actor, numbers, note: str) -> BulkResult:
    tickets = visible_tickets(session, actor, numbers)

    def close_one(ticket):
        status_machine.apply_event(session, ticket, status_machine.Event.CLOSED, actor,
                                   note=(note or "")[:500] or None)
        session.commit()

    return _each(session, tickets, close_one)


def agent_choices(session, tickets) -> list[tuple[int, str]]:
    """Active agents of the selected tickets' departments (an assignment to an agent of
    another department than a ticket's is refused for that ticket)."""
    seen = {}
    for ticket in tickets:
        for agent_id, name in workspace.agent_choices(session, ticket):
            seen.setdefault(agent_id, name)
    return sorted(seen.items(), key=lambda pair: pair[1])

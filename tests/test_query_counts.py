"""A page's SQL statement count does not grow with its rows (no N+1), and stays small."""
import pytest
from sqlalchemy import select

from app.domain.tickets import NewTicket, add_reply, create_ticket
from app.extensions import db
from app.models import HamrahUser
from tests.helpers import department_id

# (user, page, most statements): issue 7 allows 8 for each. Role permissions, departments,
# canned replies, announcements and holidays come from the reference cache.
PAGES = [
    ("clerk", "/support/inbox", 8),
    ("clerk", "/support/inbox?q=1004481", 8),
    ("clerk", "/support/inbox?q=پلاک", 8),
    ("agent", "/ticketmodelview/list/", 8),
    ("agent", "/ticketmodelview/list/?quick=waiting", 8),
    ("clerk", "/support/tickets/1004481", 8),
    ("agent", "/support/tickets/1004481", 8),
    # a supervisor's regions resolve to offices from the reference cache: no extra statement
    ("supervisor", "/ticketmodelview/list/", 8),
    ("supervisor", "/support/tickets/1004481", 8),
]


def _statements(client, url) -> int:
    client.get(url)  # first view may mark things read; measure the steady state
    response = client.get(url)
    assert response.status_code == 200, url
    return int(response.headers["X-SQL-Statements"])


def _add_tickets(count: int) -> None:
    clerk = db.session.scalars(select(HamrahUser).filter_by(username="clerk2")).one()
    agent = db.session.scalars(select(HamrahUser).filter_by(username="agent")).one()
    for i in range(count):
        ticket = create_ticket(db.session, clerk, NewTicket(
            subject=f"پلاک خودرو {i}", department_id=department_id(), body="متن پیام",
            tracking_number="99010294000080"), commit=False)
        add_reply(db.session, ticket, agent, "پاسخ", commit=False)
    db.session.commit()


@pytest.mark.parametrize("username,url,most", PAGES)
def test_statement_count_same_for_3_and_50_rows(as_user, username, url, most):
    client = as_user(username)
    few = _statements(client, url)
    _add_tickets(47)
    many = _statements(client, url)
    assert few == many, f"{url}: {few} statements with 3 tickets, {many} with 50"
    assert many <= most, f"{url}: {many} statements"


def test_agent_ticket_page_flat_in_history(as_user):
    """History rows by many different people: their names come in the history's statement."""
    from app.models import StatusChange, TicketActivity
    from tests.helpers import ticket

    client = as_user("agent")
    url = "/support/tickets/1004481"
    few = _statements(client, url)
    target = ticket(1004481)
    for i in range(12):
        actor = HamrahUser(username=f"actor{i}", first_name="کارشناس", last_name=str(i),
                           email=f"actor{i}@example.org", active=True)
        db.session.add(actor)
        db.session.flush()
        db.session.add(StatusChange(ticket_id=target.id, from_status="read", to_status="answered",
                                    changed_by_id=actor.id))
        db.session.add(TicketActivity(ticket_id=target.id, kind="linked", detail=str(i),
                                      actor_id=actor.id))
    db.session.commit()
    many = _statements(client, url)
    assert few == many <= 8, f"{few} statements before, {many} with 24 more history rows"

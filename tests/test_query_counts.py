"""A page's SQL statement count does not grow with its rows (no N+1), and stays small."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import HamrahUser
from app.services.tickets import NewTicket, add_reply, create_ticket
from tests.helpers import department_id

# (user, page, most statements). The agent's ticket page also loads its side panel (history,
# activities, related tickets, assignable agents, departments, canned replies): more queries,
# but still a fixed number whatever the thread's or the queue's size.
PAGES = [
    ("clerk", "/support/inbox", 8),
    ("clerk", "/support/inbox?q=1004481", 8),
    ("clerk", "/support/inbox?q=پلاک", 8),
    ("agent", "/ticketmodelview/list/", 8),
    ("agent", "/ticketmodelview/list/?quick=waiting", 8),
    ("clerk", "/support/tickets/1004481", 8),
    ("agent", "/support/tickets/1004481", 13),
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


@pytest.fixture
def shared_calendar(app):
    """As in production: the SLA calendar (holidays) is shared between requests for a minute."""
    app.config["SLA_CALENDAR_CACHE_SECONDS"] = 60
    yield
    app.config["SLA_CALENDAR_CACHE_SECONDS"] = 0
    app.extensions.pop("hamrah_sla_calendar", None)


@pytest.mark.parametrize("username,url,most", PAGES)
def test_statement_count_same_for_3_and_50_rows(as_user, shared_calendar, username, url, most):
    client = as_user(username)
    few = _statements(client, url)
    _add_tickets(47)
    many = _statements(client, url)
    assert few == many, f"{url}: {few} statements with 3 tickets, {many} with 50"
    assert many <= most, f"{url}: {many} statements"

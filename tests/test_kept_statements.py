"""Statements kept per ticket scope (app/domain/access.py `ticket_scope`): built once and
reused by every reader of the same scope, never by a reader of another scope."""
from sqlalchemy import select

from app.domain import access, counters, inbox
from app.domain.access import ALL_TICKETS, NO_TICKETS, ticket_scope
from app.extensions import db
from app.models import HamrahUser
from tests.helpers import row_numbers


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def test_scope_is_shared_by_readers_who_see_the_same_tickets():
    assert ticket_scope(_user("clerk")) == ticket_scope(_user("clerk2"))
    assert ticket_scope(_user("clerk")) != ticket_scope(_user("clerk3"))
    assert ticket_scope(_user("agent")) != ticket_scope(_user("agent2"))
    assert ticket_scope(_user("manager")) == ALL_TICKETS
    assert ticket_scope(None) == NO_TICKETS


def test_a_kept_statement_is_reused_within_a_scope_only():
    clerk, clerk2, clerk3 = _user("clerk"), _user("clerk2"), _user("clerk3")
    kept = access._visible_ticket_statement
    assert kept(ticket_scope(clerk)) is kept(ticket_scope(clerk2))
    assert kept(ticket_scope(clerk)) is not kept(ticket_scope(clerk3))
    page = inbox._kept_page_statement
    shape = (None, False, False)
    assert page(ticket_scope(clerk), *shape) is page(ticket_scope(clerk2), *shape)
    assert counters._statement(ticket_scope(clerk), False, ()) is not counters._statement(
        ticket_scope(clerk3), False, ())


def test_number_search_and_ticket_page_keep_each_scope(as_user):
    """The same searches and pages, alternating between offices, each see only their own."""
    clerk, clerk3 = as_user("clerk"), as_user("clerk3")
    for _ in range(2):
        assert row_numbers(clerk.get("/support/inbox?q=1004483").data) == set()
        assert row_numbers(clerk3.get("/support/inbox?q=1004483").data) == {"1004483"}
        assert row_numbers(clerk.get("/support/inbox?q=1004481").data) == {"1004481"}
        assert row_numbers(clerk3.get("/support/inbox?q=1004481").data) == set()
        assert clerk.get("/support/tickets/1004483").status_code == 404
        assert clerk3.get("/support/tickets/1004483").status_code == 200
        assert clerk3.get("/support/tickets/1004481").status_code == 404

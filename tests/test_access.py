"""One scoping rule: a clerk sees their office, an agent their departments, a manager all."""
from sqlalchemy import select

from app.domain.access import get_visible_ticket, visible_tickets
from app.extensions import db
from app.models import HamrahUser, Ticket
from tests.conftest import ticket_numbers

# Demo: 1004481 (office 1001, Technical support), 1004482 (office 1001, Technical support),
#       1004483 (office 1002, Training)


def _numbers_for(username):
    user = db.session.scalars(select(HamrahUser).filter_by(username=username)).one()
    return {t.number for t in db.session.scalars(visible_tickets(user))}


def test_scope_per_role():
    assert _numbers_for("manager") == {1004481, 1004482, 1004483}
    assert _numbers_for("agent") == {1004481, 1004482}
    assert _numbers_for("agent2") == {1004483}
    assert _numbers_for("clerk") == {1004481, 1004482}
    assert _numbers_for("clerk2") == {1004481, 1004482}
    assert _numbers_for("clerk3") == {1004483}


def test_inactive_or_roleless_user_sees_nothing():
    user = db.session.scalars(select(HamrahUser).filter_by(username="manager")).one()
    user.active = False
    assert _numbers_for("manager") == set()
    db.session.rollback()
    user = db.session.scalars(select(HamrahUser).filter_by(username="agent")).one()
    user.roles = []
    assert _numbers_for("agent") == set()
    db.session.rollback()


def test_get_visible_ticket_hides_out_of_scope():
    clerk3 = db.session.scalars(select(HamrahUser).filter_by(username="clerk3")).one()
    assert get_visible_ticket(db.session, clerk3, 1004481) is None
    assert get_visible_ticket(db.session, clerk3, 1004483).number == 1004483


def test_agent_list_shows_only_their_departments(as_user):
    assert ticket_numbers(as_user("agent").get("/ticketmodelview/list/").data) == {
        "1004481", "1004482"}
    assert ticket_numbers(as_user("agent2").get("/ticketmodelview/list/").data) == {"1004483"}


def test_manager_list_shows_all(as_user):
    page = as_user("manager").get("/ticketmodelview/list/").data
    assert ticket_numbers(page) == {"1004481", "1004482", "1004483"}


def test_agent_gets_404_on_other_departments_ticket(as_user):
    other = db.session.scalars(select(Ticket).filter_by(number=1004483)).one()
    mine = db.session.scalars(select(Ticket).filter_by(number=1004481)).one()
    agent = as_user("agent")
    assert agent.get(f"/ticketmodelview/show/{other.id}").status_code == 404
    response = agent.get(f"/ticketmodelview/show/{mine.id}", follow_redirects=True)
    assert response.status_code == 200
    assert "کد ملی صحیح نمی باشد".encode() in response.data

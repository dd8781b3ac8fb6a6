"""The queue's bulk actions (issue 19, item 4): FAB list actions on the selected rows lead to
the bulk page; link, assign, transfer, close with a note; refused to clerks and supervisors,
scoped by the access rule."""
from sqlalchemy import select

from app.domain import known_issues
from app.extensions import db
from app.models import HamrahUser, StatusChange, Ticket
from tests.helpers import department_id, ticket


def user(name):
    return db.session.scalars(select(HamrahUser).filter_by(username=name)).one()


def pk(number):
    return str(ticket(number).id)


def test_action_leads_to_the_bulk_page_with_the_selected_numbers(as_user):
    agent = as_user("agent")
    page = agent.get("/ticketmodelview/list/").data.decode()
    assert "bulk_close" in page and 'class="action_check"' in page
    response = agent.post("/ticketmodelview/action_post",
                          data={"action": "bulk_close", "rowid": [pk(1004481), pk(1004482)]})
    assert response.status_code == 302
    assert "/support/bulk/close?n=1004481&n=1004482" in response.headers["Location"]


def test_bulk_close_with_a_note_and_scope(as_user):
    agent = as_user("agent")
    # 1004483 is Training's: outside the agent's scope, silently not touched
    response = agent.post("/support/bulk/close", data={"n": ["1004481", "1004482", "1004483"],
                                                       "note": "تکراری"})
    assert response.status_code == 302
    assert ticket(1004481).status == ticket(1004482).status == "closed"
    assert ticket(1004483).status == "new"
    notes = db.session.scalars(select(StatusChange.note).filter_by(to_status="closed")).all()
    assert notes == ["تکراری", "تکراری"]
    no_note = agent.post("/support/bulk/close", data={"n": ["1004482"], "note": ""})
    assert no_note.status_code == 400


def test_bulk_assign_transfer_and_link(as_user):
    agent = as_user("agent")
    me = user("agent").id
    assert agent.post("/support/bulk/assign", data={"n": ["1004481", "1004482"],
                                                    "assignee": str(me)}).status_code == 302
    assert ticket(1004481).assignee_id == ticket(1004482).assignee_id == me
    issue = known_issues.create(db.session, user("agent"), title="قطعی",
                                department_id=department_id())
    assert agent.post("/support/bulk/link", data={"n": ["1004481", "1004482"],
                                                  "known_issue": str(issue.id)}).status_code == 302
    assert {t.number for t in known_issues.linked_tickets(db.session, issue)} == {1004481, 1004482}
    assert agent.post("/support/bulk/transfer", data={
        "n": ["1004482"], "department": str(department_id("Training")), "note": "آموزشی"}
    ).status_code == 302
    assert ticket(1004482).department_id == department_id("Training")


def test_bulk_actions_refused_to_clerks_and_supervisors(as_user):
    before = {t.number: t.status for t in db.session.scalars(select(Ticket))}
    for name in ("clerk", "supervisor"):
        client = as_user(name)
        response = client.post("/ticketmodelview/action_post",
                               data={"action": "bulk_close", "rowid": [pk(1004481)]})
        assert response.status_code in (302, 403)
        assert "/support/bulk" not in response.headers.get("Location", "")
        for kind in ("close", "assign", "transfer", "link"):
            refused = client.post(f"/support/bulk/{kind}", data={"n": ["1004481"], "note": "x"})
            assert refused.status_code in (302, 403), (name, kind)
            assert "/support/bulk" not in refused.headers.get("Location", "")
    db.session.expire_all()
    assert {t.number: t.status for t in db.session.scalars(select(Ticket))} == before


def test_numbers_that_are_not_whole_numbers_are_dropped_not_errors(as_user):
    """«²» passes str.isdigit but not int(): it was a 500; now dropped like any non-number."""
    from app.persian.text import whole_number

    assert [whole_number(v) for v in ("12", "۱۲", "١٢", " 7 ", "²", "-1", "1.5", "9" * 19)] == \
        [12, 12, 12, 7, None, None, None, None]
    assert whole_number("۱۲", typed=False) is None and whole_number("12", typed=False) == 12
    agent = as_user("agent")
    response = agent.get("/support/bulk/close", query_string={"n": ["²", "1004481"]})
    assert response.status_code == 200
    assert agent.get("/support/known-issues/suggest",
                     query_string={"q": "پلاک", "department": "²"}).status_code == 200

"""Horizontal access: another office's or department's tickets, by number or id, on every
web URL and API route. Out of scope looks exactly like absent (404) and changes nothing."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.domain.attachments import IncomingFile
from app.domain.tickets import add_reply
from app.extensions import db
from app.models import (
    Announcement,
    Attachment,
    HamrahUser,
    Message,
    Office,
    Rating,
    StatusChange,
    Ticket,
    TicketActivity,
    TicketLink,
)
from app.models.base import utcnow
from tests.conftest import ticket_numbers
from tests.helpers import PDF, department_id
from tests.security.conftest import API, count

OFFICE_1001 = (1004481, 1004482)  # clerk's and clerk2's, Technical support
OFFICE_1002 = 1004483  # clerk3's, Training
SUBJECTS = {1004481: "اصلاح مشخصات کاربری", 1004482: "پلاک خودرو اشتباه است"}


def snapshot():
    db.session.expire_all()
    tickets = [(t.number, t.status, t.department_id, t.assignee_id, t.merged_into_id,
                t.unread_answer) for t in db.session.scalars(select(Ticket).order_by(Ticket.id))]
    return tickets, [count(m) for m in (Message, Rating, StatusChange, Attachment,
                                        TicketActivity, TicketLink)]


def _user_id(username):
    return db.session.scalars(select(HamrahUser.id).filter_by(username=username)).one()


def _actions(own_number):
    """Every state-changing web route on a ticket, with a plausible form."""
    return [
        ("reply", {"body": "I should not be here"}),
        ("rate", {"stars": "5"}),
        ("close", {}),
        ("reopen", {}),
        ("assign", {"assignee": str(_user_id("agent2"))}),
        ("transfer", {"department": str(department_id("Training")), "note": "mine now"}),
        ("link", {"number": str(own_number)}),
        ("merge", {"number": str(own_number)}),
    ]


def _attachment_on(number, author, internal=False):
    ticket = db.session.scalars(select(Ticket).filter_by(number=number)).one()
    user = db.session.scalars(select(HamrahUser).filter_by(username=author)).one()
    message = add_reply(db.session, ticket, user, "پیوست", [IncomingFile("scan.pdf", PDF)],
                        internal=internal)
    return db.session.scalars(select(Attachment.id).filter_by(message_id=message.id)).one()


@pytest.mark.parametrize("attacker,victims,own", [
    ("clerk3", OFFICE_1001, OFFICE_1002),  # another office
    ("agent2", OFFICE_1001, OFFICE_1002),  # another department (Technical support)
    ("agent", (OFFICE_1002,), OFFICE_1001[0]),
])
def test_ticket_routes_of_others_are_404_and_change_nothing(as_user, attacker, victims, own):
    client = as_user(attacker)
    before = snapshot()
    for number in victims:
        page = client.get(f"/support/tickets/{number}")
        assert page.status_code == 404
        for action, form in _actions(own):
            response = client.post(f"/support/tickets/{number}/{action}", data=form)
            allowed = {404} if attacker.startswith("agent") else {403, 404}
            assert response.status_code in allowed, (attacker, number, action,
                                                     response.status_code)
    assert snapshot() == before


@pytest.mark.parametrize("attacker,own,victim", [("agent2", 1004483, 1004481),
                                                 ("agent", 1004481, 1004483)])
@pytest.mark.parametrize("action", ["link", "merge"])
def test_link_or_merge_with_a_ticket_out_of_scope_is_refused(as_user, attacker, own, victim,
                                                              action):
    """The other ticket comes in the form: it must be in scope too."""
    before = snapshot()
    response = as_user(attacker).post(f"/support/tickets/{own}/{action}",
                                      data={"number": str(victim)})
    assert response.status_code == 302
    assert snapshot() == before


def test_ticket_show_by_primary_key_in_fab(as_user):
    ids = dict(db.session.execute(select(Ticket.number, Ticket.id)).all())
    agent2 = as_user("agent2")
    for number in OFFICE_1001:
        response = agent2.get(f"/ticketmodelview/show/{ids[number]}")
        assert response.status_code == 404, response.status_code
    listing = agent2.get("/ticketmodelview/list/?psize_TicketModelView=100")
    assert not ticket_numbers(listing.data) & {str(n) for n in OFFICE_1001}
    for number, subject in SUBJECTS.items():  # searching by number does not reach them
        found = agent2.get(f"/ticketmodelview/list/?_flt_0_number={number}")
        assert found.status_code == 200 and subject not in found.data.decode()


def test_attachments_of_others_are_404(as_user):
    public = _attachment_on(1004481, "clerk")
    internal = _attachment_on(1004481, "agent", internal=True)
    for attacker in ("clerk3", "agent2"):
        client = as_user(attacker)
        for attachment_id in (public, internal):
            assert client.get(f"/support/attachments/{attachment_id}").status_code == 404
    clerk = as_user("clerk")
    assert clerk.get(f"/support/attachments/{public}").status_code == 200
    assert clerk.get(f"/support/attachments/{internal}").status_code == 404  # staff only
    assert as_user("clerk2").get(f"/support/attachments/{public}").status_code == 200


def test_attachment_ids_are_not_guessable_by_walking(as_user):
    first = _attachment_on(1004481, "clerk")
    clerk3 = as_user("clerk3")
    statuses = {clerk3.get(f"/support/attachments/{i}").status_code
                for i in range(max(1, first - 3), first + 4)}
    assert statuses == {404}


def _announcement(**audience):
    office_1002 = db.session.scalars(select(Office).filter_by(code="1002")).one()
    item = Announcement(title="فقط دفتر ۲", body="متن", publish_at=utcnow() - timedelta(hours=1),
                        for_everyone=False, offices=[office_1002] if audience.get("office") else [])
    db.session.add(item)
    db.session.commit()
    return item.id


def test_announcement_for_another_office_is_404(as_user):
    announcement_id = _announcement(office=True)
    assert as_user("clerk").get(f"/support/announcements/{announcement_id}").status_code == 404
    assert "فقط دفتر ۲" not in as_user("clerk").get("/support/announcements/").data.decode()
    assert as_user("clerk3").get(f"/support/announcements/{announcement_id}").status_code == 200


# --- the REST API ---------------------------------------------------------------------

def _api_routes(number, attachment_id):
    return [
        ("get", f"{API}/tickets/{number}", None),
        ("get", f"{API}/tickets/{number}/status", None),
        ("get", f"{API}/tickets/{number}/messages", None),
        ("post", f"{API}/tickets/{number}/messages", {"body": "not mine"}),
        ("put", f"{API}/tickets/{number}/rating", {"stars": 5}),
        ("post", f"{API}/tickets/{number}/close", {}),
        ("post", f"{API}/tickets/{number}/reopen", {}),
        ("get", f"{API}/tickets/{number}/attachments/{attachment_id}", None),
    ]


@pytest.mark.parametrize("attacker", ["clerk3", "agent2"])
def test_api_routes_on_others_tickets_are_404(api_as, attacker):
    attachment_id = _attachment_on(1004481, "clerk")
    client, headers = api_as(attacker)
    before = snapshot()
    for number in OFFICE_1001:
        for method, url, body in _api_routes(number, attachment_id):
            response = getattr(client, method)(url, json=body, headers=headers)
            assert response.status_code in (403, 404), (attacker, method, url,
                                                        response.status_code)
            if response.status_code == 404:
                assert str(number) not in response.get_data(as_text=True)
    listing = client.get(f"{API}/tickets/", headers=headers)
    assert listing.status_code == 200
    assert not {str(n) for n in OFFICE_1001} & set(
        str(t.get("number")) for t in listing.json.get("result", []))
    assert snapshot() == before


def test_api_attachment_id_of_another_ticket_under_own_number(api_as):
    """Own ticket number in the URL, someone else's attachment id: still 404."""
    attachment_id = _attachment_on(1004481, "clerk")
    client, headers = api_as("clerk3")
    response = client.get(f"{API}/tickets/1004483/attachments/{attachment_id}", headers=headers)
    assert response.status_code == 404

"""CSRF: every form and state-changing request needs the token; without it nothing changes."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Announcement, Department, HamrahUser, Message, Rating, Ticket
from tests.helpers import department_id, new_ticket_form
from tests.security.conftest import count


def _token(client, url) -> str:
    html = client.get(url).data.decode()
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, url
    return match.group(1)


def _state():
    db.session.expire_all()
    return ([(t.number, t.status, t.department_id, t.assignee_id, t.merged_into_id)
             for t in db.session.scalars(select(Ticket).order_by(Ticket.id))],
            count(Message), count(Rating), count(Department), count(Announcement),
            count(HamrahUser))


def _agent2_id():
    return str(db.session.scalars(select(HamrahUser.id).filter_by(username="agent2")).one())


def _requests():
    dept = str(department_id("Training"))
    return [
        ("clerk", "/support/new", new_ticket_form()),
        ("clerk", "/support/tickets/1004481/reply", {"body": "csrf"}),
        ("clerk", "/support/tickets/1004481/rate", {"stars": "5"}),
        ("agent", "/support/tickets/1004481/close", {}),
        ("agent", "/support/tickets/1004481/reply", {"body": "csrf", "internal": "y"}),
        ("agent", "/support/tickets/1004481/assign", {"assignee": _agent2_id()}),
        ("agent", "/support/tickets/1004481/transfer", {"department": dept, "note": "x"}),
        ("agent", "/support/tickets/1004482/link", {"number": "1004481"}),
        ("agent", "/support/tickets/1004482/merge", {"number": "1004481"}),
        ("manager", "/departmentmodelview/add", {"name": "واحد", "name_en": "Unit",
                                                 "ordering": "9", "active": "y"}),
        ("manager", "/announcementmodelview/add", {"title": "t", "body": "b",
                                                   "for_everyone": "y"}),
        ("manager", f"/departmentmodelview/delete/{department_id('Training')}", {}),
    ]


def test_every_state_changing_request_without_a_token_is_refused(as_user, csrf_on):
    clients = {}
    before = _state()
    for username, url, form in _requests():
        csrf_on.config["WTF_CSRF_ENABLED"] = False
        client = clients.get(username) or clients.setdefault(username, as_user(username))
        csrf_on.config["WTF_CSRF_ENABLED"] = True
        response = client.post(url, data=form)
        assert response.status_code == 400, (url, response.status_code)
        assert 'data-status="400"' in response.data.decode()
        bad = client.post(url, data={**form, "csrf_token": "forged"})
        assert bad.status_code == 400, url
    assert _state() == before


def test_get_deletes_are_refused_while_csrf_is_on(as_user, csrf_on):
    csrf_on.config["WTF_CSRF_ENABLED"] = False
    manager = as_user("manager")
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    before = _state()
    manager.get(f"/departmentmodelview/delete/{department_id('Training')}")
    assert _state() == before


def test_login_needs_the_token_too(client, csrf_on):
    response = client.post("/login/", data={"username": "clerk", "password": "clerk"})
    assert response.status_code == 400
    assert client.get("/support/inbox").status_code == 302  # not signed in


def test_with_the_token_the_same_requests_work(client, csrf_on):
    token = _token(client, "/login/")
    assert client.post("/login/", data={"username": "clerk", "password": "clerk",
                                        "csrf_token": token}).status_code == 302
    token = _token(client, "/support/tickets/1004481")
    response = client.post("/support/tickets/1004481/reply",
                           data={"body": "با توکن", "csrf_token": token})
    assert response.status_code == 302
    token = _token(client, "/support/new")
    form = new_ticket_form()
    form["csrf_token"] = token
    response = client.post("/support/new", data=form)
    assert response.status_code == 302 and count(Ticket) == 4


def test_the_api_is_token_based_and_needs_no_csrf(api_as, csrf_on):
    client, headers = api_as("clerk")
    response = client.post("/api/v1/tickets/1004481/messages", json={"body": "از API"},
                           headers=headers)
    assert response.status_code in (200, 201)


@pytest.mark.parametrize("url", ["/support/tickets/1004481/reply", "/support/new"])
def test_a_cross_site_form_without_cookies_gets_nowhere(app, csrf_on, url):
    """SameSite=Lax: a cross-site POST arrives without the session: not signed in."""
    response = app.test_client().post(url, data={"body": "x"})
    assert response.status_code in (302, 400)
    assert count(Message) == 4

"""Horizontal and vertical access on every API route: out of scope is 404, nothing changes."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Message, Rating, StatusChange
from tests.api.conftest import API, attachment_of, ticket_by_number

# clerk3 (office 1002) and agent2 (Training) may not see 1004481 (office 1001, Technical support)
OUTSIDERS = ["clerk3", "agent2"]


def _routes(attachment_id):
    n = 1004481
    return [
        ("GET", f"{API}/tickets/{n}", None),
        ("GET", f"{API}/tickets/{n}/status", None),
        ("GET", f"{API}/tickets/{n}/messages", None),
        ("POST", f"{API}/tickets/{n}/messages", {"body": "نفوذ"}),
        ("GET", f"{API}/tickets/{n}/attachments/{attachment_id}", None),
    ]


def _state():
    db.session.expire_all()
    t = ticket_by_number(1004481)
    return (t.status, t.unread_answer,
            db.session.scalar(select(func.count()).select_from(Message)),
            db.session.scalar(select(func.count()).select_from(StatusChange)),
            db.session.scalar(select(func.count()).select_from(Rating)))


@pytest.mark.parametrize("username", OUTSIDERS)
def test_out_of_scope_ticket_is_404_on_every_route(api, username):
    attachment_id = attachment_of(1004481)
    client = api(username)
    before = _state()
    for method, url, body in _routes(attachment_id):
        response = client.open(method, url, json=body)
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json == {"message": "Not found."} or response.json["message"]
    assert 1004481 not in {r["number"] for r in client.get(f"{API}/tickets/").json["result"]}
    assert client.get(f"{API}/tickets/", query_string={
        "q": "(filters:!((col:number,opr:eq,value:1004481)))"}).json["count"] == 0
    assert _state() == before


def test_out_of_scope_looks_exactly_like_missing(api):
    client = api("clerk3")
    hidden = client.get(f"{API}/tickets/1004481")
    missing = client.get(f"{API}/tickets/9999999")
    assert (hidden.status_code, hidden.json) == (missing.status_code, missing.json)


def test_clerk3_cannot_rate_or_reply_to_another_office(api):
    client = api("clerk3")
    before = _state()
    assert client.put(f"{API}/tickets/1004481/rating", json={"stars": 5}).status_code == 404
    assert client.post(f"{API}/tickets/1004481/messages", json={"body": "x"}).status_code == 404
    assert _state() == before


def test_agent2_cannot_close_another_department(api):
    before = _state()
    assert api("agent2").post(f"{API}/tickets/1004481/close").status_code == 404
    assert api("agent2").post(f"{API}/tickets/1004481/reopen").status_code == 404
    assert _state() == before


def test_agent2_rating_is_refused_before_any_lookup(api):
    """Agents hold no rating permission: 403 whatever the number, so nothing is revealed."""
    agent2 = api("agent2")
    assert agent2.put(f"{API}/tickets/1004481/rating", json={"stars": 5}).status_code == 403
    assert agent2.put(f"{API}/tickets/9999999/rating", json={"stars": 5}).status_code == 403


@pytest.mark.parametrize("method, url", [
    ("POST", f"{API}/tickets/1004481/close"), ("POST", f"{API}/tickets/1004481/reopen")])
def test_clerk_cannot_use_staff_routes(api, method, url):
    before = _state()
    assert api("clerk").open(method, url).status_code == 403
    assert _state() == before


def test_in_scope_users_reach_every_route(api):
    attachment_id = attachment_of(1004481)
    for username in ["clerk", "agent", "manager"]:
        client = api(username)
        for method, url, body in _routes(attachment_id):
            assert client.open(method, url, json=body).status_code in (200, 201), (username, url)

"""/api/v1/known-issues (issue 19, item 6): the same access rule as the screens, bad input a
clear 400, the resolution idempotent by its key."""
from sqlalchemy import func, select

from app.domain import known_issues
from app.extensions import db
from app.models import Message
from tests.api.conftest import API, ticket_by_number, user
from tests.helpers import department_id

URL = f"{API}/known-issues/"


def make(actor="agent", department="Technical support", published=True, title="قطعی سامانه"):
    return known_issues.create(db.session, user(actor), title=title,
                               department_id=department_id(department), published=published)


def test_list_and_get_follow_the_rule(api):
    internal = make(published=False, title="داخلی")
    published = make(actor="manager", department="Training", title="عمومی")
    seen = {name: {i["id"] for i in api(name).get(URL).json["result"]}
            for name in ("manager", "agent", "agent2", "clerk", "supervisor")}
    assert seen["manager"] == seen["agent"] == {internal.id, published.id}
    assert seen["agent2"] == seen["clerk"] == seen["supervisor"] == {published.id}
    assert api("clerk").get(f"{URL}{internal.id}").status_code == 404
    assert api("clerk").get(f"{URL}{published.id}").json["result"]["title"] == "عمومی"
    assert api("clerk").get(f"{URL}abc").status_code == 404
    assert api("clerk").get(f"{URL}?status=closed").status_code == 400


def test_create_and_its_refusals(api):
    agent = api("agent")
    created = agent.post(URL, json={"title": "کندی", "department_id": department_id(),
                                    "published": True})
    assert created.status_code == 201 and created.json["result"]["status"] == "open"
    other = agent.post(URL, json={"title": "x", "department_id": department_id("Training")})
    assert other.status_code == 403
    assert api("clerk").post(URL, json={"title": "x", "department_id": department_id()}
                             ).status_code == 403
    for body in ({}, {"title": "", "department_id": 1}, {"title": "x", "department_id": "1"},
                 {"title": "x", "department_id": 1, "extra": 1}, [1]):
        response = agent.post(URL, json=body)
        assert response.status_code == 400 and response.json["message"], body
    assert agent.post(URL, data="nope").status_code == 400


def test_link_numbers(api):
    issue = make()
    agent = api("agent")
    url = f"{URL}{issue.id}/tickets"
    response = agent.post(url, json={"numbers": [1004481, "۱۰۰۴۴۸۲"]})
    assert response.status_code == 200 and sorted(response.json["result"]["tickets"]) == [
        1004481, 1004482]
    unseen = agent.post(url, json={"numbers": [1004483]})  # Training's ticket
    assert unseen.status_code == 400 and "1004483" in unseen.json["message"]
    for bad in ({"numbers": []}, {"numbers": "1"}, {"numbers": [True]}, {"numbers": ["x"]}, {}):
        response = agent.post(url, json=bad)
        assert response.status_code == 400 and response.json["message"], bad
    assert api("clerk").post(url, json={"numbers": [1004481]}).status_code == 403
    assert api("agent2").post(url, json={"numbers": [1004481]}).status_code == 403


def test_resolution_is_idempotent(api):
    issue = make()
    known_issues.link_numbers(db.session, user("agent"), issue, [1004481, 1004482])
    agent = api("agent")
    url = f"{URL}{issue.id}/resolution"
    body = {"body": "برطرف شد", "close": False}
    assert agent.post(url, json=body).status_code == 400  # no key
    assert agent.post(url, json=body, headers={"Idempotency-Key": "کلید"}).status_code == 400
    first = agent.post(url, json=body, headers={"Idempotency-Key": "r-1"})
    assert first.status_code == 200 and sorted(first.json["result"]["posted"]) == [1004481, 1004482]
    again = agent.post(url, json=body, headers={"Idempotency-Key": "r-1"})
    assert again.json["result"]["posted"] == [] and again.json["result"]["finished"]
    changed = agent.post(url, json={"body": "دیگر"}, headers={"Idempotency-Key": "r-1"})
    assert changed.status_code == 409
    for number in (1004481, 1004482):
        t = ticket_by_number(number)
        assert db.session.scalar(select(func.count()).select_from(Message).where(
            Message.ticket_id == t.id, Message.body == "برطرف شد")) == 1
    assert api("clerk").post(url, json=body, headers={"Idempotency-Key": "r-2"}
                             ).status_code == 403
    assert agent.post(url, json={"body": ""}, headers={"Idempotency-Key": "r-3"}
                      ).status_code == 400


def test_in_the_openapi_document(api):
    spec = api("agent").get(f"{API}/_openapi").json
    for path in ("/known-issues/", "/known-issues/{known_issue_id}",
                 "/known-issues/{known_issue_id}/tickets",
                 "/known-issues/{known_issue_id}/resolution"):
        assert any(p.endswith(path) for p in spec["paths"]), path

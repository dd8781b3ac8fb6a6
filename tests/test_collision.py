"""Agent collision (issue 18, item 4): presence on the agent's ticket page, and a reply
written before newer messages came is held (form: 409 with the text kept; API: 409 with the
newer messages) until sent again with the newer id."""
import html as html_module
import os
import re

import pytest
from sqlalchemy import func, select

from app.domain.collision import NewerMessages
from app.domain.tickets import add_reply
from app.extensions import db
from app.models import HamrahUser, Message, Ticket
from tests.helpers import run_at_once, ticket
from tests.security.conftest import api_headers

URL = "/support/tickets/1004481"


def _field(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    return html_module.unescape(re.search(r'value="([^"]*)"', tag).group(1))


def _messages() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Message))


def test_the_form_carries_the_last_message_seen(as_user):
    page = as_user("agent").get(URL).data.decode()
    last = db.session.scalar(select(func.max(Message.id)).join(Ticket)
                             .where(Ticket.number == 1004481))
    assert _field(page, "last_seen_message_id") == str(last)


def test_a_reply_after_a_newer_message_is_held_then_sent_on_confirmation(as_user):
    agent, manager = as_user("agent"), as_user("manager")
    seen = _field(agent.get(URL).data.decode(), "last_seen_message_id")
    before = _messages()
    assert manager.post(URL + "/reply", data={"body": "پاسخ مدیر",
                                               "last_seen_message_id": seen}).status_code == 302

    held = agent.post(URL + "/reply", data={"body": "پاسخ کارشناس", "last_seen_message_id": seen})
    assert held.status_code == 409
    page = held.data.decode()
    assert 'id="held-reply"' in page and 'id="confirm-reply"' in page
    assert "پاسخ مدیر" in page  # the new message is shown, marked new
    assert re.search(r'class="message from-support live-new" data-message-id="\d+"', page)
    assert "پاسخ کارشناس" in page  # the text is kept in the form
    assert _messages() == before + 1  # not sent
    newer = _field(page, "last_seen_message_id")
    assert int(newer) > int(seen) and _field(page, "confirm") == "1"

    sent = agent.post(URL + "/reply", data={"body": "پاسخ کارشناس", "last_seen_message_id": newer,
                                            "confirm": "1"})
    assert sent.status_code == 302
    assert _messages() == before + 2


def test_no_hold_without_newer_messages_or_for_ones_own(as_user):
    agent = as_user("agent")
    seen = _field(agent.get(URL).data.decode(), "last_seen_message_id")
    assert agent.post(URL + "/reply", data={"body": "اول", "last_seen_message_id": seen}
                      ).status_code == 302
    # the same stale id again: the only newer message is the agent's own
    assert agent.post(URL + "/reply", data={"body": "دوم", "last_seen_message_id": seen}
                      ).status_code == 302


def test_a_clerks_form_is_not_held(as_user):
    clerk = as_user("clerk")
    assert clerk.post(URL + "/reply", data={"body": "پاسخ کاربر", "last_seen_message_id": "1"}
                      ).status_code == 302


def test_api_reply_gets_a_409_with_the_newer_messages(app, client):
    agent_headers = api_headers(client, "agent")
    thread = client.get("/api/v1/tickets/1004481/messages", headers=agent_headers).json["result"]
    seen = thread[-1]["id"]
    manager = app.test_client()
    assert manager.post("/api/v1/tickets/1004481/messages", headers=api_headers(manager, "manager"),
                        json={"body": "پاسخ مدیر"}).status_code == 201
    held = client.post("/api/v1/tickets/1004481/messages", headers=agent_headers,
                       json={"body": "پاسخ کارشناس", "last_seen_message_id": seen})
    assert held.status_code == 409
    assert [m["body"] for m in held.json["newer"]] == ["پاسخ مدیر"]
    assert held.json["message"] and held.json["last_message_id"] == held.json["newer"][0]["id"]
    again = client.post("/api/v1/tickets/1004481/messages", headers=agent_headers,
                        json={"body": "پاسخ کارشناس",
                              "last_seen_message_id": held.json["last_message_id"]})
    assert again.status_code == 201
    without = client.post("/api/v1/tickets/1004481/messages", headers=agent_headers,
                          json={"body": "بدون شناسه", "last_seen_message_id": None})
    assert without.status_code == 201  # no id: nothing to check (older clients)


def test_api_409_does_not_leak_notes_to_a_clerk(app, client):
    agent = app.test_client()
    agent_headers = api_headers(agent, "agent")
    clerk_headers = api_headers(client, "clerk")
    seen = client.get("/api/v1/tickets/1004481/messages", headers=clerk_headers).json["result"]
    agent.post("/api/v1/tickets/1004481/messages", headers=agent_headers,
               json={"body": "یادداشت", "internal": True})
    response = client.post("/api/v1/tickets/1004481/messages", headers=clerk_headers,
                           json={"body": "پاسخ کاربر", "last_seen_message_id": seen[-1]["id"]})
    assert response.status_code == 201  # the note is not a message the clerk can see


def test_the_409_is_in_the_openapi_schema(client):
    spec = client.get("/api/v1/_openapi", headers=api_headers(client, "agent")).json
    post = spec["paths"]["/api/v1/tickets/{number}/messages"]["post"]
    assert "409" in post["responses"]
    body = post["responses"]["409"]["content"]["application/json"]["schema"]
    assert body["properties"]["newer"]["items"] == {"$ref": "#/components/schemas/MessageOut"}
    assert "last_seen_message_id" in spec["components"]["schemas"]["ReplyIn"]["properties"]


def test_presence_is_shown_to_the_other_agent(as_user):
    agent, manager = as_user("agent"), as_user("manager")
    first = agent.get(URL + "/live?state=viewing")
    assert first.json["present"] == 0
    manager.get(URL + "/live?state=typing")
    seen = agent.get(URL + "/live?state=viewing", headers={"If-None-Match": first.headers["ETag"]})
    assert seen.status_code == 200 and seen.json["present"] == 1
    assert "presence-typing" in seen.json["presence"]
    assert "مدیر پشتیبانی" in seen.json["presence"]
    again = agent.get(URL + "/live?state=viewing", headers={"If-None-Match": seen.headers["ETag"]})
    assert again.status_code == 304
    # the clerk's poll neither writes presence nor reads it
    clerk = as_user("clerk").get(URL + "/live").json
    assert "presence" not in clerk
    from app.models import TicketPresence

    assert db.session.scalar(select(func.count()).select_from(TicketPresence)) == 2


def test_presence_expires(app, as_user):
    from datetime import timedelta

    from app.domain.presence import others_present
    from app.models import TicketPresence
    from app.models.base import utcnow

    as_user("manager").get(URL + "/live?state=viewing")
    agent = db.session.scalars(select(HamrahUser).filter_by(username="agent")).one()
    ticket_id = ticket(1004481).id
    assert len(others_present(db.session, ticket_id, agent, seconds=25)) == 1
    later = utcnow() + timedelta(seconds=30)
    assert others_present(db.session, ticket_id, agent, seconds=25, now=later) == []
    assert db.session.scalar(select(func.count()).select_from(TicketPresence)) == 1


def test_another_departments_agent_writes_no_presence(as_user):
    from app.models import TicketPresence

    assert as_user("agent2").get(URL + "/live?state=typing").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(TicketPresence)) == 0


def _engine_kind() -> str:
    return "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql") \
        else "sqlite"


def test_two_replies_at_once_from_the_same_view_one_is_held(app):
    """Real threads (PostgreSQL's row lock, SQLite's write lock): two agents who saw the same
    last message reply at once; the check runs under the ticket's lock, so exactly one is sent
    and the other is held with the first one's message."""
    last = db.session.scalar(select(func.max(Message.id)).join(Ticket)
                             .where(Ticket.number == 1004481))
    before = _messages()

    def work(index):
        user = db.session.scalars(select(HamrahUser).filter_by(
            username=("agent", "manager")[index])).one()
        shared = db.session.scalars(select(Ticket).filter_by(number=1004481)).one()
        try:
            add_reply(db.session, shared, user, f"همزمان {index}", last_seen_message_id=last)
        except NewerMessages as held:
            db.session.rollback()
            return [("held", [m.body for m in held.messages])]
        return [("sent", f"همزمان {index}")]

    results, errors = run_at_once(app, work, 2)
    assert not errors, errors
    kinds = sorted(kind for kind, _ in results)
    assert kinds == ["held", "sent"], (_engine_kind(), results)
    sent = next(body for kind, body in results if kind == "sent")
    assert next(body for kind, body in results if kind == "held") == [sent]
    assert _messages() == before + 1


@pytest.mark.parametrize("username", ["clerk3", "agent2"])
def test_out_of_scope_reply_is_404_not_a_hold(as_user, username):
    response = as_user(username).post(URL + "/reply", data={"body": "x", "last_seen_message_id": "1"})
    assert response.status_code == 404


def test_leaving_the_page_drops_out_of_presence_at_once(as_user):
    from app.models import TicketPresence

    agent, manager = as_user("agent"), as_user("manager")
    manager.get(URL + "/live")
    assert agent.get(URL + "/live").json["present"] == 1
    assert manager.post(URL + "/leave").status_code == 204
    assert agent.get(URL + "/live").json["present"] == 0
    assert as_user("agent2").post(URL + "/leave").status_code == 404  # out of scope
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(TicketPresence)) == 1

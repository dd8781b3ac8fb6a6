"""The REST API for supervisors: their regions' tickets, threads and files, internal notes
only; clerks of an "own only" office are covered in tests/test_regions_access.py."""
from sqlalchemy import select

from app.extensions import db
from app.models import Ticket
from tests.api.conftest import attachment_of, login_token
from tests.helpers import department_id
from tests.regions_world import A_TICKETS, messages_of, regions  # noqa: F401 (fixture)


def test_api_list_item_and_attachments_follow_the_regions(app):
    in_a1, in_b = attachment_of(1004484), attachment_of(1004483)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {login_token(client, 'supervisor')}"}
    listed = client.get("/api/v1/tickets/?q=(page_size:100)", headers=headers)
    assert listed.status_code == 200
    assert {str(t["number"]) for t in listed.json["result"]} == A_TICKETS
    assert listed.json["count"] == len(A_TICKETS)
    assert client.get("/api/v1/tickets/1004484", headers=headers).status_code == 200
    assert client.get("/api/v1/tickets/1004483", headers=headers).status_code == 404
    assert client.get("/api/v1/tickets/1004483/messages", headers=headers).status_code == 404
    assert client.get(f"/api/v1/tickets/1004484/attachments/{in_a1}",
                      headers=headers).status_code == 200
    assert client.get(f"/api/v1/tickets/1004483/attachments/{in_b}",
                      headers=headers).status_code == 404
    assert client.get(f"/api/v1/tickets/1004484/attachments/{in_b}",
                      headers=headers).status_code == 404


def test_supervisor_api_is_read_only_except_notes(app):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {login_token(client, 'supervisor')}"}
    before = len(messages_of(1004484))
    reply = client.post("/api/v1/tickets/1004484/messages", json={"body": "پاسخ"},
                        headers=headers)
    assert reply.status_code == 403 and len(messages_of(1004484)) == before
    note = client.post("/api/v1/tickets/1004484/messages",
                       json={"body": "یادداشت", "internal": True}, headers=headers)
    assert note.status_code == 201 and messages_of(1004484)[-1].is_internal
    assert client.post("/api/v1/tickets/1004484/close", headers=headers).status_code == 403
    created = client.post("/api/v1/tickets/", json={
        "subject": "x", "department_id": department_id(), "body": "y"}, headers=headers)
    assert created.status_code == 403
    thread = client.get("/api/v1/tickets/1004484/messages", headers=headers).json["result"]
    assert [m["body"] for m in thread if m["internal"]] == ["یادداشت"]  # notes: shown to them
    ticket = db.session.scalars(select(Ticket).filter_by(number=1004484)).one()
    assert ticket.status == "new"  # reading the thread did not move it (support's first look does)

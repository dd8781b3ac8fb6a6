"""The thread through the API: internal notes, replies with files, downloads, status effects."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Message
from tests.api.conftest import API, add_message, assert_field_messages, attachment_of, ticket_by_number
from tests.helpers import PDF, PNG, upload


def _bodies(response):
    assert response.status_code == 200, response.json
    return [m["body"] for m in response.json["result"]]


def test_thread_oldest_first_and_internal_notes_for_staff_only(api):
    add_message(1004481, "agent", "یادداشت داخلی", internal=True)
    clerk_view = _bodies(api("clerk").get(f"{API}/tickets/1004481/messages"))
    assert clerk_view == ["کد ملی صحیح نمی باشد و نیاز به ویرایش دارد",
                          "تصویر شناسنامه یا کارت ملی پیوست شود"]
    assert "یادداشت داخلی" in _bodies(api("agent").get(f"{API}/tickets/1004481/messages"))
    assert "یادداشت داخلی" in _bodies(api("manager").get(f"{API}/tickets/1004481/messages"))


def test_clerk_cannot_write_internal_notes(api):
    response = api("clerk").post(f"{API}/tickets/1004481/messages",
                                 json={"body": "سلام", "internal": True})
    assert response.status_code == 201
    assert response.json["result"]["internal"] is False


def test_reading_marks_opened_like_the_ticket_page(api):
    assert ticket_by_number(1004482).status == "new"
    api("clerk").get(f"{API}/tickets/1004482/messages")
    assert ticket_by_number(1004482).status == "new"
    api("agent").get(f"{API}/tickets/1004482/messages")
    assert ticket_by_number(1004482).status == "read"
    assert ticket_by_number(1004481).unread_answer
    api("clerk").get(f"{API}/tickets/1004481/messages")
    assert not ticket_by_number(1004481).unread_answer


def test_replies_move_the_status(api):
    clerk, agent = api("clerk"), api("agent")
    answer = agent.post(f"{API}/tickets/1004482/messages", json={"body": "پاسخ پشتیبانی"})
    assert answer.status_code == 201 and answer.json["ticket"]["status"] == "answered"
    assert answer.json["result"]["from_support"] is True
    reply = clerk.post(f"{API}/tickets/1004482/messages", json={"body": "هنوز مشکل دارد"})
    assert reply.json["ticket"]["status"] == "clerk_replied"
    note = agent.post(f"{API}/tickets/1004482/messages", json={"body": "n", "internal": True})
    assert note.json["ticket"]["status"] == "clerk_replied" and note.json["result"]["internal"]


def test_agent_cannot_answer_a_closed_ticket(api):
    agent = api("agent")
    agent.post(f"{API}/tickets/1004481/close")
    response = agent.post(f"{API}/tickets/1004481/messages", json={"body": "x"})
    assert response.status_code == 400 and response.json["message"]


def test_reply_with_attachment_and_download(api):
    clerk = api("clerk")
    response = clerk.post(f"{API}/tickets/1004481/messages", content_type="multipart/form-data",
                          data={"body": "پیوست شد",
                                "files": [upload(PDF, "../../etc/scan\u202e.pdf")]})
    assert response.status_code == 201, response.json
    attachment = response.json["result"]["attachments"][0]
    assert attachment["name"] == "scan.pdf" and attachment["content_type"] == "application/pdf"
    download = clerk.get(attachment["url"])
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert api("agent").get(attachment["url"]).status_code == 200


@pytest.mark.parametrize("name, data", [("evil.html", b"<html><script>alert(1)</script>"),
                                        ("x.svg", b"<svg onload=alert(1)>"),
                                        ("fake.pdf", b"MZ\x90\x00")])
def test_forbidden_file_types_are_400_on_files(api, name, data):
    before = db.session.scalar(select(func.count()).select_from(Message))
    response = api("clerk").post(f"{API}/tickets/1004481/messages",
                                 content_type="multipart/form-data",
                                 data={"body": "x", "files": [upload(data, name)]})
    assert response.status_code == 400 and "files" in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(Message)) == before


def test_too_large_file_is_413_json(app, api):
    limit = app.config["ATTACHMENT_MAX_BYTES"]
    app.config["ATTACHMENT_MAX_BYTES"] = 100
    try:
        response = api("clerk").post(f"{API}/tickets/1004481/messages",
                                     content_type="multipart/form-data",
                                     data={"body": "x",
                                           "files": [upload(PNG + b"\0" * 200, "a.png")]})
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = limit
    assert response.status_code == 413 and "files" in response.json["errors"]


def test_request_over_max_content_length_is_413_json(app, api):
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = api("clerk").post(f"{API}/tickets/1004481/messages",
                                     content_type="multipart/form-data",
                                     data={"body": "x",
                                           "files": [upload(PDF + b"\0" * 5000, "a.pdf")]})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413 and response.is_json


def test_internal_notes_files_are_not_for_clerks(api):
    attachment_id = attachment_of(1004481, "agent", internal=True)
    url = f"{API}/tickets/1004481/attachments/{attachment_id}"
    assert api("clerk").get(url).status_code == 404
    assert api("agent").get(url).status_code == 200


def test_attachment_must_belong_to_the_ticket_in_the_url(api):
    attachment_id = attachment_of(1004481)
    assert api("clerk").get(f"{API}/tickets/1004482/attachments/{attachment_id}").status_code == 404
    assert api("clerk").get(f"{API}/tickets/1004481/attachments/x").status_code == 404


@pytest.mark.parametrize("body", [{}, {"body": ""}, {"body": "  "}, {"body": 5},
                                  {"body": "x" * 5001}, {"body": "x", "internal": "maybe"},
                                  {"body": "\ud800"}, {"body": "a\x00b"}])
def test_reply_validation(api, body):
    response = api("clerk").post(f"{API}/tickets/1004481/messages", json=body)
    assert response.status_code == 400
    assert set(response.json["errors"]) & {"body", "internal"}
    assert_field_messages(response.json["errors"])
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0

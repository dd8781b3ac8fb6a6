"""Stored and reflected XSS: payloads in every text field come back escaped on every page
that shows them, and a raw `<script>`/event handler never reaches the browser."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Announcement, Attachment, Department, HamrahUser, Ticket
from app.models.base import utcnow
from tests.helpers import PDF, new_ticket_form, upload
from tests.security.conftest import login

P = "<script>alert('x')</script><img src=x onerror=alert(1)>\"'><svg onload=alert(2)>"
RAW_MARKERS = ["<script>alert(", "<img src=x onerror", "<svg onload", "\"'><svg"]
# No slash (a file name loses its path parts), no double quote (werkzeug's test client
# cannot send one in a multipart file name).
FILE_P = "'><img src=x onerror=alert(1)>.pdf"


def _no_raw_payload(html: str, where: str):
    for marker in RAW_MARKERS:
        assert marker not in html, (where, marker)


def _shown_escaped(html: str, where: str):
    assert "&lt;img src=x onerror=alert(1)&gt;" in html, where


@pytest.fixture
def planted(app, as_user):
    """Payloads in every text field a person can type (and a manager can configure)."""
    clerk = as_user("clerk")
    clerk.post(f"/support/new?activity={P}", content_type="multipart/form-data", data={
        **new_ticket_form(subject=P[:150], body=P, activity=P),
        "attachments": [upload(PDF, FILE_P)]})
    number = db.session.scalars(select(Ticket.number).order_by(Ticket.number.desc())).first()
    assert number == 1004484
    agent = as_user("agent")
    agent.get(f"/support/tickets/{number}")
    agent.post(f"/support/tickets/{number}/reply", data={"body": P})
    agent.post(f"/support/tickets/{number}/reply", data={"body": P, "internal": "y"})
    clerk.post(f"/support/tickets/{number}/rate", data={"stars": "1", "reason": P[:400]})
    db.session.add(Announcement(title=P[:200], body=P, publish_at=utcnow() - timedelta(hours=1),
                                for_everyone=True))
    user = db.session.scalars(select(HamrahUser).filter_by(username="clerk")).one()
    user.display_name = P[:150]
    department = db.session.scalars(select(Department).filter_by(name_en="Technical support")).one()
    department.name = P[:100]
    db.session.commit()
    login(app.test_client(), P[:60], "wrong")  # a failed sign-in puts the name in the audit log
    return number


def _pages(app, number):
    ids = {"ticket": db.session.scalars(select(Ticket.id).filter_by(number=number)).one(),
           "announcement": db.session.scalars(select(Announcement.id).order_by(
               Announcement.id.desc())).first(),
           "user": db.session.scalars(select(HamrahUser.id).filter_by(username="clerk")).one(),
           "attachment": db.session.scalars(select(Attachment.id)).first()}
    pages = {
        "clerk": [f"/support/tickets/{number}", "/support/inbox", "/support/popup",
                  "/support/announcements/", f"/support/announcements/{ids['announcement']}",
                  "/support/new", f"/support/inbox?q={P}"],
        "agent": [f"/support/tickets/{number}", "/ticketmodelview/list/", "/support/inbox",
                  f"/ticketmodelview/show/{ids['ticket']}", f"/support/new?activity={P}"],
        "manager": ["/announcementmodelview/list/",
                    f"/announcementmodelview/show/{ids['announcement']}", "/users/list/",
                    f"/users/show/{ids['user']}", "/departmentmodelview/list/",
                    f"/support/tickets/{number}"],
    }
    if "AuditEventModelView.list" in app.view_functions:
        pages["manager"].append("/auditeventmodelview/list/")
    return pages, ids


def test_stored_payloads_are_escaped_everywhere(app, as_user, planted):
    pages, _ids = _pages(app, planted)
    shown = 0
    for username, urls in pages.items():
        client = as_user(username)
        for url in urls:
            response = client.get(url, follow_redirects=True)
            assert response.status_code == 200, (username, url, response.status_code)
            html = response.data.decode()
            _no_raw_payload(html, (username, url))
            shown += "&lt;img src=x onerror=alert(1)&gt;" in html
    assert shown >= 12  # the payload really was on the pages, escaped


def test_the_ticket_page_shows_every_field_escaped(as_user, planted):
    html = as_user("agent").get(f"/support/tickets/{planted}").data.decode()
    _no_raw_payload(html, "ticket page")
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") >= 4  # subject, body, reply, note
    assert "onerror=alert(1)&gt;.pdf" in html  # the file name, shown as given but escaped


def test_the_clerk_never_sees_the_internal_note(as_user, planted):
    html = as_user("clerk").get(f"/support/tickets/{planted}").data.decode()
    _no_raw_payload(html, "clerk ticket page")


def test_attachment_download_name_cannot_break_the_header(as_user, planted):
    attachment_id = db.session.scalars(select(Attachment.id)).first()
    response = as_user("clerk").get(f"/support/attachments/{attachment_id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and "\n" not in disposition
    assert response.data == PDF


@pytest.mark.parametrize("url", ["/support/popup?activity={p}&tracking_number={p}",
                                 "/support/new?activity={p}&national_id={p}",
                                 "/support/inbox?q={p}&status={p}&department={p}",
                                 "/login/?next={p}", "/support/tickets/1004481?canned={p}"])
def test_reflected_parameters_are_escaped(as_user, url):
    response = as_user("clerk").get(url.format(p=P), follow_redirects=True)
    assert response.status_code in (200, 400, 404)
    _no_raw_payload(response.data.decode(), url)


def test_json_api_returns_text_not_markup(api_as, planted):
    client, headers = api_as("clerk")
    response = client.get(f"/api/v1/tickets/{planted}", headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

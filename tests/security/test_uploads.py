"""Uploads: type by content, size limits, names sanitised yet shown, never a file without
its row nor a row without its file."""
import os

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.infra import file_storage
from app.models import Attachment, Message, Ticket
from tests.helpers import PDF, PNG, last_ticket_number, new_ticket_form, upload
from tests.security.conftest import count

HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'


def _files(app) -> set[str]:
    return {name for name in os.listdir(app.config["ATTACHMENT_DIR"])}


def _reply(client, *files, body="پیوست"):
    return client.post("/support/tickets/1004481/reply", content_type="multipart/form-data",
                       data={"body": body, "attachments": list(files)})


@pytest.mark.parametrize("data,name", [
    (HTML, "page.html"), (HTML, "page.pdf"), (SVG, "image.svg"), (SVG, "image.png"),
    (b"GIF89a" + b"\x00" * 20, "anim.gif"), (b"MZ\x90\x00" + b"\x00" * 20, "setup.exe"),
    (b"PK\x03\x04" + b"\x00" * 20, "doc.docx"), (b"", "empty.pdf"),
])
def test_dangerous_or_unknown_types_are_refused(app, as_user, data, name):
    before = (count(Message), count(Attachment), _files(app))
    clerk = as_user("clerk")
    response = _reply(clerk, upload(data, name))
    assert response.status_code == 400
    assert (count(Message), count(Attachment), _files(app)) == before
    created = clerk.post("/support/new", content_type="multipart/form-data",
                         data={**new_ticket_form(), "attachments": [upload(data, name)]})
    assert created.status_code in (200, 400)
    assert count(Ticket) == 3 and _files(app) == before[2]


def test_a_pdf_named_html_is_stored_and_served_as_a_pdf_download(as_user):
    clerk = as_user("clerk")
    assert _reply(clerk, upload(PDF + HTML, "page.html")).status_code == 302
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.content_type == "application/pdf"
    download = clerk.get(f"/support/attachments/{attachment.id}")
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors" in download.headers["Content-Security-Policy"]


def test_a_file_over_the_per_file_limit_is_refused_with_the_limit(app, as_user):
    messages = count(Message)
    app.config["ATTACHMENT_MAX_BYTES"] = 1024
    try:
        clerk = as_user("clerk")
        clerk.get("/lang/en")
        response = _reply(clerk, upload(PDF + b"0" * 2048, "big.pdf"), upload(PDF, "small.pdf"))
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = 5 * 1024 * 1024
    assert response.status_code == 400
    assert "larger than" in response.data.decode() and "big.pdf" in response.data.decode()
    assert count(Attachment) == 0 and count(Message) == messages


def test_a_request_over_the_total_limit_is_the_413_page_and_saves_nothing(app, as_user):
    before = (count(Message), count(Attachment), _files(app))
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    try:
        clerk = as_user("clerk")
        response = _reply(clerk, *[upload(PDF + b"0" * 30 * 1024, f"f{i}.pdf") for i in range(3)])
        created = clerk.post("/support/new", content_type="multipart/form-data", data={
            **new_ticket_form(), "attachments": [upload(PDF + b"0" * 80 * 1024, "big.pdf")]})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
    assert response.status_code == 413 and 'data-status="413"' in response.data.decode()
    assert created.status_code == 413
    assert (count(Message), count(Attachment), _files(app)) == before
    assert count(Ticket) == 3


@pytest.mark.parametrize("name,shown", [
    ("../../etc/passwd.pdf", "passwd.pdf"), ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
    ("/etc/shadow.pdf", "shadow.pdf"), ("C:\\Users\\x\\scan.pdf", "scan.pdf"),
    ("invoice\u202efdp.exe.pdf", "invoicefdp.exe.pdf"), ("a\x00b\x1b\tc\x7f.pdf", "abc.pdf"),
    ("\u2066rtl\u2069.pdf", "rtl.pdf"), ("....pdf", "pdf"), ("نامه اداری.pdf", "نامه اداری.pdf"),
])
def test_file_names_are_sanitised_but_shown(app, as_user, name, shown):
    clerk = as_user("clerk")
    assert _reply(clerk, upload(PDF, name)).status_code == 302
    attachment = db.session.scalars(select(Attachment)).one()
    assert attachment.original_name == shown
    assert attachment.stored_name in _files(app) and "/" not in attachment.stored_name
    page = clerk.get("/support/tickets/1004481").data.decode()
    assert shown in page
    download = clerk.get(f"/support/attachments/{attachment.id}")
    disposition = download.headers["Content-Disposition"]
    assert "/" not in disposition and "\\" not in disposition and "\u202e" not in disposition
    assert not os.path.exists(os.path.join(app.config["ATTACHMENT_DIR"], "..", "..", "etc",
                                           "passwd.pdf"))


def test_stored_names_cannot_be_used_to_escape_the_directory(app):
    storage = file_storage.LocalStorage(app.config["ATTACHMENT_DIR"])
    for bad in ("../../etc/passwd", "..", "a/b" * 10, "", "x" * 10):
        with pytest.raises(ValueError):
            storage.read(bad)


@pytest.fixture
def failing_commit():
    """The next commit of the app's session fails, after the files were written."""
    state = {"armed": False}

    def boom(session):
        if state["armed"]:
            state["armed"] = False
            raise RuntimeError("database went away during commit")

    event.listen(db.session, "before_commit", boom)
    yield state
    event.remove(db.session, "before_commit", boom)


def test_a_failed_commit_leaves_no_file_behind(app, as_user, failing_commit):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    before, messages = _files(app), count(Message)
    try:
        clerk = as_user("clerk")
        failing_commit["armed"] = True
        response = clerk.post("/support/new", content_type="multipart/form-data", data={
            **new_ticket_form(), "attachments": [upload(PDF, "a.pdf"), upload(PNG, "b.png")]})
        failing_commit["armed"] = True
        reply = _reply(clerk, upload(PDF, "c.pdf"))
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500 and reply.status_code == 500
    assert _files(app) == before
    assert count(Attachment) == 0 and count(Ticket) == 3 and count(Message) == messages


def test_a_failed_file_write_leaves_no_row_and_no_partial_files(app, as_user, monkeypatch):
    before, messages = _files(app), count(Message)
    real_save = file_storage.LocalStorage.save
    calls = {"n": 0}

    def second_write_fails(self, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_save(self, data)

    monkeypatch.setattr(file_storage.LocalStorage, "save", second_write_fails)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = _reply(as_user("clerk"), upload(PDF, "a.pdf"), upload(PNG, "b.png"))
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert _files(app) == before
    assert count(Attachment) == 0 and count(Message) == messages
    assert last_ticket_number() == 1004483

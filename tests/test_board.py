"""Announcements: audience, publish window, unread marks."""
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Announcement, Office
from app.models.base import utcnow


def _add(**fields):
    fields.setdefault("body", "متن")
    fields.setdefault("publish_at", utcnow() - timedelta(hours=1))
    item = Announcement(**fields)
    db.session.add(item)
    db.session.commit()
    return item.id


def test_unread_then_read(as_user):
    clerk = as_user("clerk")
    item_id = db.session.scalars(select(Announcement.id)).one()
    assert b"unread-mark" in clerk.get("/support/announcements/").data
    assert clerk.get(f"/support/announcements/{item_id}").status_code == 200
    assert b"unread-mark" not in clerk.get("/support/announcements/").data
    assert b"unread-mark" in as_user("clerk2").get("/support/announcements/").data  # per user


def test_audience_and_publish_window(as_user):
    office2 = db.session.scalars(select(Office).filter_by(code="1002")).one()
    only_office2 = _add(title="office two only", for_everyone=False, offices=[office2])
    future = _add(title="not yet", publish_at=utcnow() + timedelta(days=1))
    expired = _add(title="expired", expires_at=utcnow() - timedelta(minutes=1))
    clerk_page = as_user("clerk").get("/support/announcements/").data.decode()
    assert "office two only" not in clerk_page
    assert "not yet" not in clerk_page and "expired" not in clerk_page
    assert "office two only" in as_user("clerk3").get("/support/announcements/").data.decode()
    for hidden in (only_office2, future, expired):
        assert as_user("clerk").get(f"/support/announcements/{hidden}").status_code == 404


def test_newest_first(as_user):
    _add(title="newer one", publish_at=utcnow() - timedelta(minutes=1))
    page = as_user("clerk").get("/support/announcements/").data.decode()
    assert page.index("newer one") < page.index("امکان ادامه تیکت")

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


def test_department_audience(as_user):
    from app.models import Department

    training = db.session.scalars(select(Department).filter_by(name_en="Training")).one()
    _add(title="training agents only", for_everyone=False, departments=[training])
    assert "training agents only" in as_user("agent2").get("/support/announcements/").data.decode()
    assert "training agents only" not in as_user("agent").get("/support/announcements/").data.decode()


def test_read_report_for_managers(as_user):
    item_id = db.session.scalars(select(Announcement.id)).one()
    as_user("clerk").get(f"/support/announcements/{item_id}")
    report = as_user("manager").get(f"/announcementmodelview/report/{item_id}")
    assert report.status_code == 200
    rows = report.data.decode()
    assert rows.count('class="read"') == 1 and rows.count('class="unread"') == 6  # 7 demo users
    assert as_user("agent").get(f"/announcementmodelview/report/{item_id}").status_code == 403
    assert as_user("clerk").get(f"/announcementmodelview/report/{item_id}").status_code == 403


def test_unticked_boxes_save_as_false(as_user):
    """NOT NULL booleans must not become required checkboxes in FAB's forms."""
    client = as_user("manager")
    form = client.get("/announcementmodelview/add").data.decode()
    assert 'id="pinned" name="pinned" required' not in form
    response = client.post("/announcementmodelview/add", data={
        "title": "unpinned", "body": "b", "publish_at": "۱۴۰۴/۰۱/۰۱ ۰۸:۰۰"})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.scalars(select(Announcement).filter_by(title="unpinned")).one()
    assert saved.pinned is False and saved.for_everyone is False


def test_pinned_banner_until_read(as_user):
    item_id = _add(title="بنر سنجاق شده", pinned=True)
    clerk = as_user("clerk")
    assert "pinned-announcement" in clerk.get("/support/inbox").data.decode()
    clerk.get(f"/support/announcements/{item_id}")
    assert "pinned-announcement" not in clerk.get("/support/inbox").data.decode()


def test_navbar_counts_in_one_statement(as_user):
    """Badge, unread announcements and the pinned banner come from one statement per page."""
    from app.domain.counters import navbar_counters
    from app.models import HamrahUser
    from tests.helpers import StatementCounter

    pinned = _add(title="pinned one", pinned=True)
    clerk = db.session.scalars(select(HamrahUser).filter_by(username="clerk")).one()
    navbar_counters(db.session, clerk)  # fills the reference cache (the announcements)
    with StatementCounter() as counter:
        counters = navbar_counters(db.session, clerk)
    assert counter.count == 1
    assert counters["unread_announcements"] == 2 and counters["unread_answers"] == 1
    assert [n.id for n in counters["pinned"]] == [pinned]
    as_user("clerk").get(f"/support/announcements/{pinned}")
    counters = navbar_counters(db.session, clerk)
    assert counters["unread_announcements"] == 1 and counters["pinned"] == []

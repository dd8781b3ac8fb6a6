"""Departments (active only) and announcements (audience, unread, mark read) via the API."""
from datetime import timedelta

from app.extensions import db
from app.models import Announcement, Department
from app.models.base import utcnow
from tests.api.conftest import API
from tests.helpers import department_id


def test_active_departments_in_order(api):
    db.session.get(Department, department_id("Training")).active = False
    db.session.commit()
    response = api("clerk").get(f"{API}/departments/", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    names = [d["name"] for d in response.json["result"]]
    assert names == ["Technical support", "Rollout and setup"]


def test_announcements_unread_then_read(api):
    clerk = api("clerk")
    listing = clerk.get(f"{API}/announcements/").json
    assert listing["count"] == 1 and listing["unread"] == 1
    announcement_id = listing["result"][0]["id"]
    assert clerk.get(f"{API}/announcements/{announcement_id}").json["result"]["unread"] is True
    marked = clerk.post(f"{API}/announcements/{announcement_id}/read")
    assert marked.status_code == 200 and marked.json["result"]["unread"] is False
    assert clerk.post(f"{API}/announcements/{announcement_id}/read").status_code == 200
    assert clerk.get(f"{API}/announcements/").json["unread"] == 0
    assert api("clerk2").get(f"{API}/announcements/").json["unread"] == 1


def test_invisible_announcements_are_404(api):
    future = Announcement(title="بعدا", body="...", publish_at=utcnow() + timedelta(days=1))
    db.session.add(future)
    db.session.commit()
    clerk = api("clerk")
    assert future.id not in {a["id"] for a in clerk.get(f"{API}/announcements/").json["result"]}
    for url in [f"{API}/announcements/{future.id}", f"{API}/announcements/abc",
                f"{API}/announcements/{'9' * 30}"]:
        assert clerk.get(url).status_code == 404
    assert clerk.post(f"{API}/announcements/{future.id}/read").status_code == 404

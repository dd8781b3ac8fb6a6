from sqlalchemy import func, select

from app.extensions import db
from app.models import Announcement, HamrahUser, Message, Ticket


def _counts():
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (HamrahUser, Ticket, Message, Announcement))


def test_demo_loader_is_idempotent(runner):
    before = _counts()
    result = runner.invoke(args=["hamrah", "demo"])
    assert result.exit_code == 0, result.output
    assert _counts() == before == (7, 3, 4, 1)


def test_demo_users_log_in(app):
    good = app.test_client().post("/login/", data={"username": "clerk", "password": "clerk"})
    assert good.status_code == 302 and "/login/" not in good.headers["Location"]
    bad = app.test_client().post("/login/", data={"username": "clerk", "password": "wrong"})
    assert bad.status_code == 302 and "/login/" in bad.headers["Location"]

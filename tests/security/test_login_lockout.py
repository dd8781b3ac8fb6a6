"""The sign-in lockout is one count for every worker and node: kept in the database, it
survives a restart, managers see and lift it, and both are in the audit log.

On the code before it, two workers (two apps, each with Flask-Limiter's per-process memory
storage) counted apart: the username was never locked after LOGIN_FAILURE_LIMIT failures
spread over both, and a fresh worker forgot every failure."""
from datetime import timedelta

from sqlalchemy import func, select

from app.domain import login_lockout
from app.extensions import db
from app.models import AuditEvent, LoginLockout
from app.models.base import utcnow
from tests.helpers import run_at_once

LIMITS = dict(RATELIMIT_ENABLED=True, LOGIN_FAILURE_LIMIT="4 per hour",
              AUTH_RATE_LIMIT="1000 per minute")
LIST = "/loginlockoutmodelview/list/"


def _worker(make_app, name):
    """A worker of its own: another app, another in-memory limiter, the same database."""
    return make_app(**LIMITS, NODE_NAME=name)


def _login(app, username, password=None, address="203.0.113.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client.post("/login/", data={"username": username, "password": password or username})


def _events(kind):
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.event == kind))


def test_failures_on_two_workers_add_up_and_a_restart_forgets_none(make_app):
    first, second = _worker(make_app, "w1"), _worker(make_app, "w2")
    for i in range(4):
        assert _login((first, second)[i % 2], "clerk", "wrong").status_code == 302
    for worker in (first, second):
        assert _login(worker, "clerk").status_code == 429  # even the right password
    restarted = _worker(make_app, "w3-after-restart")
    assert _login(restarted, "clerk").status_code == 429
    assert _login(restarted, "clerk2").status_code == 302  # others are not affected
    assert _events("login_locked") == 1


def test_the_api_sign_in_shares_the_same_lockout(make_app):
    worker = _worker(make_app, "w1")
    for _ in range(4):
        assert _login(worker, "agent", "wrong").status_code == 302
    client = worker.test_client()
    response = client.post("/api/v1/security/login",
                           json={"username": "agent", "password": "agent", "provider": "db"})
    assert response.status_code == 429


def test_a_successful_sign_in_forgets_earlier_failures(make_app):
    worker = _worker(make_app, "w1")
    for _ in range(3):
        _login(worker, "clerk", "wrong")
    assert _login(worker, "clerk").status_code == 302
    for _ in range(3):
        _login(worker, "clerk", "wrong")
    assert _login(worker, "clerk").status_code == 302


def test_failures_older_than_the_window_do_not_count(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", "4 per hour")
    long_ago = utcnow() - timedelta(hours=2)
    with app.test_request_context():
        for _ in range(3):
            login_lockout.record_failure(db.session, "clerk", None, now=long_ago)
        assert not login_lockout.record_failure(db.session, "clerk", None)
        assert login_lockout.locked_until(db.session, "clerk") is None
        for _ in range(3):
            locked = login_lockout.record_failure(db.session, "Clerk ", None)
        assert locked and login_lockout.locked_until(db.session, "CLERK") is not None


def test_managers_see_and_lift_a_lockout_and_both_are_audited(make_app, as_user):
    worker = _worker(make_app, "w1")
    for _ in range(4):
        _login(worker, "clerk", "wrong", address="198.51.100.23")
    manager = as_user("manager")
    page = manager.get(LIST).get_data(as_text=True)
    assert "clerk" in page and "198.51.100.23" in page
    lockout_id = db.session.scalar(select(LoginLockout.id).where(LoginLockout.username == "clerk"))
    response = manager.post("/loginlockoutmodelview/action_post",
                            data={"action": "lift", "rowid": [str(lockout_id)]})
    assert response.status_code == 302
    assert _login(worker, "clerk").status_code == 302
    assert _events("login_locked") == 1 and _events("lockout_lifted") == 1


def test_agents_and_clerks_can_neither_see_nor_lift_lockouts(make_app, as_user):
    worker = _worker(make_app, "w1")
    for _ in range(4):
        _login(worker, "clerk2", "wrong")
    lockout_id = db.session.scalar(select(LoginLockout.id))
    for username in ("agent", "clerk"):
        client = as_user(username)
        listing = client.get(LIST)
        assert listing.status_code in (302, 403) and "clerk2" not in listing.get_data(as_text=True)
        client.post("/loginlockoutmodelview/action_post",
                    data={"action": "lift", "rowid": [str(lockout_id)]})
        db.session.expire_all()
        assert db.session.get(LoginLockout, lockout_id) is not None
    assert _login(worker, "clerk2").status_code == 429


def test_concurrent_failures_lock_once(app, monkeypatch):
    """Eight threads fail at once (PostgreSQL: eight connections, row locks on the upsert)."""
    monkeypatch.setitem(app.config, "LOGIN_FAILURE_LIMIT", "4 per hour")
    locked, errors = run_at_once(
        app, lambda _i: [login_lockout.record_failure(db.session, "agent2", None)
                         for _ in range(2)], 8)
    assert errors == []
    assert locked.count(True) == 1
    row = db.session.scalar(select(LoginLockout).where(LoginLockout.username == "agent2"))
    assert row.failures == 16 and row.locked_until is not None
    assert _events("login_locked") == 1

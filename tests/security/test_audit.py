"""The audit log: sign-ins, failures, sign-outs, host sign-ins, role changes and deletions,
written in the transaction of the change; readable by Admin and Manager only, never editable."""
import pytest
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from app.extensions import db
from app.models import HamrahUser
from app.models.audit import AuditEvent
from tests.security.conftest import login


def events(kind=None):
    db.session.expire_all()
    stmt = select(AuditEvent).order_by(AuditEvent.id)
    if kind:
        stmt = stmt.where(AuditEvent.event == kind)
    return list(db.session.scalars(stmt))


def _role_id(name):
    return db.session.scalars(select(Role.id).filter_by(name=name)).one()


def _user(username):
    db.session.expire_all()
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


@pytest.fixture
def audit_view(app):
    if "AuditEventModelView.list" not in app.view_functions:
        pytest.fail("AuditEventModelView is not registered: add its line to app/views/__init__.py")


def test_sign_in_failure_and_sign_out(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    login(client, "clerk", "wrong")
    login(client, "nobody-such", "x")
    login(client, "clerk")
    client.get("/logout/")
    failed = events("login_failed")
    assert [e.target for e in failed] == ["clerk", "nobody-such"]
    assert all(e.remote_addr == "198.51.100.7" and e.actor == "anonymous" for e in failed)
    [signed_in] = events("login")
    assert signed_in.actor == "clerk" and signed_in.target_id == _user("clerk").id
    assert signed_in.detail == "POST /login/"
    [signed_out] = events("logout")
    assert signed_out.actor == "clerk"


def test_api_sign_ins_are_audited(app):
    client = app.test_client()
    client.post("/api/v1/security/login", json={"username": "clerk", "password": "no",
                                                "provider": "db"})
    client.post("/api/v1/security/login", json={"username": "clerk", "password": "clerk",
                                                "provider": "db"})
    assert [e.detail for e in events("login_failed")] == ["POST /api/v1/security/login"]
    assert [e.detail for e in events("login")] == ["POST /api/v1/security/login"]


def test_host_token_sign_in_is_audited(app):
    from tests.test_popup import _token

    client = app.test_client()
    assert client.get("/support/popup?token=" + _token(app)).status_code == 302
    [event] = events("host_signin")
    assert event.target == "newclerk" and event.detail.startswith("GET /support/popup")


def test_role_changes_of_a_user(as_user):
    agent = _user("agent")
    before = len(events())
    as_user("manager").post(f"/users/edit/{agent.id}", data={
        "first_name": agent.first_name, "last_name": agent.last_name,
        "display_name": agent.display_name, "email": agent.email, "username": "agent",
        "active": "y", "roles": [str(_role_id("Agent")), str(_role_id("Clerk"))]})
    changed = events("user_changed")
    assert len(changed) == 1 and changed[0].target == "agent"
    assert changed[0].detail == "roles: +[Clerk] -[]" and changed[0].actor == "manager"
    assert len(events()) == before + 2  # the manager's sign-in and the change


def test_deactivating_and_password_reset(as_user):
    manager = as_user("manager")
    clerk2 = _user("clerk2")
    manager.post(f"/resetpassword/form?pk={clerk2.id}",
                 data={"password": "New-pass-123", "conf_password": "New-pass-123"})
    details = [e.detail for e in events("user_changed")]
    assert details == ["password changed"]
    assert "New-pass" not in "".join(details)


def test_role_permission_change_create_and_delete(admin):
    admin.post("/roles/add", data={"name": "Auditors"})
    role_id = _role_id("Auditors")
    from flask_appbuilder.security.sqla.models import PermissionView

    pv = db.session.scalars(select(PermissionView)).first()
    admin.post(f"/roles/edit/{role_id}", data={"name": "Auditors", "permissions": [str(pv.id)]})
    admin.post(f"/roles/delete/{role_id}")
    assert [e.target for e in events("role_created")] == ["Auditors"]
    [changed] = events("role_changed")
    assert changed.detail.startswith("permissions: +[") and changed.actor == "admin"
    [deleted] = events("role_deleted")
    assert deleted.target == "Auditors" and deleted.target_id == role_id


def test_user_created_and_deleted(as_user):
    manager = as_user("manager")
    manager.post("/users/add", data={
        "first_name": "Temp", "last_name": "User", "display_name": "موقت",
        "email": "temp@example.org", "username": "temp", "active": "y",
        "roles": [str(_role_id("Clerk"))], "password": "Temp-pass-123",
        "conf_password": "Temp-pass-123"})
    temp = _user("temp")
    manager.post(f"/users/delete/{temp.id}")
    [created] = [e for e in events("user_created") if e.target == "temp"]
    assert created.detail == "roles: [Clerk]" and created.actor == "manager"
    [deleted] = events("user_deleted")
    assert deleted.target == "temp" and deleted.actor == "manager"


def test_a_refused_change_leaves_no_audit_row(as_user):
    me = _user("manager")
    before = len(events())
    as_user("manager").post(f"/users/edit/{me.id}", data={
        "first_name": me.first_name, "last_name": me.last_name, "email": me.email,
        "username": "manager", "active": "y", "roles": [str(_role_id("Admin"))]})
    assert not events("user_changed") and len(events()) == before + 1  # only the sign-in


def test_manager_reads_the_log(app, as_user, audit_view):
    login(app.test_client(), "ghost", "x")
    manager = as_user("manager")
    listing = manager.get("/auditeventmodelview/list/")
    assert listing.status_code == 200 and "ghost" in listing.data.decode()
    event = events("login_failed")[0]
    assert manager.get(f"/auditeventmodelview/show/{event.id}").status_code == 200


def test_the_log_is_read_only_and_staff_below_manager_cannot_read_it(as_user, audit_view):
    event_id = events()[0].id
    manager = as_user("manager")
    for url in ("/auditeventmodelview/add", f"/auditeventmodelview/edit/{event_id}",
                f"/auditeventmodelview/delete/{event_id}"):
        assert manager.get(url).status_code in (403, 404, 405), url
        assert manager.post(url, data={"event": "x"}).status_code in (403, 404, 405), url
    assert db.session.get(AuditEvent, event_id) is not None
    for username in ("agent", "clerk"):
        assert as_user(username).get("/auditeventmodelview/list/").status_code == 403

"""Vertical access: clerks on agent, manager and admin routes, agents on manager routes,
managers on admin-only routes and on escalating themselves; web and API."""
import pytest
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from app.extensions import db
from app.models import Announcement, Department, HamrahUser, Office, Ticket
from tests.security.conftest import API, count, login


def _ids():
    first = lambda model, **kw: db.session.scalars(  # noqa: E731
        select(model.id).filter_by(**kw).order_by(model.id)).first()
    return {"ticket": first(Ticket), "department": first(Department), "office": first(Office),
            "announcement": first(Announcement), "user": first(HamrahUser, username="manager"),
            "role": first(Role, name="Manager")}


def _crud(base, pk):
    return [f"/{base}/list/", f"/{base}/add", f"/{base}/show/{pk}", f"/{base}/edit/{pk}",
            f"/{base}/delete/{pk}"]


def staff_urls(app, ids):
    urls = ["/ticketmodelview/list/", f"/ticketmodelview/show/{ids['ticket']}"]
    if "TicketModelView.export" in app.view_functions:
        urls.append("/ticketmodelview/export/")
    return urls


def manager_urls(app, ids):
    urls = (_crud("departmentmodelview", ids["department"])
            + _crud("officemodelview", ids["office"])
            + _crud("announcementmodelview", ids["announcement"])
            + _crud("users", ids["user"]) + _crud("roles", ids["role"])
            + ["/cannedreplymodelview/list/", f"/resetpassword/form?pk={ids['user']}",
               "/auditeventmodelview/list/", "/outboxmodelview/list/"])
    if "AnnouncementModelView.report" in app.view_functions:
        urls.append(f"/announcementmodelview/report/{ids['announcement']}")
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/dashboard", "/reports")) and not rule.arguments:
            urls.append(rule.rule)
    return urls


ADMIN_ONLY = ["/permissions/list/", "/viewmenus/list/", "/permissionviews/list/",
              "/groups/list/", "/userstatschartview/chart/", "/permissions/add",
              "/viewmenus/add"]


def _refused(response) -> bool:
    """FAB answers 403 to a signed-in user without the permission (or sends them to log in)."""
    return response.status_code in (403, 404, 405) or (
        response.status_code == 302 and "/login" in response.headers["Location"])


@pytest.mark.parametrize("username", ["clerk", "clerk3"])
def test_clerk_on_staff_manager_and_admin_routes(app, as_user, username):
    ids = _ids()
    client = as_user(username)
    for url in staff_urls(app, ids) + manager_urls(app, ids) + ADMIN_ONLY:
        assert _refused(client.get(url)), url
        assert _refused(client.post(url, data={"name": "x"})), url


def test_agent_on_manager_and_admin_routes(app, as_user):
    ids = _ids()
    agent = as_user("agent")
    for url in manager_urls(app, ids) + ADMIN_ONLY:
        assert _refused(agent.get(url)), url
        assert _refused(agent.post(url, data={"name": "x"})), url


def test_manager_on_admin_only_routes(as_user):
    manager = as_user("manager")
    for url in ADMIN_ONLY:
        assert _refused(manager.get(url)), url


def test_refused_deletes_change_nothing(app, as_user):
    ids = _ids()
    before = [count(m) for m in (HamrahUser, Role, Department, Office, Announcement)]
    for username in ("clerk", "agent"):
        client = as_user(username)
        for base, key in (("users", "user"), ("roles", "role"),
                          ("departmentmodelview", "department"), ("officemodelview", "office"),
                          ("announcementmodelview", "announcement")):
            client.post(f"/{base}/delete/{ids[key]}")
            client.get(f"/{base}/delete/{ids[key]}")
    assert [count(m) for m in (HamrahUser, Role, Department, Office, Announcement)] == before


def test_clerk_cannot_use_staff_actions_on_own_ticket(as_user):
    clerk = as_user("clerk")
    for action in ("close", "assign", "transfer", "link", "merge"):
        assert clerk.post(f"/support/tickets/1004481/{action}",
                          data={"number": "1004482"}).status_code == 403, action


def test_clerk_cannot_post_an_internal_note(as_user):
    from app.models import Message

    as_user("clerk").post("/support/tickets/1004481/reply", data={"body": "note", "internal": "y"})
    db.session.expire_all()
    assert not db.session.scalars(select(Message).filter_by(is_internal=True)).all()


def test_api_staff_routes_refuse_clerks(api_as):
    client, headers = api_as("clerk")
    for path in ("close", "reopen"):
        response = client.post(f"{API}/tickets/1004481/{path}", headers=headers)
        assert response.status_code in (403, 404), path
    assert db.session.scalars(select(Ticket.status).filter_by(number=1004481)).one() == "answered"


def test_api_without_token_is_401_and_session_cookie_is_not_enough(app, as_user):
    assert app.test_client().get(f"{API}/tickets/").status_code == 401
    assert as_user("manager").get(f"{API}/tickets/").status_code == 401


# --- privilege escalation through the user and role screens ---------------------------

def _role_id(name):
    return db.session.scalars(select(Role.id).filter_by(name=name)).one()


def _user(username):
    db.session.expire_all()
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def _user_form(user, roles):
    return {"first_name": user.first_name, "last_name": user.last_name,
            "display_name": user.display_name or "", "email": user.email,
            "username": user.username, "active": "y", "roles": [str(r) for r in roles]}


def test_manager_cannot_make_anyone_admin(as_user):
    manager = as_user("manager")
    for username in ("manager", "agent"):
        me = _user(username)
        manager.post(f"/users/edit/{me.id}", data=_user_form(me, [_role_id("Admin")]))
        assert "Admin" not in {r.name for r in _user(username).roles}
    manager.post("/users/add", data={**_user_form(_user("agent"), [_role_id("Admin")]),
                                     "username": "sneaky", "email": "s@example.org",
                                     "password": "Sneaky-pass-1", "conf_password": "Sneaky-pass-1"})
    assert db.session.scalars(select(HamrahUser).filter_by(username="sneaky")).first() is None


def test_manager_can_still_give_ordinary_roles(as_user):
    agent = _user("agent")
    as_user("manager").post(f"/users/edit/{agent.id}",
                            data=_user_form(agent, [_role_id("Agent"), _role_id("Clerk")]))
    assert {r.name for r in _user("agent").roles} == {"Agent", "Clerk"}


def test_manager_cannot_touch_an_admin_account(app, admin, as_user):
    target = _user("admin")
    hash_before = target.password
    manager = as_user("manager")
    manager.post(f"/resetpassword/form?pk={target.id}",
                 data={"password": "Taken-over-1", "conf_password": "Taken-over-1"})
    manager.post(f"/users/delete/{target.id}")
    assert _user("admin").password == hash_before
    attempt = login(app.test_client(), "admin", "Taken-over-1")
    assert attempt.headers["Location"].startswith("/login")


def test_manager_cannot_grant_their_role_new_powers(as_user):
    from flask_appbuilder.security.sqla.models import PermissionView

    manager_role = db.session.get(Role, _role_id("Manager"))
    before = {pv.id for pv in manager_role.permissions}
    extra = db.session.scalars(select(PermissionView.id).where(
        PermissionView.id.not_in(before))).first()
    as_user("manager").post(f"/roles/edit/{manager_role.id}", data={
        "name": "Manager", "permissions": [str(i) for i in sorted(before | {extra})]})
    db.session.expire_all()
    assert {pv.id for pv in db.session.get(Role, manager_role.id).permissions} == before


def test_admin_may_do_all_of_it(admin):
    agent = _user("agent")
    response = admin.post(f"/users/edit/{agent.id}", data=_user_form(agent, [_role_id("Admin")]))
    assert response.status_code == 302
    assert "Admin" in {r.name for r in _user("agent").roles}

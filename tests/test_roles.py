"""Roles have exactly their declared permissions, and the screens obey them."""
import pytest

from app.domain.roles import ROLE_PERMISSIONS, apply_roles
from app.extensions import db

AGENT_SCREENS = ["/ticketmodelview/list/", "/ticketmodelview/show/1"]
MANAGER_SCREENS = ["/departmentmodelview/list/", "/officemodelview/list/",
                   "/announcementmodelview/list/", "/users/list/", "/roles/list/"]
ADMIN_SCREENS = ["/permissions/list/", "/viewmenus/list/", "/permissionviews/list/"]


@pytest.mark.parametrize("url", AGENT_SCREENS + MANAGER_SCREENS + ADMIN_SCREENS)
def test_clerk_is_forbidden_on_staff_screens(as_user, url):
    assert as_user("clerk").get(url).status_code == 403


@pytest.mark.parametrize("url", MANAGER_SCREENS + ADMIN_SCREENS)
def test_agent_is_forbidden_on_manager_screens(as_user, url):
    assert as_user("agent").get(url).status_code == 403


@pytest.mark.parametrize("url", ADMIN_SCREENS)
def test_manager_is_forbidden_on_raw_permission_tables(as_user, url):
    assert as_user("manager").get(url).status_code == 403


@pytest.mark.parametrize("url", MANAGER_SCREENS)
def test_manager_opens_configuration_screens(as_user, url):
    assert as_user("manager").get(url).status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get("/ticketmodelview/list/")
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]


def test_roles_hold_exactly_the_declared_permissions(app):
    sm = app.appbuilder.sm
    for role_name, wanted in ROLE_PERMISSIONS.items():
        role = sm.find_role(role_name)
        have = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
        assert have == set(wanted), role_name


def test_apply_roles_removes_extra_permissions_and_is_idempotent(app):
    sm = app.appbuilder.sm
    clerk = sm.find_role("Clerk")
    clerk.permissions.append(sm.add_permission_view_menu("can_list", "Tickets"))
    db.session.commit()
    apply_roles(sm)
    apply_roles(sm)
    have = {(pv.permission.name, pv.view_menu.name) for pv in sm.find_role("Clerk").permissions}
    assert have == set(ROLE_PERMISSIONS["Clerk"])


def test_init_is_idempotent(runner):
    for _ in range(2):
        result = runner.invoke(args=["hamrah", "init"])
        assert result.exit_code == 0, result.output

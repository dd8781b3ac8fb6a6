"""Role names and what each role may do, as data; `apply_roles` makes the database match.

A clerk works only through the support pages; an agent reads and works tickets;
a manager also configures departments, offices, users, roles and announcements.
The raw permission and view-menu tables stay Admin-only.
"""
from flask_appbuilder.security.sqla.models import Role

CLERK, AGENT, MANAGER, ADMIN = "Clerk", "Agent", "Manager", "Admin"
STAFF_ROLES = frozenset({AGENT, MANAGER, ADMIN})
SEE_ALL_ROLES = frozenset({MANAGER, ADMIN})

_SELF_SERVICE = [
    ("can_userinfo", "UserDBModelView"),
    ("resetmypassword", "UserDBModelView"),
    ("userinfoedit", "UserDBModelView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
]
_SUPPORT = [
    ("can_access", "Support"), ("can_access", "Announcements board"),
    ("menu_access", "Message box"), ("menu_access", "New ticket"),
    ("menu_access", "Announcements and messages"),
]
_CRUD = ["can_list", "can_show", "can_add", "can_edit", "can_delete"]


def _crud(view: str, menu: str, perms=_CRUD) -> list[tuple[str, str]]:
    return [(perm, view) for perm in perms] + [("menu_access", menu)]


_AGENT = (
    _SELF_SERVICE
    + _SUPPORT
    + _crud("Tickets", "Tickets", ["can_list", "can_show"])
    + [("menu_access", "Support desk"), ("can_work", "Support")]
)

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    CLERK: _SELF_SERVICE + _SUPPORT + [  # REST API: their office's tickets, create, rate
        ("can_read", "Tickets API"), ("can_create", "Tickets API"), ("can_read", "Messages API"),
        ("can_write", "Messages API"), ("can_read", "Attachments API"),
        ("can_write", "Ratings API"), ("can_read", "Departments API"),
        ("can_read", "Announcements API"), ("can_write", "Announcements API"),
        ("can_get", "OpenApi"), ("can_show", "SwaggerView")],
    AGENT: _AGENT + [  # REST API: read, reply, close
        ("can_read", "Tickets API"), ("can_close", "Tickets API"), ("can_read", "Messages API"),
        ("can_write", "Messages API"), ("can_read", "Attachments API"),
        ("can_read", "Departments API"), ("can_read", "Announcements API"),
        ("can_write", "Announcements API"), ("can_get", "OpenApi"), ("can_show", "SwaggerView")],
    MANAGER: _AGENT
    + [  # REST API: read, reply, close
        ("can_read", "Tickets API"), ("can_close", "Tickets API"), ("can_read", "Messages API"),
        ("can_write", "Messages API"), ("can_read", "Attachments API"),
        ("can_read", "Departments API"), ("can_read", "Announcements API"),
        ("can_write", "Announcements API"), ("can_get", "OpenApi"), ("can_show", "SwaggerView")]
    + _crud("Departments", "Departments")
    + _crud("Offices", "Offices")
    + _crud("Announcements", "Announcements", _CRUD + ["can_report"])
    + _crud("Canned replies", "Canned replies")
    + _crud("Holidays", "Holidays")
    + [("can_read", "Dashboard"), ("menu_access", "Dashboard"), ("can_export", "Tickets")]
    + _crud("UserDBModelView", "List Users")
    + [("resetpasswords", "UserDBModelView"), ("can_this_form_get", "ResetPasswordView"),
       ("can_this_form_post", "ResetPasswordView")]
    + _crud("RoleModelView", "List Roles")
    + _crud("Audit log", "Audit log", ["can_list", "can_show"])  # read-only security log
    + _crud("Sign-in lockouts", "Sign-in lockouts", ["can_list", "can_show", "can_lift"])
    + _crud("Undelivered e-mail", "Undelivered e-mail", ["can_list", "can_show", "can_requeue"])
    + [("menu_access", "Security"), ("menu_access", "Settings")],
}


def apply_roles(sm) -> None:
    """Create our roles and set each one's permissions to exactly the declared list (idempotent)."""
    for role_name, wanted in ROLE_PERMISSIONS.items():
        role = sm.find_role(role_name) or sm.add_role(role_name)
        wanted_pvs = [sm.add_permission_view_menu(perm, view) for perm, view in wanted]
        wanted_ids = {pv.id for pv in wanted_pvs}
        for pv in list(role.permissions):
            if pv.id not in wanted_ids:
                role.permissions.remove(pv)
        have = {pv.id for pv in role.permissions}
        role.permissions.extend(pv for pv in wanted_pvs if pv.id not in have)
    sm.session.commit()


def role_names(user) -> set[str]:
    return {role.name for role in getattr(user, "roles", [])} if user is not None else set()


def is_staff(user) -> bool:
    return bool(role_names(user) & STAFF_ROLES)


__all__ = ["Role", "ROLE_PERMISSIONS", "apply_roles", "is_staff", "role_names"]

"""Role names and what each role may do, as data; `apply_roles` makes the database match.

A clerk works only through the support pages; an agent reads and works tickets;
a supervisor reads the tickets of their regions and writes internal notes on them;
a manager also configures departments, offices, regions, users, roles and announcements.
The raw permission and view-menu tables stay Admin-only.
"""
from flask_appbuilder.security.sqla.models import Role

CLERK, AGENT, MANAGER, ADMIN = "Clerk", "Agent", "Manager", "Admin"
SUPERVISOR = "Supervisor"
STAFF_ROLES = frozenset({AGENT, MANAGER, ADMIN})
SEE_ALL_ROLES = frozenset({MANAGER, ADMIN})
# A regional supervisor reads the tickets of their regions' offices and writes internal
# notes on them, nothing else: they are not support (no answers, statuses, assignments),
# but a note is how they speak to support without the clerk reading it.
NOTE_ROLES = STAFF_ROLES | {SUPERVISOR}

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
    + _crud("Known issues", "Known issues", ["can_list", "can_show", "can_add", "can_edit"])
    + [("can_work", "Tickets")]  # the queue's bulk actions
    + [("can_read", "Known issues API"), ("can_write", "Known issues API")]
)

_SUPERVISOR = (
    _SELF_SERVICE
    + [("can_access", "Support"), ("can_access", "Announcements board"),
       ("menu_access", "Announcements and messages")]
    + _crud("Tickets", "Tickets", ["can_list", "can_show", "can_export"])
    + [("menu_access", "Support desk"), ("can_read", "Dashboard"), ("menu_access", "Dashboard")]
    + [  # REST API: read, and internal notes (app/domain/tickets.add_reply refuses the rest)
        ("can_read", "Tickets API"), ("can_read", "Messages API"), ("can_write", "Messages API"),
        ("can_read", "Attachments API"), ("can_read", "Departments API"),
        ("can_read", "Announcements API"), ("can_write", "Announcements API"),
        ("can_get", "OpenApi"), ("can_show", "SwaggerView"), ("can_read", "Known issues API")]
)

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    CLERK: _SELF_SERVICE + _SUPPORT + [  # REST API: their office's tickets, create, rate
        ("can_read", "Tickets API"), ("can_create", "Tickets API"), ("can_read", "Messages API"),
        ("can_write", "Messages API"), ("can_read", "Attachments API"),
        ("can_write", "Ratings API"), ("can_read", "Departments API"),
        ("can_read", "Announcements API"), ("can_write", "Announcements API"),
        ("can_get", "OpenApi"), ("can_show", "SwaggerView"), ("can_read", "Known issues API")],
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
    + _crud("Regions", "Regions")
    + [("menu_access", "Security"), ("menu_access", "Settings")],
    SUPERVISOR: _SUPERVISOR,
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


def is_supervisor(user) -> bool:
    return SUPERVISOR in role_names(user)


def reads_notes(user) -> bool:
    """Sees internal notes and their files, and may write them: support and supervisors."""
    return bool(role_names(user) & NOTE_ROLES)


def notes_only(user) -> bool:
    """Reads tickets and writes only internal notes: a supervisor who is not also support or a
    clerk (the ticket page offers them the note form, nothing else)."""
    names = role_names(user)
    return SUPERVISOR in names and not names & (STAFF_ROLES | {CLERK})


def is_clerk_only(user) -> bool:
    """A signed-in clerk with no staff or supervisor role: whom the clerk's screens may be
    framed for (app/web/framing.py)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    names = role_names(user)
    return CLERK in names and not names & NOTE_ROLES


def watches_queue(user) -> bool:
    """Their badge counts tickets waiting for support (not unread answers): support, and a
    supervisor watching support's work in their regions."""
    return bool(role_names(user) & NOTE_ROLES)


__all__ = ["Role", "ROLE_PERMISSIONS", "apply_roles", "is_staff", "is_supervisor", "reads_notes",
           "role_names", "watches_queue"]

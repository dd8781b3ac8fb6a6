"""How a value reads on a generated page: one place for FAB's lists, show pages and pickers.

FAB prints whatever Python gives it: `True`, `None`, `[Manager]`, `4.0`, "can add on
Announcements". Here every kind of value gets the reader's words and digits: yes/no for a
boolean, nothing for an empty value, a list joined with the language's separator, numbers
in the reader's digits, dates in the reader's calendar, and role, permission and view names
in the reader's language (the stored names never change: FAB and `app/domain/roles.py`
look them up by name). Used by `list_cell` (every list), the show widget, the relation
pickers (`app/views/reader_forms.py`) and the roles screens.
"""
from datetime import date
from decimal import Decimal
from enum import Enum

from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.domain.offices import OfficeChoice
from app.domain.roles import ADMIN, AGENT, CLERK, MANAGER, SUPERVISOR
from app.models import Office, Region
from app.persian.dates import format_datetime, format_number, is_persian
from app.persian.text import persian_digits

# FAB's role for signed-out visitors: configuration, not a role a person is given.
PUBLIC = "Public"
HIDDEN_ROLES = frozenset({PUBLIC})

ROLE_LABELS = {
    ADMIN: _l("System administrator"),
    MANAGER: _l("Manager"),
    AGENT: _l("Agent"),
    CLERK: _l("Clerk"),
    SUPERVISOR: _l("Supervisor"),
    PUBLIC: _l("Visitor (not signed in)"),
}

PERMISSION_LABELS = {
    "can_list": _l("list"),
    "can_show": _l("view"),
    "can_add": _l("add"),
    "can_edit": _l("edit"),
    "can_delete": _l("delete"),
    "can_download": _l("download"),
    "can_export": _l("export"),
    "can_chart": _l("charts"),
    "can_report": _l("read report"),
    "can_access": _l("open"),
    "can_work": _l("work on tickets"),
    "can_lift": _l("lift the lockout"),
    "can_requeue": _l("send again"),
    "can_get": _l("read"),
    "can_read": _l("read"),
    "can_write": _l("write"),
    "can_create": _l("create"),
    "can_close": _l("close and reopen"),
    "can_userinfo": _l("own profile"),
    "userinfoedit": _l("edit own profile"),
    "resetmypassword": _l("change own password"),
    "resetpasswords": _l("reset passwords"),
    "copyrole": _l("copy roles"),
    "can_this_form_get": _l("open the form"),
    "can_this_form_post": _l("send the form"),
    "menu_access": _l("menu item"),
}

# Views and menus by their stored names: ours (app/views/__init__.py, the class permission
# names) and FAB's own.
VIEW_LABELS = {
    "Support": _l("Support pages"),
    "Announcements board": _l("Announcements and messages"),
    "Announcements and messages": _l("Announcements and messages"),
    "Message box": _l("Message box"),
    "New ticket": _l("Register new ticket"),
    "PopupView": _l("Support popup"),
    "Support desk": _l("Support desk"),
    "Tickets": _l("Tickets"),
    "Dashboard": _l("Dashboard"),
    "Settings": _l("Settings"),
    "Departments": _l("Departments"),
    "Offices": _l("Offices"),
    "Regions": _l("Regions"),
    "Announcements": _l("Announcements"),
    "Canned replies": _l("Canned replies"),
    "Holidays": _l("Holidays"),
    "Audit log": _l("Audit log"),
    "Sign-in lockouts": _l("Sign-in lockouts"),
    "Undelivered e-mail": _l("Undelivered e-mail"),
    "Tickets API": _l("Tickets (API)"),
    "Messages API": _l("Messages (API)"),
    "Attachments API": _l("Attachments (API)"),
    "Ratings API": _l("Ratings (API)"),
    "Departments API": _l("Departments (API)"),
    "Announcements API": _l("Announcements (API)"),
    "Known issues": _l("Known issues"),
    "Known issues API": _l("Known issues (API)"),
    "HamrahIndexView": _l("Home page"),
    "UtilView": _l("Back link"),
    "LocaleView": _l("Language"),
    "SecurityApi": _l("Sign-in (API)"),
    "AuthDBView": _l("Sign-in"),
    "UserInfoEditView": _l("Own profile"),
    "ResetPasswordView": _l("Reset password"),
    "ResetMyPasswordView": _l("Change own password"),
    "UserDBModelView": _l("Users"),
    "RoleModelView": _l("Roles"),
    "UserGroupModelView": _l("Groups"),
    "UserStatsChartView": _l("Users' statistics"),
    "PermissionModelView": _l("Base permissions"),
    "ViewMenuModelView": _l("Views and menus"),
    "PermissionViewModelView": _l("Permissions on views and menus"),
    "OpenApi": _l("API description"),
    "SwaggerView": _l("API explorer"),
    "MenuApi": _l("Menu (API)"),
    "Security": _l("Security"),
    "List Users": _l("Users"),
    "List Roles": _l("Roles"),
    "List Groups": _l("Groups"),
    "User's Statistics": _l("Users' statistics"),
    "Base Permissions": _l("Base permissions"),
    "Views/Menus": _l("Views and menus"),
    "Permission on Views/Menus": _l("Permissions on views and menus"),
}


def table_label(labels: dict):
    """`label(stored)`: the stored name's label in the reader's language; unknown names (and
    empty ones, as "") are shown as stored."""
    def label(name) -> str:
        return str(labels.get(name, name or ""))

    return label


role_label = table_label(ROLE_LABELS)
permission_label = table_label(PERMISSION_LABELS)
view_label = table_label(VIEW_LABELS)


def permission_on_view_label(permission: str, view: str) -> str:
    """«دفترها: افزودن» for FAB's "can_add on Offices"."""
    return _("%(view)s: %(permission)s", view=view_label(view), permission=permission_label(permission))


def permission_view_label(item: PermissionView) -> str:
    return permission_on_view_label(item.permission.name, item.view_menu.name)


def code_text(code: str | None) -> str:
    """A code people type (office code, tracking number): stored ASCII, read in the reader's digits."""
    return (persian_digits(code) if is_persian() else code) if code else ""


def office_text(office) -> str:
    """An office or a region: its name, then its code in the reader's digits."""
    return f"{office.name} ({code_text(office.code)})"


def ltr_text(value) -> Markup:
    """Data written in Latin letters by nature (usernames, e-mail and IP addresses, English
    names), isolated so that it keeps its order on a right-to-left page; `dir="ltr"` is also
    what tells the e2e crawl that these Latin words are data, not untranslated text."""
    if value in (None, ""):
        return Markup("")
    return Markup('<bdi dir="ltr">%s</bdi>') % display_text(value)


def list_separator() -> str:
    return "، " if is_persian() else ", "


def display_text(value) -> str:
    """The plain text of any value FAB hands a list, a show page or a picker."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, (int, float, Decimal)):
        return format_number(value)
    if isinstance(value, date):
        return format_datetime(value, "short" if hasattr(value, "hour") else "date")
    if isinstance(value, (list, tuple, set, frozenset)):
        return list_separator().join(filter(None, (display_text(item) for item in value)))
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    for kind, label in _OBJECT_LABELS:
        if isinstance(value, kind):
            return label(value)
    return str(value)


_OBJECT_LABELS = (
    (Role, lambda role: role_label(role.name)),
    (PermissionView, permission_view_label),
    (Permission, lambda permission: permission_label(permission.name)),
    (ViewMenu, lambda view: view_label(view.name)),
    (Office, office_text),
    (OfficeChoice, office_text),
    (Region, office_text),
)


def display_value(value, formatter=None) -> Markup:
    """A cell or a show-page value, escaped: the column's formatter wins."""
    if formatter is not None:
        return escape(formatter(value))
    return escape(display_text(value))


def file_size(size_bytes: int | None) -> str:
    """A file's size in the reader's units and digits: «۳۰۰ بایت», «۱٫۲ کیلوبایت», "4.5 MB"."""
    if size_bytes is None:
        return ""
    if size_bytes < 1024:
        return _("%(size)s bytes", size=format_number(size_bytes))
    if size_bytes < 1024 * 1024:
        return _("%(size)s KB", size=format_number(round(size_bytes / 1024, 1)))
    return _("%(size)s MB", size=format_number(round(size_bytes / (1024 * 1024), 1)))

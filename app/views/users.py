"""FAB's own user and role screens, extended with office, departments, supervised regions and
display name, and
read through the display layer (role and permission names in the reader's language)."""
from flask_appbuilder.models.sqla.filters import FilterNotEqual
from flask_appbuilder.security.views import RoleModelView, UserDBModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import lazy_gettext as _l

from app.persian.dates import is_persian
from app.views.reader_forms import ReaderFormsMixin
from app.web.display import (
    HIDDEN_ROLES,
    display_text,
    ltr_text,
    permission_label,
    role_label,
    view_label,
)

_PERSON = ["first_name", "last_name", "display_name", "email"]
_ROLE = ["username", "active", "roles", "office", "departments", "regions"]
# FAB's Public role (signed-out visitors) is configuration, never a role to give a person.
GIVABLE_ROLES = {"roles": [["name", FilterNotEqual, name] for name in sorted(HIDDEN_ROLES)]}


class HamrahUserDBModelView(ReaderFormsMixin, UserDBModelView):
    class_permission_name = "UserDBModelView"  # keep FAB's own permission names
    label_columns = {
        **UserDBModelView.label_columns,
        "display_name": _l("Display name"),
        "office": _l("Office"),
        "departments": _l("Departments"),
        "regions": _l("Supervised regions"),
    }
    description_columns = {"regions": _l(
        "For the Supervisor role: the tickets of these regions' offices, and of the regions "
        "below them, are shown to the user.")}
    list_columns = ["username", "display_name", "office", "roles", "active"]
    search_columns = ["username", "first_name", "last_name", "display_name", "email", "office",
                      "roles", "active"]
    show_fieldsets = [
        (_l("User info"), {"fields": _ROLE + ["login_count"]}),
        (_l("Personal Info"), {"fields": _PERSON, "expanded": True}),
        (_l("Audit Info"), {"fields": ["last_login", "fail_login_count", "created_on",
                                       "changed_on"], "expanded": False}),
    ]
    user_show_fieldsets = [
        (_l("User info"), {"fields": ["username", "office", "departments", "roles"]}),
        (_l("Personal Info"), {"fields": _PERSON, "expanded": True}),
    ]
    add_columns = _PERSON + _ROLE + ["password", "conf_password"]
    edit_columns = _PERSON + _ROLE
    add_form_query_rel_fields = edit_form_query_rel_fields = GIVABLE_ROLES
    formatters_columns = {"username": ltr_text, "email": ltr_text}
    search_form_query_rel_fields = GIVABLE_ROLES


def _permissions_by_view(permissions) -> str:
    """«دفترها: افزودن، فهرست؛ تیکت‌ها: نمایش» — a role's hundred permissions read per view."""
    by_view = {}
    for item in permissions:
        by_view.setdefault(view_label(item.view_menu.name), []).append(
            permission_label(item.permission.name))
    separator = "؛ " if is_persian() else "; "
    return separator.join(f"{view}: {display_text(sorted(labels))}"
                          for view, labels in sorted(by_view.items()))


class HamrahRoleModelView(ReaderFormsMixin, RoleModelView):
    """FAB's role screens with our list and show widgets: role names and permissions in the
    reader's language (FAB's own widgets print `[can add on Announcements, ...]`)."""

    class_permission_name = "RoleModelView"
    list_widget = ListWidget
    show_widget = ShowWidget
    label_columns = {**RoleModelView.label_columns, "user": _l("Users")}
    search_columns = ["name", "user"]
    formatters_columns = {"name": role_label, "permissions": _permissions_by_view}

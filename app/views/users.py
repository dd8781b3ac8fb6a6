"""FAB's own user screens, extended with office, departments and display name."""
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l

_PERSON = ["first_name", "last_name", "display_name", "email"]
_ROLE = ["username", "active", "roles", "office", "departments"]


class HamrahUserDBModelView(UserDBModelView):
    class_permission_name = "UserDBModelView"  # keep FAB's own permission names
    label_columns = {
        **UserDBModelView.label_columns,
        "display_name": _l("Display name"),
        "office": _l("Office"),
        "departments": _l("Departments"),
    }
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

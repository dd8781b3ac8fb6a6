"""The audit log, read-only, for Admin and Manager (permission view "Audit log")."""
from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l

from app.models.audit import AuditEvent
from app.persian.dates import format_datetime
from app.views.reader_forms import ReaderFormsMixin
from app.views.widgets import LocalDatesMixin
from app.web.audit_detail import audit_detail
from app.web.datamodel import HamrahSQLAInterface
from app.web.display import ROLE_LABELS, ltr_text, role_label, table_label

EVENT_LABELS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_locked": _l("Sign-in locked after failures"),
    "lockout_lifted": _l("Sign-in lockout lifted"),
    "logout": _l("Signed out"),
    "host_signin": _l("Signed in from the host application"),
    "user_created": _l("User created"),
    "user_changed": _l("User changed"),
    "user_deleted": _l("User deleted"),
    "role_created": _l("Role created"),
    "role_changed": _l("Role changed"),
    "role_deleted": _l("Role deleted"),
    "ticket_deleted": _l("Ticket deleted"),
    "department_deleted": _l("Department deleted"),
    "office_deleted": _l("Office deleted"),
    "announcement_deleted": _l("Announcement deleted"),
    "mail_requeued": _l("E-mail queued again"),
}
event_label = table_label(EVENT_LABELS)

TARGET_LABELS = {
    "user": _l("User"), "role": _l("Role"), "ticket": _l("Ticket"),
    "department": _l("Department"), "office": _l("Office"),
    "announcement": _l("Announcement"), "outbox_message": _l("E-mail"),
}
target_label = table_label(TARGET_LABELS)
_ACTORS = {"cli": _l("Command line")}


def actor_label(value: str | None):
    return str(_ACTORS[value]) if value in _ACTORS else ltr_text(value)


def target_text(value: str | None):
    """A role's events name the role; a username or number is Latin data; a title is text."""
    if value in ROLE_LABELS:
        return role_label(value)
    return ltr_text(value) if value and value.isascii() else (value or "")


class AuditEventModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    """Nothing here can add, edit or delete: only `can_list` and `can_show` exist."""

    datamodel = HamrahSQLAInterface(AuditEvent)
    class_permission_name = "Audit log"
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Audit log")
    show_title = _l("Audit event")
    label_columns = {
        "created_at": _l("Time"), "event": _l("Event"), "actor": _l("By"),
        "target_type": _l("Object type"), "target_id": _l("Object id"), "target": _l("Object"),
        "detail": _l("Details"), "remote_addr": _l("Address"),
    }
    list_columns = ["created_at", "event", "actor", "target", "remote_addr"]
    show_columns = ["created_at", "event", "actor", "target_type", "target_id", "target",
                    "detail", "remote_addr"]
    search_columns = ["created_at", "event", "actor", "target", "remote_addr"]
    formatters_columns = {"remote_addr": ltr_text,
                          "created_at": format_datetime, "event": event_label,
                          "target_type": target_label, "actor": actor_label,
                          "target": target_text,
                          "detail": audit_detail}
    base_order = ("created_at", "desc")
    page_size = 50

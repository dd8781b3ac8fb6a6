"""Sign-in lockouts, for managers: who is locked out, since how many failures, and lifting it."""
from flask import flash, redirect
from flask_appbuilder import ModelView
from flask_appbuilder.actions import action
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.domain import login_lockout
from app.extensions import db
from app.models.base import utcnow
from app.models.login_lockout import LoginLockout
from app.persian.dates import format_datetime, format_number
from app.views.reader_forms import ReaderFormsMixin
from app.web.datamodel import HamrahSQLAInterface
from app.web.display import ltr_text


def _locked_until(value) -> str:
    """Only a lockout still in force has an end; a past one shows nothing."""
    return format_datetime(value) if value is not None and value > utcnow() else ""


class LoginLockoutModelView(ReaderFormsMixin, ModelView):
    """Read and lift only: the rows are written by failed sign-ins, never by hand."""

    datamodel = HamrahSQLAInterface(LoginLockout)
    class_permission_name = "Sign-in lockouts"
    base_permissions = ["can_list", "can_show"]
    method_permission_name = {"lift_lockouts": "lift"}
    list_title = _l("Sign-in lockouts")
    show_title = _l("Sign-in lockout")
    label_columns = {
        "username": _l("Username"), "failures": _l("Failed sign-ins"),
        "window_started_at": _l("First failure"), "last_failure_at": _l("Last failure"),
        "last_address": _l("Last address"), "locked_until": _l("Locked until"),
    }
    list_columns = ["username", "failures", "locked_until", "last_failure_at", "last_address"]
    show_columns = ["username", "failures", "locked_until", "window_started_at",
                    "last_failure_at", "last_address"]
    search_columns = ["username", "last_address"]
    formatters_columns = {"username": ltr_text, "last_address": ltr_text,
                          "locked_until": _locked_until, "window_started_at": format_datetime,
                          "last_failure_at": format_datetime, "failures": format_number}
    base_order = ("last_failure_at", "desc")

    @action("lift", _l("Lift the lockout"), _l("Let these usernames sign in again?"),
            "fa-unlock")
    def lift_lockouts(self, items):
        items = items if isinstance(items, list) else [items]
        count = login_lockout.lift(db.session, [item for item in items if item is not None])
        flash(gettext("Lockouts lifted: %(count)s", count=format_number(count)), "success")
        return redirect(self.get_redirect())

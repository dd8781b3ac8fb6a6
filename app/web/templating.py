"""Jinja filters and globals shared by our templates and FAB's."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.domain.counters import badge_text
from app.models import TicketStatus
from app.persian.dates import format_datetime, format_number, format_relative
from app.web.display import display_value, file_size, ltr_text, table_label


def status_label(value: str) -> str:
    return str(TicketStatus(value).label)


ACTIVITY_LABELS = {
    "assigned": _l("Assigned"),
    "transferred": _l("Transferred"),
    "linked": _l("Linked"),
    "merged": _l("Merged"),
}


activity_label = table_label(ACTIVITY_LABELS)


def list_cell(value, formatter=None) -> Markup:
    """A list cell as the reader reads it (app/web/display.py); used by every FAB list
    (widgets/list.html) and the ticket lists' rows (app/views/ticket_list.py)."""
    return display_value(value, formatter)


def record_count(count: int) -> str:
    """A list's record count in the reader's digits; a capped count says "more than"."""
    from app.web.ticket_datamodel import COUNT_CAP

    if count > COUNT_CAP:
        return str(_l("more than %(count)s", count=format_number(COUNT_CAP)))
    return format_number(count)


def navbar_menu() -> Markup:
    """FAB's menu (appbuilder/navbar_menu.html) depends only on the reader's roles and
    language: rendered once per pair (app/web/kept_fragments.py) and kept in the reference cache,
    which role and permission changes clear. It checked every item's permission on every page."""
    from flask import current_app, g, render_template

    from app.web.kept_fragments import kept_markup

    appbuilder = current_app.appbuilder
    roles = appbuilder.sm.get_user_roles(getattr(g, "user", None) or current_user)
    key = ("navbar_menu", tuple(sorted(r.name for r in roles if r is not None)))
    return kept_markup(key, lambda: render_template("appbuilder/navbar_menu.html",
                                                    menu=appbuilder.menu))


def hamrah_counters() -> dict:
    """The current user's navbar counters, computed at most once per request."""
    from flask import g

    from app.domain.counters import navbar_counters
    from app.extensions import db

    if "hamrah_counters" not in g:
        g.hamrah_counters = navbar_counters(db.session, getattr(g, "user", None))
    return g.hamrah_counters


def pinned_announcements() -> list:
    return hamrah_counters().get("pinned", [])


def register_template_helpers(app) -> None:
    app.jinja_env.filters["local_datetime"] = format_datetime
    app.jinja_env.filters["local_number"] = format_number
    app.jinja_env.filters["relative_time"] = format_relative
    app.jinja_env.globals["status_label"] = status_label
    app.jinja_env.globals["activity_label"] = activity_label
    app.jinja_env.globals["hamrah_counters"] = hamrah_counters
    app.jinja_env.globals["navbar_menu"] = navbar_menu
    app.jinja_env.globals["list_cell"] = list_cell
    app.jinja_env.filters["file_size"] = file_size
    app.jinja_env.filters["ltr"] = ltr_text
    app.jinja_env.globals["pinned_announcements"] = pinned_announcements
    app.jinja_env.filters["badge"] = badge_text
    app.jinja_env.filters["record_count"] = record_count

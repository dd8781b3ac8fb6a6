"""Jinja filters and globals shared by our templates and FAB's."""
from flask_babel import lazy_gettext as _l

from app.models import TicketStatus
from app.services.dates import format_datetime, format_number, format_relative


def status_label(value: str) -> str:
    return str(TicketStatus(value).label)


ACTIVITY_LABELS = {
    "assigned": _l("Assigned"),
    "transferred": _l("Transferred"),
    "linked": _l("Linked"),
    "merged": _l("Merged"),
}


def activity_label(kind: str) -> str:
    return str(ACTIVITY_LABELS.get(kind, kind))


def register_template_helpers(app) -> None:
    app.jinja_env.filters["local_datetime"] = format_datetime
    app.jinja_env.filters["local_number"] = format_number
    app.jinja_env.filters["relative_time"] = format_relative
    app.jinja_env.globals["status_label"] = status_label
    app.jinja_env.globals["activity_label"] = activity_label

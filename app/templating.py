"""Jinja filters and globals shared by our templates and FAB's."""
from app.models import TicketStatus
from app.services.dates import format_datetime, format_number, format_relative


def status_label(value: str) -> str:
    return str(TicketStatus(value).label)


def register_template_helpers(app) -> None:
    app.jinja_env.filters["local_datetime"] = format_datetime
    app.jinja_env.filters["local_number"] = format_number
    app.jinja_env.filters["relative_time"] = format_relative
    app.jinja_env.globals["status_label"] = status_label

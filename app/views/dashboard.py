"""The managers' dashboard: backlog, tickets per day, response times, ratings, SLA share.

Numbers come from `app.domain.reports` (scoped by the reader); this module only turns
them into text for the tables and into a JSON block that static/js/dashboard.js draws
with the bundled Chart.js (no inline script, nothing from the internet).
"""
from datetime import timedelta

from flask import g, request
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.known_issue_reports import known_issue_figures
from app.domain.regions import all_regions, wanted_region
from app.domain.reports import dashboard, parse_range
from app.domain.sla import format_duration
from app.extensions import db
from app.models import TicketStatus
from app.persian.dates import format_datetime, format_number, is_persian
from app.persian.jalali import input_text
from app.persian.text import persian_digits
from app.web.display import code_text


def _decimal(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return persian_digits(text).replace(".", "٫") if is_persian() else text


def duration_text(seconds) -> str:
    """Wall-clock duration: "3 h 20 min", or "2 d 5 h" from a day on; "—" when none."""
    if seconds is None:
        return "—"
    value = timedelta(seconds=round(seconds))
    if value >= timedelta(days=1):
        text = _("%(days)s d %(hours)s h", days=value.days, hours=value.seconds // 3600)
        return persian_digits(text) if is_persian() else text
    return format_duration(value)


def rating_text(average, count) -> str:
    return "—" if not count else _decimal(average, 2)


def share_text(share: dict) -> str:
    """"75% (3/4)"; "—" while no ticket has met or missed its target."""
    if not share["total"]:
        return "—"
    percent = f"{share['share'] * 100:.0f}"
    text = f"{percent}% ({share['met']}/{share['total']})"
    return persian_digits(text).replace("%", "٪") if is_persian() else text


def _hours(seconds):
    return None if seconds is None else round(seconds / 3600, 2)


def chart_data(data: dict) -> dict:
    """What dashboard.js needs: labels already translated, numbers as numbers."""
    departments = data["departments"]
    names = [row["name"] for row in departments]
    return {
        "rtl": is_persian(),
        "locale": "fa-IR" if is_persian() else "en-US",
        "backlog": {
            "labels": names,
            "datasets": [{"label": str(TicketStatus(status).label),
                          "data": [row["backlog"].get(status, 0) for row in departments]}
                         for status in data["statuses"]],
        },
        "perDay": {  # month/day on the axis, the whole date in the tooltip
            "labels": [format_datetime(day, "date")[5:] for day, _count in data["per_day"]],
            "titles": [format_datetime(day, "date") for day, _count in data["per_day"]],
            "datasets": [{"label": _("Tickets registered"),
                          "data": [count for _day, count in data["per_day"]]}],
        },
        "times": {
            "labels": names,
            "datasets": [
                {"label": _("Median first response (hours)"),
                 "data": [_hours(row["first_response"]) for row in departments]},
                {"label": _("Median resolution (hours)"),
                 "data": [_hours(row["resolution"]) for row in departments]},
            ],
        },
        "ratings": {
            "labels": names,
            "datasets": [{"label": _("Average rating"),
                          "data": [round(row["rating_average"], 2) if row["rating_count"]
                                   else None for row in departments]}],
        },
    }


class DashboardView(BaseView):
    route_base = "/dashboard"
    class_permission_name = "Dashboard"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("read")
    def index(self):
        date_range, errors = parse_range(request.args.get("from", ""),
                                         request.args.get("to", ""))
        regions = all_regions(db.session)
        region_id = wanted_region(db.session)
        data = dashboard(db.session, g.user, date_range, region_id=region_id)
        for row in data["regions"]:  # codes in the reader's digits
            row["name"] = code_text(row["name"])
        regions = [(id_, code_text(label), parent) for id_, label, parent in regions]
        return self.render_template(
            "dashboard/index.html", title=_l("Dashboard"), data=data, errors=errors,
            chart=chart_data(data), from_text=input_text(date_range.first, with_time=False),
            to_text=input_text(date_range.last, with_time=False), persian=is_persian(),
            duration_text=duration_text, rating_text=rating_text, share_text=share_text,
            number=format_number, regions=regions, region_id=region_id,
            known=known_issue_figures(db.session, g.user, date_range))

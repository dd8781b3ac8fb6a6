"""The ticket lists' rows (agent queue, manager's list), formatted in Python in one pass.

FAB's list widget decides cell by cell in Jinja (formatter? date? empty?) and builds every
row's show link through its URL filters: 25 rows x 9 columns of template logic, an eighth
of a queue page's CPU (bench/README.md). These are the same cells; the ticket number links
straight to the ticket page, where FAB's show only redirects.
"""
from flask import url_for
from flask_appbuilder.widgets import ListWidget
from markupsafe import Markup, escape

from app.services.dates import format_datetime


def _cell(value, formatter) -> Markup:
    if formatter is not None:
        return escape(formatter(value))
    if value is None:
        return Markup("")
    if hasattr(value, "year") and hasattr(value, "isoformat"):
        return escape(format_datetime(value))
    return escape(value)


class TicketListWidget(ListWidget):
    template = "tickets/list_widget.html"

    def __call__(self, **kwargs):
        args = self.template_args
        columns = args["include_columns"]
        formatters = args.get("formatters_columns") or {}
        # One URL build per page, not per row: the ticket page's path ends in its number.
        ticket_path = url_for("TicketPageView.show", number=0)[:-1]
        rows = []
        for values in args["value_columns"]:
            cells = [_cell(values[column], formatters.get(column)) for column in columns]
            if "number" in columns:
                at = columns.index("number")
                cells[at] = Markup('<a class="ticket-link" href="{}{}"><bdi>{}</bdi></a>').format(
                    ticket_path, values["number"], cells[at])
            rows.append(cells)
        return super().__call__(rows=rows, crud_buttons=False, **kwargs)

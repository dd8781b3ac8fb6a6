"""The ticket lists' rows (agent queue, manager's list), formatted in Python in one pass.

FAB's list widget decides cell by cell in Jinja (formatter? date? empty?) and builds every
row's show link through its URL filters: 25 rows x 9 columns of template logic, an eighth
of a queue page's CPU (bench/README.md). These are the same cells; the ticket number links
straight to the ticket page, where FAB's show only redirects.
"""
from flask import url_for
from flask_appbuilder.widgets import ListWidget
from markupsafe import Markup

from app.templating import list_cell


class TicketListWidget(ListWidget):
    template = "tickets/list_widget.html"

    def __call__(self, **kwargs):
        args = self.template_args
        columns = args["include_columns"]
        formatters = [(args.get("formatters_columns") or {}).get(column) for column in columns]
        number_at = columns.index("number") if "number" in columns else None
        # One URL build per page, not per row: the ticket page's path ends in its number.
        ticket_path = url_for("TicketPageView.show", number=0)[:-1]
        rows = []
        for values in args["value_columns"]:
            cells = [list_cell(values[column], formatter)
                     for column, formatter in zip(columns, formatters)]
            if number_at is not None:
                cells[number_at] = Markup('<a class="ticket-link" href="{}{}"><bdi>{}</bdi></a>'
                                          ).format(ticket_path, values["number"], cells[number_at])
            rows.append(cells)
        return super().__call__(rows=rows, crud_buttons=False, **kwargs)

"""The ticket lists' rows (agent queue, manager's list), formatted in Python in one pass.

FAB's list widget decides cell by cell in Jinja (formatter? date? empty?) and builds every
row's show link through its URL filters: 25 rows x 9 columns of template logic, an eighth
of a queue page's CPU (bench/README.md). These are the same cells; the ticket number links
straight to the ticket page, where FAB's show only redirects.
"""
from flask import url_for
from flask_appbuilder.widgets import ListWidget
from flask_babel import gettext as _
from markupsafe import Markup

from app.persian.dates import format_number
from app.web.templating import list_cell


class TicketListWidget(ListWidget):
    template = "tickets/list_widget.html"

    def __call__(self, **kwargs):
        args = self.template_args
        columns = args["include_columns"]
        formatters = [(args.get("formatters_columns") or {}).get(column) for column in columns]
        number_at = columns.index("number") if "number" in columns else None
        # One URL build per page, not per row: the ticket page's path ends in its number.
        ticket_path = url_for("TicketPageView.show", number=0)[:-1]
        cell = _page_cells(formatters)
        checkbox = Markup('<td><input id="%s" class="action_check" name="rowid" value="%s"'
                          ' type="checkbox" aria-label="%s"></td>') if args.get("actions") else None
        select_label = _("Select ticket %(number)s")  # translated once, filled per row
        rows = []
        for values, pk in zip(args["value_columns"], args["pks"], strict=True):
            cells = [cell(at, values[column]) for at, column in enumerate(columns)]
            if number_at is not None:
                cells[number_at] = Markup('<a class="ticket-link" href="%s%d"><bdi>%s</bdi></a>'
                                          ) % (ticket_path, values["number"], cells[number_at])
            lead = checkbox % (pk, pk, select_label % {"number": format_number(
                values["number"] if number_at is not None else pk)}) if checkbox else ""
            row = "".join(f"<td>{html}</td>" for html in cells)  # each cell is escaped HTML
            rows.append(Markup(f"<tr>{lead}{row}</tr>"))
        return super().__call__(rows=rows, crud_buttons=False, **kwargs)


def _page_cells(formatters):
    """`cell(column index, value)`: list_cell, once per distinct value of a column on the
    page. A page's rows repeat their office, department, status and assignee: those objects
    (and the status's translated label) are the same ones from row to row. Other objects are
    told apart by identity, and kept with their cell so that no identity is reused."""
    done = {}

    def cell(at, value):
        key = (at, value if isinstance(value, (str, int)) or value is None else id(value))
        if key not in done:
            done[key] = (value, list_cell(value, formatters[at]))
        return done[key][1]

    return cell

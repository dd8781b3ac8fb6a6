"""CSV and Excel export of the ticket list: exactly the rows the list's filters select.

A mixin for `TicketModelView`: it parses the request's filters, quick filter and order the
way FAB's `_list` does (`get_filter_args(self._filters)` joined with `self._base_filters`,
which hold the access scope), then takes every page at once, up to EXPORT_MAX_ROWS. The
CSV is streamed row by row; the workbook is written by openpyxl's write-only mode to a
spooled temporary file, then sent in chunks. Dates are Jalali (Persian digits) in Persian and Gregorian in
English, in the configured zone; cells a spreadsheet would run as formulas are defused.

An export cut short by the cap says so: one row more than the cap is read, and if it is
there the file ends with a line naming the cap and the uncapped count of the list (counted
only then); the list page says it beside the export buttons (`export_notice`).
"""
import csv
import io
import re
import tempfile
from datetime import datetime

from flask import Response, current_app, stream_with_context
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, lazyload

from app.models import Ticket
from app.models.base import utcnow
from app.persian.dates import format_number, is_persian, to_local
from app.persian.jalali import input_text

EXPORT_COLUMNS = [
    ("number", _l("Number")),
    ("subject", _l("Subject")),
    ("office_code", _l("Office code")),
    ("office", _l("Office")),
    ("department", _l("Department")),
    ("status", _l("Status")),
    ("assignee", _l("Assigned to")),
    ("creator", _l("User")),
    ("tracking_number", _l("Tracking number")),
    ("national_id", _l("National ID")),
    ("created_at", _l("Registered at")),
    ("first_answered_at", _l("First answered at")),
    ("closed_at", _l("Closed at")),
    ("last_activity_at", _l("Last activity")),
    ("rating", _l("Rating")),
    ("first_response_due_at", _l("First response due")),
    ("resolution_due_at", _l("Resolution due")),
]
DATE_COLUMNS = {"created_at", "first_answered_at", "closed_at", "last_activity_at",
                "first_response_due_at", "resolution_due_at"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CHUNK_ROWS = 500


def ticket_values(ticket: Ticket) -> dict:
    """One ticket's export values (dates still `datetime`)."""
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "office_code": ticket.office.code if ticket.office else "",
        "office": ticket.office.name if ticket.office else "",
        "department": ticket.department.display_name() if ticket.department else "",
        "status": str(ticket.status_label),
        "assignee": ticket.assignee.shown_name if ticket.assignee else "",
        "creator": ticket.creator.shown_name if ticket.creator else "",
        "tracking_number": ticket.tracking_number or "",
        "national_id": ticket.national_id or "",
        "rating": ticket.rating.stars if ticket.rating else "",
        **{column: getattr(ticket, column) for column in DATE_COLUMNS},
    }


def date_text(value) -> str:
    """Jalali "۱۴۰۳/۰۱/۲۵ ۱۰:۳۰" in Persian, "2024-04-13 10:30" in English (24-hour, sortable)."""
    return input_text(value) if value else ""


def export_limit() -> int:
    return int(current_app.config.get("EXPORT_MAX_ROWS", 50000))


def cut_short_note(limit: int, total: int) -> str:
    """The last line of an export the cap cut short."""
    return gettext("Only the first %(limit)s of %(total)s tickets are in this file (the export "
                   "limit). Narrow the filters to export the rest.",
                   limit=format_number(limit), total=format_number(total))


def export_notice(count: int | None, count_cap: int) -> str | None:
    """What the list page says beside the export buttons: `count` is the list's count, exact
    up to `count_cap` (app/web/ticket_datamodel.py) and "more than" beyond. No count is run
    for this: past `count_cap` the page only tells a cap it cannot compare."""
    limit = export_limit()
    if count is None or count <= min(limit, count_cap):
        return None
    if count <= count_cap:
        return gettext("Export limit: only the first %(limit)s of these %(total)s tickets will "
                       "be in the file.", limit=format_number(limit), total=format_number(count))
    if limit <= count_cap:
        return gettext("Export limit: only the first %(limit)s of these more than %(total)s "
                       "tickets will be in the file.", limit=format_number(limit),
                       total=format_number(count_cap))
    return gettext("Exports hold at most %(limit)s rows.", limit=format_number(limit))


class CappedRows:
    """The export's tickets, at most `limit` of the query's `limit + 1`; after reading them,
    `total` is None, or the list's uncapped count when the cap cut the export short."""

    def __init__(self, query, limit: int, count_all):
        self.query, self.limit, self.count_all, self.total = query, limit, count_all, None

    def __iter__(self):
        for count, ticket in enumerate(self.query, start=1):
            if count <= self.limit:
                yield ticket
            else:  # the one row past the cap: read, not exported
                self.total = self.count_all()

    def note(self) -> str | None:
        return None if self.total is None else safe_text(cut_short_note(self.limit, self.total))


def safe_text(value) -> str:
    """A cell a spreadsheet shows as text, never evaluates (CSV/formula injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class TicketExportMixin:
    """Adds `export/csv` and `export/xlsx` (permission `can_export`) to the ticket list."""

    def _export_rows(self) -> CappedRows:
        """The list's query: same scope, filters, quick filter and order; all pages, capped."""
        get_filter_args(self._filters)
        order = get_order_args().get(self.__class__.__name__)
        order_column, order_direction = order or self.base_order or ("", "")
        filters = self._filters.get_joined_filters(self._base_filters)
        limit = export_limit()
        query = self.datamodel.apply_all(self.datamodel.session.query(Ticket), filters,
                                         order_column, order_direction, page=None,
                                         page_size=limit + 1)  # one more: was it cut short?
        query = query.options(
            joinedload(Ticket.department), joinedload(Ticket.office),
            joinedload(Ticket.assignee), joinedload(Ticket.creator), joinedload(Ticket.rating),
            lazyload(Ticket.related_cases),
        ).yield_per(CHUNK_ROWS)
        return CappedRows(query, limit, lambda: self.datamodel.count_all(filters))

    @staticmethod
    def _filename(extension: str) -> str:
        return f"tickets-{to_local(utcnow()):%Y%m%d-%H%M}.{extension}"

    @expose("/export/csv")
    @has_access
    @permission_name("export")
    def export_csv(self):
        rows = self._export_rows()
        headers = [str(label) for _key, label in EXPORT_COLUMNS]

        def generate():
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write("\ufeff")  # BOM: Excel then reads the Persian text as UTF-8
            writer.writerow(headers)
            for count, ticket in enumerate(rows, start=1):
                values = ticket_values(ticket)
                writer.writerow([
                    date_text(values[key]) if key in DATE_COLUMNS else safe_text(values[key])
                    for key, _label in EXPORT_COLUMNS
                ])
                if count % 100 == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            if note := rows.note():
                writer.writerow([note])
            yield buffer.getvalue()

        # Werkzeug adds "; charset=utf-8" to a text/* mimetype: named here it came twice.
        return Response(stream_with_context(generate()), mimetype="text/csv",
                        headers={"Content-Disposition":
                                 f'attachment; filename="{self._filename("csv")}"'})

    @expose("/export/xlsx")
    @has_access
    @permission_name("export")
    def export_xlsx(self):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        persian = is_persian()
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title="Tickets")
        sheet.sheet_view.rightToLeft = persian
        for index, width in enumerate([12, 40, 10, 20, 22, 18, 20, 20, 18, 14] + [18] * 7):
            sheet.column_dimensions[chr(ord("A") + index)].width = width

        def cell(value):
            if isinstance(value, datetime):
                local = to_local(value).replace(tzinfo=None)
                if persian:
                    return cell(date_text(value))
                item = WriteOnlyCell(sheet, value=local)
                item.number_format = "yyyy-mm-dd hh:mm"
                return item
            if isinstance(value, str):
                item = WriteOnlyCell(sheet, value=_ILLEGAL_XML.sub("", value))
                item.data_type = "s"  # text, even when it starts with "="
                return item
            return WriteOnlyCell(sheet, value=None if value == "" else value)

        header = []
        for _key, label in EXPORT_COLUMNS:
            item = cell(str(label))
            item.font = Font(bold=True)
            header.append(item)
        sheet.append(header)
        rows = self._export_rows()
        for ticket in rows:
            values = ticket_values(ticket)
            sheet.append([cell(values[key]) for key, _label in EXPORT_COLUMNS])
        if note := rows.note():
            item = cell(note)
            item.font = Font(italic=True)
            sheet.append([item])
        output = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
        book.save(output)
        size = output.tell()
        output.seek(0)

        def chunks():
            try:
                while block := output.read(64 * 1024):
                    yield block
            finally:
                output.close()

        return Response(chunks(), headers={
            "Content-Length": str(size),
            "Content-Disposition": f'attachment; filename="{self._filename("xlsx")}"',
        }, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

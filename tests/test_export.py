"""CSV and Excel export of the ticket list: the list's rows, scope and filters; dates per language."""
import csv
import io
import re
from datetime import datetime

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import HamrahUser
from app.persian.jalali import to_utc
from app.persian.text import ascii_digits
from app.views.ticket_export import EXPORT_COLUMNS, cut_short_note, export_notice
from tests.conftest import ticket_numbers
from tests.helpers import department_id

KEYS = [key for key, _label in EXPORT_COLUMNS]  # headers are translated; keys are not
CSV, XLSX = "/ticketmodelview/export/csv", "/ticketmodelview/export/xlsx"


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def _csv(response):
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # the charset once
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    return rows[0], rows[1:]


def _xlsx(response):
    assert response.status_code == 200, response.data[:300]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return sheet, rows[0], rows[1:]


def _numbers(rows):
    return [str(row[0]) for row in rows]


def _new(subject, created=None, department="Technical support"):
    return create_ticket(db.session, _user("clerk"), NewTicket(
        subject=subject, department_id=department_id(department), body="b"), now=created).number


@pytest.mark.parametrize("query", ["", "?quick=unanswered", "?quick=closed",
                                   "?_flt_0_subject=پلاک", "?_flt_0_department=999999",
                                   "?_oc_TicketModelView=number&_od_TicketModelView=desc"])
def test_export_has_exactly_the_rows_of_the_list(as_user, query):
    manager = as_user("manager")
    listed = manager.get("/ticketmodelview/list/" + query).data
    _header, rows = _csv(manager.get(CSV + query))
    assert set(_numbers(rows)) == ticket_numbers(listed)
    assert len(rows) == len(ticket_numbers(listed))


def test_order_follows_the_list(as_user):
    manager = as_user("manager")
    _header, rows = _csv(manager.get(CSV))
    assert _numbers(rows) == ["1004481", "1004482", "1004483"]  # oldest waiting first
    _header, rows = _csv(manager.get(CSV + "?_oc_TicketModelView=number&_od_TicketModelView=desc"))
    assert _numbers(rows) == ["1004483", "1004482", "1004481"]


def test_all_pages_up_to_the_cap(app, as_user):
    for i in range(30):
        _new(f"t{i}")
    manager = as_user("manager")
    page = ascii_digits(manager.get("/ticketmodelview/list/").data.decode())
    assert len(set(re.findall(r"\b100\d{4}\b", page))) == 25  # one page of the list
    assert len(_csv(manager.get(CSV))[1]) == 33
    old = app.config["EXPORT_MAX_ROWS"]
    app.config["EXPORT_MAX_ROWS"] = 5
    try:
        assert len(_data_and_rest(_csv(manager.get(CSV))[1])[0]) == 5
        assert len(_data_and_rest(_xlsx(manager.get(XLSX))[2])[0]) == 5
    finally:
        app.config["EXPORT_MAX_ROWS"] = old


def test_persian_csv_has_jalali_dates(as_user):
    number = _new("خطای کد ملی", created=to_utc(datetime(2024, 4, 13, 10, 30)))
    header, rows = _csv(as_user("manager").get(CSV + "?_flt_0_subject=خطای"))
    assert [r[0] for r in rows] == [str(number)]
    row = dict(zip(KEYS, rows[0], strict=True))
    assert row["created_at"] == "۱۴۰۳/۰۱/۲۵ ۱۰:۳۰"
    assert row["first_response_due_at"] == "۱۴۰۳/۰۱/۲۵ ۱۴:۳۰"  # 4 working hours later
    assert row["subject"] == "خطای کد ملی" and row["department"] == "پشتیبانی فنی"
    assert row["closed_at"] == ""


def test_english_csv_and_xlsx_have_gregorian_dates(as_user):
    _new("english", created=to_utc(datetime(2024, 4, 13, 10, 30)))
    manager = as_user("manager")
    manager.get("/lang/en")
    header, rows = _csv(manager.get(CSV + "?_flt_0_subject=english"))
    row = dict(zip(KEYS, rows[0], strict=True))
    assert row["created_at"] == "2024-04-13 10:30" and row["department"] == "Technical support"
    sheet, header, rows = _xlsx(manager.get(XLSX + "?_flt_0_subject=english"))
    row = dict(zip(KEYS, rows[0], strict=True))
    assert row["created_at"] == datetime(2024, 4, 13, 10, 30)  # a real date cell, local time
    assert not sheet.sheet_view.rightToLeft


def test_persian_xlsx(as_user):
    _new("اکسل", created=to_utc(datetime(2024, 4, 13, 10, 30)))
    sheet, header, rows = _xlsx(as_user("manager").get(XLSX + "?_flt_0_subject=اکسل"))
    row = dict(zip(KEYS, rows[0], strict=True))
    assert row["created_at"] == "۱۴۰۳/۰۱/۲۵ ۱۰:۳۰" and isinstance(row["number"], int)
    assert sheet.sheet_view.rightToLeft


def test_cells_never_become_formulas(as_user):
    _new('=HYPERLINK("http://evil.example","x")')
    manager = as_user("manager")
    header, rows = _csv(manager.get(CSV + "?_flt_2_subject=HYPERLINK"))
    assert dict(zip(KEYS, rows[0], strict=True))["subject"].startswith("'=HYPERLINK")
    sheet, header, rows = _xlsx(manager.get(XLSX + "?_flt_2_subject=HYPERLINK"))
    assert len(header) == len(KEYS)
    cell = sheet.cell(row=2, column=KEYS.index("subject") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_only_managers_export(as_user):
    for username in ("agent", "agent2", "clerk"):
        client = as_user(username)
        assert client.get(CSV).status_code == 403
        assert client.get(XLSX).status_code == 403


CAPPED = "?_flt_0_subject=سقف"  # subject starts with: the 79 tickets of the tests below


@pytest.fixture
def tickets_79(app, monkeypatch):
    """79 tickets matching CAPPED (besides the demo's three) and an export cap of 30."""
    for i in range(79):
        _new(f"سقف خروجی {i}")
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 30)


def _data_and_rest(rows):
    """(ticket rows, the rows after them): a ticket row starts with its number."""
    data = [row for row in rows if str(row[0]).isdigit()]
    return data, rows[len(data):]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_an_export_cut_short_by_the_cap_says_so(tickets_79, as_user, language):
    manager = as_user("manager")
    manager.get(f"/lang/{language}")
    with force_locale(language):
        note = cut_short_note(30, 79)
    assert ("۳۰" in note and "۷۹" in note) if language == "fa" else ("30" in note and "79" in note)

    _header, rows = _csv(manager.get(CSV + CAPPED))
    data, rest = _data_and_rest(rows)
    assert len(data) == 30 and rest == [[note]]  # the last line, and only it

    _sheet, header, rows = _xlsx(manager.get(XLSX + CAPPED))
    data, rest = _data_and_rest(rows)
    assert len(data) == 30 and [row[0] for row in rest] == [note]
    assert not any(rest[0][1:])


@pytest.mark.parametrize("cap", [79, 80])
def test_an_export_within_the_cap_has_no_note(tickets_79, app, as_user, monkeypatch, cap):
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", cap)
    manager = as_user("manager")
    _header, rows = _csv(manager.get(CSV + CAPPED))
    assert _data_and_rest(rows) == (rows, []) and len(rows) == 79
    _sheet, _header, rows = _xlsx(manager.get(XLSX + CAPPED))
    assert _data_and_rest(rows) == (rows, []) and len(rows) == 79
    assert 'id="export-limit"' not in manager.get("/ticketmodelview/list/" + CAPPED).data.decode()


def test_the_list_page_tells_the_cap_beside_the_export_buttons(tickets_79, app, as_user,
                                                                 monkeypatch):
    manager = as_user("manager")
    html = manager.get("/ticketmodelview/list/" + CAPPED).data.decode()
    with force_locale("fa"):
        notice = export_notice(79, 1000)
    assert "۳۰" in notice and "۷۹" in notice
    assert f'<i class="fa fa-info-circle"></i> {notice}</small>' in html
    assert html.index('id="export-xlsx"') < html.index('id="export-limit"')
    assert 'id="export-limit"' not in as_user("agent").get("/ticketmodelview/list/").data.decode()


def test_export_notice_without_counting_past_the_list(app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 30)
    with force_locale("en"):
        assert export_notice(None, 1000) is None and export_notice(30, 1000) is None
        assert "first 30 of these 31 tickets" in export_notice(31, 1000)
        assert "first 30 of these more than 1000 tickets" in export_notice(1001, 1000)
        monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 50000)
        assert export_notice(1000, 1000) is None
        assert export_notice(1001, 1000) == "Exports hold at most 50000 rows."

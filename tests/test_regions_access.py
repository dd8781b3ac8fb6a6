"""Supervisors see the tickets of their regions and the regions below them, on every surface,
through the one rule in app/domain/access.py; clerks of an "own only" office see only their
own tickets. Regions: A = demo "01" (office 1001: 1004481, 1004482) with county A1 (office
1003: 1004484) and A1's district A1a (office 1004: 1004485); B = demo "02" (office 1002:
1004483). `supervisor` watches A, `supervisor_b` watches B."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.counters import navbar_counters
from app.domain.reports import Dashboard, default_range
from app.domain.roles import SUPERVISOR
from app.extensions import db
from app.models import Office, Region, Ticket
from app.models.office import SHARE_OWN
from app.persian.text import ascii_digits
from tests.api.conftest import attachment_of, login_token
from tests.conftest import ticket_numbers
from tests.helpers import PDF, row_numbers, upload
from tests.regions_world import (  # noqa: F401 (regions: the fixture)
    A_TICKETS,
    ALL,
    B_TICKETS,
    add_user,
    messages_of,
    regions,
    user,
)
from tests.test_search import _contains_words_arg


def _numbers_on(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    return ticket_numbers(response.data)


def _box_rows(client, url) -> set[str]:
    """The message box's rows (its search box repeats a searched number)."""
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    return row_numbers(response.data)


def test_supervisor_lists_their_regions_and_sub_regions_only(as_user):
    assert _numbers_on(as_user("supervisor"), "/ticketmodelview/list/") == A_TICKETS
    assert _numbers_on(as_user("supervisor_b"), "/ticketmodelview/list/") == B_TICKETS
    assert _box_rows(as_user("supervisor"), "/support/inbox") == A_TICKETS
    assert _numbers_on(as_user("manager"), "/ticketmodelview/list/") == ALL


@pytest.mark.parametrize("number", sorted(ALL))
def test_ticket_page_is_404_outside_the_regions(as_user, number):
    for username, mine in (("supervisor", A_TICKETS), ("supervisor_b", B_TICKETS)):
        status = as_user(username).get(f"/support/tickets/{number}").status_code
        assert status == (200 if number in mine else 404), (username, number)


def test_attachments_follow_the_regions_and_notes_are_shown_to_supervisors(as_user):
    in_a1 = attachment_of(1004484)
    in_b = attachment_of(1004483)
    note_in_a1 = attachment_of(1004485, internal=True)
    supervisor, supervisor_b = as_user("supervisor"), as_user("supervisor_b")
    assert supervisor.get(f"/support/attachments/{in_a1}").status_code == 200
    assert supervisor.get(f"/support/attachments/{note_in_a1}").status_code == 200
    assert supervisor.get(f"/support/attachments/{in_b}").status_code == 404
    assert supervisor_b.get(f"/support/attachments/{in_a1}").status_code == 404
    assert supervisor_b.get(f"/support/attachments/{in_b}").status_code == 200
    assert as_user("clerk_a1a").get(f"/support/attachments/{note_in_a1}").status_code == 404


def test_keyword_search_stays_in_the_regions(as_user):
    supervisor = as_user("supervisor")
    words = _contains_words_arg(supervisor)
    assert _numbers_on(supervisor, f"/ticketmodelview/list/?{words}=ورود") == set()
    assert _numbers_on(supervisor, f"/ticketmodelview/list/?{words}=شهرستان") == {"1004484"}
    assert _box_rows(supervisor, "/support/inbox?q=ورود") == set()
    assert _box_rows(supervisor, "/support/inbox?q=1004483") == set()
    assert _box_rows(as_user("supervisor_b"), "/support/inbox?q=ورود") == B_TICKETS


def test_exports_hold_the_regions_tickets_only(as_user):
    for username, mine in (("supervisor", A_TICKETS), ("supervisor_b", B_TICKETS)):
        client = as_user(username)
        response = client.get("/ticketmodelview/export/csv")
        assert response.status_code == 200
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]
        assert {ascii_digits(row[0]) for row in rows if row and row[0]} == mine
        response = client.get("/ticketmodelview/export/xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        numbers = {ascii_digits(str(row[0])) for row in sheet.iter_rows(min_row=2, values_only=True)
                   if row[0] is not None}
        assert numbers & ALL == mine


def test_counters_and_dashboard_count_the_regions_only(app, as_user):
    # waiting for support: everything but the answered 1004481
    with app.test_request_context():
        assert navbar_counters(db.session, user("supervisor"))["waiting"] == 3
        assert navbar_counters(db.session, user("supervisor_b"))["waiting"] == 1
        for username, mine in (("supervisor", A_TICKETS), ("supervisor_b", B_TICKETS)):
            data = Dashboard(db.session, user(username), default_range()).build()
            assert sum(row["registered"] for row in data["departments"]) == len(mine)
            assert sum(row["backlog_total"] for row in data["departments"]) == len(mine)
    page = as_user("supervisor_b").get("/dashboard/")
    assert page.status_code == 200


def test_supervisor_reads_and_writes_notes_only(app, as_user):
    supervisor = as_user("supervisor")
    page = supervisor.get("/support/tickets/1004484")
    assert b'id="notes-only"' in page.data and b'id="assign-form"' not in page.data
    before = len(messages_of(1004484))
    refused = supervisor.post("/support/tickets/1004484/reply", data={"body": "پاسخ"})
    assert refused.status_code == 403 and len(messages_of(1004484)) == before
    note = supervisor.post("/support/tickets/1004484/reply",
                           data={"body": "یادداشت ناظر", "internal": "y",
                                 "attachments": [upload(PDF, "n.pdf")]},
                           content_type="multipart/form-data")
    assert note.status_code == 302
    written = messages_of(1004484)[-1]
    assert written.is_internal and written.body == "یادداشت ناظر"
    ticket = db.session.scalars(select(Ticket).filter_by(number=1004484)).one()
    assert ticket.status == "new"  # neither opening nor the note moved it
    assert supervisor.post("/support/tickets/1004484/close").status_code == 403
    agent_id = str(user("agent").id)
    assign = supervisor.post("/support/tickets/1004484/assign", data={"assignee": agent_id})
    assert assign.status_code in (302, 403)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).assignee_id is None
    assert db.session.get(Ticket, ticket.id).status == "new"
    # the clerk does not see the note
    assert "یادداشت ناظر" not in as_user("clerk_a1").get("/support/tickets/1004484").data.decode()
    # and out of the regions even a note is "not found"
    assert supervisor.post("/support/tickets/1004483/reply",
                           data={"body": "x", "internal": "y"}).status_code == 404


def test_moving_an_office_moves_its_tickets_between_supervisors(as_user):
    office = db.session.scalars(select(Office).filter_by(code="1002")).one()
    office.region = db.session.scalars(select(Region).filter_by(code="010101")).one()
    db.session.commit()
    assert _numbers_on(as_user("supervisor"), "/ticketmodelview/list/") == ALL
    assert _numbers_on(as_user("supervisor_b"), "/ticketmodelview/list/") == set()


def test_supervisor_without_regions_sees_nothing(as_user):
    add_user("lonely", SUPERVISOR)
    db.session.commit()
    assert _numbers_on(as_user("lonely"), "/ticketmodelview/list/") == set()


# --- clerks: the office's sharing level -------------------------------------------------

@pytest.fixture
def own_only():
    office = db.session.scalars(select(Office).filter_by(code="1001")).one()
    office.sharing = SHARE_OWN
    db.session.commit()


def test_office_sharing_is_todays_rule(as_user):
    assert _box_rows(as_user("clerk2"), "/support/inbox") == {"1004481", "1004482"}


def test_own_only_clerk_sees_only_their_tickets_on_every_surface(app, as_user, own_only):
    on_colleagues = attachment_of(1004481)  # clerk's ticket; clerk2 registered 1004482
    clerk2 = as_user("clerk2")
    assert _box_rows(clerk2, "/support/inbox") == {"1004482"}
    assert _box_rows(clerk2, "/support/inbox?q=1004481") == set()
    assert _box_rows(clerk2, "/support/inbox?q=شناسنامه") == set()  # the answer on 1004481
    assert _box_rows(clerk2, "/support/inbox?q=پلاک") == {"1004482"}
    assert clerk2.get("/support/tickets/1004481").status_code == 404
    assert clerk2.get("/support/tickets/1004482").status_code == 200
    assert clerk2.get(f"/support/attachments/{on_colleagues}").status_code == 404
    assert _box_rows(as_user("clerk"), "/support/inbox") == {"1004481"}
    with app.test_request_context():  # 1004481 has an unread answer: the clerk's, not clerk2's
        assert navbar_counters(db.session, user("clerk"))["unread_answers"] == 1
        assert navbar_counters(db.session, user("clerk2"))["unread_answers"] == 0
    client = app.test_client()
    headers = {"Authorization": f"Bearer {login_token(client, 'clerk2')}"}
    listed = client.get("/api/v1/tickets/", headers=headers).json["result"]
    assert {t["number"] for t in listed} == {1004482}
    assert client.get("/api/v1/tickets/1004481", headers=headers).status_code == 404
    assert client.get(f"/api/v1/tickets/1004481/attachments/{on_colleagues}",
                      headers=headers).status_code == 404
    assert client.post("/api/v1/tickets/1004481/messages", json={"body": "x"},
                       headers=headers).status_code == 404


def test_dashboard_filters_and_groups_by_region(app, as_user):
    from app.domain.reports import dashboard

    with app.test_request_context():
        manager = user("manager")
        province_a = db.session.scalars(select(Region).filter_by(code="01")).one()
        county = db.session.scalars(select(Region).filter_by(code="0101")).one()
        whole = dashboard(db.session, manager, default_range())
        assert {row["name"]: row["registered"] for row in whole["regions"]} == {
            "استان نمونه ۱ (01)": 4, "استان نمونه ۲ (02)": 1}
        only_a = dashboard(db.session, manager, default_range(), region_id=province_a.id)
        assert sum(row["registered"] for row in only_a["departments"]) == 4
        assert {row["name"]: row["registered"] for row in only_a["regions"]} == {
            "شهرستان الف (0101)": 2}
        county_only = dashboard(db.session, manager, default_range(), region_id=county.id)
        assert sum(row["registered"] for row in county_only["departments"]) == 2
        # a supervisor's filter never widens their scope: B's region shows them nothing
        region_b = db.session.scalars(select(Region).filter_by(code="02")).one()
        outside = dashboard(db.session, user("supervisor"), default_range(),
                            region_id=region_b.id)
        assert sum(row["registered"] for row in outside["departments"]) == 0
        assert outside["regions"] == []
        mine = dashboard(db.session, user("supervisor"), default_range())
        assert [row["registered"] for row in mine["regions"]] == [4]
    page = as_user("manager").get(f"/dashboard/?region={province_a.id}&_l_=en")
    assert page.status_code == 200 and 'id="table-regions"' in page.data.decode()


def test_ticket_list_and_exports_filter_by_region_within_the_scope(as_user):
    county = db.session.scalars(select(Region).filter_by(code="0101")).one()
    region_b = db.session.scalars(select(Region).filter_by(code="02")).one()
    manager, supervisor = as_user("manager"), as_user("supervisor")
    assert _numbers_on(manager, f"/ticketmodelview/list/?region={county.id}") == {
        "1004484", "1004485"}
    assert _numbers_on(supervisor, f"/ticketmodelview/list/?region={region_b.id}") == set()
    response = manager.get(f"/ticketmodelview/export/csv?region={county.id}")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))[1:]
    assert {ascii_digits(row[0]) for row in rows if row and row[0]} == {"1004484", "1004485"}
    assert 'id="region-select"' in manager.get("/ticketmodelview/list/").data.decode()


def test_supervisor_cannot_register_a_ticket(as_user):
    from sqlalchemy import func

    from tests.helpers import new_ticket_form

    before = db.session.scalar(select(func.count()).select_from(Ticket))
    response = as_user("supervisor").post("/support/new", data=new_ticket_form())
    assert response.status_code == 200  # the form again, with the refusal
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == before

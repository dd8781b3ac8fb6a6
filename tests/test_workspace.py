"""The agent workspace: queue filters, read-once, internal notes, assignment, transfer, merge."""
import json
import re

import pytest
from sqlalchemy import func, select

from app.domain.tickets import add_reply
from app.extensions import db
from app.models import CannedReply, HamrahUser, Message, StatusChange, TicketActivity
from app.persian.text import ascii_digits
from tests.conftest import ticket_numbers
from tests.helpers import department_id, row_numbers, ticket


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def _queue(client, quick=""):
    return ticket_numbers(client.get(f"/ticketmodelview/list/?quick={quick}").data)


def test_opening_marks_read_once_and_records_it(as_user):
    agent = as_user("agent")
    agent.get("/support/tickets/1004482")
    agent.get("/support/tickets/1004482")
    t = ticket(1004482)
    changes = db.session.scalars(select(StatusChange).filter_by(ticket_id=t.id,
                                                                to_status="read")).all()
    assert t.status == "read" and len(changes) == 1
    assert changes[0].changed_by_id == _user("agent").id


def test_clerk_opening_does_not_mark_read(as_user):
    as_user("clerk").get("/support/tickets/1004482")
    assert ticket(1004482).status == "new"


def test_quick_filters(as_user):
    agent = as_user("agent")
    assert _queue(agent, "waiting") == {"1004482"}
    assert _queue(agent, "unanswered") == {"1004482"}
    assert _queue(agent, "closed") == set()
    assert _queue(agent, "mine") == set()
    agent.post("/support/tickets/1004482/assign", data={"assignee": str(_user("agent").id)})
    assert _queue(agent, "mine") == {"1004482"}
    assert _queue(agent, "unassigned") == {"1004481"}


def test_queue_is_oldest_waiting_first(as_user):
    page = ascii_digits(as_user("manager").get("/ticketmodelview/list/").data.decode())
    assert page.index("1004481") < page.index("1004482") < page.index("1004483")


def test_queue_rows_link_the_number_to_the_ticket_page(as_user):
    """The ticket lists' rows (app/views/ticket_list.py): the number opens the ticket page,
    empty cells stay empty, the SLA cell keeps its markup, related columns show names."""
    agent = as_user("agent")
    agent.post("/support/tickets/1004482/assign", data={"assignee": str(_user("agent").id)})
    page = agent.get("/ticketmodelview/list/").data.decode()
    rows = re.findall(r"<tr>\s*(.*?)</tr>", page.split("</thead>")[-1], re.S)
    links = re.findall(r'<a class="ticket-link" href="([^"]+)"><bdi>([^<]+)</bdi></a>', page)
    assert {(href, ascii_digits(text)) for href, text in links} == {
        ("/support/tickets/1004481", "1004481"), ("/support/tickets/1004482", "1004482")}
    assert "/ticketmodelview/show/" not in page  # no per-row show button
    assert ">None<" not in page.replace(" ", "")
    assert "hamrah-sla" in page and len(rows) >= 2
    assigned = next(row for row in rows if "1004482" in ascii_digits(row))
    assert _user("agent").shown_name in assigned
    response = agent.get(links[0][0])
    assert response.status_code == 200


def test_training_agent_never_sees_technical_support(as_user):
    agent2 = as_user("agent2")
    assert _queue(agent2) == {"1004483"}
    assert ticket_numbers(agent2.get("/ticketmodelview/list/?_flt_0_subject=پلاک").data) == set()
    assert agent2.get("/support/tickets/1004481").status_code == 404
    assert ticket_numbers(agent2.get("/support/inbox?q=1004481").data.replace(
        b'value="1004481"', b"")) == set()


def test_internal_note_hidden_from_clerk(as_user):
    add_reply(db.session, ticket(1004481), _user("agent"), "یادداشت داخلی محرمانه", internal=True)
    assert "یادداشت داخلی محرمانه" in as_user("agent").get("/support/tickets/1004481").data.decode()
    for page in ("/support/tickets/1004481", "/support/inbox", "/support/inbox?q=محرمانه"):
        assert "محرمانه" not in as_user("clerk").get(page).data.decode().replace(
            'value="محرمانه"', "")
    assert ticket(1004481).status == "answered"  # a note changes no status


def test_internal_flag_from_clerk_is_ignored(as_user):
    as_user("clerk").post("/support/tickets/1004481/reply", data={"body": "x", "internal": "y"})
    note = db.session.scalars(select(Message).order_by(Message.id.desc())).first()
    assert note.body == "x" and not note.is_internal


def test_agent_posts_internal_note_through_the_form(as_user):
    as_user("agent").post("/support/tickets/1004482/reply", data={"body": "n", "internal": "y"})
    note = db.session.scalars(select(Message).order_by(Message.id.desc())).first()
    assert note.is_internal and ticket(1004482).status == "new"


def test_assignment_only_to_agents_of_the_department(as_user):
    manager = as_user("manager")
    manager.post("/support/tickets/1004481/assign", data={"assignee": str(_user("agent2").id)})
    assert ticket(1004481).assignee_id is None
    manager.post("/support/tickets/1004481/assign", data={"assignee": str(_user("agent").id)})
    assert ticket(1004481).assignee_id == _user("agent").id
    assert db.session.scalar(select(func.count()).select_from(TicketActivity)) == 1


def test_clerk_cannot_work_tickets(as_user):
    clerk = as_user("clerk")
    for action in ("assign", "transfer", "link", "merge"):
        assert clerk.post(f"/support/tickets/1004481/{action}", data={}).status_code == 403


def test_transfer_moves_the_ticket_between_queues(as_user):
    agent, agent2 = as_user("agent"), as_user("agent2")
    response = agent.post("/support/tickets/1004482/transfer",
                          data={"department": str(department_id("Training")),
                                "note": "مربوط به آموزش است"})
    assert response.status_code == 302 and "/ticketmodelview/list/" in response.headers["Location"]
    assert "1004482" not in _queue(agent)
    assert "1004482" in _queue(agent2)
    activity = db.session.scalars(select(TicketActivity).filter_by(kind="transferred")).one()
    assert activity.note == "مربوط به آموزش است"


def test_transfer_to_same_or_unknown_department_refused(as_user):
    agent = as_user("agent")
    for value in (str(department_id()), "999", "abc"):
        agent.post("/support/tickets/1004482/transfer", data={"department": value})
        assert ticket(1004482).department_id == department_id()


def test_related_tickets_and_merge(as_user):
    agent = as_user("agent")
    t = ticket(1004482)
    t.tracking_number = "99010294000080"
    db.session.commit()
    page = agent.get("/support/tickets/1004482").data.decode()
    assert "/support/tickets/1004481" in page  # same case
    response = agent.post("/support/tickets/1004482/merge", data={"number": "۱۰۰۴۴۸۱"})
    assert response.headers["Location"].endswith("/support/tickets/1004481")
    source, target = ticket(1004482), ticket(1004481)
    assert source.merged_into_id == target.id and source.status == "closed"
    bodies = [m.body for m in db.session.scalars(select(Message).filter_by(ticket_id=target.id))]
    assert any("پلاک خودرو" in body for body in bodies)
    assert any("۱۰۰۴۴۸۲" in body for body in bodies)  # the clerk is told, in Persian digits
    clerk = as_user("clerk")
    assert clerk.get("/support/tickets/1004482").headers["Location"].endswith("/1004481")
    assert row_numbers(clerk.get("/support/inbox?q=1004482").data) == {"1004482"}


def test_merge_refused_outside_scope(as_user):
    as_user("agent").post("/support/tickets/1004482/merge", data={"number": "1004483"})
    assert ticket(1004482).merged_into_id is None


def test_link_tickets(as_user):
    manager = as_user("manager")
    manager.post("/support/tickets/1004482/link", data={"number": "1004483"})
    assert "/support/tickets/1004482" in manager.get("/support/tickets/1004483").data.decode()


@pytest.mark.parametrize("department", [None, "Technical support"])
def test_canned_reply_is_inserted_for_editing(as_user, department):
    reply = CannedReply(title="مدارک", body="لطفا تصویر کارت ملی را پیوست کنید",
                        department_id=department_id(department) if department else None)
    db.session.add(reply)
    db.session.commit()
    page = as_user("agent").get(f"/support/tickets/1004482?canned={reply.id}").data.decode()
    assert "لطفا تصویر کارت ملی را پیوست کنید</textarea>" in page
    other = as_user("agent2").get(f"/support/tickets/1004483?canned={reply.id}").data.decode()
    assert ("لطفا تصویر" in other) == (department is None)


def _badge(page: str, element_id: str):
    import re

    match = re.search(rf'id="{element_id}"[^>]*>.*?<span class="badge">([^<]+)</span>', page, re.S)
    return ascii_digits(match.group(1)) if match else None


def test_navbar_counters_per_role(as_user):
    assert _badge(as_user("agent").get("/support/inbox").data.decode(), "nav-waiting") == "1"
    assert _badge(as_user("agent2").get("/support/inbox").data.decode(), "nav-waiting") == "1"
    as_user("agent2").post("/support/tickets/1004483/reply", data={"body": "answer"})
    assert _badge(as_user("agent2").get("/support/inbox").data.decode(), "nav-waiting") == "0"
    assert _badge(as_user("agent").get("/support/inbox").data.decode(), "nav-waiting") == "1"
    clerk_page = as_user("clerk").get("/support/inbox").data.decode()
    assert _badge(clerk_page, "nav-unread-answers") == "1"
    assert _badge(clerk_page, "nav-announcements") == "1"
    assert _badge(as_user("clerk3").get("/support/inbox").data.decode(),
                  "nav-unread-answers") == "1"


def test_record_count_in_persian_digits_and_capped(as_user, monkeypatch):
    """The list counts at most COUNT_CAP rows and then says "more than"."""
    from app.web import ticket_datamodel

    manager = as_user("manager")
    page = manager.get("/ticketmodelview/list/").data.decode()
    shown = re.search(r'record-count">\s*<strong>[^<]+</strong>\s*([^<\s]+)', page).group(1)
    assert shown == "۳"  # the three demo tickets
    assert ">None<" not in page.replace(" ", "").replace("\n", "")  # nobody is assigned
    monkeypatch.setattr(ticket_datamodel, "COUNT_CAP", 2)
    page = manager.get("/ticketmodelview/list/").data.decode()
    assert "بیش از ۲" in page


def _in_json(html: str) -> str:
    """`html` as Flask's tojson writes it into a page."""
    return json.dumps(html)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e")


def test_department_and_office_filters_offer_cached_choices_and_filter(as_user):
    """The filter drop-downs list every department and office; choosing one filters the list."""
    from app.models import Office

    manager = as_user("manager")
    page = manager.get("/ticketmodelview/list/").data.decode()  # the fields are in a JSON
    training = department_id("Training")
    assert _in_json(f'<option value="{training}">آموزش</option>') in page
    office = db.session.scalars(select(Office).filter_by(code="1002")).one()
    assert _in_json(f'<option value="{office.id}">{office.name} (1002)</option>') in page
    only_training = manager.get(f"/ticketmodelview/list/?_flt_0_department={training}")
    everything = manager.get("/ticketmodelview/list/")
    assert set() < ticket_numbers(only_training.data) < ticket_numbers(everything.data)
    assert all(ticket(int(n)).department_id == training
               for n in ticket_numbers(only_training.data))

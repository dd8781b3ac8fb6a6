"""The clerk's whole journey through HTTP, with the real app and a real database."""
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, Rating, StatusChange
from tests.conftest import ticket_numbers
from tests.helpers import (
    PDF,
    VALID_NATIONAL_ID,
    last_ticket_number,
    new_ticket_form,
    row_numbers,
    ticket,
    upload,
)


def _history(t):
    return [(c.from_status, c.to_status) for c in db.session.scalars(
        select(StatusChange).where(StatusChange.ticket_id == t.id).order_by(StatusChange.id))]


def test_whole_journey(as_user):
    clerk, agent = as_user("clerk"), as_user("agent")

    # popup with the host's context -> form pre-filled
    popup = clerk.get("/support/popup?tracking_number=۹۹۰۱۰۲۹۴۰۰۰۰۹۹&national_id=0499370899"
                      "&activity=تمدید پروانه")
    assert popup.status_code == 200
    assert b"/support/new?" in popup.data and b"tracking_number=99010294000099" in popup.data
    form = clerk.get("/support/new?tracking_number=99010294000099&national_id=0499370899"
                     "&activity=تمدید")
    assert b'value="99010294000099"' in form.data
    assert f'value="{VALID_NATIONAL_ID}"'.encode() in form.data

    # ticket created with an attachment
    data = new_ticket_form()
    data["attachments"] = [upload(PDF, "scan.pdf")]
    created = clerk.post("/support/new", data=data, content_type="multipart/form-data")
    assert created.status_code == 302
    number = last_ticket_number()
    assert created.headers["Location"].endswith(f"/support/tickets/{number}")
    t = ticket(number)
    assert t.status == "new" and t.tracking_number == "99010294000099"
    assert db.session.scalars(select(Attachment)).first().original_name == "scan.pdf"

    # in the message box and in the agent's list
    assert str(number) in ticket_numbers(clerk.get("/support/inbox").data)
    assert str(number) in ticket_numbers(agent.get("/ticketmodelview/list/").data)

    # agent opens -> Read (once)
    assert agent.get(f"/support/tickets/{number}").status_code == 200
    agent.get(f"/support/tickets/{number}")
    assert ticket(number).status == "read"
    assert _history(ticket(number)) == [(None, "new"), ("new", "read")]

    # agent answers -> Answered, unread mark for the clerk
    answer = agent.post(f"/support/tickets/{number}/reply",
                        data={"body": "تصویر شناسنامه یا کارت ملی پیوست شود"})
    assert answer.status_code == 302
    assert ticket(number).status == "answered" and ticket(number).unread_answer
    inbox = clerk.get("/support/inbox").data.decode()
    assert 'class="unread"' in inbox
    assert clerk.get("/support/tickets/%d" % number).status_code == 200
    assert not ticket(number).unread_answer

    # clerk rates 4
    assert clerk.post(f"/support/tickets/{number}/rate", data={"stars": "۴"}).status_code == 302
    assert db.session.scalars(select(Rating)).one().stars == 4

    # clerk replies -> Clerk replied
    clerk.post(f"/support/tickets/{number}/reply", data={"body": "پیوست شد"})
    assert ticket(number).status == "clerk_replied"

    # agent closes -> Closed; clerk's reply reopens
    assert agent.post(f"/support/tickets/{number}/close").status_code == 302
    assert ticket(number).status == "closed" and ticket(number).closed_at is not None
    clerk.post(f"/support/tickets/{number}/reply", data={"body": "هنوز مشکل دارد"})
    assert ticket(number).status == "clerk_replied" and ticket(number).closed_at is None
    assert _history(ticket(number))[-3:] == [
        ("answered", "clerk_replied"), ("clerk_replied", "closed"), ("closed", "clerk_replied")]


def test_thread_is_oldest_first_with_authors(as_user):
    page = as_user("clerk").get("/support/tickets/1004481").data.decode()
    first = page.index("کد ملی صحیح نمی باشد")
    second = page.index("تصویر شناسنامه یا کارت ملی پیوست شود")
    assert first < second
    assert "کارشناس پشتیبانی فنی" in page


def test_clerk_sees_whether_support_has_read(as_user):
    clerk = as_user("clerk")
    assert "Not yet read by support" in clerk.get("/support/tickets/1004482?_l_=en").data.decode()
    as_user("agent").get("/support/tickets/1004482")
    assert "Read by support" in clerk.get("/support/tickets/1004482?_l_=en").data.decode()


def test_case_documents_link_from_config(app, as_user):
    clerk = as_user("clerk")
    assert b"case-documents" not in clerk.get("/support/tickets/1004481").data
    app.config["CASE_DOCUMENTS_URL"] = "https://host.example/cases/{tracking_number}"
    try:
        page = clerk.get("/support/tickets/1004481").data
        assert b"https://host.example/cases/99010294000080" in page
    finally:
        app.config["CASE_DOCUMENTS_URL"] = ""


def test_all_clerks_of_an_office_share_the_message_box(as_user):
    assert row_numbers(as_user("clerk2").get("/support/inbox").data) == {"1004481", "1004482"}
    assert row_numbers(as_user("clerk3").get("/support/inbox").data) == {"1004483"}


def test_message_box_search_and_filters(as_user):
    clerk = as_user("clerk")
    assert row_numbers(clerk.get("/support/inbox?q=۱۰۰۴۴۸۲").data) == {"1004482"}
    assert row_numbers(clerk.get("/support/inbox?q=99010294000080").data) == {"1004481"}
    assert row_numbers(clerk.get("/support/inbox?q=0499370899").data) == {"1004481"}
    assert row_numbers(clerk.get("/support/inbox?status=answered").data) == {"1004481"}
    assert row_numbers(clerk.get("/support/inbox?q=1004483").data) == set()  # other office


def test_message_box_bad_paging_is_harmless(as_user):
    clerk = as_user("clerk")
    for page in ("abc", "-1", "0", "99999999999999999999", "۲"):
        assert clerk.get(f"/support/inbox?page={page}").status_code == 200


def test_new_ticket_form_shows_open_tickets_of_the_case(as_user):
    page = as_user("clerk").get("/support/new?tracking_number=99010294000080").data.decode()
    assert "open-tickets" in page and "/support/tickets/1004481" in page
    other = as_user("clerk3").get("/support/new?tracking_number=99010294000080").data.decode()
    assert "/support/tickets/1004481" not in other

"""Every refusal of the clerk's journey: nothing changes and no 500."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Message, Rating, Ticket
from tests.helpers import PDF, PNG, last_ticket_number, new_ticket_form, ticket, upload


def _count(model):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def _attachment_of_1004483(app):
    """Give clerk3's ticket an attachment and return its id."""
    client = app.test_client()
    client.post("/login/", data={"username": "clerk3", "password": "clerk3"})
    client.post("/support/tickets/1004483/reply", content_type="multipart/form-data",
                data={"body": "پیوست", "attachments": [upload(PDF, "doc.pdf")]})
    return db.session.scalars(select(Attachment.id)).one()


@pytest.mark.parametrize("method,url,data", [
    ("get", "/support/tickets/1004483", None),
    ("post", "/support/tickets/1004483/reply", {"body": "hi"}),
    ("post", "/support/tickets/1004483/rate", {"stars": "5"}),
    ("post", "/support/tickets/1004483/close", {}),
])
def test_other_office_ticket_is_not_found(as_user, method, url, data):
    clerk = as_user("clerk")
    before = (_count(Message), _count(Rating), ticket(1004483).status)
    response = getattr(clerk, method)(url, data=data)
    assert response.status_code == 404
    assert (_count(Message), _count(Rating), ticket(1004483).status) == before


def test_other_office_attachment_is_not_found(app, as_user):
    attachment_id = _attachment_of_1004483(app)
    assert as_user("clerk").get(f"/support/attachments/{attachment_id}").status_code == 404
    assert as_user("agent").get(f"/support/attachments/{attachment_id}").status_code == 404
    own = as_user("clerk3").get(f"/support/attachments/{attachment_id}")
    assert own.status_code == 200 and own.data == PDF
    assert "attachment" in own.headers["Content-Disposition"]
    assert own.headers["X-Content-Type-Options"] == "nosniff"


def test_clerk_cannot_close(as_user):
    assert as_user("clerk").post("/support/tickets/1004481/close").status_code == 403
    assert ticket(1004481).status == "answered"


@pytest.mark.parametrize("stars", ["0", "6", "-1", "abc", "", "4.5"])
def test_rating_out_of_range(as_user, stars):
    response = as_user("clerk").post("/support/tickets/1004481/rate", data={"stars": stars})
    assert response.status_code == 400
    assert _count(Rating) == 0


@pytest.mark.parametrize("stars", ["-1", "-۱", "۱٫۵", "1.0", "۲الف"])
def test_a_sign_a_decimal_or_a_letter_is_not_dropped_from_a_rating(as_user, stars):
    """Before, the digit filter dropped the minus: "-1" with a reason was stored as one star."""
    response = as_user("clerk").post("/support/tickets/1004481/rate",
                                     data={"stars": stars, "reason": "پاسخ ناقص بود"})
    assert response.status_code == 400
    assert _count(Rating) == 0


@pytest.mark.parametrize(("stars", "stored"), [("۵", 5), ("٤", 4), (" 3 ", 3)])
def test_ratings_typed_in_persian_or_arabic_digits_are_stored(as_user, stars, stored):
    response = as_user("clerk").post("/support/tickets/1004481/rate", data={"stars": stars})
    assert response.status_code == 302
    assert [r.stars for r in db.session.scalars(select(Rating))] == [stored]


def test_rating_before_an_answer_is_refused(as_user):
    response = as_user("clerk").post("/support/tickets/1004482/rate", data={"stars": "5"})
    assert response.status_code == 400
    assert _count(Rating) == 0


def test_low_rating_needs_a_reason_and_rating_can_change(as_user):
    clerk = as_user("clerk")
    assert clerk.post("/support/tickets/1004481/rate", data={"stars": "2"}).status_code == 400
    assert clerk.post("/support/tickets/1004481/rate",
                      data={"stars": "2", "reason": "پاسخ ناقص بود"}).status_code == 302
    assert clerk.post("/support/tickets/1004481/rate", data={"stars": "5"}).status_code == 302
    assert [r.stars for r in db.session.scalars(select(Rating))] == [5]


def test_staff_cannot_rate(as_user):
    assert as_user("agent").post("/support/tickets/1004481/rate",
                                 data={"stars": "5"}).status_code == 400
    assert _count(Rating) == 0


def test_rating_frozen_once_closed(as_user):
    as_user("agent").post("/support/tickets/1004481/close")
    response = as_user("clerk").post("/support/tickets/1004481/rate", data={"stars": "3"})
    assert response.status_code == 400 and _count(Rating) == 0


def _submit(client, **overrides):
    files = overrides.pop("files", None)
    data = new_ticket_form(**overrides)
    if files:
        data["attachments"] = files
    return client.post("/support/new", data=data, content_type="multipart/form-data")


@pytest.fixture
def small_attachment_limit(app):
    """A 10 kB limit keeps uploads in memory (Werkzeug spools bigger test bodies to disk)."""
    saved = app.config["ATTACHMENT_MAX_BYTES"]
    app.config["ATTACHMENT_MAX_BYTES"] = 10_000
    yield 10_000
    app.config["ATTACHMENT_MAX_BYTES"] = saved


def test_attachment_too_large_keeps_what_was_typed(as_user, small_attachment_limit):
    before = _count(Ticket)
    big = b"%PDF-" + b"0" * small_attachment_limit
    response = _submit(as_user("clerk"), subject="موضوع نگه داشته شود",
                       files=[upload(big, "big.pdf")])
    page = response.data.decode()
    assert response.status_code == 200 and _count(Ticket) == before
    assert "موضوع نگه داشته شود" in page and "کد ملی صحیح نمی باشد" in page
    assert "big.pdf" in page


@pytest.mark.parametrize("data,name", [
    (b"<html><script>alert(1)</script></html>", "page.pdf"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image.png"),
    (b"MZ\x90\x00", "tool.exe"),
])
def test_forbidden_attachment_type(as_user, data, name):
    before = (_count(Ticket), _count(Attachment))
    response = _submit(as_user("clerk"), files=[upload(data, name)])
    assert response.status_code == 200
    assert (_count(Ticket), _count(Attachment)) == before


def test_png_attachment_accepted(as_user):
    assert _submit(as_user("clerk"), files=[upload(PNG, "screen.png")]).status_code == 302


@pytest.mark.parametrize("field,value", [
    ("national_id", "1234567890"), ("national_id", "1111111111"), ("national_id", "12345"),
    ("tracking_number", "99-abc"), ("tracking_number", "1" * 21),
    ("subject", ""), ("body", ""), ("department", "0"), ("subject", "x" * 201),
])
def test_invalid_fields_are_refused_with_a_message(as_user, field, value):
    before = _count(Ticket)
    response = _submit(as_user("clerk"), **{field: value})
    assert response.status_code == 200 and _count(Ticket) == before
    assert b"has-error" in response.data


def test_persian_digits_are_stored_as_ascii(as_user):
    response = _submit(as_user("clerk"), national_id="۰۴۹۹۳۷۰۸۹۹", tracking_number="٩٩٠١٠٢٩٤٠٠٠٠٩٩")
    assert response.status_code == 302
    t = ticket(last_ticket_number())
    assert (t.national_id, t.tracking_number) == ("0499370899", "99010294000099")


def test_duplicate_submission_creates_one_ticket(as_user):
    clerk = as_user("clerk")
    before = _count(Ticket)
    first = _submit(clerk, submission="dup")
    second = _submit(clerk, submission="dup")
    assert _count(Ticket) == before + 1
    assert first.headers["Location"] == second.headers["Location"]


def test_related_cases_are_saved_and_validated(as_user):
    clerk = as_user("clerk")
    bad = _submit(clerk, **{"related-0-national_id": "1234567890"})
    assert bad.status_code == 200 and b"has-error" in bad.data
    good = _submit(clerk, **{"related-0-tracking_number": "99010294000011",
                             "related-1-national_id": "0499370899"})
    assert good.status_code == 302
    cases = {(c.tracking_number, c.national_id) for c in ticket(last_ticket_number()).related_cases}
    assert cases == {("99010294000011", None), (None, "0499370899")}


def test_agent_close_twice_is_refused_politely(as_user):
    agent = as_user("agent")
    agent.post("/support/tickets/1004481/close")
    response = agent.post("/support/tickets/1004481/close", follow_redirects=True)
    assert response.status_code == 200 and ticket(1004481).status == "closed"

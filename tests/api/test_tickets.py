"""Ticket list, show, create (context, related cases, idempotency), status and close via the API."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Ticket
from tests.api.conftest import API, assert_field_messages, ticket_by_number
from tests.conftest import login
from tests.helpers import PDF, VALID_NATIONAL_ID, department_id, upload

# Demo: 1004481 (office 1001, Technical support, answered), 1004482 (office 1001, Technical
#       support, new), 1004483 (office 1002, Training, new)
SCOPES = {"clerk": {1004481, 1004482}, "clerk3": {1004483}, "agent": {1004481, 1004482},
          "agent2": {1004483}, "manager": {1004481, 1004482, 1004483}}


def _numbers(response):
    assert response.status_code == 200, response.json
    return {row["number"] for row in response.json["result"]}


def _payload(**overrides):
    data = {"subject": "خطای کد ملی – تمدید پروانه تاکسیرانی", "department_id": department_id(),
            "body": "کد ملی صحیح نمی باشد و نیاز به ویرایش دارد",
            "tracking_number": "۹۹۰۱۰۲۹۴۰۰۰۰۹۹", "national_id": VALID_NATIONAL_ID,
            "activity": "تمدید پروانه"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("username", sorted(SCOPES))
def test_list_has_the_same_scope_as_the_ui(api, username):
    response = api(username).get(f"{API}/tickets/")
    assert _numbers(response) == SCOPES[username]
    assert response.json["count"] == len(SCOPES[username])
    assert "ids" not in response.json and "id" not in response.json["result"][0]


def test_scope_follows_the_jwt_not_the_session_cookie(app, api):
    """A browser session of clerk3 plus clerk's JWT: the JWT's user decides (FAB sets g.user)."""
    clerk = api("clerk")
    login(clerk.client, "clerk3")
    assert _numbers(clerk.get(f"{API}/tickets/")) == SCOPES["clerk"]
    assert clerk.get(f"{API}/tickets/1004483").status_code == 404


@pytest.mark.parametrize("query, expected", [
    ("(filters:!((col:status,opr:eq,value:answered)))", {1004481}),
    ("(filters:!((col:status,opr:eq,value:new)))", {1004482}),
    ("(filters:!((col:number,opr:eq,value:'۱۰۰۴۴۸۲')))", {1004482}),
    ("(filters:!((col:tracking_number,opr:eq,value:'99010294000080')))", {1004481}),
    ("(filters:!((col:national_id,opr:eq,value:'0499370899')))", {1004481}),
    ("(filters:!((col:text,opr:eq,value:'شناسنامه')))", {1004481}),  # the agent's answer
    ("(filters:!((col:text,opr:eq,value:'پلاک خودرو')))", {1004482}),
    ("(filters:!((col:text,opr:eq,value:'اطلاعات قدیم')))", set()),  # office 1002's ticket
    ("(order_column:number,order_direction:asc,page_size:1)", {1004481}),
    ("(order_column:number,order_direction:asc,page:1,page_size:1)", {1004482}),
])
def test_list_filters(api, query, expected):
    assert _numbers(api("clerk").get(f"{API}/tickets/", query_string={"q": query})) == expected


def test_department_filter_and_related_case_filter(api):
    clerk = api("clerk")
    training = department_id("Training")
    assert _numbers(clerk.get(f"{API}/tickets/", query_string={
        "q": f"(filters:!((col:department,opr:eq,value:{training})))"})) == set()
    created = clerk.post(f"{API}/tickets/", json=_payload(
        department_id=training, related_cases=[{"tracking_number": "99010294000123"}]))
    number = created.json["result"]["number"]
    assert _numbers(clerk.get(f"{API}/tickets/", query_string={
        "q": "(filters:!((col:tracking_number,opr:eq,value:'99010294000123')))"})) == {number}


@pytest.mark.parametrize("query", [
    "(page_size:100000)", "(page_size:-5)", "(page_size:0)", "(page:0,page_size:100)"])
def test_page_size_is_capped(api, query):
    response = api("manager").get(f"{API}/tickets/", query_string={"q": query})
    assert response.status_code == 200
    assert 1 <= response.json["page_size"] <= 100


@pytest.mark.parametrize("query, field", [
    ("(page_size:abc)", "page_size"), ("(page:'x')", "page"), ("(page:99999999999)", "page"),
    ("(page_size:1.5)", "page_size"), ("(order_column:password)", "order_column"),
    ("(order_direction:sideways)", "order_direction"), ("(columns:!(creator))", "columns"),
    ("(filters:!((col:creator,opr:eq,value:1)))", "filters"),
    ("(filters:!((col:status,opr:ct,value:new)))", "filters"),
    ("(filters:!((col:status,opr:eq,value:deleted)))", "filters"),
    ("(filters:!((col:number,opr:eq,value:'1 OR 1=1')))", "filters"),
    ("(filters:!((col:number,opr:eq,value:99999999999999999999999)))", "filters"),
    ("(filters:!((col:national_id,opr:eq,value:'1234567890')))", "filters"),
    ("(filters:!((col:department,opr:eq,value:!t)))", "filters"),
    ("(filters:x)", "filters"), ("((((", "q"), ("!(1,2)", "q"),
])
def test_bad_list_arguments_are_400_with_the_field(api, query, field):
    response = api("clerk").get(f"{API}/tickets/", query_string={"q": query})
    assert response.status_code == 400, response.data[:300]
    assert field in response.json["errors"]
    assert_field_messages(response.json["errors"])


def test_show_by_number_with_context(api):
    response = api("clerk").get(f"{API}/tickets/1004481")
    assert response.status_code == 200
    ticket = response.json["result"]
    assert ticket["number"] == 1004481 and ticket["status"] == "answered"
    assert ticket["tracking_number"] == "99010294000080" and ticket["office"]["code"] == "1001"
    assert "id" not in ticket


@pytest.mark.parametrize("number", ["abc", "0", "-1004481", "1004481.0", "9" * 40, "%00", "1e3"])
def test_bad_numbers_are_404_not_500(api, number):
    response = api("manager").get(f"{API}/tickets/{number}")
    assert response.status_code == 404 and response.is_json


def test_persian_digits_in_the_url(api):
    assert api("clerk").get(f"{API}/tickets/۱۰۰۴۴۸۱").status_code == 200


def test_create_with_context_and_related_cases(api):
    clerk = api("clerk")
    response = clerk.post(f"{API}/tickets/", json=_payload(related_cases=[
        {"tracking_number": "99010294000081"}, {"national_id": "۰۴۹۹۳۷۰۸۹۹"}, {}]))
    assert response.status_code == 201, response.json
    result = response.json["result"]
    assert response.headers["Location"].endswith(f"/api/v1/tickets/{result['number']}")
    assert result["tracking_number"] == "99010294000099"  # Persian digits stored as ASCII
    assert result["status"] == "new" and result["office"]["code"] == "1001"
    assert result["related_cases"] == [
        {"tracking_number": "99010294000081", "national_id": None},
        {"tracking_number": None, "national_id": VALID_NATIONAL_ID}]
    assert ticket_by_number(result["number"]).activity == "تمدید پروانه"


def test_create_multipart_with_an_attachment(api):
    data = _payload(related_cases='[{"tracking_number": "99010294000082"}]')
    data["files"] = [upload(PDF, "scan.pdf")]
    response = api("clerk").post(f"{API}/tickets/", data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    assert db.session.scalars(select(Attachment)).one().original_name == "scan.pdf"
    assert response.json["result"]["related_cases"][0]["tracking_number"] == "99010294000082"


@pytest.mark.parametrize("changes, fields", [
    ({"subject": "  "}, {"subject"}),
    ({"subject": None, "body": None}, {"subject", "body"}),
    ({"subject": "x" * 201}, {"subject"}),
    ({"national_id": "1234567890"}, {"national_id"}),
    ({"tracking_number": "99-ab"}, {"tracking_number"}),
    ({"department_id": 999999}, {"department_id"}),
    ({"department_id": "abc"}, {"department_id"}),
    ({"department_id": 10**40}, {"department_id"}),
    ({"department_id": True}, {"department_id"}),
    ({"subject": 12, "body": ["a"]}, {"subject", "body"}),
    ({"related_cases": [{"national_id": "1"}]}, {"related_cases"}),
    ({"related_cases": [{}] * 6}, {"related_cases"}),
    ({"related_cases": "nope"}, {"related_cases"}),
    ({"owner": "me"}, {"owner"}),
])
def test_create_validation_errors_name_the_fields(api, changes, fields):
    before = db.session.scalar(select(func.count()).select_from(Ticket))
    response = api("clerk").post(f"{API}/tickets/", json=_payload(**changes))
    assert response.status_code == 400, response.json
    assert fields <= set(response.json["errors"]), response.json
    assert_field_messages(response.json["errors"])
    assert db.session.scalar(select(func.count()).select_from(Ticket)) == before


def test_missing_department_id_and_inactive_department(api):
    payload = _payload()
    del payload["department_id"]
    assert "department_id" in api("clerk").post(f"{API}/tickets/", json=payload).json["errors"]
    from app.models import Department
    db.session.get(Department, department_id()).active = False
    db.session.commit()
    response = api("clerk").post(f"{API}/tickets/", json=_payload())
    assert response.status_code == 400 and "department_id" in response.json["errors"]


@pytest.mark.parametrize("kwargs", [
    {"data": "{not json", "content_type": "application/json"},
    {"data": "[1, 2]", "content_type": "application/json"},
    {"data": "null", "content_type": "application/json"},
    {"data": "subject=x", "content_type": "application/x-www-form-urlencoded"},
    {"data": b"\xff\xfe", "content_type": "application/json"},
])
def test_bad_bodies_are_400(api, kwargs):
    response = api("clerk").post(f"{API}/tickets/", **kwargs)
    assert response.status_code == 400 and response.is_json


def test_validation_messages_follow_the_request_language(api):
    """Flask-Babel's locale comes from `_l_` or Accept-Language on API requests."""
    clerk = api("clerk")
    english = clerk.get(f"{API}/departments/", headers={"Accept-Language": "en"}).json
    persian = clerk.get(f"{API}/departments/", headers={"Accept-Language": "fa"}).json
    assert english["result"][0]["name"] == "Technical support"
    assert persian["result"][0]["name"] == "پشتیبانی فنی"
    assert clerk.get(f"{API}/departments/?_l_=en").json["result"][0]["name"] == "Technical support"
    response = clerk.post(f"{API}/tickets/", json=_payload(national_id="1"),
                          headers={"Accept-Language": "en"})
    assert response.json["errors"]["national_id"] == [
        "The national ID is not valid (10 digits with a correct check digit)."]
    missing = _payload()
    del missing["subject"]
    persian = clerk.post(f"{API}/tickets/", json=missing, headers={"Accept-Language": "fa"})
    english = clerk.post(f"{API}/tickets/?_l_=en", json=missing, headers={"Accept-Language": "fa"})
    assert english.json["errors"]["subject"] == ["This field is required."]
    (message,) = persian.json["errors"]["subject"]  # translated by a Persian catalogue
    assert "الزامی" in message
    blank = clerk.post(f"{API}/tickets/", json=_payload(subject=" "),
                       headers={"Accept-Language": "en"})
    assert blank.json["errors"]["subject"] == ["Please enter a subject."]
    assert "Set-Cookie" not in response.headers


def test_idempotency_key_returns_the_first_ticket(api):
    clerk = api("clerk")
    headers = {"Idempotency-Key": "host-case-99010294000099-1"}
    first = clerk.post(f"{API}/tickets/", json=_payload(), headers=headers)
    again = clerk.post(f"{API}/tickets/", json=_payload(subject="دوباره"), headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json["result"]["number"] == first.json["result"]["number"]
    assert db.session.scalar(select(func.count()).where(
        Ticket.idempotency_key == headers["Idempotency-Key"])) == 1
    # another user's same key is another ticket; no key means a new ticket each time
    other = api("clerk2").post(f"{API}/tickets/", json=_payload(), headers=headers)
    assert other.status_code == 201
    assert other.json["result"]["number"] != first.json["result"]["number"]
    assert clerk.post(f"{API}/tickets/", json=_payload()).status_code == 201


@pytest.mark.parametrize("key", ["", "x" * 65, "bad key", "کلید"])
def test_bad_idempotency_keys_are_400(api, key):
    response = api("clerk").post(f"{API}/tickets/", json=_payload(),
                                 headers={"Idempotency-Key": key.encode().decode("latin-1")})
    assert response.status_code == 400 and "Idempotency-Key" in response.json["errors"]


@pytest.mark.parametrize("username", ["agent", "manager"])
def test_staff_cannot_create_tickets(api, username):
    assert api(username).post(f"{API}/tickets/", json=_payload()).status_code == 403


def test_status_lookup(api):
    response = api("clerk").get(f"{API}/tickets/1004481/status", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.json["result"] == {
        "number": 1004481, "status": "answered", "status_label": "Answered by support",
        "last_activity_at": response.json["result"]["last_activity_at"], "unread_answer": True}
    assert response.json["result"]["last_activity_at"].endswith("+00:00")


def test_agent_closes_and_reopens_clerk_cannot(api):
    assert api("clerk").post(f"{API}/tickets/1004481/close").status_code == 403
    assert ticket_by_number(1004481).status == "answered"
    agent = api("agent")
    closed = agent.post(f"{API}/tickets/1004481/close")
    assert closed.status_code == 200 and closed.json["result"]["status"] == "closed"
    again = agent.post(f"{API}/tickets/1004481/close")
    assert again.status_code == 400 and again.json["message"]
    assert agent.post(f"{API}/tickets/1004481/reopen").json["result"]["status"] == "read"


@pytest.mark.parametrize("value", ["'!!!'", "''", "'" + "کلمه " * 30 + "'"])
def test_text_filter_refuses_queries_without_words_or_too_long(api, value):
    response = api("clerk").get(f"{API}/tickets/", query_string={
        "q": f"(filters:!((col:text,opr:eq,value:{value})))"})
    assert response.status_code == 400, response.json


def test_list_count_is_capped(api, monkeypatch):
    """Like the web lists: exact up to COUNT_CAP, COUNT_CAP + 1 means "more"."""
    from app.web import ticket_datamodel

    monkeypatch.setattr(ticket_datamodel, "COUNT_CAP", 2)
    response = api("manager").get(f"{API}/tickets/")
    assert response.json["count"] == 3 and len(response.json["result"]) == 3
    monkeypatch.setattr(ticket_datamodel, "COUNT_CAP", 1)
    assert api("manager").get(f"{API}/tickets/").json["count"] == 2

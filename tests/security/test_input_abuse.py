"""Paging, ordering and filter arguments, SQL-looking search text, out-of-range ratings:
refused or capped, never a 500, and nothing leaks."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Rating, Ticket
from tests.conftest import ticket_numbers
from tests.helpers import row_numbers
from tests.security.conftest import count, list_urls

SQLISH = ["' OR 1=1 --", "\" OR \"\"=\"", "1; DROP TABLE ticket; --", "%' OR '1'='1",
          "') UNION SELECT username, password FROM ab_user --", "%%", "_", "\\", "\x00",
          "۱۰۰۴۴۸۳' OR 1=1 --", "*", "1004483 OR 1=1"]


@pytest.fixture(autouse=True)
def no_500(app):
    """A 500 must show up as a failing status, not as an exception the test client re-raises
    (TESTING propagates exceptions)."""
    before = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.config["PROPAGATE_EXCEPTIONS"] = before


def test_every_list_is_covered(app):
    urls = list_urls(app)
    for expected in ("/ticketmodelview/list/", "/departmentmodelview/list/", "/users/list/",
                     "/roles/list/", "/permissions/list/", "/viewmenus/list/"):
        assert expected in urls


@pytest.mark.parametrize("args,expected", [
    ("psize_{v}=abc", 400), ("psize_{v}=0", 400), ("psize_{v}=-5", 400), ("psize_{v}=1e3", 400),
    ("psize_{v}=%EF%BC%91", 400),  # a full-width digit
    ("psize_{v}=99999999999999999999", 400), ("page_{v}=-1", 400), ("page_{v}=abc", 400),
    ("page_{v}=1.5", 400), ("xpage_{v}=abc", 400), ("page_{v}=99999", 200),
    ("_flt_9_zzz=1", 200), ("_oc_{v}=password&_od_{v}=asc", 400),
    ("_oc_{v}=nonexistent&_od_{v}=asc", 400), ("_oc_{v}=creator.password&_od_{v}=asc", 400),
    ("_oc_{v}=__class__&_od_{v}=desc", 400), ("_od_{v}=sideways", 200),
])
def test_paging_and_ordering_abuse_on_every_list(app, admin, args, expected):
    for url, view in list_urls(app).items():
        response = admin.get(f"{url}?{args.format(v=view)}")
        assert response.status_code == expected, (url, args, response.status_code)


def test_huge_page_size_is_capped(app, admin):
    for url, view in list_urls(app).items():
        response = admin.get(f"{url}?psize_{view}=100000&page_{view}=0")
        assert response.status_code == 302, url
        assert f"psize_{view}=100" in response.headers["Location"]
        assert f"page_{view}=0" in response.headers["Location"]
        assert admin.get(response.headers["Location"]).status_code == 200


def test_capped_page_size_really_limits_the_rows(app, as_user):
    app.config["LIST_MAX_PAGE_SIZE"] = 2
    try:
        response = as_user("manager").get("/ticketmodelview/list/?psize_TicketModelView=500",
                                          follow_redirects=True)
    finally:
        app.config["LIST_MAX_PAGE_SIZE"] = 100
    assert response.status_code == 200
    assert len(ticket_numbers(response.data) - {"1004481", "1004482", "1004483"}) == 0
    assert len(ticket_numbers(response.data)) <= 2 + 1  # two rows (+ a number in the page text)


def test_filter_operator_out_of_range_is_400_on_every_list(app, admin):
    """FAB takes `_flt_<digit>_<column>` and indexes the column's operators with it."""
    for url, view in list_urls(app).items():
        instance = next(v for v in app.appbuilder.baseviews if v.__class__.__name__ == view)
        for column, operators in instance._filters._all_filters.items():
            bad = admin.get(f"{url}?_flt_9_{column}=x")
            assert bad.status_code == (400 if len(operators) < 10 else 200), (url, column)
            boolean = _is_boolean(instance, column)
            for index in range(min(len(operators), 10)):
                ok = admin.get(f"{url}?_flt_{index}_{column}={'y' if boolean else 'abc'}")
                assert ok.status_code in (200, 302), (url, column, index, ok.status_code)
                if boolean:  # FAB hands any other text to the database (PostgreSQL: error)
                    assert admin.get(f"{url}?_flt_{index}_{column}=abc").status_code == 400


def _is_boolean(view, column) -> bool:
    try:
        return view.datamodel.is_boolean(column)
    except Exception:  # noqa: BLE001 - relations
        return False


@pytest.mark.parametrize("text", SQLISH)
def test_sql_looking_text_in_the_message_box_search(as_user, text):
    response = as_user("clerk3").get("/support/inbox", query_string={"q": text})
    assert response.status_code == (400 if "\x00" in text else 200)  # NUL: never typed text
    assert row_numbers(response.data) <= {"1004483"}  # never another office's tickets
    assert count(Ticket) == 3


@pytest.mark.parametrize("text", SQLISH)
def test_sql_looking_text_in_fab_list_search(as_user, text):
    agent2 = as_user("agent2")
    for column in ("subject", "tracking_number", "national_id"):
        response = agent2.get("/ticketmodelview/list/", query_string={f"_flt_2_{column}": text})
        assert response.status_code in (200, 400), (column, response.status_code)
        assert not ticket_numbers(response.data) & {"1004481", "1004482"}
    response = agent2.get("/ticketmodelview/list/", query_string={"_flt_0_number": text})
    assert response.status_code in (200, 400)
    assert count(Ticket) == 3


@pytest.mark.parametrize("text", SQLISH[:4])
def test_sql_looking_text_in_the_user_list_search(as_user, text):
    response = as_user("manager").get("/users/list/", query_string={"_flt_2_username": text})
    assert response.status_code == 200
    assert "pbkdf2" not in response.data.decode() and "scrypt" not in response.data.decode()


def test_nul_characters_are_refused_in_forms(as_user):
    from app.models import Message

    before = count(Message)
    response = as_user("clerk").post("/support/tickets/1004481/reply", data={"body": "a\x00b"})
    assert response.status_code == 400 and count(Message) == before


@pytest.mark.parametrize("stars", ["0", "6", "-1", "99999999999999999999", "۶", "1e1", "٥.٥",
                                   " ", "5 OR 1=1", "<script>"])
def test_rating_out_of_range_or_not_a_number(as_user, stars):
    response = as_user("clerk").post("/support/tickets/1004481/rate", data={"stars": stars})
    assert response.status_code == 400
    assert count(Rating) == 0


def test_rating_list_of_values_is_refused(as_user):
    response = as_user("clerk").post("/support/tickets/1004481/rate",
                                     data={"stars": ["5", "1"], "reason": "x"})
    assert response.status_code in (302, 400)
    ratings = list(db.session.scalars(select(Rating)))
    assert all(1 <= r.stars <= 5 for r in ratings)


@pytest.mark.parametrize("number", ["0", "-1", "99999999999999999999999", "1004481.0"])
def test_odd_ticket_numbers_in_urls_are_404(as_user, number):
    assert as_user("manager").get(f"/support/tickets/{number}").status_code == 404

"""Punctuation in any search is text or ignored: never a 400 or a 500 (issue 17, item 3).

FTS5's MATCH and PostgreSQL's tsquery have their own syntax (quotes, `*`, `-`, `^`, `:`,
`&`, `|`, `!`, `<->`, NEAR, AND, OR, NOT); none of it may reach them from a typed query.
"""
import prison
import pytest
from sqlalchemy import select

from app.domain.search import ticket_search_criterion
from app.extensions import db
from app.models import Ticket
from tests.api.conftest import API
from tests.conftest import ticket_numbers
from tests.helpers import row_numbers

PUNCTUATION = ["%", "*", "\\", "||", '"', "'", "(", ")", ":", "-", "&", "|", "!", "<", ">",
               "^", "~", "NEAR", "AND", "OR", "NOT", "<->", ":*", "!!", "'')", "\\'", "NEAR(",
               '"پلاک', "پلاک*", "-پلاک", "پلاک:*", "^پلاک", "پلاک & | ! خودرو"]
# Each alone, and around a word of 1004482 «پلاک خودرو اشتباه است» (which must still be found).
QUERIES = PUNCTUATION + [f"پلاک {p}" for p in PUNCTUATION] + [
    f"{p}پلاک{p}" for p in PUNCTUATION if not any(c.isalpha() for c in p)]


@pytest.fixture(autouse=True)
def no_500(app):
    """A 500 shows as a status, not as an exception the test client re-raises."""
    before = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    yield
    app.config["PROPAGATE_EXCEPTIONS"] = before


def _expected(query: str) -> set[str]:
    """NEAR, AND, OR, NOT are words like any other: no demo ticket holds them."""
    words_only_of_1004482 = "پلاک" in query and not any(c.isascii() and c.isalpha() for c in query)
    return {"1004482"} if words_only_of_1004482 else set()


def test_the_api_text_filter_answers_200(api):
    clerk = api("clerk2")  # 1004482's clerk
    for query in QUERIES:
        q = prison.dumps({"filters": [{"col": "text", "opr": "eq", "value": query}]})
        response = clerk.get(f"{API}/tickets/", query_string={"q": q})
        assert response.status_code == 200, (query, response.json)
        assert {str(t["number"]) for t in response.json["result"]} == _expected(query), query


def test_a_malformed_rison_is_a_clear_400(api):
    response = api("clerk").get(f"{API}/tickets/", query_string={
        "q": "(filters:!((col:text,opr:eq,value:'it's')))"})  # «'» unescaped: not Rison
    assert response.status_code == 400 and response.json["message"]


def test_the_staff_keyword_search(app):
    for query in QUERIES:
        numbers = db.session.scalars(select(Ticket.number).where(
            ticket_search_criterion(db.session, query)))
        assert {str(n) for n in numbers} == _expected(query), query


def test_the_web_list_search(as_user):
    from tests.test_search import _contains_words_arg

    manager = as_user("manager")
    words = _contains_words_arg(manager)
    for query in QUERIES:
        response = manager.get("/ticketmodelview/list/", query_string={words: query})
        assert response.status_code == 200, query
        assert ticket_numbers(response.data) == _expected(query), query
        for argument in ("_flt_0_subject", "_flt_1_subject", "_flt_2_subject", "_flt_6_subject",
                         "_flt_2_tracking_number", "_flt_1_national_id", "_flt_0_number"):
            response = manager.get("/ticketmodelview/list/", query_string={argument: query})
            assert response.status_code == 200, (argument, query)


def test_the_clerks_message_box_search(as_user):
    clerk = as_user("clerk2")
    for query in QUERIES:
        response = clerk.get("/support/inbox", query_string={"q": query})
        assert response.status_code == 200, query
        assert row_numbers(response.data) == _expected(query), query

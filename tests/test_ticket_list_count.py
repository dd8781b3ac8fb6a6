"""The ticket lists' rows and capped record count come in one statement
(app/web/ticket_datamodel.py `TicketInterface.query`); a page past the end is counted alone."""
import re

from app.persian.text import ascii_digits
from tests.conftest import ticket_numbers


def _record_count(html: bytes) -> str:
    text = ascii_digits(html.decode())
    return re.search(r"Record Count:</strong>\s*([^<\s]+)", text).group(1)


def _statements(response) -> int:
    return int(response.headers["X-SQL-Statements"])


def test_manager_list_counts_in_the_rows_statement(as_user):
    manager = as_user("manager")
    manager.get("/lang/en")
    manager.get("/ticketmodelview/list/")
    response = manager.get("/ticketmodelview/list/")
    assert ticket_numbers(response.data) == {"1004481", "1004482", "1004483"}
    assert _record_count(response.data) == "3"
    assert _statements(response) == 3  # the user, the rows with their count, the navbar


def test_agent_list_counts_only_their_scope(as_user):
    agent = as_user("agent2")
    agent.get("/lang/en")
    response = agent.get("/ticketmodelview/list/")
    assert ticket_numbers(response.data) == {"1004483"}
    assert _record_count(response.data) == "1"


def test_a_page_past_the_end_still_counts(as_user):
    manager = as_user("manager")
    manager.get("/lang/en")
    response = manager.get("/ticketmodelview/list/?page_TicketModelView=4")
    assert response.status_code == 200
    assert ticket_numbers(response.data) == set()
    assert _record_count(response.data) == "3"


def test_an_empty_filter_counts_nothing(as_user):
    manager = as_user("manager")
    manager.get("/lang/en")
    response = manager.get("/ticketmodelview/list/?_flt_0_number=9999999")
    assert ticket_numbers(response.data) == set()
    assert _record_count(response.data) == "0"

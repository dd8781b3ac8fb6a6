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


def _numbers_in_order(html: bytes) -> list[str]:
    from app.persian.text import ascii_digits

    return list(dict.fromkeys(re.findall(r"10044\d\d", ascii_digits(html.decode()))))


def _page(client, number: int, direction: str, **filters) -> list[str]:
    response = client.get("/ticketmodelview/list/", query_string={
        "psize_TicketModelView": 2, "page_TicketModelView": number,
        "_oc_TicketModelView": "number", "_od_TicketModelView": direction, **filters})
    assert response.status_code == 200
    return _numbers_in_order(response.data)


def test_the_page_is_chosen_before_the_joins_in_the_lists_order(as_user):
    """The page's ids are sorted and cut first, the shown columns joined after
    (`TicketInterface.query`): each page holds the next tickets in the chosen order."""
    manager = as_user("manager")
    manager.get("/lang/en")
    assert _page(manager, 0, "asc") == ["1004481", "1004482"]
    assert _page(manager, 1, "asc") == ["1004483"]
    assert _page(manager, 0, "desc") == ["1004483", "1004482"]
    assert _page(manager, 1, "desc") == ["1004481"]


def _rare_word_tickets():
    """«گورخر» in two Technical support tickets and one Training ticket."""
    from sqlalchemy import select

    from app.domain.tickets import NewTicket, create_ticket
    from app.extensions import db
    from app.models import Department, HamrahUser

    clerk = db.session.scalars(select(HamrahUser).filter_by(username="clerk")).one()
    numbers = {}
    for name, count in (("Technical support", 2), ("Training", 1)):
        department = db.session.scalars(select(Department.id).filter_by(name_en=name)).one()
        numbers[name] = {str(create_ticket(db.session, clerk, NewTicket(
            subject=f"گورخر {i}", department_id=department, body="متن")).number)
            for i in range(count)}
    db.session.commit()
    return numbers


def _listed_with_statements(client, arg, word="گورخر"):
    from sqlalchemy import event

    from app.extensions import db

    seen = []

    def keep(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        response = client.get("/ticketmodelview/list/", query_string={arg: word})
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    assert response.status_code == 200
    rows = [s for s in seen if "hamrah_page" in s]
    assert len(rows) == 1
    return response, rows[0]


def test_a_rare_words_count_is_the_probes_when_nothing_else_narrows(as_user):
    """The manager's list with a rare word: the probe counted the matches, the list does not
    count them again; an agent's list (their departments narrow it) still counts."""
    from app.extensions import db
    from tests.test_search import _contains_words_arg

    numbers = _rare_word_tickets()
    manager = as_user("manager")
    manager.get("/lang/en")
    arg = _contains_words_arg(manager)
    response, rows = _listed_with_statements(manager, arg)
    assert ticket_numbers(response.data) == numbers["Technical support"] | numbers["Training"]
    assert _record_count(response.data) == "3"
    assert "count(" not in rows
    if db.engine.dialect.name == "postgresql":  # a constant: prepared plans keep hashing it
        assert re.search(r"= ANY \('\{\d+(,\d+)*\}'::INTEGER\[\]\)", rows), rows

    agent = as_user("agent")
    agent.get("/lang/en")
    response, rows = _listed_with_statements(agent, arg)
    assert ticket_numbers(response.data) == numbers["Technical support"]
    assert _record_count(response.data) == "2"
    assert "count(" in rows

    filtered = manager.get("/ticketmodelview/list/", query_string={
        arg: "گورخر", "_flt_0_number": sorted(numbers["Training"])[0]})
    assert ticket_numbers(filtered.data) == numbers["Training"]
    assert _record_count(filtered.data) == "1"


def test_a_word_estimated_far_above_the_cap_is_more_than_the_cap_without_counting(
        as_user, monkeypatch):
    """A common word (a subquery, not an id list) on PostgreSQL: when its lexeme statistics
    put it at ten times the cap or more, the manager's list says "more than" the cap without
    reading the word's whole index posting; a word estimated nearer the cap is counted, as is
    every word on SQLite (no estimates). Cap 2 and an id-list limit of 5 for the test; the
    estimates are the words' true counts, given here: the statistics of a 55-row test table
    are no word's frequency (PostgreSQL estimates 1 for both)."""
    from sqlalchemy import select, text

    import app.domain.search as search
    from app.domain.tickets import NewTicket, create_ticket
    from app.extensions import db
    from app.models import Department, HamrahUser
    from app.web import ticket_datamodel
    from tests.test_search import _contains_words_arg

    clerk = db.session.scalars(select(HamrahUser).filter_by(username="clerk")).one()
    tech = db.session.scalars(select(Department.id).filter_by(name_en="Technical support")).one()
    for word, count in (("کرگدن", 40), ("زرافه", 12)):
        for i in range(count):
            create_ticket(db.session, clerk, NewTicket(subject=f"{word} {i}", department_id=tech,
                                                       body="متن"))
    db.session.commit()
    postgres = db.engine.dialect.name == "postgresql"
    indexed = db.session.scalar(text("SELECT count(*) FROM ticket_search"))
    true_counts = {"کرگدن": 40, "زرافه": 12}
    monkeypatch.setattr(search, "_estimated_matches",
                        lambda _session, terms: (true_counts[terms[0]], indexed))
    monkeypatch.setattr(search, "SELECTIVE", 5)
    monkeypatch.setattr(search, "SELECTIVE_AT", indexed)
    monkeypatch.setattr(ticket_datamodel, "COUNT_CAP", 2)

    manager = as_user("manager")
    manager.get("/lang/en")
    arg = _contains_words_arg(manager)
    for word, counted in (("کرگدن", not postgres), ("زرافه", True)):
        response = manager.get("/ticketmodelview/list/", query_string={arg: word})
        assert response.status_code == 200
        assert re.search(r"Record Count:</strong>\s*more than 2", response.data.decode()), word
        _response, rows = _listed_with_statements(manager, arg, word)
        assert ("count(" in rows) is counted, word

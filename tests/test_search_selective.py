"""The shape of a search criterion (issue 17): an id list for a rare word, a subquery for a
common one, the limit between them growing with the root of the indexed tickets; the
ticket list's filter works its criterion out once per transaction."""
import pytest
from sqlalchemy import select, text

import app.domain.search as search
from app.domain.access import ticket_criterion
from app.domain.search import SELECTIVE, selective_limit, ticket_search_criterion
from app.domain.search_filter import TicketTextFilter
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import Department, HamrahUser, Ticket
from tests.conftest import ticket_numbers


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def _new(subject, username="clerk"):
    tech = db.session.scalars(select(Department.id).filter_by(name_en="Technical support")).one()
    return create_ticket(db.session, _user(username),
                         NewTicket(subject=subject, department_id=tech, body="متن"))


def _shape(criterion) -> str:
    """"ids" (a list of ticket ids), "subquery" (the index queried inside the caller's
    statement) or "none" (a query without words)."""
    sql = str(criterion.compile(dialect=db.engine.dialect))
    if "ticket_search" in sql:
        return "subquery"
    return "ids" if "ticket.id" in sql else "none"


def _found(criterion) -> set[int]:
    return set(db.session.scalars(select(Ticket.number).where(
        ticket_criterion(_user("manager")), criterion)))


def test_the_limit_grows_with_the_root_of_the_indexed_tickets():
    """5,000 at 1M (the figure measured there), 1,581 at 100k, 500 at 10k; never above."""
    assert selective_limit(1_000_000) == SELECTIVE == 5000
    assert selective_limit(100_000) == 1581
    assert selective_limit(10_000) == 500
    assert selective_limit(50_000_000) == SELECTIVE
    assert selective_limit(0) == selective_limit(-1) == 1
    sizes = [10, 1000, 10_000, 100_000, 400_000, 1_000_000, 4_000_000]
    limits = [selective_limit(n) for n in sizes]
    assert limits == sorted(limits)


@pytest.fixture
def words():
    """«کمیاب» in 3 tickets, «متداول» in 7; statistics fresh on PostgreSQL."""
    rare = {_new(f"موضوع کمیاب {i}").number for i in range(3)}
    common = {_new(f"موضوع متداول {i}").number for i in range(7)}
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE ticket_search"))
        db.session.commit()
    indexed = db.session.scalar(text("SELECT count(*) FROM ticket_search"))
    return rare, common, indexed


def test_a_rare_word_is_an_id_list_and_a_common_one_a_subquery(words, monkeypatch):
    rare, common, indexed = words
    monkeypatch.setattr(search, "SELECTIVE", 5)
    monkeypatch.setattr(search, "SELECTIVE_AT", indexed)  # the limit is 5 at this size
    for word, numbers, shape in (("کمیاب", rare, "ids"), ("متداول", common, "subquery")):
        criterion = ticket_search_criterion(db.session, word)
        assert _shape(criterion) == shape, word
        assert _found(criterion) == numbers, word
    assert _shape(ticket_search_criterion(db.session, "؟!")) == "none"


def test_the_limit_at_a_smaller_size_is_smaller(words, monkeypatch):
    """The same 7 matches: an id list at the size where the limit is SELECTIVE, a subquery
    at a quarter of it (limit SELECTIVE / 2) on PostgreSQL, whose EXPLAIN says how many
    tickets are indexed; SQLite keeps SELECTIVE (no estimates: one probe)."""
    _rare, common, indexed = words
    monkeypatch.setattr(search, "SELECTIVE", 12)
    monkeypatch.setattr(search, "SELECTIVE_AT", indexed)
    criterion = ticket_search_criterion(db.session, "متداول")
    assert (_shape(criterion), _found(criterion)) == ("ids", common)
    monkeypatch.setattr(search, "SELECTIVE_AT", indexed * 4)  # the limit is 6 now
    criterion = ticket_search_criterion(db.session, "متداول")
    postgres = db.engine.dialect.name == "postgresql"
    assert (_shape(criterion), _found(criterion)) == ("subquery" if postgres else "ids", common)


def _statements(response) -> int:
    assert response.status_code == 200
    return int(response.headers["X-SQL-Statements"])


def test_the_list_works_its_criterion_out_once(as_user):
    """FAB applies the filter to the capped count and to the rows: one EXPLAIN (PostgreSQL)
    and one probe, not two of each."""
    from tests.test_search import _contains_words_arg

    manager = as_user("manager")
    arg = _contains_words_arg(manager)
    manager.get("/ticketmodelview/list/")  # one-time work (reference cache) out of the way
    plain = _statements(manager.get("/ticketmodelview/list/"))
    listed = manager.get("/ticketmodelview/list/", query_string={arg: "شناسنامه"})
    assert ticket_numbers(listed.data) == {"1004481"}
    per_search = 2 if db.engine.dialect.name == "postgresql" else 1
    assert _statements(listed) == plain + per_search


def test_a_kept_criterion_does_not_outlive_its_transaction():
    from flask_appbuilder.models.sqla.interface import SQLAInterface

    words = TicketTextFilter("subject", SQLAInterface(Ticket, db.session))
    first = _new("ثبت نام زرافه")
    db.session.commit()

    def listed():
        return {t.number for t in words.apply(db.session.query(Ticket), "زرافه")}

    assert listed() == {first.number}
    assert listed() == {first.number}  # kept within the transaction
    second = _new("زرافه دوم")  # commits: a new transaction, a new probe
    assert listed() == {first.number, second.number}


def test_an_id_array_is_written_into_the_sql_only_as_digits_and_commas():
    """The probe's array text goes into the statement as a constant (search._IdArrayText):
    anything but «{digits,...}» is refused before it reaches the SQL."""
    from sqlalchemy.dialects import postgresql

    write = search._IdArrayText().literal_processor(postgresql.dialect())
    assert write("{7,42}") == "'{7,42}'::INTEGER[]"
    for bad in ("{7,42}'; DROP TABLE ticket; --", "{}", "{7,,42}", "{-7}", "7,42"):
        with pytest.raises(ValueError):
            write(bad)

"""Spaced, joined and ZWNJ spellings of one Persian word find each other (issue 17, item 3).

«می‌خواهم» (ZWNJ), «میخواهم» (joined) and «می خواهم» (spaced) are one word, and so are
«پرونده‌ها», «پروندهها» and «پرونده ها»: whichever is stored and whichever is typed.
"""
import pytest
from sqlalchemy import create_engine, select, text

from app.domain.search import query_terms, search_tokens, ticket_search_criterion
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import Department, HamrahUser, Ticket
from app.persian.text import join_affixes
from tests.conftest import ticket_numbers
from tests.helpers import row_numbers
from tests.test_migrations import empty_database_url  # noqa: F401 - a fixture

ZWNJ = "\u200c"
VERB = ["می" + ZWNJ + "خواهم", "میخواهم", "می خواهم"]
PLURAL = ["پرونده" + ZWNJ + "ها", "پروندهها", "پرونده ها"]
NEGATIVE = ["نمی" + ZWNJ + "شود", "نميشود", "نمي شود"]  # with the Arabic yeh too


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def _new(subject, body):
    tech = db.session.scalars(select(Department.id).filter_by(name_en="Technical support")).one()
    ticket = create_ticket(db.session, _user("clerk"),
                           NewTicket(subject=subject, department_id=tech, body=body))
    db.session.commit()
    return ticket.number


def found(query):
    stmt = select(Ticket.number).where(ticket_search_criterion(db.session, query))
    return set(db.session.scalars(stmt))


@pytest.mark.parametrize("spellings", [VERB, PLURAL, NEGATIVE], ids=["verb", "plural", "negative"])
def test_every_spelling_finds_every_other_in_subjects_and_messages(spellings):
    in_subject = {_new(f"درخواست {word} امروز", "متن پیام") for word in spellings}
    in_message = {_new("موضوع دیگر", f"لطفا {word} بررسی شود") for word in spellings}
    for typed in spellings:
        assert found(typed) == in_subject | in_message, typed
        assert found(f"درخواست {typed}") == in_subject, typed  # with another word


def test_the_joined_word_is_one_token_and_other_words_keep_their_meaning():
    assert join_affixes(["کار", "می", "کنم"]) == ["کار", "میکنم"]
    assert join_affixes(["پرونده", "های", "قدیمی"]) == ["پروندههای", "قدیمی"]
    assert join_affixes(["ها"]) == ["ها"]  # an affix alone stays a word
    assert query_terms("می خواهم") == ["میخواهم"]
    assert query_terms("نمي\u200cخواهم") == ["نمیخواهم"]
    assert {"میخواهم", "می", "خواهم"} <= search_tokens("من می خواهم")
    number = _new("من می خواهم", "متن")
    assert found("نمی خواهم") == set()  # «نمی» is another word than «می»
    assert found("خواهم") == {number}


@pytest.mark.parametrize("typed", VERB)
def test_the_web_search_boxes_find_the_other_spellings(as_user, typed):
    from tests.test_search import _contains_words_arg

    numbers = {str(_new(f"سوال {word}", "متن")) for word in VERB}
    manager = as_user("manager")
    listed = manager.get("/ticketmodelview/list/", query_string={_contains_words_arg(manager): typed})
    assert ticket_numbers(listed.data) >= numbers
    box = as_user("clerk").get("/support/inbox", query_string={"q": typed})
    assert row_numbers(box.data) == numbers


def test_migration_0013_indexes_older_rows_again(app, empty_database_url):  # noqa: F811
    """A row indexed before 0013 (no joined token) is found by every spelling after it."""
    from flask_migrate import upgrade

    from app import create_app
    from config import TestConfig

    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database_url,
                       ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"])
    with other.app_context():
        upgrade(revision="0012")
        engine = create_engine(empty_database_url)
        postgres = engine.dialect.name == "postgresql"
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO office (id, code, name) VALUES (1, 'o1', 'Office')"))
            conn.execute(text("INSERT INTO department (id, name, name_en, active, ordering)"
                              " VALUES (1, 'd1', 'd1', true, 0)"))
            conn.execute(text("INSERT INTO ab_user (id, first_name, last_name, username, email)"
                              " VALUES (1, 'a', 'b', 'u1', 'u1@example.com')"))
            conn.execute(text(
                "INSERT INTO ticket (id, number, subject, department_id, office_id, creator_id,"
                " status, created_at, updated_at, last_activity_at, unread_answer)"
                " VALUES (7, 1, 'من می خواهم', 1, 1, 1, 'new', :t, :t, :t, false)"),
                {"t": "2026-01-01 00:00:00"})
            old = "خواهم من می"  # the document the tokeniser wrote before 0013
            conn.execute(text(
                "INSERT INTO ticket_search (ticket_id, document) VALUES (7, CAST(:d AS tsvector))"
                if postgres else "INSERT INTO ticket_search (rowid, document) VALUES (7, :d)"),
                {"d": old})
        upgrade(revision="0013")
        with engine.connect() as conn:
            for typed in VERB:
                matching = ticket_search_criterion(conn, typed)
                assert conn.scalars(select(Ticket.id).where(matching)).all() == [7], typed
        engine.dispose()
        db.engine.dispose()

"""Text filters search `%`, `_` and `\\` as the characters typed (issue 17, item 3).

Subject filters of the ticket list, numbered by FAB: 0 starts with, 1 ends with,
2 contains, 4 not starts with, 5 not ends with, 6 not contains.
"""
import pytest
from flask_appbuilder import ModelView
from sqlalchemy import select

from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import Department, HamrahUser
from app.web.list_filters import LiteralContains, escape_like
from tests.conftest import ticket_numbers

LIST = "/ticketmodelview/list/"
SUBJECTS = ["50% off", "5000 off", "a_b", "axb", "c\\d", "cxd"]


@pytest.fixture
def tickets():
    """{subject: ticket number as text} of six tickets whose subjects differ in one wildcard."""
    clerk = db.session.scalars(select(HamrahUser).filter_by(username="clerk")).one()
    tech = db.session.scalars(select(Department.id).filter_by(name_en="Technical support")).one()
    numbers = {subject: str(create_ticket(db.session, clerk, NewTicket(
        subject=subject, department_id=tech, body="متن")).number) for subject in SUBJECTS}
    db.session.commit()
    return numbers


@pytest.mark.parametrize(("argument", "value", "expected"), [
    ("_flt_2_subject", "50%", ["50% off"]),
    ("_flt_2_subject", "a_b", ["a_b"]),
    ("_flt_2_subject", "_", ["a_b"]),
    ("_flt_2_subject", "%", ["50% off"]),
    ("_flt_2_subject", "c\\d", ["c\\d"]),
    ("_flt_2_subject", "\\", ["c\\d"]),
    ("_flt_0_subject", "50%", ["50% off"]),
    ("_flt_0_subject", "a_", ["a_b"]),
    ("_flt_1_subject", "_b", ["a_b"]),
    ("_flt_1_subject", "\\d", ["c\\d"]),
    ("_flt_1_subject", "%", []),
])
def test_wildcards_are_literal(as_user, tickets, argument, value, expected):
    response = as_user("manager").get(LIST, query_string={argument: value})
    assert response.status_code == 200
    assert ticket_numbers(response.data) & set(tickets.values()) == {tickets[s] for s in expected}


@pytest.mark.parametrize(("argument", "value", "left_out"), [
    ("_flt_6_subject", "50%", ["50% off"]),
    ("_flt_6_subject", "_", ["a_b"]),
    ("_flt_4_subject", "a_", ["a_b"]),
    ("_flt_5_subject", "\\d", ["c\\d"]),
])
def test_negated_wildcards_are_literal(as_user, tickets, argument, value, left_out):
    response = as_user("manager").get(LIST, query_string={argument: value})
    assert response.status_code == 200
    assert ticket_numbers(response.data) & set(tickets.values()) == {
        number for subject, number in tickets.items() if subject not in left_out}


def test_escape_like():
    assert escape_like("50%_a\\") == "50\\%\\_a\\\\"
    assert escape_like("پرونده") == "پرونده"


def test_every_list_screen_filters_text_literally(app):
    """Ours and FAB's own screens (users, roles, ...): "contains" is the literal one."""
    checked = 0
    for view in app.appbuilder.baseviews:
        if not isinstance(view, ModelView):
            continue
        for column, filters in view._filters.get_search_filters().items():
            for flt in filters:
                assert not (type(flt).__module__.startswith("flask_appbuilder")
                            and "ilike" in _source(type(flt))), (type(view).__name__, column)
                checked += isinstance(flt, LiteralContains)
    assert checked >= 10


def _source(cls) -> str:
    import inspect

    return inspect.getsource(cls.apply)

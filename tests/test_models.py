"""Database constraints hold on both databases, whatever the code above them does."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Department, Office, Rating, RelatedCase, Ticket


def _ticket():
    return db.session.scalars(select(Ticket).order_by(Ticket.number)).first()


def _copy(ticket, **changes):
    fields = dict(number=ticket.number + 1000, subject="x", department_id=ticket.department_id,
                  office_id=ticket.office_id, creator_id=ticket.creator_id)
    fields.update(changes)
    return Ticket(**fields)


def _fails(obj):
    db.session.add(obj)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_ticket_number_is_unique():
    ticket = _ticket()
    _fails(_copy(ticket, number=ticket.number))


def test_ticket_status_must_be_known():
    _fails(_copy(_ticket(), status="lost"))


def test_foreign_keys_are_enforced():
    _fails(_copy(_ticket(), department_id=999999))


def test_rating_stars_between_one_and_five():
    ticket = _ticket()
    for stars in (0, 6, -1):
        _fails(Rating(ticket_id=ticket.id, stars=stars, rated_by_id=ticket.creator_id))
    db.session.add(Rating(ticket_id=ticket.id, stars=5, rated_by_id=ticket.creator_id))
    db.session.commit()


def test_one_rating_per_ticket():
    ticket = _ticket()
    db.session.add(Rating(ticket_id=ticket.id, stars=4, rated_by_id=ticket.creator_id))
    db.session.commit()
    _fails(Rating(ticket_id=ticket.id, stars=3, rated_by_id=ticket.creator_id))


def test_related_case_needs_a_number():
    _fails(RelatedCase(ticket_id=_ticket().id))


def test_office_code_and_department_name_unique():
    _fails(Office(code="1001", name="dup"))
    _fails(Department(name="آموزش", name_en="dup"))

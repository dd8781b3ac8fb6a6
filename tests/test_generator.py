"""`hamrah generate`: realistic, consistent bulk data that the app and the search can use."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.cli.generator import generate
from app.domain.access import ticket_criterion
from app.domain.numbering import peek_next
from app.domain.search import ticket_search_criterion
from app.extensions import db
from app.models import (
    Attachment,
    Department,
    HamrahUser,
    Message,
    Office,
    Rating,
    RelatedCase,
    StatusChange,
    Ticket,
)
from app.models.base import utcnow
from app.persian.national_id import is_valid_national_id
from tests.conftest import login

DEMO_NUMBERS = {1004481, 1004482, 1004483}


@pytest.fixture
def generated(runner):
    result = runner.invoke(args=["hamrah", "generate", "--tickets", "200", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "Elapsed" in result.output
    db.session.expire_all()
    return db.session.scalars(select(Ticket).where(Ticket.number.not_in(DEMO_NUMBERS))).all()


def _manager():
    return db.session.scalars(select(HamrahUser).filter_by(username="manager")).one()


def test_generates_tickets_with_numbers_from_the_counter(generated):
    assert len(generated) == 200
    numbers = sorted(t.number for t in generated)
    assert numbers == list(range(1004484, 1004484 + 200))
    assert peek_next(db.session) == 1004484 + 200
    ordered = sorted(generated, key=lambda t: t.number)
    assert [t.created_at for t in ordered] == sorted(t.created_at for t in ordered)


def test_threads_have_two_to_six_messages_and_consistent_statuses(generated):
    ids = [t.id for t in generated]
    counts = dict(db.session.execute(
        select(Message.ticket_id, func.count()).where(Message.ticket_id.in_(ids))
        .group_by(Message.ticket_id)).all())
    assert set(counts) == set(ids)
    assert all(2 <= n <= 6 for n in counts.values()), counts
    assert db.session.scalar(select(func.count()).where(Message.from_support.is_(True),
                                                        Message.ticket_id.in_(ids))) > 0
    assert {t.status for t in generated} >= {"new", "answered", "closed"}
    for ticket in generated:
        history = db.session.scalars(select(StatusChange).filter_by(ticket_id=ticket.id)
                                     .order_by(StatusChange.changed_at, StatusChange.id)).all()
        assert history[0].from_status is None and history[0].to_status == "new"
        assert history[-1].to_status == ticket.status
        assert (ticket.closed_at is not None) == (ticket.status == "closed")
        thread = db.session.scalars(select(Message).filter_by(ticket_id=ticket.id)
                                    .order_by(Message.created_at, Message.id)).all()
        assert not thread[0].from_support and thread[0].author.office_id == ticket.office_id
        answered = [m for m in thread if m.from_support and not m.is_internal]
        assert (ticket.first_answered_at is not None) == bool(answered)
        assert ticket.created_at <= ticket.last_activity_at <= utcnow()


def test_identifiers_are_valid(generated):
    for ticket in generated:
        assert ticket.national_id is None or is_valid_national_id(ticket.national_id)
        assert ticket.tracking_number is None or re.fullmatch(r"\d{14}", ticket.tracking_number)
    assert sum(t.national_id is not None for t in generated) > 100
    related = db.session.scalars(select(RelatedCase)).all()
    assert related and all(r.national_id is None or is_valid_national_id(r.national_id)
                           for r in related)
    names = db.session.scalars(select(Attachment.stored_name)).all()
    assert names and len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16,64}", n) for n in names)


def test_cast_ratings_and_dates(generated):
    assert db.session.scalar(select(func.count(Office.id))) >= 50
    assert db.session.scalar(select(func.count(Department.id))) >= 3
    assert len({t.office_id for t in generated}) >= 20
    assert len({t.department_id for t in generated}) >= 3
    ratings = db.session.scalars(select(Rating).where(Rating.ticket_id.in_([t.id for t in generated]))).all()
    assert ratings and all(1 <= r.stars <= 5 for r in ratings)
    assert all(r.ticket.status in ("answered", "closed") for r in ratings)
    oldest = min(t.created_at for t in generated)
    assert oldest < utcnow() - timedelta(days=600)


def test_foreign_keys_hold(generated):
    """The PostgreSQL load skips per-row FK checks: prove the data needs none."""
    checks = [("message", "ticket_id", "ticket"), ("message", "author_id", "ab_user"),
              ("status_change", "ticket_id", "ticket"), ("attachment", "message_id", "message"),
              ("rating", "ticket_id", "ticket"), ("related_case", "ticket_id", "ticket"),
              ("ticket", "creator_id", "ab_user"), ("ticket", "office_id", "office"),
              ("ticket", "department_id", "department")]
    for table, column, parent in checks:
        orphans = db.session.scalar(text(
            f"SELECT count(*) FROM {table} c LEFT JOIN {parent} p ON p.id = c.{column} "
            f"WHERE p.id IS NULL"))
        assert orphans == 0, (table, column)


def test_search_finds_generated_text_but_not_internal_notes(generated):
    ids = {t.id for t in generated}
    message = db.session.scalars(select(Message).where(
        Message.ticket_id.in_(ids), Message.is_internal.is_(False), Message.from_support.is_(True))
        .order_by(Message.id)).first()
    word = max(re.findall(r"\w+", message.body), key=len)
    stmt = select(Ticket.id).where(ticket_criterion(_manager()),
                                   ticket_search_criterion(db.session, word))
    assert message.ticket_id in set(db.session.scalars(stmt))
    subject = generated[0].subject.split()[0]
    stmt = select(Ticket.id).where(ticket_search_criterion(db.session, subject))
    assert generated[0].id in set(db.session.scalars(stmt))
    # «یادداشت» only ever appears in internal notes
    assert db.session.scalar(select(func.count()).where(Message.body.contains("یادداشت"))) > 0
    assert not db.session.scalars(
        select(Ticket.id).where(ticket_search_criterion(db.session, "یادداشت"))).all()


def test_the_app_keeps_working_after_a_load(generated, app):
    """Sequences were moved past the loaded ids; generated clerks log in (password = username)."""
    from app.domain.tickets import NewTicket, create_ticket

    clerk = db.session.scalars(select(HamrahUser).filter_by(username="clerk-3001-1")).one()
    ticket = create_ticket(db.session, clerk, NewTicket(
        subject="تیکت پس از بارگذاری", department_id=generated[0].department_id, body="متن"))
    assert ticket.number == 1004484 + 200
    login(app.test_client(), "clerk-3001-1")


def test_a_second_run_reuses_the_cast_and_workers_split_the_load():
    before = db.session.scalar(select(func.count(HamrahUser.id)))
    generate(db.session, 30, seed=1, echo=lambda _: None)
    users = db.session.scalar(select(func.count(HamrahUser.id)))
    stats = generate(db.session, 120, seed=2, echo=lambda _: None, workers=2, chunk=50)
    assert stats["ticket"] == 120
    assert db.session.scalar(select(func.count(HamrahUser.id))) == users > before
    assert db.session.scalar(select(func.count(Ticket.id))) == 3 + 30 + 120


def test_due_times_are_those_real_creation_gives(generated):
    """The COPY load bypasses the flush listener; the rows carry its due times all the same."""
    from app.domain.sla import due_times, load_calendar

    calendar = load_calendar(db.session)
    assert all(t.first_response_due_at is not None for t in generated)
    for ticket in generated:
        assert (ticket.first_response_due_at, ticket.resolution_due_at) == due_times(
            ticket.created_at, ticket.department, calendar), ticket.number
    # and a ticket created through the ORM at the same time in the same department agrees
    sample = generated[len(generated) // 2]
    clone = Ticket(number=9999999, subject="x", department_id=sample.department_id,
                   office_id=sample.office_id, creator_id=sample.creator_id,
                   created_at=sample.created_at)
    db.session.add(clone)
    db.session.flush()
    assert (clone.first_response_due_at, clone.resolution_due_at) == (
        sample.first_response_due_at, sample.resolution_due_at)
    db.session.rollback()


def test_bisected_due_times_equal_the_calendars_own(app):
    """DueTimes (the generator's fast path) against WorkCalendar.add, holidays included."""
    import random
    from datetime import date, datetime

    from app.cli.generator_rows import DueTimes
    from app.domain.sla import WorkCalendar, working_week

    calendar = WorkCalendar(hours=working_week(), holidays=frozenset(
        {date(2024, 3, 20), date(2024, 3, 21), date(2024, 4, 1), date(2024, 6, 5)}),
        yearly=frozenset({(1, 1), (1, 2), (1, 3), (1, 4)}))
    due = DueTimes(calendar, date(2024, 1, 1), date(2024, 12, 31))
    rng = random.Random(5)
    for _ in range(3000):
        start = datetime(2024, 1, 1) + timedelta(seconds=rng.random() * 330 * 86400)
        start = start.replace(minute=0, second=0, microsecond=0) if rng.random() < 0.2 else start
        hours = rng.choice([0.5, 1, 4, 7.75, 8, 16, 40, 120])
        assert due.both(start, hours, 2 * hours) == (calendar.add(start, hours),
                                                   calendar.add(start, 2 * hours)), (start, hours)
    late = datetime(2024, 12, 30, 9)  # past the span: the calendar answers
    assert due.add(late, 40) == calendar.add(late, 40)
    assert due.add(late, None) is None and due.add(late, 0) is None


def test_offices_spread_over_31_provinces_with_a_supervisor_of_the_first(generated):
    from app.cli.generator_data import PROVINCES, province_code
    from app.models import HamrahUser, Office, Region

    provinces = {r.code: r for r in db.session.scalars(select(Region).where(
        Region.code.in_([province_code(i) for i in range(len(PROVINCES))])))}
    assert len(provinces) == 31 and all(r.parent_id is None for r in provinces.values())
    generated_offices = list(db.session.scalars(select(Office).where(Office.code >= "3001")))
    assert {o.region.code for o in generated_offices} == set(provinces)
    supervisor = db.session.scalars(select(HamrahUser).filter_by(username="supervisor-1")).one()
    assert [r.code for r in supervisor.regions] == ["P01"]
    assert {o.code for o in generated_offices if o.region.code == "P01"} == {"3001", "3032"}

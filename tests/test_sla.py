"""Response targets: working-hours arithmetic, due times on tickets, the holiday list."""
from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.domain import sla, workspace
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import Department, HamrahUser
from app.models.holiday import Holiday
from app.persian.jalali import to_utc
from app.persian.text import persian_digits
from tests.helpers import department_id, ticket


def local(y, m, d, h=0, mi=0) -> datetime:
    """A Tehran wall-clock time as stored (naive UTC)."""
    return to_utc(datetime(y, m, d, h, mi))


def calendar(holidays=(), yearly=(), **config):
    week = sla.working_week({**sla.DEFAULTS, **config})
    return sla.WorkCalendar(hours=week, holidays=frozenset(holidays), yearly=frozenset(yearly))


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


# 2024-04-13 is Saturday 1403/01/25; the week runs Saturday..Friday.
@pytest.mark.parametrize("start, hours, due", [
    (local(2024, 4, 13, 10), 3, local(2024, 4, 13, 13)),      # inside one day
    (local(2024, 4, 13, 15), 3, local(2024, 4, 14, 10)),      # 1 h today, 2 h tomorrow
    (local(2024, 4, 13, 6), 8, local(2024, 4, 13, 16)),       # before opening: from 8:00
    (local(2024, 4, 13, 16), 8, local(2024, 4, 14, 16)),      # exactly at closing
    (local(2024, 4, 17, 15), 6, local(2024, 4, 20, 9)),       # Wed 1 h, Thu half day 4 h, Fri off
    (local(2024, 4, 18, 13), 1, local(2024, 4, 20, 9)),       # after Thursday's noon
    (local(2024, 4, 19, 10), 1, local(2024, 4, 20, 9)),       # raised on Friday
    (local(2024, 4, 13, 10), 0, local(2024, 4, 13, 10)),
])
def test_add_working_hours(start, hours, due):
    assert calendar().add(start, hours) == due


def test_holiday_is_skipped():
    off = calendar(holidays={date(2024, 4, 20)})  # Saturday
    # Thu 11-12 (1 h), Fri off, Sat holiday, Sun 8-9
    assert off.add(local(2024, 4, 18, 11), 2) == local(2024, 4, 21, 9)
    assert off.between(local(2024, 4, 18, 11), local(2024, 4, 21, 9)) == timedelta(hours=2)


def test_nowruz_every_year_from_rows_of_another_year(app):
    # Nowruz 1..4 Farvardin entered once, for 1402 (2023-03-21..24), repeat in 1403.
    for day in range(21, 25):
        db.session.add(Holiday(day=date(2023, 3, day), name="نوروز", every_year=True))
    db.session.commit()
    cal = sla.load_calendar(db.session)
    # Tue 1402/12/29 15:00 + 4 h: 1 h on Tuesday; Wed 1/1, Thu 1/2 holidays, Fri 1/3 off,
    # Sat 1/4 holiday; Sun 1403/01/05 8:00 + 3 h.
    assert cal.add(local(2024, 3, 19, 15), 4) == local(2024, 3, 24, 11)
    assert cal.between(local(2024, 3, 19, 15), local(2024, 3, 24, 11)) == timedelta(hours=4)
    assert cal.is_day_off(date(2025, 3, 21))  # 1404/01/01
    assert not cal.is_day_off(date(2025, 3, 25))  # 1404/01/05 (Tuesday)


def test_working_time_between_and_its_sign():
    cal = calendar()
    wed, sat = local(2024, 4, 17, 15), local(2024, 4, 20, 9)
    assert cal.between(wed, sat) == timedelta(hours=6)  # 1 + 4 (Thu) + 0 (Fri) + 1
    assert cal.between(sat, wed) == -timedelta(hours=6)
    assert cal.between(local(2024, 4, 19, 9), local(2024, 4, 19, 17)) == timedelta(0)  # Friday


def test_working_week_settings():
    assert calendar().hours == {5: (480, 960), 6: (480, 960), 0: (480, 960), 1: (480, 960),
                                2: (480, 960), 3: (480, 720)}
    no_thursday = calendar(SLA_THURSDAY_END="7", SLA_WORKDAY_START="7:30", SLA_WORKDAY_END=15.5)
    assert 3 not in no_thursday.hours and no_thursday.hours[5] == (450, 930)
    assert 5 not in calendar(SLA_DAYS_OFF="sat, fri").hours
    assert calendar(SLA_DAYS_OFF="sat,sun,mon,tue,wed,thu,fri").add(local(2024, 4, 13), 1) is None


def test_due_times_set_on_creation_and_recomputed_on_transfer():
    created = local(2024, 4, 17, 15)  # Wednesday
    t = create_ticket(db.session, _user("clerk"), NewTicket(
        subject="s", department_id=department_id(), body="b"), now=created)
    t = ticket(t.number)
    assert t.first_response_due_at == local(2024, 4, 18, 11)  # 4 h: Wed 1, Thu 3
    # 24 h: Wed 1, Thu 4, Sat 8, Sun 8 (21), Mon 3
    assert t.resolution_due_at == local(2024, 4, 22, 11)

    training = db.session.get(Department, department_id("Training"))
    training.first_response_target_hours, training.resolution_target_hours = 1, None
    db.session.commit()
    workspace.transfer(db.session, ticket(t.number), _user("manager"), training.id, "to training")
    t = ticket(t.number)
    assert t.first_response_due_at == local(2024, 4, 17, 16)  # counted from registration
    assert t.resolution_due_at is None  # no target


def test_transfer_through_the_ticket_page(as_user):
    number = 1004482
    assert ticket(number).first_response_due_at is not None  # stamped when the demo was loaded
    training = db.session.get(Department, department_id("Training"))
    training.first_response_target_hours = 2
    db.session.commit()
    response = as_user("agent").post(f"/support/tickets/{number}/transfer",
                                     data={"department": str(training.id), "note": "n"})
    assert response.status_code == 302
    t = ticket(number)
    assert t.department_id == training.id
    assert t.first_response_due_at == sla.load_calendar(db.session).add(t.created_at, 2)


def test_format_sla():
    cal_now = local(2024, 4, 13, 10)  # Saturday 10:00
    soon, late = local(2024, 4, 13, 10, 40), local(2024, 4, 13, 7)
    with force_locale("en"):
        text = str(sla.format_sla(local(2024, 4, 14, 12), now=cal_now))
        assert "10 h left" in text and "label-default" in text
        assert "40 min left" in str(sla.format_sla(soon, now=cal_now))
        overdue = str(sla.format_sla(late, now=cal_now))
        assert "overdue 2 h" in overdue and "label-danger" in overdue
        assert "2024-04-13 07:00" in overdue  # the due time on hover
    with force_locale("fa"):
        ten_hours = persian_digits(gettext("%(hours)s h", hours=10))
        assert ten_hours in str(sla.format_sla(local(2024, 4, 14, 12), now=cal_now))
    assert str(sla.format_sla(None)) == ""


def test_holiday_list_for_managers_only(as_user):
    manager = as_user("manager")
    response = manager.post("/holidaymodelview/add", data={
        "day": "۱۴۰۳/۰۱/۱۲", "name": "روز جمهوری اسلامی", "every_year": "y"})
    assert response.status_code == 302, response.data[:300]
    holiday = db.session.scalars(select(Holiday)).one()
    assert holiday.day == date(2024, 3, 31) and holiday.every_year
    assert "۱۴۰۳/۰۱/۱۲" in manager.get("/holidaymodelview/list/").data.decode()
    again = manager.post("/holidaymodelview/add", data={"day": "1403/01/12", "name": "x"})
    assert again.status_code == 200 and db.session.scalar(select(db.func.count(Holiday.id))) == 1
    for username in ("agent", "agent2", "clerk"):
        assert as_user(username).get("/holidaymodelview/list/").status_code == 403


def test_managers_set_department_targets(as_user):
    manager = as_user("manager")
    training = department_id("Training")
    with force_locale("fa"):
        label = gettext("First response target (working hours)")
    assert label in manager.get("/departmentmodelview/list/").data.decode()
    response = manager.post(f"/departmentmodelview/edit/{training}", data={
        "name": "آموزش", "name_en": "Training", "active": "y", "ordering": "2",
        "first_response_target_hours": "1.5", "resolution_target_hours": ""})
    assert response.status_code == 302, response.data[:300]
    db.session.expire_all()
    department = db.session.get(Department, training)
    assert (department.first_response_target_hours, department.resolution_target_hours) == (1.5, None)
    refused = manager.post(f"/departmentmodelview/edit/{training}", data={
        "name": "آموزش", "name_en": "Training", "active": "y", "ordering": "2",
        "first_response_target_hours": "-3"})
    assert refused.status_code == 200


def test_long_spans_add_up_like_a_walk_over_every_day(app):
    """Month totals (for tickets overdue by years) give what summing each day gives."""
    import random

    def walk(work, start, end):
        total, day = timedelta(0), sla.to_local(start).date()
        while day <= sla.to_local(end).date():
            span = work.window(day)
            if span is not None and min(span[1], end) > max(span[0], start):
                total += min(span[1], end) - max(span[0], start)
            day += timedelta(days=1)
        return total

    rng = random.Random(7)
    work = calendar(holidays={date(2025, 3, 20), date(2025, 3, 21), date(2026, 2, 11)},
                    yearly={(1, 1), (1, 2), (12, 29)})
    base = datetime(2024, 1, 1)
    for _ in range(200):
        start = base + timedelta(minutes=rng.randrange(0, 900 * 24 * 60))
        end = start + timedelta(minutes=rng.randrange(0, 800 * 24 * 60))
        expected = walk(work, start, end)
        assert work.between(start, end) == expected, (start, end)
        assert work.between(end, start) == -expected

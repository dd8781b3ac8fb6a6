"""Response targets (SLA): working-time arithmetic, due times, and "time left / overdue".

Targets are in *working* hours: the clock runs only inside the configured working week
(Saturday-Wednesday full days, Thursday a half day, Friday off by default; SLA_* settings)
in the configured TIMEZONE, and stops on holidays (`Holiday`, managed by managers).
Due times are stored on the ticket (`first_response_due_at`, `resolution_due_at`) by a
before_flush listener (at the end of this module) when a ticket is created or
moves to another department, always counted from the ticket's creation: the clerk has
been waiting since then. Changing a department's targets or the holiday list applies to
tickets created or transferred afterwards.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import jdatetime
from flask import current_app, g, has_app_context, has_request_context
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.infra.reference_cache import cached
from app.models.base import utcnow
from app.models.department import Department
from app.models.holiday import Holiday
from app.models.ticket import Ticket
from app.persian.dates import format_datetime, is_persian, to_local
from app.persian.jalali import to_utc
from app.persian.text import persian_digits

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]  # Python's weekday() order
THURSDAY = 3
MAX_DAYS = 3700  # arithmetic never looks further than ~10 years (e.g. no working day at all)
DEFAULTS = {"SLA_WORKDAY_START": "8", "SLA_WORKDAY_END": "16", "SLA_THURSDAY_END": "12",
            "SLA_DAYS_OFF": "fri"}


def _minutes(value) -> int:
    """A clock setting as minutes after midnight: 8, 7.5, "7:30" and "24" are all accepted."""
    text = str(value).strip()
    if ":" in text:
        hours, minutes = text.split(":", 1)
        total = int(hours) * 60 + int(minutes)
    else:
        total = round(float(text) * 60)
    if not 0 <= total <= 24 * 60:
        raise ValueError(f"not a time of day: {value!r}")
    return total


@dataclass
class WorkCalendar:
    """The working week (weekday -> (start, end) in minutes, local) and the days off."""

    hours: dict[int, tuple[int, int]]
    holidays: frozenset = frozenset()  # Gregorian dates
    yearly: frozenset = frozenset()  # (Jalali month, day) off every year
    _windows: dict = field(default_factory=dict, repr=False)
    _months: dict = field(default_factory=dict, repr=False)  # (year, month) -> working time

    def is_day_off(self, day: date) -> bool:
        if day in self.holidays or day.weekday() not in self.hours:
            return True
        if self.yearly:
            j = jdatetime.date.fromgregorian(date=day)
            return (j.month, j.day) in self.yearly
        return False

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working hours of a local day as naive UTC, or None on a day off."""
        if day not in self._windows:
            span = None
            if not self.is_day_off(day):
                start, end = self.hours[day.weekday()]
                midnight = datetime.combine(day, time())
                span = (to_utc(midnight + timedelta(minutes=start)),
                        to_utc(midnight + timedelta(minutes=end)))
            self._windows[day] = span
        return self._windows[day]

    def add(self, start: datetime, hours: float) -> datetime | None:
        """`start` plus `hours` working hours (naive UTC); None when no working time exists."""
        remaining = timedelta(hours=hours)
        if remaining <= timedelta(0):
            return start
        day = to_local(start).date()
        for _i in range(MAX_DAYS):
            span = self.window(day)
            if span is not None:
                begin = max(span[0], start)
                if begin < span[1]:
                    available = span[1] - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += timedelta(days=1)
        return None

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from `start` to `end` (naive UTC); negative when `end` comes first.

        A queue shows tickets overdue by months or years: the whole days between the first
        and the last come from memoized per-month totals, not a walk over every day.
        """
        if end < start:
            return -self.between(end, start)
        first, last = to_local(start).date(), to_local(end).date()
        if (last - first).days < 3:
            return self._overlap(first, last, start, end)
        one_day = timedelta(days=1)
        return (self._overlap(first, first, start, end)
                + self._whole_days(first + one_day, last - one_day)
                + self._overlap(last, last, start, end))

    def _overlap(self, first: date, last: date, start: datetime, end: datetime) -> timedelta:
        """Working time of the days first..last that falls between `start` and `end`."""
        total, day = timedelta(0), first
        while day <= last:
            span = self.window(day)
            if span is not None:
                begin, finish = max(span[0], start), min(span[1], end)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total

    def _whole_days(self, first: date, last: date) -> timedelta:
        total, day = timedelta(0), first
        while day <= last:
            next_month = _next_month(day) if day.day == 1 else None
            if next_month is not None and next_month - timedelta(days=1) <= last:
                total += self._month_total(day)
                day = next_month
            else:
                total += self._overlap(day, day, datetime.min, datetime.max)
                day += timedelta(days=1)
        return total

    def _month_total(self, month_start: date) -> timedelta:
        key = (month_start.year, month_start.month)
        if key not in self._months:
            month_end = _next_month(month_start) - timedelta(days=1)
            self._months[key] = self._overlap(month_start, month_end,
                                              datetime.min, datetime.max)
        return self._months[key]


def _next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def working_week(config=None) -> dict[int, tuple[int, int]]:
    """The configured week: Saturday-Wednesday start..end, Thursday start..Thursday end."""
    config = config if config is not None else (current_app.config if has_app_context() else {})
    setting = {name: config.get(name, default) for name, default in DEFAULTS.items()}
    start, end = _minutes(setting["SLA_WORKDAY_START"]), _minutes(setting["SLA_WORKDAY_END"])
    thursday_end = _minutes(setting["SLA_THURSDAY_END"])
    off = {name.strip().lower()[:3] for name in str(setting["SLA_DAYS_OFF"]).split(",")}
    week = {}
    for weekday, name in enumerate(WEEKDAYS):
        day_end = thursday_end if weekday == THURSDAY else end
        if name not in off and day_end > start:
            week[weekday] = (start, day_end)
    return week


def load_calendar(session, config=None) -> WorkCalendar:
    """The working week from config and the holidays from the database (one query)."""
    dates, yearly = set(), set()
    for day, every_year in session.execute(select(Holiday.day, Holiday.every_year)):
        dates.add(day)
        if every_year:
            j = jdatetime.date.fromgregorian(date=day)
            yearly.add((j.month, j.day))
    return WorkCalendar(hours=working_week(config), holidays=frozenset(dates),
                        yearly=frozenset(yearly))


def request_calendar() -> WorkCalendar:
    """One calendar per request, so a list of tickets costs one holiday query, not one per row."""
    if not has_request_context():
        return load_calendar(db.session)
    if "_hamrah_sla_calendar" not in g:
        g._hamrah_sla_calendar = _shared_calendar(db.session)
    return g._hamrah_sla_calendar


def _shared_calendar(session) -> WorkCalendar:
    """Holidays change a few times a year: share the calendar between requests
    (app/infra/reference_cache.py) instead of asking the database on every queue page."""
    return cached("sla_calendar", lambda: load_calendar(session))


def add_working_hours(start: datetime, hours: float, calendar: WorkCalendar | None = None):
    return (calendar or request_calendar()).add(start, hours)


def working_time_between(start: datetime, end: datetime,
                         calendar: WorkCalendar | None = None) -> timedelta:
    return (calendar or request_calendar()).between(start, end)


def due_times(created_at: datetime, department, calendar: WorkCalendar):
    """(first response due, resolution due) for a ticket of `department` created then."""
    def due(hours):
        return calendar.add(created_at, hours) if hours else None

    if department is None:
        return None, None
    return due(department.first_response_target_hours), due(department.resolution_target_hours)


def stamp_due_times(session) -> None:
    """before_flush: due times of new tickets and of tickets that changed department."""
    todo = [t for t in session.new if isinstance(t, Ticket)
            and t.first_response_due_at is None and t.resolution_due_at is None]
    for ticket in session.dirty:
        if isinstance(ticket, Ticket) and ticket not in todo:
            attrs = inspect(ticket).attrs
            if attrs.department_id.history.has_changes() or attrs.department.history.has_changes():
                todo.append(ticket)
    if not todo:
        return
    calendar = _shared_calendar(session)
    for ticket in todo:
        # The relationship when it was set itself; else the id (the loaded one may be stale).
        department = ticket.department if inspect(ticket).attrs.department.history.added else None
        if department is None and ticket.department_id is not None:
            department = session.get(Department, ticket.department_id)
        ticket.first_response_due_at, ticket.resolution_due_at = due_times(
            ticket.created_at or utcnow(), department, calendar)


def time_left(due: datetime, now: datetime | None = None,
              calendar: WorkCalendar | None = None) -> timedelta:
    """Working time until `due`; negative: overdue by that much working time."""
    return working_time_between(now or utcnow(), due, calendar)


def format_duration(value: timedelta) -> str:
    """Working time as "3 h 20 min" (or "45 min"), Persian digits in Persian."""
    minutes = int(abs(value).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        text = _("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
    elif hours:
        text = _("%(hours)s h", hours=hours)
    else:
        text = _("%(minutes)s min", minutes=minutes)
    return persian_digits(text) if is_persian() else text


def format_sla(value, now: datetime | None = None) -> Markup:
    """List formatter for a due-time column: "2 h left" or "overdue 1 h", due time on hover."""
    if value is None or value == "":
        return Markup("")
    left = time_left(value, now)
    if left < timedelta(0):
        text, css = _("overdue %(time)s", time=format_duration(left)), "label label-danger"
    else:
        text = _("%(time)s left", time=format_duration(left))
        css = "label label-warning" if left < timedelta(hours=1) else "label label-default"
    return Markup('<span class="hamrah-sla {}" dir="auto" title="{}">{}</span>').format(
        css, format_datetime(value), text)


__all__ = ["WorkCalendar", "add_working_hours", "due_times", "format_duration", "format_sla",
           "load_calendar", "stamp_due_times", "time_left", "working_time_between",
           "working_week"]


@event.listens_for(Session, "before_flush")
def _stamp_sla_due_times(session, _flush_context, _instances) -> None:
    stamp_due_times(session)

"""The managers' dashboard numbers, computed in SQL where practical, always in the reader's scope.

Definitions (also shown on the page):
- The range is of local calendar days, both ends included; every figure except the backlog
  is about tickets *registered* in the range. The backlog (open tickets by department and
  status) is the situation now, whatever the range: an old open ticket is still work.
- First response = first support answer (`first_answered_at`) minus registration; resolution
  = `closed_at` minus registration, for closed tickets. Both in wall-clock time; medians.
- Agent = the support author of the ticket's first answer (the person who actually answered;
  tickets are often answered unassigned). Resolution times and ratings of a ticket count for
  that agent too; tickets never answered count for no agent.
- SLA met: first response by `first_response_due_at`, closing by `resolution_due_at`. A ticket
  still within its target is not counted yet; one past it without an answer / still open has
  missed it; one closed without an answer is left out of the first-response share.
"""
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from app.domain.access import ticket_criterion
from app.domain.region_reports import region_rows
from app.domain.regions import offices_in_regions
from app.models import Department, HamrahUser, Message, Rating, Ticket, TicketStatus
from app.models.base import utcnow
from app.persian.dates import to_local
from app.persian.jalali import parse_jalali, to_utc

CLOSED = TicketStatus.CLOSED.value
OPEN_STATUSES = [s.value for s in TicketStatus if s != TicketStatus.CLOSED]


@dataclass(frozen=True)
class DateRange:
    """Local days `first`..`last` (inclusive) and their instants `start`..`end` (naive UTC)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return to_utc(datetime.combine(self.first, time()))

    @property
    def end(self) -> datetime:
        return to_utc(datetime.combine(self.last + timedelta(days=1), time()))

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def default_range(now: datetime | None = None, days: int = 30) -> DateRange:
    today = to_local(now or utcnow()).date()
    return DateRange(today - timedelta(days=days - 1), today)


def parse_range(from_text: str, to_text: str, now: datetime | None = None):
    """Typed dates (Jalali in Persian, ISO in English) to a range; (range, errors).

    An empty end is today; an empty start, 30 days before the end. On any error the default
    range (the last 30 days) is used and the errors say why (never an exception).
    """
    fallback = default_range(now)
    errors, days = [], {}
    for key, text in (("from", from_text), ("to", to_text)):
        text = (text or "").strip()
        if text:
            try:
                days[key] = to_local(parse_jalali(text)).date()
            except ValueError as exc:
                errors.append(str(exc))
    if errors:
        return fallback, errors
    days.setdefault("to", fallback.last)
    days.setdefault("from", days["to"] - timedelta(days=29))
    if days["from"] > days["to"]:
        return fallback, [_("The start of the range comes after its end.")]
    longest = current_app.config.get("REPORT_MAX_DAYS", 366)
    if (days["to"] - days["from"]).days + 1 > longest:
        return fallback, [_("Choose a range of at most %(days)s days.", days=longest)]
    return DateRange(days["from"], days["to"]), []


def _median(values):
    return statistics.median(values) if values else None


def _seconds(later, earlier):
    return (later - earlier).total_seconds()


def _share(met, total):
    return {"met": met, "total": total, "share": (met / total) if total else None}


class Dashboard:
    """All the dashboard's figures for one reader and one range (see the module docstring)."""

    def __init__(self, session, user, date_range: DateRange, now: datetime | None = None,
                 region_id: int | None = None):
        self.session, self.user, self.range = session, user, date_range
        self.now = now or utcnow()
        self.region_id = region_id
        self.scope = ticket_criterion(user)
        if region_id is not None:  # within the reader's scope, only this region and below
            self.scope = and_(self.scope, Ticket.office_id.in_(
                offices_in_regions(session, [region_id])))
        self.in_range = and_(self.scope, Ticket.created_at >= date_range.start,
                             Ticket.created_at < date_range.end)
        self.truncated = False

    # --- pieces -------------------------------------------------------------------
    def first_answerers(self):
        """Subquery (ticket_id, agent_id): the support author of each ticket's first answer."""
        ranked = (
            select(Message.ticket_id, Message.author_id,
                   func.row_number().over(partition_by=Message.ticket_id,
                                          order_by=(Message.created_at, Message.id)).label("rn"))
            .join(Ticket, Ticket.id == Message.ticket_id)
            .where(self.in_range, Message.from_support.is_(True), Message.is_internal.is_(False),
                   Ticket.first_answered_at.is_not(None),
                   Message.created_at >= Ticket.first_answered_at)
            .subquery()
        )
        return (select(ranked.c.ticket_id, ranked.c.author_id.label("agent_id"))
                .where(ranked.c.rn == 1).subquery())

    def backlog(self):
        """{department_id: {status: count}} of the open tickets now."""
        rows = self.session.execute(
            select(Ticket.department_id, Ticket.status, func.count())
            .where(self.scope, Ticket.status != CLOSED)
            .group_by(Ticket.department_id, Ticket.status))
        result: dict[int, dict[str, int]] = {}
        for department_id, status, count in rows:
            result.setdefault(department_id, {})[status] = count
        return result

    def per_day(self) -> list[tuple[date, int]]:
        """Tickets registered on each local day of the range (zeros included)."""
        days = self.range.days()
        bounds = [to_utc(datetime.combine(day + timedelta(days=1), time())) for day in days]
        bucket = case(*[(Ticket.created_at < bound, i) for i, bound in enumerate(bounds)])
        inner = select(bucket.label("bucket")).where(self.in_range).subquery()
        counts = dict(self.session.execute(
            select(inner.c.bucket, func.count()).group_by(inner.c.bucket)).all())
        return [(day, counts.get(i, 0)) for i, day in enumerate(days)]

    def durations(self):
        """Median first-response and resolution seconds per department and per agent."""
        answerers = self.first_answerers()
        limit = current_app.config.get("REPORT_MAX_TICKETS", 100000)
        rows = self.session.execute(
            select(Ticket.department_id, answerers.c.agent_id, Ticket.created_at,
                   Ticket.first_answered_at, Ticket.closed_at, Ticket.status)
            .outerjoin(answerers, answerers.c.ticket_id == Ticket.id)
            .where(self.in_range,
                   or_(Ticket.first_answered_at.is_not(None), Ticket.status == CLOSED))
            .order_by(Ticket.created_at.desc()).limit(limit + 1)).all()
        if len(rows) > limit:
            self.truncated, rows = True, rows[:limit]
        first = {"department": {}, "agent": {}}
        resolution = {"department": {}, "agent": {}}
        for department_id, agent_id, created, answered, closed, status in rows:
            keys = {"department": department_id, "agent": agent_id}
            for kind, key in keys.items():
                if key is None:
                    continue
                if answered is not None:
                    first[kind].setdefault(key, []).append(_seconds(answered, created))
                if status == CLOSED and closed is not None:
                    resolution[kind].setdefault(key, []).append(_seconds(closed, created))
        return {kind: {key: {"first_response": _median(first[kind].get(key, [])),
                             "first_response_count": len(first[kind].get(key, [])),
                             "resolution": _median(resolution[kind].get(key, [])),
                             "resolution_count": len(resolution[kind].get(key, []))}
                       for key in set(first[kind]) | set(resolution[kind])}
                for kind in ("department", "agent")}

    def ratings(self):
        """{"department"|"agent": {id: (average stars, count)}}."""
        answerers = self.first_answerers()
        base = select(func.avg(Rating.stars), func.count(Rating.id)).join(
            Ticket, Ticket.id == Rating.ticket_id).where(self.in_range)
        by_department = self.session.execute(
            base.add_columns(Ticket.department_id).group_by(Ticket.department_id))
        by_agent = self.session.execute(
            base.add_columns(answerers.c.agent_id)
            .join(answerers, answerers.c.ticket_id == Ticket.id)
            .group_by(answerers.c.agent_id))
        return {"department": {key: (float(avg), count) for avg, count, key in by_department},
                "agent": {key: (float(avg), count) for avg, count, key in by_agent}}

    def sla_conditions(self):
        """(first response met, missed, resolution met, missed) as SQL conditions."""
        now = self.now
        first_met = and_(Ticket.first_answered_at.is_not(None),
                         Ticket.first_answered_at <= Ticket.first_response_due_at)
        first_missed = or_(Ticket.first_answered_at > Ticket.first_response_due_at,
                           and_(Ticket.first_answered_at.is_(None), Ticket.status != CLOSED,
                                Ticket.first_response_due_at < now))
        closed = and_(Ticket.status == CLOSED, Ticket.closed_at.is_not(None))
        res_met = and_(closed, Ticket.closed_at <= Ticket.resolution_due_at)
        res_missed = or_(and_(closed, Ticket.closed_at > Ticket.resolution_due_at),
                         and_(Ticket.status != CLOSED, Ticket.resolution_due_at < now))
        return first_met, first_missed, res_met, res_missed

    def sla_flags(self):
        return [func.sum(case((condition, 1), else_=0)) for condition in self.sla_conditions()]

    def sla(self):
        """{department_id: {"first_response": share, "resolution": share}} and the total."""
        rows = self.session.execute(
            select(Ticket.department_id, *self.sla_flags())
            .where(self.in_range).group_by(Ticket.department_id)).all()
        result, totals = {}, [0, 0, 0, 0]
        for department_id, *numbers in rows:
            numbers = [int(n or 0) for n in numbers]
            totals = [a + b for a, b in zip(totals, numbers, strict=True)]
            result[department_id] = {
                "first_response": _share(numbers[0], numbers[0] + numbers[1]),
                "resolution": _share(numbers[2], numbers[2] + numbers[3])}
        overall = {"first_response": _share(totals[0], totals[0] + totals[1]),
                   "resolution": _share(totals[2], totals[2] + totals[3])}
        return result, overall

    # --- everything ---------------------------------------------------------------
    def build(self) -> dict:
        backlog, durations, ratings = self.backlog(), self.durations(), self.ratings()
        sla_by_department, sla_overall = self.sla()
        registered = dict(self.session.execute(
            select(Ticket.department_id, func.count()).where(self.in_range)
            .group_by(Ticket.department_id)).all())
        departments = self.session.scalars(select(Department).order_by(
            Department.ordering, Department.id)).all()
        department_rows = []
        for department in departments:
            if not (department.active or department.id in registered or department.id in backlog):
                continue
            times = durations["department"].get(department.id, {})
            stars = ratings["department"].get(department.id, (None, 0))
            department_rows.append({
                "id": department.id, "name": department.display_name(),
                "registered": registered.get(department.id, 0),
                "backlog": backlog.get(department.id, {}),
                "backlog_total": sum(backlog.get(department.id, {}).values()),
                "first_response": times.get("first_response"),
                "resolution": times.get("resolution"),
                "rating_average": stars[0], "rating_count": stars[1],
                "sla": sla_by_department.get(department.id, {
                    "first_response": _share(0, 0), "resolution": _share(0, 0)}),
            })
        agent_ids = set(durations["agent"]) | set(ratings["agent"])
        agents = {user.id: user for user in self.session.scalars(
            select(HamrahUser).where(HamrahUser.id.in_(agent_ids)))} if agent_ids else {}
        agent_rows = []
        for agent_id in agent_ids:
            times = durations["agent"].get(agent_id, {})
            stars = ratings["agent"].get(agent_id, (None, 0))
            agent = agents.get(agent_id)
            agent_rows.append({
                "id": agent_id, "name": agent.shown_name if agent else str(agent_id),
                "answered": times.get("first_response_count", 0),
                "first_response": times.get("first_response"),
                "resolution": times.get("resolution"),
                "rating_average": stars[0], "rating_count": stars[1],
            })
        agent_rows.sort(key=lambda row: (-row["answered"], row["name"]))
        return {
            "range": self.range, "departments": department_rows, "agents": agent_rows,
            "per_day": self.per_day(), "sla": sla_overall, "truncated": self.truncated,
            "statuses": OPEN_STATUSES, "regions": region_rows(self),
        }


def dashboard(session, user, date_range: DateRange, now: datetime | None = None,
              region_id: int | None = None) -> dict:
    return Dashboard(session, user, date_range, now, region_id).build()

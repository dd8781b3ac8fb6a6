"""The dashboard's figures grouped by region: one row per province (or, when the reader
chose a region, per region directly below it), each counting the offices of that region and
of every region below it. Same definitions as app/domain/reports.py (its module docstring);
computed per office in SQL, then added up per region here, so the SQL stays one GROUP BY
office_id whatever the number of regions.
"""
import statistics

from flask import current_app
from sqlalchemy import func, or_, select

from app.domain.regions import all_regions, offices_in_regions
from app.models import Rating, Ticket, TicketStatus

CLOSED = TicketStatus.CLOSED.value


def _groups(session, parent_id):
    """[(region id, label, its office ids)] of the regions directly below `parent_id`."""
    return [(region_id, label, frozenset(offices_in_regions(session, [region_id])))
            for region_id, label, parent in all_regions(session) if parent == parent_id]


def _share(met, missed):
    total = met + missed
    return {"met": met, "total": total, "share": (met / total) if total else None}


def region_rows(report) -> list[dict]:
    """Rows of registered, open now, median first response and resolution, average rating
    and SLA shares per region, for a `reports.Dashboard` (its scope, range and region)."""
    session = report.session
    groups = _groups(session, report.region_id)
    if not groups:
        return []
    group_of = {office: region_id for region_id, _label, offices in groups for office in offices}
    per_office = {}

    def add(office_id, key, value):
        region_id = group_of.get(office_id)
        if region_id is not None:
            row = per_office.setdefault(region_id, {})
            row[key] = row.get(key, 0) + value

    for office_id, count in session.execute(select(Ticket.office_id, func.count()).where(
            report.in_range).group_by(Ticket.office_id)):
        add(office_id, "registered", count)
    for office_id, count in session.execute(select(Ticket.office_id, func.count()).where(
            report.scope, Ticket.status != CLOSED).group_by(Ticket.office_id)):
        add(office_id, "open", count)
    for office_id, stars, count in session.execute(
            select(Ticket.office_id, func.sum(Rating.stars), func.count(Rating.id))
            .join(Ticket, Ticket.id == Rating.ticket_id).where(report.in_range)
            .group_by(Ticket.office_id)):
        add(office_id, "stars", int(stars or 0))
        add(office_id, "rated", count)
    for office_id, *flags in session.execute(select(Ticket.office_id, *report.sla_flags())
                                             .where(report.in_range).group_by(Ticket.office_id)):
        for key, value in zip(("first_met", "first_missed", "res_met", "res_missed"), flags,
                              strict=True):
            add(office_id, key, int(value or 0))
    first, resolution = {}, {}
    limit = current_app.config.get("REPORT_MAX_TICKETS", 100000)
    for office_id, created, answered, closed, status in session.execute(
            select(Ticket.office_id, Ticket.created_at, Ticket.first_answered_at,
                   Ticket.closed_at, Ticket.status)
            .where(report.in_range,
                   or_(Ticket.first_answered_at.is_not(None), Ticket.status == CLOSED))
            .order_by(Ticket.created_at.desc()).limit(limit)):
        region_id = group_of.get(office_id)
        if answered is not None:
            first.setdefault(region_id, []).append((answered - created).total_seconds())
        if status == CLOSED and closed is not None:
            resolution.setdefault(region_id, []).append((closed - created).total_seconds())
    rows = []
    for region_id, label, _offices in groups:
        row = per_office.get(region_id, {})
        if not row.get("registered") and not row.get("open"):
            continue  # nothing there (or nothing the reader may see): no row
        rows.append({
            "id": region_id, "name": label, "registered": row.get("registered", 0),
            "open": row.get("open", 0),
            "first_response": statistics.median(first[region_id]) if first.get(region_id)
            else None,
            "resolution": statistics.median(resolution[region_id])
            if resolution.get(region_id) else None,
            "rating_average": row["stars"] / row["rated"] if row.get("rated") else None,
            "rating_count": row.get("rated", 0),
            "sla": {"first_response": _share(row.get("first_met", 0), row.get("first_missed", 0)),
                    "resolution": _share(row.get("res_met", 0), row.get("res_missed", 0))},
        })
    return rows

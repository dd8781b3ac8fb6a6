"""Regions: the default region every office falls back to, a region's subtree, and the
offices a supervisor watches.

The tree (regions and which office is in which) is small and read on every supervisor's
page, so it comes from the per-worker reference cache (app/infra/reference_cache.py: a write
to a region or an office bumps its version): resolving a supervisor's regions to office ids
costs no statement, and their ticket scope is `office_id IN (...)`, which the office index
of the ticket lists serves at any number of tickets.
"""
from flask import has_request_context, request
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.domain.errors import DomainError
from app.infra.reference_cache import cached
from app.models import Office, Region, Ticket
from app.models.office import SHARE_OFFICE, SHARE_OWN
from app.models.region import DEFAULT_REGION_CODE

DEFAULT_REGION_NAME = "منطقه‌ی پیش‌فرض"
SHARING_CHOICES = [(SHARE_OFFICE, _l("All tickets of the office")),
                   (SHARE_OWN, _l("Only their own tickets"))]


def sharing_label(value: str) -> str:
    """The reader's words for an office's sharing level."""
    return str(dict(SHARING_CHOICES).get(value, value))


class RegionLoop(DomainError):
    message = _l("A region cannot lie inside itself: choose another parent.")


def default_region(session) -> Region:
    """The default region (migration 0014 creates it; made again here if it was deleted)."""
    region = session.scalars(select(Region).filter_by(code=DEFAULT_REGION_CODE)).first()
    if region is None:
        with session.no_autoflush:
            region = Region(code=DEFAULT_REGION_CODE, name=DEFAULT_REGION_NAME)
            session.add(region)
    return region


def region_by_code(session, code: str | None) -> Region:
    """The region with this code, else the default region (an unknown code is not an error:
    the office still needs a region, and a manager can move it later)."""
    if code:
        region = session.scalars(select(Region).filter_by(code=code.strip()[:20])).first()
        if region is not None:
            return region
    return default_region(session)


@event.listens_for(Session, "before_flush")
def _offices_have_a_region(session, _flush_context, _instances) -> None:
    """Every path that creates an office (forms, host sign-in, CLI, tests) leaves none
    without a region: `office.region_id` is NOT NULL, and the default region is where an
    office waits until a manager places it."""
    with session.no_autoflush:
        homeless = [obj for obj in session.new
                    if isinstance(obj, Office) and obj.region_id is None and obj.region is None]
        homeless += [obj for obj in session.dirty  # a form that emptied the region
                     if isinstance(obj, Office) and obj.region is None]
    if homeless:
        region = default_region(session)
        for office in homeless:
            office.region = region


def check_parent(region: Region, parent: Region | None) -> None:
    """Refuse a parent that is the region itself or lies below it (the tree would loop)."""
    seen = set()
    while parent is not None and parent.id not in seen:
        if parent is region or (region.id is not None and parent.id == region.id):
            raise RegionLoop()
        seen.add(parent.id)
        parent = parent.parent


def _tree(session) -> tuple[dict[int, tuple[int, ...]], dict[int, tuple[int, ...]]]:
    """(children of each region, offices directly in each region), from the cache."""
    def load():
        children: dict[int, list[int]] = {}
        for region_id, parent_id in session.execute(select(Region.id, Region.parent_id)):
            children.setdefault(region_id, [])
            if parent_id is not None:
                children.setdefault(parent_id, []).append(region_id)
        offices: dict[int, list[int]] = {}
        for office_id, region_id in session.execute(select(Office.id, Office.region_id)):
            offices.setdefault(region_id, []).append(office_id)
        return ({key: tuple(value) for key, value in children.items()},
                {key: tuple(value) for key, value in offices.items()})

    return cached("region_tree", load)


def subtree(session, region_ids) -> frozenset[int]:
    """These regions and every region below them (a loop in the data ends the walk)."""
    children, _offices = _tree(session)
    found, todo = set(), list(region_ids)
    while todo:
        region_id = todo.pop()
        if region_id not in found:
            found.add(region_id)
            todo.extend(children.get(region_id, ()))
    return frozenset(found)


def offices_in_regions(session, region_ids) -> tuple[int, ...]:
    """Sorted ids of the offices in these regions and their sub-regions."""
    _children, offices = _tree(session)
    return tuple(sorted(office_id for region_id in subtree(session, region_ids)
                        for office_id in offices.get(region_id, ())))


def own_only_offices(session) -> frozenset[int]:
    """Offices whose clerks see only their own tickets (from the cache)."""
    return cached("own_only_offices", lambda: frozenset(session.scalars(
        select(Office.id).where(Office.sharing == SHARE_OWN))))


def all_regions(session) -> tuple[tuple[int, str, int | None], ...]:
    """(id, "name (code)", parent id) of every region, by code: filters' and reports' options."""
    return cached("regions", lambda: tuple(
        (region_id, f"{name} ({code})", parent_id)
        for region_id, name, code, parent_id in session.execute(
            select(Region.id, Region.name, Region.code, Region.parent_id)
            .order_by(Region.code))))


def wanted_region(session) -> int | None:
    """The region of `?region=<id>` when it names one, else None."""
    wanted = request.args.get("region", "") if has_request_context() else ""
    if not wanted.isdigit():
        return None
    return int(wanted) if int(wanted) in {r[0] for r in all_regions(session)} else None


class RegionTicketFilter(BaseFilter):
    """`?region=<id>` on the ticket list and its exports: that region and the regions below
    it. A base filter beside the access filter, so it narrows the reader's scope, never
    widens it."""

    name = "region filter"

    def apply(self, query, value):
        region_id = wanted_region(query.session)
        if region_id is None:
            return query
        return query.filter(Ticket.office_id.in_(offices_in_regions(query.session, [region_id])))

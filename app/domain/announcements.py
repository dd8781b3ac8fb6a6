"""Which announcements a user sees, which are unread, and marking them read.

Who an announcement reaches is decided in one place, `Notice.reaches`, over the current
announcements kept in the per-process reference cache: the navbar badge and the pinned banner
on every page then cost a subquery (the user's reads) in the navbar's one statement, or
nothing when nothing reaches the user.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, and_, cast, false, func, or_, select

from app.domain.regions import offices_in_regions, subtree
from app.infra.reference_cache import cached
from app.models import Announcement, AnnouncementRead
from app.models.announcement import (
    announcement_department,
    announcement_office,
    announcement_region,
    announcement_role,
)
from app.models.base import utcnow

UNREAD_CAP = 100


@dataclass(frozen=True)
class Notice:
    """What the badge and banner need of an announcement, and its audience."""
    id: int
    title: str
    pinned: bool
    publish_at: datetime
    expires_at: datetime | None
    for_everyone: bool
    role_ids: frozenset[int]
    office_ids: frozenset[int]
    department_ids: frozenset[int]
    # A targeted region, expanded when loaded: the regions below it and their offices
    # (a change to regions or offices reloads the cache, so the expansion stays current).
    region_ids: frozenset[int] = frozenset()
    region_office_ids: frozenset[int] = frozenset()

    def reaches(self, user, now: datetime) -> bool:
        if self.publish_at > now or (self.expires_at is not None and self.expires_at <= now):
            return False
        return (self.for_everyone
                or any(role.id in self.role_ids for role in user.roles)
                or (user.office_id is not None and user.office_id in self.office_ids)
                or any(d.id in self.department_ids for d in user.departments)
                or (user.office_id is not None and user.office_id in self.region_office_ids)
                or any(r.id in self.region_ids for r in getattr(user, "regions", ())))


def _audience_sets(session, table, column) -> dict[int, frozenset[int]]:
    sets: dict[int, set[int]] = {}
    for announcement_id, member_id in session.execute(select(table.c.announcement_id, column)):
        sets.setdefault(announcement_id, set()).add(member_id)
    return {key: frozenset(value) for key, value in sets.items()}


def current_notices(session) -> tuple[Notice, ...]:
    """Announcements not yet expired (future ones included), newest first."""
    def load():
        now = utcnow()
        rows = session.execute(
            select(Announcement.id, Announcement.title, Announcement.pinned,
                   Announcement.publish_at, Announcement.expires_at, Announcement.for_everyone)
            .where(or_(Announcement.expires_at.is_(None), Announcement.expires_at > now))
            .order_by(Announcement.publish_at.desc(), Announcement.id.desc())).all()
        if not rows:
            return ()
        roles = _audience_sets(session, announcement_role, announcement_role.c.role_id)
        offices = _audience_sets(session, announcement_office, announcement_office.c.office_id)
        departments = _audience_sets(session, announcement_department,
                                     announcement_department.c.department_id)
        regions = _audience_sets(session, announcement_region, announcement_region.c.region_id)
        empty = frozenset()
        return tuple(Notice(*row, roles.get(row.id, empty), offices.get(row.id, empty),
                            departments.get(row.id, empty),
                            subtree(session, regions.get(row.id, ())),
                            frozenset(offices_in_regions(session, regions.get(row.id, ()))))
                     for row in rows)

    return cached("announcements", load)


def visible_notices(session, user) -> list[Notice]:
    """The announcements that reach `user` now, newest first."""
    now = utcnow()
    return [n for n in current_notices(session) if n.reaches(user, now)]


def visible_ids(session, user) -> list[int]:
    return [n.id for n in visible_notices(session, user)]


def _reads_among(user_id, ids):
    """Criteria: a user's reads of the announcements `ids` (`user_id` may be a bind parameter)."""
    return AnnouncementRead.user_id == user_id, AnnouncementRead.announcement_id.in_(ids)


def _read_ids(session, user, ids) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(select(AnnouncementRead.announcement_id)
                               .where(*_reads_among(user.id, ids))))


def list_for(session, user) -> list[tuple[Announcement, bool]]:
    """(announcement, unread) pairs, newest first."""
    ids = visible_ids(session, user)
    if not ids:
        return []
    read = _read_ids(session, user, ids)
    rows = {a.id: a for a in session.scalars(select(Announcement).where(Announcement.id.in_(ids)))}
    return [(rows[i], i not in read) for i in ids if i in rows]


def read_ids_column(user_id, ids):
    """A user's reads among `ids` as one text column ("3,7" or NULL), so the navbar asks
    for them in the statement it makes anyway (app/domain/counters.py)."""
    return (select(func.aggregate_strings(cast(AnnouncementRead.announcement_id, String), ","))
            .where(*_reads_among(user_id, ids)).scalar_subquery())


def unread_among(visible: list[Notice], read_ids_text: str | None) -> list[Notice]:
    """The unread ones of `visible`, newest first, given `read_ids_column`'s value."""
    read = {int(part) for part in (read_ids_text or "").split(",") if part}
    return [n for n in visible if n.id not in read][:UNREAD_CAP]


def get_visible(session, user, announcement_id: int) -> Announcement | None:
    if announcement_id not in visible_ids(session, user):
        return None
    return session.get(Announcement, announcement_id)


def mark_read(session, user, announcement: Announcement) -> None:
    if session.get(AnnouncementRead, (announcement.id, user.id)) is None:
        session.add(AnnouncementRead(announcement_id=announcement.id, user_id=user.id))
        session.commit()


def read_report(session, announcement) -> list[tuple]:
    """(user, read_at or None) for every active user in the announcement's audience."""
    from flask_appbuilder.security.sqla.models import assoc_user_role

    from app.models import HamrahUser
    from app.models.user import user_department

    stmt = (select(HamrahUser, AnnouncementRead.read_at)
            .outerjoin(AnnouncementRead, and_(AnnouncementRead.user_id == HamrahUser.id,
                                              AnnouncementRead.announcement_id == announcement.id))
            .where(HamrahUser.active.is_(True)))
    if not announcement.for_everyone:
        clauses = [false()]
        role_ids = [r.id for r in announcement.roles]
        if role_ids:
            clauses.append(HamrahUser.id.in_(select(assoc_user_role.c.user_id)
                                             .where(assoc_user_role.c.role_id.in_(role_ids))))
        office_ids = [o.id for o in announcement.offices]
        if office_ids:
            clauses.append(HamrahUser.office_id.in_(office_ids))
        department_ids = [d.id for d in announcement.departments]
        if department_ids:
            clauses.append(HamrahUser.id.in_(
                select(user_department.c.user_id)
                .where(user_department.c.department_id.in_(department_ids))))
        region_ids = subtree(session, [r.id for r in announcement.regions])
        if region_ids:
            from app.models.region import supervisor_region

            clauses.append(HamrahUser.office_id.in_(offices_in_regions(session, region_ids)))
            clauses.append(HamrahUser.id.in_(select(supervisor_region.c.user_id).where(
                supervisor_region.c.region_id.in_(region_ids))))
        stmt = stmt.where(or_(*clauses))
    return [tuple(row) for row in session.execute(stmt.order_by(HamrahUser.username))]

"""Which announcements a user sees, which are unread, and marking them read."""
from sqlalchemy import and_, exists, false, func, or_, select

from app.models import Announcement, AnnouncementRead
from app.models.announcement import (
    announcement_department,
    announcement_office,
    announcement_role,
)
from app.models.base import utcnow


def _audience(user):
    role_ids = [role.id for role in user.roles]
    clauses = [Announcement.for_everyone.is_(True)]
    if role_ids:
        clauses.append(exists().where(and_(announcement_role.c.announcement_id == Announcement.id,
                                           announcement_role.c.role_id.in_(role_ids))))
    if user.office_id is not None:
        clauses.append(exists().where(and_(
            announcement_office.c.announcement_id == Announcement.id,
            announcement_office.c.office_id == user.office_id)))
    department_ids = [d.id for d in user.departments]
    if department_ids:
        clauses.append(exists().where(and_(
            announcement_department.c.announcement_id == Announcement.id,
            announcement_department.c.department_id.in_(department_ids))))
    return or_(*clauses)


def visible_announcements(user):
    now = utcnow()
    return (select(Announcement)
            .where(Announcement.publish_at <= now)
            .where(or_(Announcement.expires_at.is_(None), Announcement.expires_at > now))
            .where(_audience(user)))


def _unread(user):
    return ~exists().where(and_(AnnouncementRead.announcement_id == Announcement.id,
                                AnnouncementRead.user_id == user.id))


def list_for(session, user) -> list[tuple[Announcement, bool]]:
    """(announcement, unread) pairs, newest first."""
    unread = _unread(user).label("unread")
    stmt = visible_announcements(user).add_columns(unread).order_by(Announcement.publish_at.desc())
    return [(row[0], bool(row[1])) for row in session.execute(stmt)]


UNREAD_CAP = 100


def unread(session, user) -> list[Announcement]:
    """The user's unread announcements, newest first: badge count and pinned banner in one query."""
    stmt = (visible_announcements(user).where(_unread(user))
            .order_by(Announcement.publish_at.desc()).limit(UNREAD_CAP))
    return list(session.scalars(stmt))


def get_visible(session, user, announcement_id: int) -> Announcement | None:
    return session.scalars(
        visible_announcements(user).where(Announcement.id == announcement_id)).first()


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
        stmt = stmt.where(or_(*clauses))
    return [tuple(row) for row in session.execute(stmt.order_by(HamrahUser.username))]

"""Which announcements a user sees, which are unread, and marking them read."""
from sqlalchemy import and_, exists, func, or_, select

from app.models import Announcement, AnnouncementRead
from app.models.announcement import announcement_office, announcement_role
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


def unread_count(session, user) -> int:
    stmt = visible_announcements(user).where(_unread(user)).with_only_columns(func.count())
    return session.scalar(stmt) or 0


def get_visible(session, user, announcement_id: int) -> Announcement | None:
    return session.scalars(
        visible_announcements(user).where(Announcement.id == announcement_id)).first()


def mark_read(session, user, announcement: Announcement) -> None:
    if session.get(AnnouncementRead, (announcement.id, user.id)) is None:
        session.add(AnnouncementRead(announcement_id=announcement.id, user_id=user.id))
        session.commit()

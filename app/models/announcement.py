"""Notices published by managers, their audience and who has read them."""
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow

announcement_role = Table(
    "announcement_role",
    db.Model.metadata,
    Column("announcement_id", Integer, ForeignKey("announcement.id", ondelete="CASCADE"),
           primary_key=True),
    Column("role_id", Integer, ForeignKey("ab_role.id", ondelete="CASCADE"), primary_key=True),
)
announcement_office = Table(
    "announcement_office",
    db.Model.metadata,
    Column("announcement_id", Integer, ForeignKey("announcement.id", ondelete="CASCADE"),
           primary_key=True),
    Column("office_id", Integer, ForeignKey("office.id", ondelete="CASCADE"), primary_key=True),
)
announcement_department = Table(
    "announcement_department",
    db.Model.metadata,
    Column("announcement_id", Integer, ForeignKey("announcement.id", ondelete="CASCADE"),
           primary_key=True),
    Column("department_id", Integer, ForeignKey("department.id", ondelete="CASCADE"),
           primary_key=True),
)

# A region reaches the clerks of its offices and of the offices below it, and the
# supervisors of it or of a region below it (app/domain/announcements.py).
announcement_region = Table(
    "announcement_region",
    db.Model.metadata,
    Column("announcement_id", Integer, ForeignKey("announcement.id", ondelete="CASCADE"),
           primary_key=True),
    Column("region_id", Integer, ForeignKey("region.id", ondelete="CASCADE"), primary_key=True),
)


class Announcement(db.Model):
    __tablename__ = "announcement"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    publish_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    expires_at: Mapped[datetime | None]
    # Everyone when True; otherwise only the chosen roles, offices, departments and/or regions.
    for_everyone: Mapped[bool] = mapped_column(default=True)
    # Shown as a banner on every page of its readers until they read it.
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    roles = relationship("Role", secondary=announcement_role)
    offices = relationship("Office", secondary=announcement_office)
    departments = relationship("Department", secondary=announcement_department)
    regions = relationship("Region", secondary=announcement_region)

    def __repr__(self) -> str:
        return self.title


class AnnouncementRead(db.Model):
    __tablename__ = "announcement_read"

    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcement.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)

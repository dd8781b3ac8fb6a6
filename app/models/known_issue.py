"""Known issues: one problem many tickets share, answered once (issue 19).

A ticket belongs to at most one known issue (`known_issue_ticket.ticket_id` is the key): a
ticket describes one problem, and the fan-out must post one resolution to it, not several.
"""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class KnownIssueStatus(str, enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"

    @property
    def label(self):
        return KNOWN_ISSUE_STATUS_LABELS[self]


KNOWN_ISSUE_STATUS_LABELS = {KnownIssueStatus.OPEN: _l("Being worked on"),
                             KnownIssueStatus.RESOLVED: _l("Resolved")}


class KnownIssue(db.Model):
    __tablename__ = "known_issue"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'resolved')", name="ck_known_issue_status"),
        Index("ix_known_issue_department_status", "department_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    status: Mapped[str] = mapped_column(String(10), default=KnownIssueStatus.OPEN.value)
    # Published: clerks see it (ticket page, new-ticket suggestions, board, API); else internal.
    published: Mapped[bool] = mapped_column(default=False)
    announcement_id: Mapped[int | None] = mapped_column(
        ForeignKey("announcement.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)

    department = relationship("Department")
    announcement = relationship("Announcement")
    created_by = relationship("HamrahUser")

    @property
    def status_label(self):
        return KnownIssueStatus(self.status).label

    @property
    def text(self) -> str:
        """What its words are found in and matched against: title and description."""
        return f"{self.title} {self.description or ''}"

    @property
    def is_open(self) -> bool:
        return self.status == KnownIssueStatus.OPEN.value

    def __repr__(self) -> str:
        return self.title


class KnownIssueTicket(db.Model):
    """A ticket's link to its known issue; `followed`: a clerk followed the known issue from
    the new-ticket form instead of writing (the ticket was created linked)."""

    __tablename__ = "known_issue_ticket"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"),
                                           primary_key=True)
    known_issue_id: Mapped[int] = mapped_column(
        ForeignKey("known_issue.id", ondelete="CASCADE"), index=True)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)
    followed: Mapped[bool] = mapped_column(default=False)

    ticket = relationship("Ticket")
    known_issue = relationship("KnownIssue")


class KnownIssueResolution(db.Model):
    """One posting of a resolution: the idempotent batch. Its key makes a retry find it."""

    __tablename__ = "known_issue_resolution"
    __table_args__ = (UniqueConstraint("known_issue_id", "idempotency_key",
                                       name="uq_known_issue_resolution_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    known_issue_id: Mapped[int] = mapped_column(
        ForeignKey("known_issue.id", ondelete="CASCADE"))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    close: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    author = relationship("HamrahUser")


class KnownIssueResolutionTicket(db.Model):
    """The batch's per-ticket done mark, written in the ticket's own transaction."""

    __tablename__ = "known_issue_resolution_ticket"

    resolution_id: Mapped[int] = mapped_column(
        ForeignKey("known_issue_resolution.id", ondelete="CASCADE"), primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="SET NULL"))
    done_at: Mapped[datetime] = mapped_column(default=utcnow)

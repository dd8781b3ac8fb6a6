"""Tickets, the extra cases they mention, and their status history."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class TicketStatus(str, enum.Enum):
    NEW = "new"
    READ = "read"
    ANSWERED = "answered"
    CLERK_REPLIED = "clerk_replied"
    CLOSED = "closed"

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    TicketStatus.NEW: _l("New"),
    TicketStatus.READ: _l("Read"),
    TicketStatus.ANSWERED: _l("Answered by support"),
    TicketStatus.CLERK_REPLIED: _l("Clerk replied"),
    TicketStatus.CLOSED: _l("Closed"),
}
STATUS_VALUES = tuple(s.value for s in TicketStatus)
# Waiting for support: the agents' queue and badge (app/domain/queue.py), and their index.
WAITING_VALUES = (TicketStatus.NEW.value, TicketStatus.READ.value, TicketStatus.CLERK_REPLIED.value)


def _status_in(values) -> str:
    return "status IN ({})".format(", ".join(f"'{v}'" for v in values))


_status_check = _status_in(STATUS_VALUES)
_WAITING_SQL = _status_in(WAITING_VALUES)


class Ticket(db.Model):
    __tablename__ = "ticket"
    __table_args__ = (
        CheckConstraint(_status_check, name="ck_ticket_status"),
        # The lists are ordered by (last_activity_at, id): all, per office or per department
        # (migration 0009; its office index replaced (office_id, last_activity_at)).
        Index("ix_ticket_last_activity_id", "last_activity_at", "id"),
        Index("ix_ticket_office_last_activity", "office_id", "last_activity_at", "id"),
        Index("ix_ticket_department_last_activity", "department_id", "last_activity_at", "id"),
        Index("ix_ticket_department_status_activity", "department_id", "status", "last_activity_at"),
        Index("ix_ticket_created_at", "created_at"),
        # The navbar badges (migrations 0010, 0017): only the rows they count; waiting
        # tickets by department (agents) and by office (supervisors).
        Index("ix_ticket_unread_answer", "office_id", postgresql_where=text("unread_answer"),
              sqlite_where=text("unread_answer = 1")),
        Index("ix_ticket_waiting", "department_id", postgresql_where=text(_WAITING_SQL),
              sqlite_where=text(_WAITING_SQL)),
        Index("ix_ticket_waiting_office", "office_id", postgresql_where=text(_WAITING_SQL),
              sqlite_where=text(_WAITING_SQL)),
        Index("uq_ticket_creator_idempotency", "creator_id", "idempotency_key", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    creator_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    tracking_number: Mapped[str | None] = mapped_column(String(20), index=True)
    national_id: Mapped[str | None] = mapped_column(String(10), index=True)
    activity: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=TicketStatus.NEW.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    first_answered_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Set when support answers, cleared when a clerk of the office opens the ticket.
    unread_answer: Mapped[bool] = mapped_column(default=False)
    # Per-creator key of the submitted form (or API Idempotency-Key): a resubmission finds
    # the first ticket instead of creating a second one.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # A duplicate merged into another ticket keeps its number, which then leads there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), index=True)
    # Response targets (SLA): set by app/domain/sla.py when created and when transferred.
    first_response_due_at: Mapped[datetime | None] = mapped_column(index=True)
    resolution_due_at: Mapped[datetime | None]

    department = relationship("Department")
    office = relationship("Office")
    creator = relationship("HamrahUser", foreign_keys=[creator_id])
    assignee = relationship("HamrahUser", foreign_keys=[assignee_id])
    related_cases = relationship("RelatedCase", back_populates="ticket",
                                 cascade="all, delete-orphan")
    rating = relationship("Rating", back_populates="ticket", uselist=False)
    merged_into = relationship("Ticket", remote_side=[id])

    @property
    def waiting_since(self):
        return self.last_activity_at

    @property
    def sla_due_at(self):
        """The target that applies now: first response until answered, then resolution."""
        if self.status == TicketStatus.CLOSED.value:
            return None
        return self.first_response_due_at if self.first_answered_at is None else self.resolution_due_at

    @property
    def rating_stars(self):
        return self.rating.stars if self.rating else None

    @property
    def status_enum(self) -> TicketStatus:
        return TicketStatus(self.status)

    @property
    def status_label(self):
        return self.status_enum.label

    def __repr__(self) -> str:
        return str(self.number)


class RelatedCase(db.Model):
    """Another case the ticket concerns (SPEC §2.2: sample cases, buyer and seller, owner)."""

    __tablename__ = "related_case"
    __table_args__ = (
        CheckConstraint(
            "tracking_number IS NOT NULL OR national_id IS NOT NULL", name="ck_related_case_any"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    tracking_number: Mapped[str | None] = mapped_column(String(20), index=True)
    national_id: Mapped[str | None] = mapped_column(String(10), index=True)

    ticket = relationship("Ticket", back_populates="related_cases")


class StatusChange(db.Model):
    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    changed_by_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("ab_user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str | None] = mapped_column(String(500))

    ticket = relationship("Ticket")
    changed_by = relationship("HamrahUser")


class TicketCounter(db.Model):
    """One row per sequence; `UPDATE ... RETURNING` hands out numbers atomically on both databases."""

    __tablename__ = "ticket_counter"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)

"""What happened to a ticket besides status changes: assignment, transfer, links, merges."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class TicketActivity(db.Model):
    __tablename__ = "ticket_activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # assigned, transferred, linked, merged
    detail: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str | None] = mapped_column(String(500))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor = relationship("HamrahUser")


class TicketLink(db.Model):
    """Two tickets about the same problem, stored once per direction for simple lookups."""

    __tablename__ = "ticket_link"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"),
                                           primary_key=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)

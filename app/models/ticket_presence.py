"""Who has a ticket's page open, or is writing a reply on it: heartbeats from the live poll."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class TicketPresence(db.Model):
    """One row per (ticket, user), overwritten by each poll; stale rows simply stop counting."""

    __tablename__ = "ticket_presence"
    __table_args__ = (Index("ix_ticket_presence_seen_at", "seen_at"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"),
                                           primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"),
                                         primary_key=True)
    state: Mapped[str] = mapped_column(String(10))  # viewing, typing
    seen_at: Mapped[datetime]

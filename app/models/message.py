"""The thread of a ticket: messages and their attachments."""
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class Message(db.Model):
    __tablename__ = "message"
    __table_args__ = (Index("ix_message_ticket_created", "ticket_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Agents' notes to each other: never shown to clerks.
    is_internal: Mapped[bool] = mapped_column(default=False)
    # True when written by support (agent/manager), so the thread needs no role lookups.
    from_support: Mapped[bool] = mapped_column(default=False)

    ticket = relationship("Ticket")
    author = relationship("HamrahUser")
    attachments = relationship("Attachment", back_populates="message", lazy="selectin")


class Attachment(db.Model):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("message.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message = relationship("Message", back_populates="attachments")

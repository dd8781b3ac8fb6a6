"""E-mails waiting to be sent: written in the transaction of the change that caused them.

The request only adds rows; `hamrah notify` (app/infra/mail_outbox.py) sends them later, so a
slow or broken mail server never slows or fails a request, and a rolled-back change sends
nothing. Unsent with MAIL_MAX_ATTEMPTS attempts used means given up (app/domain/outbox.py).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    # The worker's query: unsent rows whose time has come, oldest first.
    __table_args__ = (Index("ix_outbox_message_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(256))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # What caused it ("ticket_created", "support_answer") and about which ticket: for tracing.
    kind: Mapped[str] = mapped_column(String(30))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id", ondelete="SET NULL"))
    ticket = relationship("Ticket", viewonly=True)  # its number, on the managers' screen
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Counted when a worker claims the row, so a message that crashes the worker is given up
    # too; handed back when the mail server could not be reached (never the message's fault).
    attempts: Mapped[int] = mapped_column(default=0)
    # Not before this time; a claiming worker moves it forward (a lease), a failure by the backoff.
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} to {self.recipient}>"

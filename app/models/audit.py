"""The audit log: security-relevant events (sign-ins, failures, role changes, deletions).

Rows are only ever added. The actor and target are kept as text and plain ids, without
foreign keys, so the log outlives the users and roles it talks about.
"""
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_created_at", "created_at"),
                      Index("ix_audit_event_event", "event"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # login, login_failed, logout, host_signin, user_created, user_changed, user_deleted,
    # role_created, role_changed, role_deleted, ticket_deleted, ..., mail_requeued
    event: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None]
    actor: Mapped[str | None] = mapped_column(String(256))  # username, or "cli"/"system"
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None]
    target: Mapped[str | None] = mapped_column(String(256))  # a name, as it was then
    detail: Mapped[str | None] = mapped_column(Text)
    remote_addr: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.event} {self.target or ''}>"

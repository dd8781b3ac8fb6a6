"""Failed sign-ins per username, and the lockout they lead to.

In the database, not in a worker's memory: every worker and node counts the same failures,
a restart does not forgive them, and managers can see and lift a lockout.
"""
from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class LoginLockout(db.Model):
    __tablename__ = "login_lockout"
    __table_args__ = (Index("ix_login_lockout_last_failure_at", "last_failure_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # As typed at sign-in, stripped and lower-cased; not a foreign key: unknown names count too,
    # so a lockout does not tell an attacker which usernames exist.
    username: Mapped[str] = mapped_column(String(256), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime]  # the first failure the count includes
    last_failure_at: Mapped[datetime]
    last_address: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None]

    def __repr__(self) -> str:
        return self.username

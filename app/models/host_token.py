from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class UsedHostToken(db.Model):
    """Token ids (`jti`) of host sign-in tokens already used: each token signs in once."""

    __tablename__ = "used_host_token"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)

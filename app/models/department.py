from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Department(db.Model):
    """A support unit tickets are routed to; managed as data by managers."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_en: Mapped[str] = mapped_column(String(100), default="")
    active: Mapped[bool] = mapped_column(default=True)
    ordering: Mapped[int] = mapped_column(default=0)
    # Response targets (SLA) in working hours (app/services/sla.py); empty: no target.
    first_response_target_hours: Mapped[float | None] = mapped_column(
        Float, default=4, server_default="4")
    resolution_target_hours: Mapped[float | None] = mapped_column(
        Float, default=24, server_default="24")

    def display_name(self) -> str:
        from flask_babel import get_locale

        locale = get_locale()
        if locale is not None and locale.language == "en" and self.name_en:
            return self.name_en
        return self.name

    def __repr__(self) -> str:
        return self.display_name()


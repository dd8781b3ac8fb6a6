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
    # Response targets (SLA) in working hours (app/domain/sla.py); empty: no target.
    first_response_target_hours: Mapped[float | None] = mapped_column(
        Float, default=4, server_default="4")
    resolution_target_hours: Mapped[float | None] = mapped_column(
        Float, default=24, server_default="24")

    def display_name(self) -> str:
        return localized_name(self.name, self.name_en)

    def __repr__(self) -> str:
        return self.display_name()



def localized_name(name: str, name_en: str | None) -> str:
    """The English name for English readers when there is one; the Persian name otherwise."""
    from flask_babel import get_locale

    locale = get_locale()
    if locale is not None and locale.language == "en" and name_en:
        return name_en
    return name

"""Days off for the response targets (SLA): a date, or the same Jalali day every year.

Fixed Iranian holidays (Nowruz, 13 Farvardin, ...) recur on the same Jalali day, so one row
with `every_year` covers them for good; moving (lunar) holidays are entered each year.
"""
from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Holiday(db.Model):
    __tablename__ = "holiday"
    __table_args__ = (UniqueConstraint("day", name="uq_holiday_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    name: Mapped[str] = mapped_column(String(100))
    every_year: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return self.name


from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class Rating(db.Model):
    """The clerk side's rating of how a ticket was answered: one per ticket."""

    __tablename__ = "rating"
    __table_args__ = (CheckConstraint("stars BETWEEN 1 AND 5", name="ck_rating_stars"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("ticket.id", ondelete="CASCADE"), unique=True
    )
    stars: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str | None] = mapped_column(String(500))
    rated_by_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket = relationship("Ticket", back_populates="rating")
    rated_by = relationship("HamrahUser")

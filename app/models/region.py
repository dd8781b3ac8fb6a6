"""Regions: provinces and the counties under them; every office belongs to one, and a
supervisor watches the offices of their regions and of every region below them."""
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

# Offices created without a region (forms, host sign-in, older rows) join this one.
DEFAULT_REGION_CODE = "00"  # digits: read in the reader's digits like every code

supervisor_region = Table(
    "supervisor_region",
    db.Model.metadata,
    Column("user_id", Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", Integer, ForeignKey("region.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class Region(db.Model):
    """A province (no parent) or a county (its province as parent); deeper levels work too."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)

    parent = relationship("Region", remote_side=[id], back_populates="children")
    children = relationship("Region", back_populates="parent")

    def __repr__(self) -> str:
        return f"{self.name} ({self.code})"

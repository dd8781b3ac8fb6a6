from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

# What a clerk of the office sees (app/domain/access.py): every ticket of the office, or
# only the tickets they registered themselves.
SHARE_OFFICE, SHARE_OWN = "office", "own"


class Office(db.Model):
    """A branch office whose clerks share one message box (unless it is set to "own only")."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    city: Mapped[str | None] = mapped_column(String(100))
    # Set by app/domain/regions.py on every write path when left empty (the default region).
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    sharing: Mapped[str] = mapped_column(String(10), default=SHARE_OFFICE,
                                         server_default=SHARE_OFFICE)

    region = relationship("Region")

    def __repr__(self) -> str:
        return office_label(self.name, self.code)


def office_label(name: str, code: str) -> str:
    """How an office is shown in lists and filters: its name and code."""
    return f"{name} ({code})"

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class Office(db.Model):
    """A branch office whose clerks share one message box."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(150))
    city: Mapped[str | None] = mapped_column(String(100))

    def __repr__(self) -> str:
        return office_label(self.name, self.code)


def office_label(name: str, code: str) -> str:
    """How an office is shown in lists and filters: its name and code."""
    return f"{name} ({code})"

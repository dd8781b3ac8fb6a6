"""The offices offered in filters, from the per-process reference cache."""
from dataclasses import dataclass

from sqlalchemy import select

from app.infra.reference_cache import cached
from app.models import Office
from app.models.office import office_label


@dataclass(frozen=True)
class OfficeChoice:
    id: int
    code: str
    name: str

    def __str__(self) -> str:
        return office_label(self.name, self.code)


def all_offices(session) -> tuple[OfficeChoice, ...]:
    def load():
        rows = session.execute(select(Office.id, Office.code, Office.name).order_by(Office.code))
        return tuple(OfficeChoice(*row) for row in rows)

    return cached("offices", load)

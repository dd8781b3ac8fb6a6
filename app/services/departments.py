"""The active departments offered in forms and filters, from the per-process reference cache."""
from dataclasses import dataclass

from sqlalchemy import select

from app.models import Department
from app.models.department import localized_name
from app.services.reference_cache import cached


@dataclass(frozen=True)
class DepartmentChoice:
    id: int
    name: str
    name_en: str

    def display_name(self) -> str:
        return localized_name(self.name, self.name_en)


def active_departments(session) -> tuple[DepartmentChoice, ...]:
    """Active departments in their managers' order."""
    def load():
        rows = session.execute(select(Department.id, Department.name, Department.name_en)
                               .where(Department.active.is_(True)).order_by(Department.ordering))
        return tuple(DepartmentChoice(*row) for row in rows)

    return cached("active_departments", load)


def department_choices(session, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name in the reader's language) pairs for a select field."""
    return [(d.id, d.display_name()) for d in active_departments(session) if d.id != exclude_id]

"""Departments offered in forms and filters, from the per-process reference cache."""
from dataclasses import dataclass

from sqlalchemy import select

from app.infra.reference_cache import cached
from app.models import Department
from app.models.department import localized_name


@dataclass(frozen=True)
class DepartmentChoice:
    id: int
    name: str
    name_en: str
    active: bool

    def display_name(self) -> str:
        return localized_name(self.name, self.name_en)

    __str__ = display_name


def all_departments(session) -> tuple[DepartmentChoice, ...]:
    """Every department, inactive ones too (old tickets keep theirs), in managers' order."""
    def load():
        rows = session.execute(select(Department.id, Department.name, Department.name_en,
                                      Department.active).order_by(Department.ordering))
        return tuple(DepartmentChoice(*row) for row in rows)

    return cached("departments", load)


def active_departments(session) -> tuple[DepartmentChoice, ...]:
    return tuple(d for d in all_departments(session) if d.active)


def department_choices(session, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name in the reader's language) pairs of the active departments, for a select."""
    return [(d.id, d.display_name()) for d in active_departments(session) if d.id != exclude_id]

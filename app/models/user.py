"""FAB's user, extended with what the helpdesk needs: office, departments, display name."""
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import relationship

from app.extensions import db
from app.models.region import supervisor_region

user_department = Table(
    "user_department",
    db.Model.metadata,
    Column("user_id", Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "department_id", Integer, ForeignKey("department.id", ondelete="CASCADE"), primary_key=True
    ),
)


class HamrahUser(User):
    __tablename__ = "ab_user"

    display_name = Column(String(150))
    office_id = Column(Integer, ForeignKey("office.id"), nullable=True, index=True)
    office = relationship("Office")
    departments = relationship("Department", secondary=user_department)
    # A supervisor's regions: they see the tickets of every office in these and below them.
    regions = relationship("Region", secondary=supervisor_region)

    __mapper_args__ = {"polymorphic_identity": "ab_user", "with_polymorphic": "*"}

    @property
    def shown_name(self) -> str:
        return shown_name(self.display_name, self.first_name, self.last_name, self.username)

    @property
    def role_names(self) -> set[str]:
        return {role.name for role in self.roles}

    def __repr__(self) -> str:
        return self.shown_name


def shown_name(display_name, first_name, last_name, username) -> str:
    """The name people see: the display name, else first and last name, else the username."""
    return display_name or f"{first_name or ''} {last_name or ''}".strip() or username

"""office codes stored as ASCII; offices whose codes differed only in digits merged

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 13:30:00

Office codes were stored as typed, so «۱۰۰۷», «١٠٠٧» and "1007" could be three offices
(app/domain/offices.py now stores every code in one form). Existing rows:
- each code is rewritten in that form (Persian and Arabic-Indic digits to ASCII, spaces and
  invisible marks dropped);
- offices whose codes become equal are merged into one: the office already written in ASCII
  (else the oldest) keeps its id, name and city; the tickets, users and announcement
  audiences of the others move to it, and the others are deleted. Each merge is logged.
Downgrade leaves the data as it is: merged offices cannot be told apart again.
"""
import logging
import re

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")
# The rule as it stood when this migration was written (app/domain/offices.office_code).
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\u061c\ufeff\\s]")


def _ascii(code):
    return _INVISIBLE.sub("", (code or "").translate(_DIGITS))


def upgrade():
    bind = op.get_bind()
    offices = bind.execute(sa.text("SELECT id, code FROM office ORDER BY id")).all()
    groups = {}
    for office_id, code in offices:
        groups.setdefault(_ascii(code), []).append((office_id, code))
    for new_code, members in groups.items():
        keeper = next((m for m in members if m[1] == new_code), members[0])[0]
        for office_id, code in members:
            if office_id == keeper:
                continue
            params = {"keep": keeper, "gone": office_id}
            bind.execute(sa.text("UPDATE ticket SET office_id = :keep WHERE office_id = :gone"),
                         params)
            bind.execute(sa.text("UPDATE ab_user SET office_id = :keep WHERE office_id = :gone"),
                         params)
            bind.execute(sa.text(
                "UPDATE announcement_office SET office_id = :keep WHERE office_id = :gone "
                "AND announcement_id NOT IN (SELECT announcement_id FROM announcement_office "
                "WHERE office_id = :keep)"), params)
            bind.execute(sa.text("DELETE FROM announcement_office WHERE office_id = :gone"),
                         params)
            bind.execute(sa.text("DELETE FROM office WHERE id = :gone"), params)
            log.warning("office %s (code %r) merged into office %s (code %r)",
                        office_id, code, keeper, new_code)
        if dict(members)[keeper] != new_code:
            bind.execute(sa.text("UPDATE office SET code = :code WHERE id = :id"),
                         {"code": new_code, "id": keeper})


def downgrade():
    pass

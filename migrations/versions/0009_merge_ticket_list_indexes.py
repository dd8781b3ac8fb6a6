"""merge heads; ticket list ordering indexes; restore the SQLite search trigger

Revision ID: 0009
Revises: 0004, 0005, 0006, 0007, 0008
Create Date: 2026-11-25 15:00:00

Merges the branches 0004-0008 into one head. The message box, the queue and the manager's
list are ordered by (last_activity_at, id), optionally within one office or department; at a
million rows they need indexes in exactly that order, or every page sorts the whole scope. (office_id, last_activity_at, id) makes the
old ix_ticket_office_activity (office_id, last_activity_at), a pure prefix of it, redundant:
it is dropped. ix_ticket_department_status_activity has status in second place and stays.

SQLite: 0004 rebuilds `ticket` in batch mode, which drops the trigger that deletes a
ticket's FTS5 row (migration 0003); it is created again here. The downgrade leaves it: it
belongs to 0003, whose downgrade drops it.
"""
from alembic import op

from app.models.search import SQLITE_TRIGGER_DDL

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = ('0004', '0005', '0006', '0007', '0008')
branch_labels = None
depends_on = None

INDEXES = {
    'ix_ticket_last_activity_id': ['last_activity_at', 'id'],
    'ix_ticket_office_last_activity': ['office_id', 'last_activity_at', 'id'],
    'ix_ticket_department_last_activity': ['department_id', 'last_activity_at', 'id'],
    'ix_ticket_created_at': ['created_at'],
}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'ticket', columns, unique=False)
    op.drop_index('ix_ticket_office_activity', table_name='ticket')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(SQLITE_TRIGGER_DDL)  # CREATE TRIGGER IF NOT EXISTS


def downgrade():
    op.create_index('ix_ticket_office_activity', 'ticket', ['office_id', 'last_activity_at'],
                    unique=False)
    for name in reversed(INDEXES):
        op.drop_index(name, table_name='ticket')

"""a partial index for the supervisors' waiting-tickets badge

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 00:30:00

A supervisor's navbar counts (at most 100 of) the tickets waiting for support in their
regions' offices. ix_ticket_waiting (0010) is per department, so PostgreSQL read the table
until it had found 100: 19,500 rows and 8.5 ms per page for a province at a million
tickets, growing with the table. This one holds only the waiting rows, by office.
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

WAITING = "status IN ('new', 'read', 'clerk_replied')"


def upgrade():
    op.create_index("ix_ticket_waiting_office", "ticket", ["office_id"], unique=False,
                    postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))


def downgrade():
    op.drop_index("ix_ticket_waiting_office", table_name="ticket")

"""partial indexes for the navbar badges

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 15:20:00

Every page counts (at most 100 of) the office's tickets with an unread answer (clerks) or
the tickets waiting for support (agents, managers). Without an index PostgreSQL walks rows
until it has found 100: 20,000 of them for a busy office at a million tickets. Partial
indexes hold only the rows the badges count.
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

WAITING = "status IN ('new', 'read', 'clerk_replied')"


def upgrade():
    op.create_index('ix_ticket_unread_answer', 'ticket', ['office_id'], unique=False,
                    postgresql_where=sa.text('unread_answer'),
                    sqlite_where=sa.text('unread_answer = 1'))
    op.create_index('ix_ticket_waiting', 'ticket', ['department_id'], unique=False,
                    postgresql_where=sa.text(WAITING), sqlite_where=sa.text(WAITING))


def downgrade():
    op.drop_index('ix_ticket_waiting', table_name='ticket')
    op.drop_index('ix_ticket_unread_answer', table_name='ticket')

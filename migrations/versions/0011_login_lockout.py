"""durable sign-in lockout

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:10:00

Failed sign-ins per username in the database (app/models/login_lockout.py), so every worker
and node shares the count and a restart does not reset it.
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_lockout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=256), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=False),
    sa.Column('last_address', sa.String(length=64), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_index('ix_login_lockout_last_failure_at', 'login_lockout', ['last_failure_at'],
                    unique=False)


def downgrade():
    op.drop_index('ix_login_lockout_last_failure_at', table_name='login_lockout')
    op.drop_table('login_lockout')

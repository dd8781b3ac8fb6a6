"""ticket_presence: who has a ticket open or is writing a reply (issue 18, item 4)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:00:00

One row per (ticket, user), overwritten by the live ticket page's poll; rows older than two
poll intervals no longer count. Downgrade drops the table (presence is ephemeral).
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ticket_presence",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "user_id"),
    )
    op.create_index("ix_ticket_presence_seen_at", "ticket_presence", ["seen_at"], unique=False)


def downgrade():
    op.drop_index("ix_ticket_presence_seen_at", table_name="ticket_presence")
    op.drop_table("ticket_presence")

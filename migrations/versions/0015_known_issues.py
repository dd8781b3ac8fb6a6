"""known issues: one problem many tickets share, its links and the resolution batches

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:00:00

- `known_issue`: title, description, department, status (open, resolved), published,
  optional announcement, who and when, the resolution posted;
- `known_issue_ticket`: a ticket's link to its (at most one) known issue;
- `known_issue_resolution` and `known_issue_resolution_ticket`: the idempotent batch that
  posts a resolution to every linked open ticket, with a done mark per ticket.
Downgrade drops all four.
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'known_issue',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('announcement_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('open', 'resolved')", name='ck_known_issue_status'),
        sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['department_id'], ['department.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_known_issue_department_status', 'known_issue',
                    ['department_id', 'status'], unique=False)
    op.create_table(
        'known_issue_ticket',
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('known_issue_id', sa.Integer(), nullable=False),
        sa.Column('linked_by_id', sa.Integer(), nullable=True),
        sa.Column('linked_at', sa.DateTime(), nullable=False),
        sa.Column('followed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['known_issue_id'], ['known_issue.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['linked_by_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('ticket_id'),
    )
    op.create_index('ix_known_issue_ticket_known_issue_id', 'known_issue_ticket',
                    ['known_issue_id'], unique=False)
    op.create_table(
        'known_issue_resolution',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('known_issue_id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('close', sa.Boolean(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['author_id'], ['ab_user.id'], ),
        sa.ForeignKeyConstraint(['known_issue_id'], ['known_issue.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('known_issue_id', 'idempotency_key',
                            name='uq_known_issue_resolution_key'),
    )
    op.create_table(
        'known_issue_resolution_ticket',
        sa.Column('resolution_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.Column('done_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['message_id'], ['message.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['resolution_id'], ['known_issue_resolution.id'],
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('resolution_id', 'ticket_id'),
    )
    op.create_index('ix_known_issue_resolution_ticket_ticket_id', 'known_issue_resolution_ticket',
                    ['ticket_id'], unique=False)


def downgrade():
    op.drop_index('ix_known_issue_resolution_ticket_ticket_id',
                  table_name='known_issue_resolution_ticket')
    op.drop_table('known_issue_resolution_ticket')
    op.drop_table('known_issue_resolution')
    op.drop_index('ix_known_issue_ticket_known_issue_id', table_name='known_issue_ticket')
    op.drop_table('known_issue_ticket')
    op.drop_index('ix_known_issue_department_status', table_name='known_issue')
    op.drop_table('known_issue')

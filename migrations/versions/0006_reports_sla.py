"""response targets (SLA): department targets, ticket due times, holidays

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-28 10:00:00

A branch of its own (`hamrah init` upgrades all heads). Adds the departments' targets in
working hours, the tickets' stored due times, and the `holiday` table with Iran's public
holidays that fall on a fixed Jalali day (every year; managers add the lunar ones).
Existing tickets get no due times (they were never promised any).

SQLite: columns are added and dropped with ALTER TABLE (`recreate="never"`, SQLite >= 3.35),
because rebuilding `ticket` or `department` with foreign keys on would cascade into the
tables that point at them, and would drop the search trigger of migration 0003.
"""
from datetime import date

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0002'
branch_labels = None
depends_on = None

# (Jalali month, day, name): the official holidays on a fixed day of the solar calendar.
FIXED_HOLIDAYS = [
    (1, 1, "نوروز"), (1, 2, "نوروز"), (1, 3, "نوروز"), (1, 4, "نوروز"),
    (1, 12, "روز جمهوری اسلامی"), (1, 13, "روز طبیعت"),
    (3, 14, "رحلت امام خمینی"), (3, 15, "قیام ۱۵ خرداد"),
    (11, 22, "پیروزی انقلاب اسلامی"), (12, 29, "ملی شدن صنعت نفت"),
]
SEED_YEAR = 1404  # the Gregorian date stored for each is its day in this Jalali year


def upgrade():
    holiday = op.create_table(
        'holiday',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('every_year', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_holiday'),
        sa.UniqueConstraint('day', name='uq_holiday_day'),
    )
    with op.batch_alter_table('department', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('first_response_target_hours', sa.Float(), nullable=True,
                                      server_default='4'))
        batch_op.add_column(sa.Column('resolution_target_hours', sa.Float(), nullable=True,
                                      server_default='24'))
    with op.batch_alter_table('ticket', recreate='never') as batch_op:
        batch_op.add_column(sa.Column('first_response_due_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('resolution_due_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_ticket_first_response_due_at', ['first_response_due_at'],
                              unique=False)
    op.bulk_insert(holiday, [
        {"day": _gregorian(SEED_YEAR, month, day), "name": name, "every_year": True}
        for month, day, name in FIXED_HOLIDAYS
    ])


def downgrade():
    with op.batch_alter_table('ticket', recreate='never') as batch_op:
        batch_op.drop_index('ix_ticket_first_response_due_at')
        batch_op.drop_column('resolution_due_at')
        batch_op.drop_column('first_response_due_at')
    with op.batch_alter_table('department', recreate='never') as batch_op:
        batch_op.drop_column('resolution_target_hours')
        batch_op.drop_column('first_response_target_hours')
    op.drop_table('holiday')


def _gregorian(year: int, month: int, day: int) -> date:
    import jdatetime

    return jdatetime.date(year, month, day).togregorian()

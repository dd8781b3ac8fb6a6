"""regions: offices in provinces and counties, supervisors' regions, per-office sharing

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 18:00:00

- `region` (code, name, optional parent: a county under its province) and
  `supervisor_region` (which regions a supervisor watches);
- `office.region_id`, NOT NULL: a default region (code "00") is created and every
  existing office is put in it, so no office is left outside the hierarchy;
- `announcement_region`: announcements targeted by region;
- `office.sharing`: "office" (every clerk of the office sees its tickets, the rule until
  now, hence the server default) or "own" (a clerk sees only their own tickets).
Downgrade drops all of it; the offices keep everything else.
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = "0013"
branch_labels = None
depends_on = None

DEFAULT_CODE = "00"  # app/models/region.DEFAULT_REGION_CODE when this was written
DEFAULT_NAME = "منطقه‌ی پیش‌فرض"


def upgrade():
    op.create_table(
        'region',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=False),
        sa.Column('name', sa.String(length=150), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['parent_id'], ['region.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code'),
    )
    op.create_index('ix_region_parent_id', 'region', ['parent_id'], unique=False)
    op.create_table(
        'supervisor_region',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['region.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['ab_user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'region_id'),
    )
    op.create_index('ix_supervisor_region_region_id', 'supervisor_region', ['region_id'],
                    unique=False)
    op.create_table(
        'announcement_region',
        sa.Column('announcement_id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['region_id'], ['region.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('announcement_id', 'region_id'),
    )
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO region (code, name) VALUES (:code, :name)"),
                 {"code": DEFAULT_CODE, "name": DEFAULT_NAME})
    default_id = bind.execute(sa.text("SELECT id FROM region WHERE code = :code"),
                              {"code": DEFAULT_CODE}).scalar_one()
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.add_column(sa.Column('region_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sharing', sa.String(length=10), nullable=False,
                                      server_default='office'))
    bind.execute(sa.text("UPDATE office SET region_id = :region"), {"region": default_id})
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.alter_column('region_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key('fk_office_region_id', 'region', ['region_id'], ['id'])
        batch_op.create_index('ix_office_region_id', ['region_id'], unique=False)


def downgrade():
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_index('ix_office_region_id')
        batch_op.drop_constraint('fk_office_region_id', type_='foreignkey')
        batch_op.drop_column('sharing')
        batch_op.drop_column('region_id')
    op.drop_table('announcement_region')
    op.drop_index('ix_supervisor_region_region_id', table_name='supervisor_region')
    op.drop_table('supervisor_region')
    op.drop_index('ix_region_parent_id', table_name='region')
    op.drop_table('region')

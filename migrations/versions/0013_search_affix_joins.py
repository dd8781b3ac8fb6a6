"""search index: affixes written apart also indexed joined

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 18:10:00

The search document of a ticket now also holds the joined form of every affix written
apart («می خواهم» → «میخواهم», «پرونده ها» → «پروندهها»), and a query joins them the same
way (app/domain/search.py, app/persian/text.join_affixes). Rows written before would not be
found by a spaced query, so every ticket is indexed again with the app's own tokeniser, in
this migration's transaction (DELETE then INSERT: searches keep the old rows until it
commits; no VACUUM, which cannot run in a transaction). Downgrade keeps the new rows: the
older code reads them the same way (a joined token is only one more word).
"""
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    from app.domain.search import rebuild_index

    rebuild_index(op.get_bind())


def downgrade():
    pass

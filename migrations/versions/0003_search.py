"""full-text search index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 10:00:00

PostgreSQL: ticket_search(ticket_id -> ticket ON DELETE CASCADE, document tsvector) with a
GIN index. SQLite: an FTS5 virtual table (rowid = ticket id) and a trigger that drops a
ticket's row when the ticket goes, since virtual tables have no foreign keys. A migration
that makes SQLite recreate the `ticket` table in batch mode drops that trigger: it should
execute app.models.search.SQLITE_TRIGGER_DDL again (`hamrah reindex` also restores it; the
search service overwrites rows by ticket id, so a lost trigger leaves only dead rows).
Neither is an ORM model; app/models/search.py tells autogenerate to ignore them. Existing tickets are indexed here, from Python, by the search service's own
tokeniser (normalising in SQL is not possible); `hamrah reindex` does the same on demand.
"""
from alembic import op

from app.models.search import SEARCH_INDEX, SEARCH_TABLE, SEARCH_TRIGGER, SQLITE_TRIGGER_DDL

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            f"CREATE TABLE {SEARCH_TABLE} ("
            " ticket_id INTEGER NOT NULL PRIMARY KEY REFERENCES ticket (id) ON DELETE CASCADE,"
            " document TSVECTOR NOT NULL)"
        )
        op.execute(f"CREATE INDEX {SEARCH_INDEX} ON {SEARCH_TABLE} USING gin (document)")
        # Lexeme statistics fine enough for the search service's "rare or common?" estimate.
        op.execute(f"ALTER TABLE {SEARCH_TABLE} ALTER COLUMN document SET STATISTICS 1000")
    else:
        op.execute(f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(document, prefix='2 3')")
        op.execute(SQLITE_TRIGGER_DDL)
    from app.domain.search import rebuild_index

    rebuild_index(bind)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {SEARCH_TRIGGER}")
    op.execute(f"DROP TABLE {SEARCH_TABLE}")

"""The full-text search index's database objects, and what keeps them current.

Not an ORM model: its shape differs per database (PostgreSQL: a table of tsvectors with a
GIN index; SQLite: an FTS5 virtual table with its shadow tables), so migration 0003 owns
it and schema comparison is told to ignore exactly these names. The index is written by
`app.domain.search` after every ORM flush that touches a subject or a message.
"""
from alembic.autogenerate import comparators
from alembic.operations import ops

SEARCH_TABLE = "ticket_search"
SEARCH_INDEX = "ix_ticket_search_document"  # PostgreSQL GIN index
SEARCH_TRIGGER = "ticket_search_ticket_deleted"  # SQLite: FTS5 rows cannot cascade
SQLITE_TRIGGER_DDL = (
    f"CREATE TRIGGER IF NOT EXISTS {SEARCH_TRIGGER} AFTER DELETE ON ticket "
    f"BEGIN DELETE FROM {SEARCH_TABLE} WHERE rowid = old.id; END"
)
# FTS5 creates these shadow tables beside the virtual table.
SEARCH_TABLES = frozenset(
    [SEARCH_TABLE] + [f"{SEARCH_TABLE}_{s}" for s in ("data", "idx", "content", "docsize", "config")]
)


def include_name(name, type_, parent_names) -> bool:
    """Alembic `include_name` hook (migrations/env.py): skip the search objects."""
    if type_ == "table":
        return name not in SEARCH_TABLES
    if type_ == "index":
        return name != SEARCH_INDEX and parent_names.get("table_name") not in SEARCH_TABLES
    return True


@comparators.dispatch_for("schema")
def _ignore_search_tables(autogen_context, upgrade_ops, schemas) -> None:
    """Also hide them from comparisons that do not go through env.py (`compare_metadata`).

    Runs after Alembic's own table comparison and drops what it found for our tables
    ("remove table", and on PostgreSQL also "remove index" of the GIN index).
    """
    upgrade_ops.ops[:] = [
        op for op in upgrade_ops.ops
        if not (isinstance(op, (ops.DropTableOp, ops.ModifyTableOps, ops.DropIndexOp))
                and op.table_name in SEARCH_TABLES)
    ]


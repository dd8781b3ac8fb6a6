"""INSERT … ON CONFLICT for the two databases we run on.

PostgreSQL's and SQLite's dialects each have their own `insert` construct with
`on_conflict_do_update`; which one a statement needs depends on the session's database.
"""
from sqlalchemy.dialects import postgresql, sqlite


def upsert_insert(session, table):
    """The session database's `insert(table)`, on which `on_conflict_do_update` works."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)

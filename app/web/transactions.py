"""How a request's transaction ends when the view did not end it: read-only ends in COMMIT.

Flask-SQLAlchemy closes the session after every request, which rolls the open transaction
back. psycopg forgets all its prepared statements on a rollback (the transaction may have
dropped what they refer to), so with a rollback at the end of every page no statement ever
reached psycopg's prepare threshold, and PostgreSQL parsed and planned every statement of
every page again: most of its CPU per page (bench/README.md). A transaction that only read
is ended with a COMMIT instead, which changes nothing and keeps the prepared statements.
A transaction that wrote anything, failed, or has unflushed changes is rolled back as before.
"""
import logging

from sqlalchemy import event

log = logging.getLogger(__name__)

_UNSAFE = "hamrah_not_read_only"  # in Connection.info until the transaction ends
_READS = ("SELECT", "EXPLAIN", "SHOW")


def _is_read(statement: str) -> bool:
    """By the first word (runs for every statement: looks at its first characters only)."""
    return statement[:32].lstrip()[:7].upper().startswith(_READS)


def init_transactions(app, db) -> None:
    """Call after `db.init_app(app)`: Flask runs teardowns last-registered first, so this
    runs before Flask-SQLAlchemy's own, which removes the session."""
    engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn, cursor, statement, parameters, context, executemany):
        if not _is_read(statement):
            conn.info[_UNSAFE] = True

    @event.listens_for(engine, "handle_error")
    def _note_errors(context):
        if context.connection is not None:
            context.connection.info[_UNSAFE] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _forget(conn):
        conn.info.pop(_UNSAFE, None)

    @app.teardown_appcontext
    def _commit_if_read_only(exception):
        session = db.session()  # this request's session, not the scoped proxy
        if exception is not None or not session.is_active or not session.in_transaction():
            return
        if session.new or session.dirty or session.deleted:
            return
        if session.connection().info.get(_UNSAFE):
            return
        try:
            session.commit()
        except Exception:  # noqa: BLE001 - the rollback that follows is the old behaviour
            log.exception("committing a read-only transaction failed; rolling back")
            session.rollback()

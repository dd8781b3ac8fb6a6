"""A request's transaction: read-only ends in COMMIT (psycopg keeps its prepared statements);
anything that wrote, failed or is pending ends in a rollback (app/web/transactions.py)."""
import pytest
from sqlalchemy import event, exc, select, text, update

from app.extensions import db
from app.models import Office, Ticket


@pytest.fixture
def endings(app):
    """How each transaction on the engine ended: "commit" or "rollback", in order."""
    seen = []
    with app.app_context():
        engine = db.engine
    on_commit = lambda conn: seen.append("commit")  # noqa: E731
    on_rollback = lambda conn: seen.append("rollback")  # noqa: E731
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    yield seen
    event.remove(engine, "commit", on_commit)
    event.remove(engine, "rollback", on_rollback)


def _office_name(app, code="1001"):
    with app.app_context():
        name = db.session.scalar(select(Office.name).where(Office.code == code))
        db.session.remove()
        return name


def test_read_only_page_ends_in_commit(as_user, endings):
    clerk = as_user("clerk")
    endings.clear()
    assert clerk.get("/support/inbox").status_code == 200
    assert endings == ["commit"]


def test_write_left_uncommitted_is_rolled_back(app, endings):
    before = _office_name(app)
    with app.app_context():
        db.session.execute(update(Office).where(Office.code == "1001").values(name="changed"))
        endings.clear()
    assert endings == ["rollback"]
    assert _office_name(app) == before


def test_pending_changes_are_not_committed(app, endings):
    before = _office_name(app)
    with app.app_context():
        office = db.session.scalars(select(Office).where(Office.code == "1001")).one()
        with db.session.no_autoflush:
            office.name = "pending"
        endings.clear()
    assert endings == ["rollback"]
    assert _office_name(app) == before


def test_failed_statement_is_rolled_back(app, endings):
    with app.app_context():
        db.session.scalar(select(Ticket.id).limit(1))
        with pytest.raises(exc.DBAPIError):
            db.session.execute(text("SELECT no_such_column FROM ticket"))
        endings.clear()
    assert endings == ["rollback"]


def test_committed_write_then_reads_end_in_commit(as_user, endings):
    """A view that commits its write and then only reads ends like a read-only page."""
    agent = as_user("agent")
    endings.clear()
    response = agent.post("/support/tickets/1004482/reply", data={"body": "پاسخ"})
    assert response.status_code == 302
    assert "rollback" not in endings


def test_postgres_keeps_prepared_statements_across_pages(app, as_user, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("prepared statements are psycopg's (PostgreSQL)")
    clerk = as_user("clerk")
    for _ in range(8):  # psycopg prepares a statement on its 5th execution on a connection
        assert clerk.get("/support/inbox").status_code == 200
    with app.app_context():
        prepared = db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
        db.session.remove()
    assert prepared > 0

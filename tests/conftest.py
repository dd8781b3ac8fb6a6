"""Fixtures: one app per test session on a real database, fresh demo data for every test.

SQLite file by default; PostgreSQL when TEST_DATABASE_URL is set. The schema is
built by the migrations, exactly as `hamrah init` does.
"""
import os
import re

import pytest
from flask import current_app
from flask.testing import FlaskClient
from jinja2 import StrictUndefined
from sqlalchemy import text

from app import create_app
from app.extensions import db
from app.infra.reference_cache import reference_cache
from config import TestConfig

pytest_plugins = ["tests.mail_server"]  # the SMTP server and mail settings of the e-mail tests

KEEP_TABLES = {"ab_permission", "ab_view_menu", "ab_permission_view", "ab_role",
               "ab_permission_view_role", "alembic_version", "ticket_counter"}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


class FreshContextClient(FlaskClient):
    """Each request gets its own app context (own `g` and db session), as in a real server.

    Without this, requests made while a test holds an app context share its `g`,
    and a second user's request would see the first user's cached identity.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    application = create_app(
        TestConfig, SQLALCHEMY_DATABASE_URI=database_url,
        ATTACHMENT_DIR=str(tmp_path_factory.mktemp("attachments")),
    )
    application.jinja_env.undefined = StrictUndefined
    application.test_client_class = FreshContextClient
    with application.app_context():
        if database_url.startswith("postgresql"):
            _reset_postgres()
        runner = application.test_cli_runner()
        result = runner.invoke(args=["hamrah", "init"])
        assert result.exit_code == 0, result.output
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _reset_postgres():
    with db.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(autouse=True)
def demo(app):
    """Every test starts from the demo data: two offices, three departments, one user per role."""
    from app.cli.demo_data import load_demo

    with app.app_context():
        _wipe()
        load_demo(db.session)
        yield
        db.session.rollback()
        db.session.remove()


def _wipe():
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
    with db.engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        conn.execute(text("UPDATE ticket_counter SET value = :v"),
                     {"v": current_app.config["TICKET_NUMBER_START"] - 1})
    db.session.remove()
    reference_cache().clear()  # the rows it holds were deleted behind the ORM's back


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def login(client, username, password=None):
    response = client.post("/login/", data={"username": username, "password": password or username})
    assert response.status_code == 302, response.data[:500]
    return client


@pytest.fixture
def as_user(app):
    """`as_user("agent")` returns a test client logged in as that demo user."""

    def make(username):
        return login(app.test_client(), username)

    return make


def ticket_numbers(html: bytes) -> set[str]:
    """Ticket numbers on a page, whichever digits it shows them in."""
    from app.persian.text import ascii_digits

    return set(re.findall(r"10044\d\d", ascii_digits(html.decode())))

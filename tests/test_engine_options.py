"""Database connection settings the app adds to its configuration."""
from flask import Flask

from app import _postgres_options
from app.extensions import db


def _configured(uri, **config):
    app = Flask(__name__)
    app.config.update(SQLALCHEMY_DATABASE_URI=uri,
                      SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True}, **config)
    _postgres_options(app)
    return app.config["SQLALCHEMY_ENGINE_OPTIONS"]


def test_postgres_connections_plan_without_parallel_workers():
    options = _configured("postgresql+psycopg://u@127.0.0.1:5432/db")
    assert options["connect_args"]["options"] == "-c max_parallel_workers_per_gather=0"
    assert options["pool_pre_ping"] is True


def test_parallel_query_when_asked_and_never_for_sqlite():
    assert "connect_args" not in _configured("postgresql+psycopg://u@h/db", PG_PARALLEL_QUERY=True)
    assert "connect_args" not in _configured("sqlite:///x.db")


def test_the_running_database_got_it(app):
    """On the PostgreSQL suite this asks the server itself."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            setting = db.session.execute(db.text("SHOW max_parallel_workers_per_gather"))
            assert setting.scalar() == "0"
        else:
            assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]

"""Hamrah Support: the application factory."""
import os

from flask import Flask
from flask_appbuilder import AppBuilder
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.extensions import csrf, db, migrate

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def create_app(config=None, **overrides) -> Flask:
    """Build an app. `config` is a config class or import path; `overrides` win over it."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config or "config.Config")
    app.config.update(overrides)
    _refuse_unsafe_production(app)
    os.makedirs(app.config["ATTACHMENT_DIR"], exist_ok=True)
    _ensure_sqlite_dir(app.config["SQLALCHEMY_DATABASE_URI"])
    _postgres_options(app)

    from app import models  # noqa: F401  (complete the metadata before anything reflects it)
    from app.domain import offices, search, search_filter, sla  # noqa: F401  (flush listeners: office codes, search index, kept search criteria, SLA due times)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    from app.infra.reference_cache import init_reference_cache
    from app.web import babel_context, reader_digits

    babel_context.install()
    reader_digits.install(app)
    init_reference_cache(app)
    with app.app_context():
        csrf.init_app(app)  # before AppBuilder, so FAB's views are protected too
        from app.views.index import HamrahIndexView

        appbuilder = AppBuilder(update_perms=False, indexview=HamrahIndexView)
        appbuilder.init_app(app, db.session)
        from app.views import register_views

        register_views(appbuilder)
        from app.api import register_apis

        register_apis(appbuilder)
        from app.web.sql_counter import init_sql_counter

        init_sql_counter(app, db.engine)
        from app.web.transactions import init_transactions

        init_transactions(app, db)
        appbuilder.post_init()
    from app.web.hardening import init_web_security
    from app.web.kept_fragments import init_kept_fragments
    from app.web.templating import register_template_helpers

    register_template_helpers(app)
    init_kept_fragments(app)
    init_web_security(app)
    from app.cli import hamrah

    app.cli.add_command(hamrah)
    return app


def _refuse_unsafe_production(app: Flask) -> None:
    """Production settings that would silently break a guarantee stop the start instead."""
    from config import DEFAULT_SECRET_KEY

    if app.config.get("ENV_NAME") != "production":
        return
    if app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise RuntimeError("Refusing to start in production with the default SECRET_KEY.")
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if app.config.get("RATELIMIT_ENABLED") and storage.startswith("memory://"):
        raise RuntimeError(
            "Refusing to start in production with RATELIMIT_STORAGE_URI=memory://: every worker "
            "would count the rate limits on its own. Set RATELIMIT_STORAGE_URI=redis://host:6379/0.")


def _postgres_options(app: Flask) -> None:
    """No parallel query on PostgreSQL unless PG_PARALLEL_QUERY: our statements are short,
    and starting two workers costs a short page ~15 ms and a third of the CPU of a 2-core
    server that serves eight pages at once (see bench/README.md)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    if app.config.get("PG_PARALLEL_QUERY"):
        return
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    connect_args["options"] = " ".join(filter(None, [
        connect_args.get("options"), "-c max_parallel_workers_per_gather=0"]))
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _ensure_sqlite_dir(uri: str) -> None:
    if uri.startswith("sqlite:///") and uri != "sqlite://":
        directory = os.path.dirname(uri[len("sqlite:///"):])
        if directory:
            os.makedirs(directory, exist_ok=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """SQLite enforces foreign keys only when asked, on every connection."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

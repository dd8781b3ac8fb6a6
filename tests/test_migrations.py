"""Migrations build the schema the models describe, and can be undone."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from app import create_app
from app.extensions import db
from config import TestConfig


@pytest.fixture
def empty_database_url(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        yield "sqlite:///" + str(tmp_path / "migrations.db")
        return
    name = "hamrah_mig_" + uuid.uuid4().hex[:8]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_to_head_matches_models_then_downgrade_to_base(app, empty_database_url):
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database_url,
                       ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"])
    with other.app_context():
        upgrade(revision="heads")
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == [], diff
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_one_head_with_the_ticket_list_indexes_and_the_search_delete_trigger(app, empty_database_url):
    from alembic.script import ScriptDirectory
    from flask import current_app

    from app.models.search import SEARCH_TABLE, SEARCH_TRIGGER

    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=empty_database_url,
                       ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"])
    with other.app_context():
        config = current_app.extensions["migrate"].migrate.get_config()
        heads = ScriptDirectory.from_config(config).get_heads()
        assert len(heads) == 1, heads  # a new migration must build on (or merge) the head
        upgrade(revision="head")
        with db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_heads() == tuple(heads)
        indexes = {ix["name"]: ix["column_names"] for ix in inspect(db.engine).get_indexes("ticket")}
        assert indexes["ix_ticket_last_activity_id"] == ["last_activity_at", "id"]
        assert indexes["ix_ticket_office_last_activity"] == ["office_id", "last_activity_at", "id"]
        assert indexes["ix_ticket_department_last_activity"] == [
            "department_id", "last_activity_at", "id"]
        assert indexes["ix_ticket_created_at"] == ["created_at"]
        assert indexes["ix_ticket_unread_answer"] == ["office_id"]  # partial: the badges
        assert indexes["ix_ticket_waiting"] == ["department_id"]
        assert indexes["ix_ticket_waiting_office"] == ["office_id"]  # supervisors' badge
        assert "ix_ticket_office_activity" not in indexes  # a prefix of the office index

        sqlite = db.engine.dialect.name == "sqlite"
        with db.engine.begin() as conn:
            if sqlite:  # batch rebuilds of `ticket` (migration 0004) drop it; 0009 restores it
                assert conn.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                        " AND name = :n AND tbl_name = 'ticket'"),
                                   {"n": SEARCH_TRIGGER}) == 1
            # A delete that bypasses the ORM (and so the search service) still drops the row.
            conn.execute(text("INSERT INTO office (id, code, name, region_id) VALUES (1, 'o1',"
                              " 'Office', (SELECT id FROM region WHERE code = '00'))"))
            conn.execute(text("INSERT INTO department (id, name, name_en, active, ordering)"
                              " VALUES (1, 'd1', 'd1', true, 0)"))
            conn.execute(text("INSERT INTO ab_user (id, first_name, last_name, username, email)"
                              " VALUES (1, 'a', 'b', 'u1', 'u1@example.com')"))
            conn.execute(text(
                "INSERT INTO ticket (id, number, subject, department_id, office_id, creator_id,"
                " status, created_at, updated_at, last_activity_at, unread_answer)"
                " VALUES (7, 1, 's', 1, 1, 1, 'new', :t, :t, :t, false)"),
                {"t": "2026-01-01 00:00:00"})
            if sqlite:
                conn.execute(text(f"INSERT INTO {SEARCH_TABLE} (rowid, document) VALUES (7, 'x')"))
                count = f"SELECT count(*) FROM {SEARCH_TABLE} WHERE rowid = 7"
            else:
                conn.execute(text(f"INSERT INTO {SEARCH_TABLE} (ticket_id, document)"
                                  " VALUES (7, to_tsvector('simple', 'x'))"))
                count = f"SELECT count(*) FROM {SEARCH_TABLE} WHERE ticket_id = 7"
            assert conn.scalar(text(count)) == 1
            conn.execute(text("DELETE FROM ticket WHERE id = 7"))
            assert conn.scalar(text(count)) == 0
        db.engine.dispose()

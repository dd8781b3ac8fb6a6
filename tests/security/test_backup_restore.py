"""`hamrah backup` / `hamrah restore`: a round trip on the test database (SQLite's online
backup API, or pg_dump/pg_restore on PostgreSQL) with the attachment files."""
import hashlib
import json
import os
import shutil

import pytest
from sqlalchemy import select

from app.cli.backup import backup_command, restore_command
from app.domain.attachments import IncomingFile
from app.domain.tickets import add_reply
from app.extensions import db
from app.models import Attachment, Message
from tests.helpers import PDF, last_ticket_number, ticket
from tests.security.conftest import count


@pytest.fixture
def backup_dir(tmp_path):
    return tmp_path / "backups"


def _attach():
    target = ticket(1004481)
    add_reply(db.session, target, target.creator, "سند", [IncomingFile("sanad.pdf", PDF)])
    return db.session.scalars(select(Attachment)).one()


def _needs_tools(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        for tool in ("pg_dump", "pg_restore"):
            if shutil.which(tool) is None:
                pytest.skip(f"{tool} is not on PATH")


def test_round_trip(app, runner, backup_dir):
    _needs_tools(app)
    attachment = _attach()
    messages = count(Message)
    result = runner.invoke(backup_command, [str(backup_dir)])
    assert result.exit_code == 0, result.output
    [folder] = list(backup_dir.iterdir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["attachments"] >= 1 and manifest["migration_heads"]
    assert (folder / "attachments" / attachment.stored_name).read_bytes() == PDF
    assert manifest["attachment_files"][attachment.stored_name] == {
        "size": len(PDF), "sha256": hashlib.sha256(PDF).hexdigest()}
    copy = folder / manifest["database_copy"]["file"]
    assert manifest["database_copy"]["size"] == copy.stat().st_size
    assert manifest["database_copy"]["sha256"] == hashlib.sha256(copy.read_bytes()).hexdigest()
    assert manifest["tables"]["message"] == messages and manifest["tables"]["attachment"] == 1
    assert manifest["newest_ticket_number"] == last_ticket_number()
    assert manifest["newest_write_at"]

    add_reply(db.session, ticket(1004481), ticket(1004481).creator, "after the backup")
    os.remove(os.path.join(app.config["ATTACHMENT_DIR"], attachment.stored_name))
    db.session.remove()

    result = runner.invoke(restore_command, [str(folder), "--yes", "--quiet-seconds", "0"])
    assert result.exit_code == 0, result.output
    assert ("The live database has 1 message written after it and 1 older ticket changed after "
            "it; they will be lost.") in result.output
    assert count(Message) == messages
    assert os.path.exists(os.path.join(app.config["ATTACHMENT_DIR"], attachment.stored_name))
    client = app.test_client()
    client.post("/login/", data={"username": "clerk", "password": "clerk"})
    download = client.get(f"/support/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF


def test_restore_asks_first(app, runner, backup_dir):
    _needs_tools(app)
    runner.invoke(backup_command, [str(backup_dir), "--no-attachments"])
    [folder] = list(backup_dir.iterdir())
    result = runner.invoke(restore_command, [str(folder), "--quiet-seconds", "0"], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    assert not (folder / "attachments").exists()


def test_restore_refuses_a_backup_of_another_kind(app, runner, backup_dir):
    folder = backup_dir / "hamrah-x"
    folder.mkdir(parents=True)
    other = "sqlite" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else \
        "postgresql"
    (folder / "manifest.json").write_text(json.dumps({"database": other, "created_at": "x"}))
    result = runner.invoke(restore_command, [str(folder), "--yes"])
    assert result.exit_code != 0 and "backup is of a" in result.output


def test_sqlite_backup_is_consistent_while_writers_run(tmp_path):
    """The online backup API copies a consistent snapshot even with a write in progress."""
    import sqlite3
    import threading

    from app.cli.backup import sqlite_backup

    live = tmp_path / "live.db"
    conn = sqlite3.connect(live, check_same_thread=False)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.executemany("INSERT INTO t (v) VALUES (?)", [("x" * 200,)] * 5000)
    conn.commit()
    stop = threading.Event()

    def writer():
        other = sqlite3.connect(live, timeout=30)
        while not stop.is_set():
            other.execute("INSERT INTO t (v) VALUES ('y')")
            other.commit()
        other.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        facts = sqlite_backup(str(live), str(tmp_path / "copy.db"))
    finally:
        stop.set()
        thread.join()
        conn.close()
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM t").fetchone()[0] >= 5000
    # the manifest's counts are the copy's own, whatever the writer did meanwhile
    assert facts["tables"]["t"] == copy.execute("SELECT count(*) FROM t").fetchone()[0]
    copy.close()

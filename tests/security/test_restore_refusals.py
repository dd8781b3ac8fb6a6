"""`hamrah restore` proves the backup whole before it touches the live data, and refuses with
one sentence otherwise: real copies damaged by overwriting or truncating their bytes, on the
test database (SQLite file, or PostgreSQL with pg_dump/pg_restore)."""
import hashlib
import io
import json
import os
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli.backup import backup_command, restore_command
from app.domain.attachments import IncomingFile
from app.domain.tickets import NewTicket, add_reply, create_ticket
from app.extensions import db
from app.models import Message, Ticket
from app.models.base import utcnow
from tests.helpers import PDF, department_id, last_ticket_number, ticket
from tests.security.conftest import count


def _postgres(app) -> bool:
    return app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@pytest.fixture
def backup(app, runner, tmp_path):
    """`backup(*options)` -> (folder, manifest) of a fresh `hamrah backup`."""
    if _postgres(app):
        for tool in ("pg_dump", "pg_restore"):
            if shutil.which(tool) is None:
                pytest.skip(f"{tool} is not on PATH")

    def make(*options):
        target = tmp_path / f"backups{len(list(tmp_path.iterdir()))}"
        result = runner.invoke(backup_command, [str(target), *options])
        assert result.exit_code == 0, result.output
        [folder] = list(target.iterdir())
        return folder, json.loads((folder / "manifest.json").read_text())

    return make


def _copy(folder, manifest):
    return folder / ("database.dump" if manifest["database"] == "postgresql" else "database.sqlite3")


def _rewrite_manifest(folder, manifest, **changes):
    manifest = {**manifest, **changes}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return manifest


def _vouch_for_copy(folder, manifest):
    """Make the manifest's size and checksum those of the (damaged) copy, so that only the
    copy's own checks stand between it and the live data."""
    data = _copy(folder, manifest).read_bytes()
    return _rewrite_manifest(folder, manifest, database_copy={
        **manifest.get("database_copy", {}), "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest()})


def _overwrite(path, offset, length):
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xa5" * length)


def _truncate(path, size):
    with open(path, "r+b") as handle:
        handle.truncate(size)


def _refused(result, *words):
    """Non-zero exit and one sentence on stderr naming the problem."""
    assert result.exit_code not in (0, None), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    message = result.stderr.strip()
    assert message.startswith("Error: ") and "\n" not in message, result.stderr
    for word in words:
        assert word in message, message
    assert "Restored" not in result.output


def _live_snapshot(app):
    """What a refused restore must leave as it was."""
    db.session.remove()
    state = {"tickets": count(Ticket), "messages": count(Message), "newest": last_ticket_number()}
    if not _postgres(app):
        import sqlite3

        live = sqlite3.connect(app.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):])
        state["integrity"] = live.execute("PRAGMA integrity_check").fetchone()[0]
        live.close()
    return state


def _new_ticket(subject="after the backup", when=None):
    clerk = ticket(1004481).creator
    created = create_ticket(db.session, clerk, NewTicket(
        subject=subject, department_id=department_id(), body="body"), now=when)
    return created.number


def _restore(runner, folder, *options, **kwargs):
    return runner.invoke(restore_command, [str(folder), *options], **kwargs)


def test_damaged_copy_is_refused(app, runner, backup):
    """Before: on SQLite "Restored…", exit 0 and a live file failing integrity_check; on
    PostgreSQL a CalledProcessError traceback from pg_restore."""
    folder, manifest = backup("--no-attachments")
    _new_ticket()
    before = _live_snapshot(app)
    size = _copy(folder, manifest).stat().st_size
    _overwrite(_copy(folder, manifest), size // 2, 1024)
    _refused(_restore(runner, folder, "--yes"), "damaged", "SHA-256")
    assert _live_snapshot(app) == before


def test_damaged_copy_is_refused_by_its_own_check(app, runner, backup):
    """Even with a manifest that vouches for the damaged bytes, the copy's own check refuses:
    SQLite's integrity_check, or pg_restore reading every data block."""
    folder, manifest = backup("--no-attachments")
    before = _live_snapshot(app)
    path = _copy(folder, manifest)
    size = path.stat().st_size
    if _postgres(app):
        _overwrite(path, size - 1200, 600)  # the table data is at the end of the archive
    else:
        page = int.from_bytes(path.read_bytes()[16:18], "big")  # the header's page size
        _overwrite(path, page * 2, page * 4)  # pages 2-5: b-trees of the first tables
    _vouch_for_copy(folder, manifest)
    _refused(_restore(runner, folder, "--yes"), "is damaged",
             "pg_restore could not read its data" if _postgres(app) else "")
    assert _live_snapshot(app) == before


def test_empty_copy_is_refused(app, runner, backup):
    """Before: on SQLite "Restored…" and a live database without tables."""
    folder, manifest = backup("--no-attachments")
    before = _live_snapshot(app)
    _truncate(_copy(folder, manifest), 0)
    _refused(_restore(runner, folder, "--yes"), "is empty")
    _vouch_for_copy(folder, manifest)  # even a manifest that says 0 bytes does not pass
    _refused(_restore(runner, folder, "--yes"), "is empty")
    assert _live_snapshot(app) == before


def test_truncated_copy_is_refused(app, runner, backup):
    """Before: a traceback (sqlite3.DatabaseError / CalledProcessError)."""
    folder, manifest = backup("--no-attachments")
    before = _live_snapshot(app)
    path = _copy(folder, manifest)
    _truncate(path, path.stat().st_size // 2)
    _refused(_restore(runner, folder, "--yes"), "is truncated")
    assert _live_snapshot(app) == before


@pytest.mark.parametrize("damage, words", [
    ("missing", ("has no manifest.json",)),
    ("garbled", ("is unreadable",)),
    ("old format", ("older version", "no checksums")),
])
def test_missing_or_unreadable_manifest_is_refused(app, runner, backup, damage, words):
    """Before: FileNotFoundError / JSONDecodeError / KeyError tracebacks."""
    folder, manifest = backup("--no-attachments")
    before = _live_snapshot(app)
    if damage == "missing":
        (folder / "manifest.json").unlink()
    elif damage == "garbled":
        (folder / "manifest.json").write_text('{"format": 2, "database": ')
    else:
        (folder / "manifest.json").write_text(json.dumps(
            {"database": manifest["database"], "created_at": "x", "migration_heads": []}))
    _refused(_restore(runner, folder, "--yes"), *words)
    assert _live_snapshot(app) == before


def test_row_counts_must_match_the_manifest(app, runner, backup):
    folder, manifest = backup("--no-attachments")
    before = _live_snapshot(app)
    tables = {**manifest["tables"], "message": manifest["tables"]["message"] + 1}
    _rewrite_manifest(folder, manifest, tables=tables)
    _refused(_restore(runner, folder, "--yes"), "row counts", "message")
    _rewrite_manifest(folder, manifest, tables={**manifest["tables"], "ghost": 0})
    _refused(_restore(runner, folder, "--yes"), "lacks the tables ghost")
    assert _live_snapshot(app) == before


def test_schema_newer_than_the_code_is_refused(app, runner, backup):
    if _postgres(app):
        pytest.skip("the copy is edited in place with sqlite3; the check itself is the same")
    import sqlite3

    folder, manifest = backup("--no-attachments")
    copy = sqlite3.connect(_copy(folder, manifest))
    copy.execute("UPDATE alembic_version SET version_num = 'f00dcafe0001'")
    copy.commit()
    copy.close()
    _vouch_for_copy(folder, manifest)
    _rewrite_manifest(folder, json.loads((folder / "manifest.json").read_text()),
                      migration_heads=["f00dcafe0001"])
    _refused(_restore(runner, folder, "--yes"), "f00dcafe0001", "unknown to this version")


def test_missing_or_damaged_attachment_file_is_refused(app, runner, backup):
    target = ticket(1004481)
    add_reply(db.session, target, target.creator, "سند", [IncomingFile("sanad.pdf", PDF)])
    folder, manifest = backup()
    stored_name = db.session.scalar(text("SELECT stored_name FROM attachment"))
    assert stored_name in manifest["attachment_files"]
    live_file = os.path.join(app.config["ATTACHMENT_DIR"], stored_name)
    os.remove(live_file)
    before = _live_snapshot(app)
    _overwrite(folder / "attachments" / stored_name, 4, 8)
    _refused(_restore(runner, folder, "--yes"), stored_name, "damaged")
    (folder / "attachments" / stored_name).unlink()
    _refused(_restore(runner, folder, "--yes"), stored_name, "missing from the backup")
    assert _live_snapshot(app) == before and not os.path.exists(live_file)


def _backdate_writes(hours=2):
    """Every write stamp of the live database `hours` back: servers quiet for that long."""
    past = utcnow() - timedelta(hours=hours)
    with db.engine.begin() as connection:
        for statement in ("UPDATE ticket SET created_at = :t, updated_at = :t, last_activity_at = :t",
                          "UPDATE message SET created_at = :t", "UPDATE audit_event SET created_at = :t",
                          "UPDATE outbox_message SET created_at = :t, sent_at = NULL"):
            connection.execute(text(statement), {"t": past})
    db.session.remove()


def test_refuses_while_servers_write(app, runner, backup):
    """Before: restored over tickets registered seconds ago (lost, their numbers reused)."""
    folder, _ = backup("--no-attachments")
    number = _new_ticket()  # a clerk registers a ticket: servers are up
    before = _live_snapshot(app)
    _refused(_restore(runner, folder, "--yes"), "servers are still writing", "quiet period of 60 s")
    assert _live_snapshot(app) == before and last_ticket_number() == number

    _backdate_writes()  # quiet for two hours: the default quiet period lets it through
    result = _restore(runner, folder, "--yes")
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output and number not in {t.number for t in db.session.query(Ticket)}


def test_a_write_in_the_quiet_period_refuses(app, runner, backup):
    folder, _ = backup("--no-attachments")
    _backdate_writes()
    _new_ticket(when=utcnow() - timedelta(seconds=300))
    _refused(_restore(runner, folder, "--yes", "--quiet-seconds", "600"), "300 s ago")
    result = _restore(runner, folder, "--yes", "--quiet-seconds", "240")
    assert result.exit_code == 0, result.output


def test_says_what_will_be_lost_and_never_reuses_a_number(app, runner, backup):
    """Before: restored without a word; the next ticket took the number of a lost one."""
    folder, manifest = backup("--no-attachments")
    first, last = _new_ticket("lost 1"), _new_ticket("lost 2")
    assert manifest["newest_ticket_number"] == first - 1
    before = _live_snapshot(app)
    result = _restore(runner, folder, "--quiet-seconds", "0", input="n\n")
    sentence = (f"The live database has 2 tickets newer than this backup ({first}–{last}) and "
                "2 messages written after it; they will be lost.\n")
    assert sentence in result.output
    assert result.exit_code != 0 and "Aborted" in result.output
    assert _live_snapshot(app) == before

    result = _restore(runner, folder, "--quiet-seconds", "0", "--yes")
    assert result.exit_code == 0 and sentence in result.output, result.output
    assert count(Ticket) == manifest["tables"]["ticket"]
    assert _new_ticket("after the restore") == last + 1  # not `first` again


def test_files_without_rows_are_listed_and_kept(app, runner, backup):
    folder, _ = backup()
    target = ticket(1004481)
    add_reply(db.session, target, target.creator, "after", [IncomingFile("late.pdf", PDF)])
    stored_name = db.session.scalar(text("SELECT stored_name FROM attachment"))
    result = _restore(runner, folder, "--yes", "--quiet-seconds", "0")
    assert result.exit_code == 0, result.output
    assert "belong to no attachment of the restored database; they were kept, not removed:" \
        in result.output
    assert f"  {stored_name}\n" in result.output
    assert os.path.exists(os.path.join(app.config["ATTACHMENT_DIR"], stored_name))


def test_no_attachments_backup_says_files_are_left_alone(app, runner, backup):
    folder, manifest = backup("--no-attachments")
    assert manifest["attachment_files"] is None and not (folder / "attachments").exists()
    result = _restore(runner, folder, "--yes", "--quiet-seconds", "0")
    assert result.exit_code == 0, result.output
    assert "made with --no-attachments" in result.output


def test_s3_attachments_are_recorded_and_skipped(app, make_app, backup):
    """With S3 the files stay in the bucket: the manifest says so, the restore skips their
    checks with a sentence (no bucket is reached: neither command touches the storage)."""
    if _postgres(app) and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not on PATH")
    s3 = make_app(ATTACHMENT_STORAGE="s3", S3_BUCKET="hamrah-test-attachments")
    s3_runner = s3.test_cli_runner()
    with s3.app_context():
        target = s3_runner.invoke(backup_command, [str(app.config["ATTACHMENT_DIR"]) + "-s3"])
        assert target.exit_code == 0, target.output
        assert "Attachments are in the S3 bucket" in target.output
        folder = target.output.split("Backup written to ")[1].splitlines()[0]
        manifest = json.loads(Path(folder, "manifest.json").read_text())
        assert manifest["attachment_storage"] == "s3" and manifest["attachment_files"] is None
        result = s3_runner.invoke(restore_command, [folder, "--yes", "--quiet-seconds", "0"])
        db.session.remove()
    shutil.rmtree(folder)
    assert result.exit_code == 0, result.output
    assert "in the S3 bucket, not in this backup: their checks were skipped" in result.output


def test_manifest_counts_are_those_of_the_copy_while_writers_run(app, backup):
    """The counts are read in the copy's own snapshot (SQLite: in the copy; PostgreSQL: the
    transaction whose snapshot pg_dump shares), so a writer running during the backup cannot
    make them disagree: the restore's check of the copy passes."""
    import threading

    from app.cli.restore_checks import verify_copy

    engine, stop, started, written = db.engine, threading.Event(), threading.Event(), []
    audit_before = db.session.scalar(text("SELECT count(*) FROM audit_event"))
    db.session.remove()

    def writer():
        while not stop.is_set():
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO audit_event (created_at, event, actor) "
                                        "VALUES (:t, 'test', 'writer')"), {"t": utcnow()})
            written.append(1)
            if len(written) == 20:
                started.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert started.wait(timeout=60)  # the writer is under way before the backup starts
        folder, manifest = backup("--no-attachments")
        during = len(written)
    finally:
        stop.set()
        thread.join()
    verify_copy(str(folder), manifest)  # raises ClickException on any disagreement
    assert audit_before + 20 <= manifest["tables"]["audit_event"] <= audit_before + during


class _AnswerAfterAWrite(io.BytesIO):
    """The operator's "y", typed while a server registers a ticket (it was not stopped)."""

    def __init__(self):
        super().__init__(b"y\n")
        self.number = None

    def _server_writes(self, size):
        if self.number is None and size != 0:  # click probes with read(0) before the prompt
            self.number = _new_ticket("written while the prompt waited")

    def read(self, size=-1):
        self._server_writes(size)
        return super().read(size)

    def read1(self, size=-1):
        self._server_writes(size)
        return super().read1(size)

    def readline(self, size=-1):
        self._server_writes(size)
        return super().readline(size)


def test_a_write_while_the_prompt_waits_refuses(app, runner, backup):
    folder, _ = backup("--no-attachments")
    _backdate_writes()
    answer = _AnswerAfterAWrite()
    result = _restore(runner, folder, input=answer)
    _refused(result, "servers are still writing")
    assert answer.number is not None and last_ticket_number() == answer.number

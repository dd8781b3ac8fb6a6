"""`hamrah backup DIR` and `hamrah restore BACKUP`: the database and the attachment files.

A backup is a folder `DIR/hamrah-<UTC time>/` holding `manifest.json`, the database
(`database.sqlite3` from SQLite's online backup API, or `database.dump` from pg_dump's
custom format) and `attachments/` (a copy of ATTACHMENT_DIR with local storage). The manifest
records what a restore needs to prove the copy whole (app/cli/backup_manifest.py).

The database is copied first and the files second: files are written before the
transaction that adds their rows commits, so every attachment row in the copy has its file
(a few files of transactions still running may come along as harmless extras). With S3
storage the objects stay in the bucket: use the bucket's versioning or replication.

A restore verifies the whole backup before it touches anything (app/cli/restore_checks.py),
refuses while servers are still writing, says what the live database would lose and keeps
the ticket counter ahead (app/cli/restore_live.py).
"""
import json
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from app.cli import restore_live as live
from app.cli.backup_manifest import (
    ATTACHMENTS,
    FORMAT,
    MANIFEST,
    PG_FILE,
    SQLITE_FILE,
    copy_files,
    file_entry,
    last_line,
    pg_dump_with_facts,
    pg_tool,
    sqlite_facts,
)
from app.cli.restore_checks import read_manifest, schema_notes, verify_attachments, verify_copy
from app.domain.attachment_sweep import orphans, stored_files
from app.extensions import db
from app.infra.file_storage import LocalStorage


def register(group) -> None:
    group.add_command(backup_command)
    group.add_command(restore_command)


def _database_kind(url) -> str:
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise click.ClickException("An in-memory SQLite database cannot be backed up.")
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    raise click.ClickException(f"No backup procedure for {url.get_backend_name()}.")


def _libpq(url) -> tuple[str, dict]:
    """A libpq URL without the password (which goes to PGPASSWORD, not the command line)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _read_only(path: str) -> str:
    return "file:" + os.path.abspath(path) + "?mode=ro"


def sqlite_backup(source_path: str, target_path: str) -> dict:
    """Copy a live SQLite database with the online backup API, check the copy and return its
    facts for the manifest (counted in the copy: the very snapshot that was copied)."""
    source = sqlite3.connect(_read_only(source_path), uri=True, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # one step: a consistent snapshot, writers wait meanwhile
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
        facts = sqlite_facts(target) if result == "ok" else None
    finally:
        target.close()
        source.close()
    if result != "ok":
        raise click.ClickException(f"The copy failed its integrity check: {result}")
    return facts


def sqlite_restore(backup_path: str, live_path: str) -> None:
    """Write the backup into the live database file through the backup API (page by page,
    under SQLite's locks, so no connection ever sees a half-copied file)."""
    source = sqlite3.connect(_read_only(backup_path), uri=True)
    target = sqlite3.connect(live_path, timeout=30)
    try:
        source.backup(target)
    except sqlite3.Error as exc:
        raise click.ClickException(f"Writing the backup into {live_path} failed: {exc}.") from exc
    finally:
        target.close()
        source.close()


@click.command("backup")
@click.argument("destination", type=click.Path(file_okay=False))
@click.option("--no-attachments", is_flag=True, help="Only the database.")
@with_appcontext
def backup_command(destination, no_attachments):
    """Back up the database and the attachment files into a new folder under DESTINATION."""
    config = current_app.config
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    kind = _database_kind(url)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    folder = os.path.join(destination, f"hamrah-{stamp}")
    os.makedirs(folder, exist_ok=False)
    copy = os.path.join(folder, SQLITE_FILE if kind == "sqlite" else PG_FILE)
    if kind == "sqlite":
        facts = sqlite_backup(url.database, copy)
    else:
        target, env = _libpq(url)
        facts = pg_dump_with_facts(db.engine, target, env, copy)
    files = None
    local = config.get("ATTACHMENT_STORAGE", "local") != "s3"
    if local and not no_attachments:
        files = copy_files(config["ATTACHMENT_DIR"], os.path.join(folder, ATTACHMENTS))
    manifest = {"format": FORMAT, "created_at": stamp, "database": kind,
                "database_copy": {"file": os.path.basename(copy), **file_entry(copy)}, **facts,
                "attachment_storage": "local" if local else "s3",
                "attachments": None if files is None else len(files), "attachment_files": files}
    with open(os.path.join(folder, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    click.echo(f"Backup written to {folder}")
    if not local:
        click.echo("Attachments are in the S3 bucket and were not copied: keep the bucket "
                   "versioned or replicated.")


def _copy_back(folder: str, files: dict, directory: str) -> int:
    """Copy the backup's files into ATTACHMENT_DIR (each through a `.part` file); files
    already there with the same contents are left alone."""
    os.makedirs(directory, exist_ok=True)
    copied = 0
    for name, entry in sorted(files.items()):
        path = os.path.join(directory, name)
        if os.path.isfile(path) and file_entry(path) == entry:
            continue
        shutil.copy2(os.path.join(folder, ATTACHMENTS, name), path + ".part")
        os.replace(path + ".part", path)
        copied += 1
    return copied


def _live_checks(quiet_seconds: int, manifest: dict) -> tuple[int | None, str | None]:
    """Refuse while servers write; the highest number handed out and what would be lost."""
    try:
        tables = live.live_tables(db.engine)
        live.refuse_while_writing(db.engine, tables, quiet_seconds)
        return live.highest_number(db.engine, tables), live.loss_sentence(db.engine, tables, manifest)
    except SQLAlchemyError as exc:
        if quiet_seconds > 0:
            raise click.ClickException(
                f"The live database cannot be read ({exc.__class__.__name__}), so no check of "
                "running servers is possible: stop them and pass --quiet-seconds 0 to replace "
                "it anyway.") from exc
        click.echo("The live database cannot be read; it is replaced without looking at it.")
        return None, None


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--quiet-seconds", type=click.IntRange(min=0), default=60, show_default=True,
              help="Refuse if the live database was written less than this long ago.")
@with_appcontext
def restore_command(backup, yes, quiet_seconds):
    """Replace the database (and add the attachment files) with the contents of BACKUP.

    The whole backup is verified first; the restore refuses while servers are still writing
    (stop them, and `hamrah notify`, first). Run `hamrah init` afterwards if the backup comes
    from an older version (it applies the newer migrations).
    """
    config = current_app.config
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    kind = _database_kind(url)
    manifest = read_manifest(backup, kind)
    target, env = _libpq(url) if kind == "postgresql" else (None, None)
    copy = verify_copy(backup, manifest, env)
    files, files_note = verify_attachments(backup, manifest)
    schema_note = schema_notes(manifest["migration_heads"], current_app.extensions["migrate"].directory)
    highest, loss = _live_checks(quiet_seconds, manifest)
    click.echo(f"The backup of {manifest['created_at']} is whole: checksums, "
               f"{len(manifest['tables'])} tables' row counts and "
               f"{len(files or {})} attachment files match its manifest.")
    for note in (files_note, loss):
        if note:
            click.echo(note)
    if not yes:
        click.confirm(f"Replace the database {url.render_as_string()} with the backup "
                      f"of {manifest['created_at']}?", abort=True)
        highest, _loss = _live_checks(quiet_seconds, manifest)  # a write while they read?
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old data
    if kind == "sqlite":
        sqlite_restore(copy, url.database)
    else:
        done = subprocess.run([pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                               "--no-privileges", "--single-transaction", f"--dbname={target}", copy],
                              env=env, capture_output=True)
        if done.returncode != 0:
            raise click.ClickException("pg_restore failed and its single transaction was rolled "
                                       f"back, so the live database is unchanged: {last_line(done.stderr)}")
    db.engine.dispose()
    live.keep_counter_ahead(db.engine, highest)
    restored = 0 if files is None else _copy_back(backup, files, config["ATTACHMENT_DIR"])
    click.echo(f"Restored the {kind} database of {manifest['created_at']} and "
               f"{restored} attachment files.")
    if schema_note:
        click.echo(schema_note)
    if manifest["attachment_storage"] == "local" and config.get("ATTACHMENT_STORAGE", "local") != "s3":
        _list_unreferenced(config["ATTACHMENT_DIR"])
    click.echo("Restart the application servers so that no worker keeps cached rows of the old data.")


def _list_unreferenced(directory: str) -> None:
    """Files left without rows are listed, not removed: they may be the only copy of what
    the lost tickets carried."""
    if not os.path.isdir(directory):
        return
    listed = stored_files(LocalStorage(directory))
    names = orphans(db.session, listed, datetime.now(timezone.utc))
    if names:
        click.echo(f"{len(names)} files in {directory} belong to no attachment of the restored "
                   "database; they were kept, not removed:")
        for name in names:
            click.echo(f"  {name}")

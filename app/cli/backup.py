"""`hamrah backup DIR` and `hamrah restore BACKUP`: the database and the attachment files.

A backup is a folder `DIR/hamrah-<UTC time>/` holding `manifest.json`, the database
(`database.sqlite3` from SQLite's online backup API, or `database.dump` from pg_dump's
custom format) and `attachments/` (a copy of ATTACHMENT_DIR with local storage).

The database is copied first and the files second: files are written before the
transaction that adds their rows commits, so every attachment row in the copy has its file
(a few files of transactions still running may come along as harmless extras). With S3
storage the objects stay in the bucket: use the bucket's versioning or replication.
"""
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
from datetime import datetime, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from app.extensions import db

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"


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


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise click.ClickException(
            f"{name} is not on PATH. Install the PostgreSQL client tools of the server's major "
            "version (Debian: postgresql-client) or follow the manual procedure in README.")
    return path


def _heads() -> list[str]:
    from sqlalchemy import text

    try:
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version"))
            return sorted(row[0] for row in rows)
    except Exception:  # an uninitialised database: the manifest just says so
        return []


def _read_only(path: str) -> str:
    return pathlib.Path(path).resolve().as_uri() + "?mode=ro"


def sqlite_backup(source_path: str, target_path: str) -> None:
    """Copy a live SQLite database with the online backup API, then check the copy."""
    source = sqlite3.connect(_read_only(source_path), uri=True, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # one step: a consistent snapshot, writers wait meanwhile
        result = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if result != "ok":
        raise click.ClickException(f"The copy failed its integrity check: {result}")


def sqlite_restore(backup_path: str, live_path: str) -> None:
    """Write the backup into the live database file through the backup API (page by page,
    under SQLite's locks, so no connection ever sees a half-copied file)."""
    source = sqlite3.connect(_read_only(backup_path), uri=True)
    target = sqlite3.connect(live_path, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _copy_tree(source: str, target: str) -> int:
    os.makedirs(target, exist_ok=True)
    copied = 0
    for name in sorted(os.listdir(source)):
        path = os.path.join(source, name)
        if os.path.isfile(path) and not name.endswith(".part"):
            shutil.copy2(path, os.path.join(target, name))
            copied += 1
    return copied


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
    if kind == "sqlite":
        sqlite_backup(url.database, os.path.join(folder, SQLITE_FILE))
    else:
        target, env = _libpq(url)
        subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                        f"--file={os.path.join(folder, PG_FILE)}", target], env=env, check=True)
    files = None
    local = config.get("ATTACHMENT_STORAGE", "local") != "s3"
    if local and not no_attachments:
        files = _copy_tree(config["ATTACHMENT_DIR"], os.path.join(folder, "attachments"))
    manifest = {"created_at": stamp, "database": kind, "migration_heads": _heads(),
                "attachments": files, "attachment_storage": "local" if local else "s3"}
    with open(os.path.join(folder, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    click.echo(f"Backup written to {folder}")
    if not local:
        click.echo("Attachments are in the S3 bucket and were not copied: keep the bucket "
                   "versioned or replicated.")


@click.command("restore")
@click.argument("backup", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(backup, yes):
    """Replace the database (and add the attachment files) with the contents of BACKUP.

    Stop the application servers first; run `hamrah init` afterwards if the backup comes
    from an older version (it applies the newer migrations).
    """
    config = current_app.config
    with open(os.path.join(backup, MANIFEST), encoding="utf-8") as handle:
        manifest = json.load(handle)
    url = make_url(config["SQLALCHEMY_DATABASE_URI"])
    kind = _database_kind(url)
    if manifest["database"] != kind:
        raise click.ClickException(f"This backup is of a {manifest['database']} database, "
                                   f"the configured one is {kind}.")
    if not yes:
        click.confirm(f"Replace the database {url.render_as_string()} with the backup "
                      f"of {manifest['created_at']}?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old data
    if kind == "sqlite":
        sqlite_restore(os.path.join(backup, SQLITE_FILE), url.database)
    else:
        target, env = _libpq(url)
        subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                        "--no-privileges", "--single-transaction", f"--dbname={target}",
                        os.path.join(backup, PG_FILE)], env=env, check=True)
    restored = 0
    if os.path.isdir(os.path.join(backup, "attachments")):
        restored = _copy_tree(os.path.join(backup, "attachments"), config["ATTACHMENT_DIR"])
    click.echo(f"Restored the {kind} database of {manifest['created_at']} and "
               f"{restored} attachment files.")

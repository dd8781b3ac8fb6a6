"""What `hamrah restore` proves about a backup before it touches the live data.

Each check raises `click.ClickException` with one sentence: the command then exits non-zero
and nothing has changed. In order: the manifest is there and readable; the database copy has
the manifest's size and SHA-256 (so it is neither empty, truncated nor damaged); the copy is
sound on its own terms (SQLite: opened read-only, `PRAGMA integrity_check`; PostgreSQL:
`pg_restore --list`, then every table's rows streamed out of the archive) and holds the
manifest's tables, row counts, heads and newest ticket; every attachment file listed is in the
backup with its size and SHA-256; the schema is one this version of the code knows.

On PostgreSQL the rows are counted from `pg_restore --data-only --file=-` (one COPY line per
row) rather than by restoring into a scratch database: it reads and decompresses every data
block just the same, needs no CREATEDB privilege and writes nothing anywhere.
"""
import json
import os
import sqlite3
import subprocess
import tempfile

import click

from app.cli.backup_manifest import (
    ATTACHMENTS,
    FORMAT,
    MANIFEST,
    PG_FILE,
    SQLITE_FILE,
    file_entry,
    last_line,
    pg_tool,
    sqlite_facts,
)
from app.infra.file_storage import STORED_NAME

REQUIRED_TABLES = ("alembic_version", "ticket", "message", "attachment", "ticket_counter")


def read_manifest(folder: str, kind: str) -> dict:
    path = os.path.join(folder, MANIFEST)
    if not os.path.isfile(path):
        raise click.ClickException(f"{folder} has no {MANIFEST}, so the backup cannot be verified "
                                   "and nothing was restored.")
    try:
        with open(path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise click.ClickException(f"The manifest {path} is unreadable ({exc}), so nothing was "
                                   "restored.") from exc
    if not isinstance(manifest, dict):
        raise click.ClickException(f"The manifest {path} is not a JSON object, so nothing was restored.")
    if manifest.get("database") not in (None, kind):
        raise click.ClickException(f"This backup is of a {manifest['database']} database, "
                                   f"the configured one is {kind}.")
    if manifest.get("format") != FORMAT:
        raise click.ClickException(
            "This backup was made by an older version of Hamrah Support and carries no checksums "
            "to verify it, so it is not restored automatically (see README, \"Backup and restore\").")
    missing = [key for key in ("database", "database_copy", "tables", "migration_heads",
                               "newest_ticket_number", "newest_write_at", "attachment_storage")
               if key not in manifest]
    if missing:
        raise click.ClickException(f"The manifest {path} lacks {', '.join(missing)}, so nothing "
                                   "was restored.")
    return manifest


def verify_copy(folder: str, manifest: dict, pg_env: dict | None = None) -> str:
    """Size, checksum and contents of the database copy; returns its path."""
    kind = manifest["database"]
    path = os.path.join(folder, SQLITE_FILE if kind == "sqlite" else PG_FILE)
    expected = manifest["database_copy"]
    if not os.path.isfile(path):
        raise click.ClickException(f"The database copy {path} is missing.")
    size = os.path.getsize(path)
    if size == 0:
        raise click.ClickException(f"The database copy {path} is empty (0 bytes; the manifest "
                                   f"says {expected['size']}).")
    if size < expected["size"]:
        raise click.ClickException(f"The database copy {path} is truncated: {size} of "
                                   f"{expected['size']} bytes.")
    if size != expected["size"]:
        raise click.ClickException(f"The database copy {path} has {size} bytes where the manifest "
                                   f"says {expected['size']}, so it is not the file backed up.")
    if file_entry(path)["sha256"] != expected["sha256"]:
        raise click.ClickException(f"The database copy {path} is damaged: its SHA-256 differs "
                                   "from the manifest's.")
    facts = sqlite_copy_facts(path) if kind == "sqlite" else pg_copy_facts(path, manifest, pg_env)
    compare_facts(path, manifest, facts)
    return path


def sqlite_copy_facts(path: str) -> dict:
    uri = "file:" + os.path.abspath(path) + "?mode=ro&immutable=1"
    connection = None
    try:
        connection = sqlite3.connect(uri, uri=True)
        result = connection.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise click.ClickException(f"The database copy {path} is damaged: its integrity check "
                                       f"reports {result[0][0]!r}.")
        return sqlite_facts(connection)
    except sqlite3.Error as exc:
        raise click.ClickException(f"The database copy {path} is damaged: {exc}.") from exc
    finally:
        if connection is not None:
            connection.close()


def _copy_header(line: bytes) -> tuple[str, str, list[str]]:
    """`COPY public.ticket (id, number, ...) FROM stdin;` -> ("public", "ticket", columns)."""
    head, _, rest = line.decode().partition(" (")
    qualified = head[len("COPY "):]
    schema, _, table = qualified.rpartition(".")
    columns = [column.strip().strip('"') for column in rest.rpartition(")")[0].split(",")]
    return schema.strip('"'), table.strip('"'), columns


def pg_copy_facts(path: str, manifest: dict, env: dict | None) -> dict:
    """Tables, row counts, heads and newest ticket number streamed out of the archive."""
    listed = subprocess.run([pg_tool("pg_restore"), "--list", path], env=env, capture_output=True)
    if listed.returncode != 0:
        raise click.ClickException(f"The database copy {path} is not a readable pg_dump archive: "
                                   f"{last_line(listed.stderr)}.")
    schema = manifest.get("schema", "public")
    tables: dict[str, int] = {}
    heads, numbers = [], []
    with tempfile.TemporaryFile() as errors, subprocess.Popen(
            [pg_tool("pg_restore"), "--data-only", "--file=-", path],
            env=env, stdout=subprocess.PIPE, stderr=errors) as process:
        current, number_at = None, None
        for line in process.stdout:
            if current is None:
                if line.startswith(b"COPY ") and line.rstrip().endswith(b"FROM stdin;"):
                    in_schema, current, columns = _copy_header(line)
                    if in_schema != schema:
                        current = ""  # another schema's table: skipped, not counted
                    else:
                        tables[current] = 0
                        number_at = columns.index("number") if current == "ticket" else None
            elif line == b"\\.\n":
                current = None
            elif current:
                tables[current] += 1
                if current == "alembic_version":
                    heads.append(line.rstrip(b"\n").split(b"\t")[0].decode())
                elif number_at is not None:
                    numbers.append(int(line.split(b"\t")[number_at]))
        if process.wait() != 0:
            errors.seek(0)
            raise click.ClickException(f"The database copy {path} is damaged: pg_restore could not "
                                       f"read its data ({last_line(errors.read())}).")
    return {"tables": tables, "migration_heads": sorted(heads),
            "newest_ticket_number": max(numbers) if numbers else None}


def compare_facts(path: str, manifest: dict, facts: dict) -> None:
    found = facts["tables"]
    if not found:
        raise click.ClickException(f"The database copy {path} holds no tables.")
    missing = [name for name in sorted(set(manifest["tables"]) | set(REQUIRED_TABLES))
               if name not in found]
    if missing:
        raise click.ClickException(f"The database copy {path} lacks the tables {', '.join(missing)}.")
    differ = [f"{name} {found[name]} (manifest {count})" for name, count in
              sorted(manifest["tables"].items()) if found[name] != count]
    if differ:
        raise click.ClickException(f"The row counts of the database copy {path} differ from the "
                                   f"manifest's: {', '.join(differ)}.")
    for key, label in (("migration_heads", "schema heads"), ("newest_ticket_number", "newest ticket")):
        if key in facts and facts[key] != manifest[key]:
            raise click.ClickException(f"The {label} of the database copy {path} ({facts[key]}) "
                                       f"differ from the manifest's ({manifest[key]}).")


def verify_attachments(folder: str, manifest: dict) -> tuple[dict | None, str | None]:
    """The attachment files to copy back ({name: entry}), or None with a sentence saying why
    there are none to check."""
    if manifest["attachment_storage"] == "s3":
        return None, ("The attachments are in the S3 bucket, not in this backup: their checks "
                      "were skipped and the bucket is left as it is.")
    files = manifest.get("attachment_files")
    if files is None:
        return None, ("This backup was made with --no-attachments: the files in ATTACHMENT_DIR "
                      "are left as they are.")
    for name, entry in sorted(files.items()):
        path = os.path.join(folder, ATTACHMENTS, name)
        if not STORED_NAME.fullmatch(name):
            raise click.ClickException(f"The manifest lists {name!r}, which is not an attachment's "
                                       "stored name, so nothing was restored.")
        if not os.path.isfile(path):
            raise click.ClickException(f"The attachment file {path} listed in the manifest is "
                                       "missing from the backup.")
        if file_entry(path) != entry:
            raise click.ClickException(f"The attachment file {path} is damaged: its size or SHA-256 "
                                       "differs from the manifest's.")
    return files, None


def schema_notes(heads: list[str], directory: str) -> str | None:
    """Refuses a schema newer than the code; says to run `hamrah init` for an older one."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(directory)
    unknown = []
    for head in heads:
        try:
            if script.get_revision(head) is None:
                unknown.append(head)
        except Exception:  # alembic's ResolutionError and kin: not one of ours
            unknown.append(head)
    if unknown:
        raise click.ClickException(f"This backup's schema ({', '.join(unknown)}) is unknown to this "
                                   "version of Hamrah Support: restore it with the version that made it.")
    if sorted(heads) != sorted(script.get_heads()):
        return "The backup's schema is older than this version: run `hamrah init` now to upgrade it."
    return None

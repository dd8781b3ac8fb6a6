"""`flask --app run hamrah attachments sweep`: remove files left without rows, report rows
left without files (app/domain/attachment_sweep.py). Hourly from cron or a systemd timer."""
from datetime import timedelta

import click
from flask.cli import with_appcontext

from app.domain.attachment_sweep import sweep
from app.extensions import db


@click.group("attachments")
def attachments():
    """Attachment files in storage."""


@attachments.command("sweep")
@click.option("--grace-minutes", default=60, show_default=True, type=click.IntRange(min=0),
              help="Leave files younger than this alone: their request may still be running.")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@with_appcontext
def sweep_command(grace_minutes, dry_run):
    """Remove files older than the grace period that no attachment row names."""
    report = sweep(db.session, timedelta(minutes=grace_minutes), dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    for name in report.removed:
        click.echo(f"{verb} orphan file {name}")
    for attachment_id, name in report.missing_files:
        click.echo(f"Attachment {attachment_id} has no file ({name})", err=True)
    click.echo(f"{verb} {len(report.removed)} orphan files; left {report.kept_young} younger "
               f"than {grace_minutes} minutes; {len(report.missing_files)} rows without a file.")
    db.session.rollback()  # it only read; ends the transaction


def register(group) -> None:
    """Add `attachments` to the `hamrah` command group (app/cli/__init__.py)."""
    group.add_command(attachments)

"""`hamrah notify`: send the e-mails waiting in the outbox (delivery: app/infra/mail_outbox.py);
`hamrah notify-requeue`: list the e-mails given up, or queue them again; `hamrah notify-purge`:
delete sent e-mails once they are old (app/domain/outbox.py).

One-shot by default (cron), `--loop` keeps running (systemd).
"""
import logging
import signal
import threading
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from app.domain.outbox import given_up, purge_sent, requeue
from app.extensions import db
from app.infra import mail_outbox
from app.infra.mail_outbox import run_once

log = mail_outbox.log


def _summary(sent: int, failed: int, waiting: int) -> str:
    return f"E-mails sent: {sent}, failed: {failed}, waiting for the mail server: {waiting}."


@click.command("notify")
@click.option("--loop", is_flag=True, help="Keep running, sending every --interval seconds (systemd).")
@click.option("--interval", default=30, show_default=True, type=click.IntRange(min=1),
              help="Seconds to sleep between rounds with --loop.")
@with_appcontext
def notify_command(loop: bool, interval: int):
    """Send the e-mails waiting in the outbox (once, for cron; or --loop, for systemd)."""
    current_app.logger  # noqa: B018  (installs Flask's stderr handler for our log lines)
    log.disabled = False  # Alembic's fileConfig (migrations/env.py) disables loggers made before it
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)  # the loop's round summaries reach the journal
    if not current_app.config["MAIL_SERVER"]:
        click.echo("E-mail is off (MAIL_SERVER is empty); nothing sent.")
        return
    if not loop:
        click.echo(_summary(*run_once(db.session)))
        return
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.is_set():
            try:
                counts = run_once(db.session)
                if any(counts):
                    log.info(_summary(*counts))
            except Exception:  # database down, etc.: keep the service alive, try again later
                log.exception("Outbox round failed")
                db.session.rollback()
            finally:
                db.session.remove()
            stop.wait(interval)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("Stopped.")


@click.command("notify-requeue")
@click.option("--all", "everything", is_flag=True, help="Queue every given-up e-mail again.")
@click.argument("ids", nargs=-1, type=click.IntRange(min=1))
@with_appcontext
def notify_requeue_command(everything: bool, ids: tuple[int, ...]):
    """List the e-mails given up (no arguments), or queue them again: --all, or by ID."""
    if everything and ids:
        raise click.UsageError("Give either --all or IDs, not both.")
    if not everything and not ids:
        rows = given_up(db.session)
        for row in rows:
            click.echo(f"{row.id}\t{row.created_at:%Y-%m-%d %H:%M} UTC\t{row.recipient}\t"
                       f"{row.kind}\tattempts {row.attempts}\t{row.last_error or ''}")
        click.echo(f"Given up: {len(rows)}. Queue again with: hamrah notify-requeue --all | ID ...")
        return
    done = requeue(db.session, None if everything else ids)
    click.echo(f"Queued again: {len(done)}.")
    missing = sorted(set(ids) - set(done))
    if missing:
        raise click.ClickException("Not given up (unknown, sent, or still being tried): "
                                   + " ".join(map(str, missing)))


@click.command("notify-purge")
@click.option("--days", default=30, show_default=True, type=click.IntRange(min=1),
              help="Delete e-mails sent more than this many days ago.")
@with_appcontext
def notify_purge_command(days: int):
    """Delete old sent e-mails from the outbox (daily: deploy/systemd/hamrah-purge.timer)."""
    click.echo(f"Sent e-mails purged: {purge_sent(db.session, timedelta(days=days))}.")


def register(group) -> None:
    """Add `notify`, `notify-requeue` and `notify-purge` to the `hamrah` command group."""
    group.add_command(notify_command)
    group.add_command(notify_requeue_command)
    group.add_command(notify_purge_command)

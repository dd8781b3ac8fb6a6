"""`flask --app run hamrah notify`: send the e-mails waiting in the outbox.

One-shot by default (cron), `--loop` keeps running (systemd). Rows are claimed before
sending, in a short transaction of their own: `SELECT ... FOR UPDATE SKIP LOCKED` on
PostgreSQL lets parallel workers pass each other's rows, and the claim itself is a
conditional UPDATE (still due, still unsent) whose row count says who won, which also holds
on SQLite, where FOR UPDATE is not rendered. Claiming moves `next_attempt_at` forward by a
lease, so a worker that dies mid-send leaves its rows to be retried after the lease, and
counts the attempt, so a message that keeps failing is given up after MAIL_MAX_ATTEMPTS.
No database lock is held while talking to the mail server.
"""
import logging
import signal
import smtplib
import ssl
import threading
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, parseaddr

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select, update

from app.extensions import db
from app.models.base import utcnow
from app.models.outbox import OutboxMessage

log = logging.getLogger(__name__)

BATCH_SIZE = 20
LEASE = timedelta(minutes=15)  # longer than a batch can take with MAIL_TIMEOUT per message
MAX_BACKOFF = timedelta(hours=6)


def _config(name):
    return current_app.config[name]


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: MAIL_RETRY_SECONDS, doubled per failed attempt, at most 6 h."""
    seconds = _config("MAIL_RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def _due(now: datetime):
    return (OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts < _config("MAIL_MAX_ATTEMPTS"))


def claim_batch(session, limit: int = BATCH_SIZE, now: datetime | None = None) -> list[int]:
    """Take up to `limit` due rows for this worker and commit; returns their ids."""
    now = now or utcnow()
    try:
        candidates = session.scalars(
            select(OutboxMessage.id).where(*_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        claimed = []
        for message_id in candidates:
            result = session.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id, *_due(now))
                .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + LEASE)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount == 1:  # 0: another worker claimed it between our read and write
                claimed.append(message_id)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return claimed


def build_email(message: OutboxMessage) -> EmailMessage:
    sender = _config("MAIL_FROM")
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(usegmt=True)
    # Stable across retries, so a duplicate after a worker crash can be recognised.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    mail["Message-ID"] = f"<hamrah-outbox-{message.id}@{domain}>"
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body)
    return mail


def _connect() -> smtplib.SMTP:
    smtp = smtplib.SMTP(_config("MAIL_SERVER"), _config("MAIL_PORT"), timeout=_config("MAIL_TIMEOUT"))
    try:
        if _config("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if _config("MAIL_USERNAME"):
            smtp.login(_config("MAIL_USERNAME"), _config("MAIL_PASSWORD"))
    except BaseException:
        smtp.close()
        raise
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


def _record(session, message_id: int, error: BaseException | None) -> None:
    """Mark one row sent, or note the failure and when to try again; commit at once."""
    now = utcnow()
    message = session.get(OutboxMessage, message_id)
    if error is None:
        message.sent_at, message.last_error = now, None
    else:
        text = f"{type(error).__name__}: {error}"[:2000]
        message.last_error = text
        message.next_attempt_at = now + backoff(message.attempts)
        if message.attempts >= _config("MAIL_MAX_ATTEMPTS"):
            log.error("E-mail %s to %s given up after %s attempts: %s",
                      message.id, message.recipient, message.attempts, text)
        else:
            log.warning("E-mail %s to %s failed (attempt %s, next at %s UTC): %s",
                        message.id, message.recipient, message.attempts,
                        message.next_attempt_at.isoformat(timespec="seconds"), text)
    session.commit()


def _connection_broken(exc: Exception) -> bool:
    """Refusals of one message keep the connection; network errors and disconnects do not."""
    per_message = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)
    return isinstance(exc, OSError) and not isinstance(exc, per_message)


def send_batch(session, ids: list[int]) -> tuple[int, int, bool]:
    """Send claimed rows over one SMTP connection; returns (sent, failed, server unreachable)."""
    sent = failed = 0
    smtp, connect_error = None, None
    try:
        for message_id in ids:
            message = session.get(OutboxMessage, message_id)
            if message is None:  # deleted meanwhile
                continue
            error = connect_error  # server unreachable: do not wait for it once per message
            if error is None:
                try:
                    mail = build_email(message)
                    if smtp is None:
                        try:
                            smtp = _connect()
                        except Exception as exc:
                            connect_error = exc
                            raise
                    smtp.send_message(mail)
                except Exception as exc:  # whatever it is, it is this row's failure, logged
                    error = exc
                    if smtp is not None and _connection_broken(exc):
                        _close(smtp)
                        smtp = None
            _record(session, message_id, error)
            sent, failed = (sent + 1, failed) if error is None else (sent, failed + 1)
    finally:
        _close(smtp)
    return sent, failed, connect_error is not None


def run_once(session) -> tuple[int, int]:
    """Send everything due now, batch after batch; failed rows wait for their backoff.

    An unreachable server ends the round: rows not yet claimed wait for the next one untouched.
    """
    sent = failed = 0
    while ids := claim_batch(session):
        batch_sent, batch_failed, unreachable = send_batch(session, ids)
        sent, failed = sent + batch_sent, failed + batch_failed
        if unreachable:
            break
    return sent, failed


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
    if not _config("MAIL_SERVER"):
        click.echo("E-mail is off (MAIL_SERVER is empty); nothing sent.")
        return
    if not loop:
        sent, failed = run_once(db.session)
        click.echo(f"E-mails sent: {sent}, failed: {failed}.")
        return
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.is_set():
            try:
                sent, failed = run_once(db.session)
                if sent or failed:
                    log.info("E-mails sent: %s, failed: %s", sent, failed)
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


def register(group) -> None:
    """Add `notify` to the `hamrah` command group (app/cli/__init__.py)."""
    group.add_command(notify_command)

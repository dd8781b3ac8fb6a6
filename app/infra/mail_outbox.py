"""Delivering the outbox (app/models/outbox.py) over SMTP; `hamrah notify` runs it.

Rows are claimed before sending, in a short transaction of their own: `SELECT ... FOR
UPDATE SKIP LOCKED` on PostgreSQL lets parallel workers pass each other's rows, and the
claim itself is a conditional UPDATE (still due, still unsent, not given up) whose row count
says who won, which also holds on SQLite, where FOR UPDATE is not rendered. Claiming moves
`next_attempt_at` forward by a lease and counts the attempt, so a worker that dies mid-send
leaves its rows to be retried after the lease, and a message that crashes the worker is
given up too. No database lock is held while talking to the mail server.

Two kinds of failure:
- the server refuses *this* message (recipient or sender refused, data refused, the message
  cannot be built): the attempt counts, the next one waits MAIL_RETRY_SECONDS doubled per
  attempt, and after MAIL_MAX_ATTEMPTS the message is given up (shown to managers, who can
  queue it again: app/domain/outbox.py);
- the server cannot be reached (refused connection, timeout, DNS, TLS or sign-in failure,
  a disconnect or a 421 before the message was accepted): nothing is wrong with the message,
  so the attempt is handed back. The round ends at once (one connection attempt per round)
  and the e-mails it took wait as long as they have already waited (at least
  MAIL_RETRY_SECONDS, at most OUTAGE_MAX_WAIT): an outage backs off but never gives up.
"""
import base64
import email.policy
import logging
import re
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from flask import current_app
from sqlalchemy import and_, select, update

from app.models.base import utcnow
from app.models.outbox import OutboxMessage

log = logging.getLogger(__name__)

BATCH_SIZE = 20
LEASE = timedelta(minutes=15)  # longer than a batch can take with MAIL_TIMEOUT per message
MAX_BACKOFF = timedelta(hours=6)
OUTAGE_MAX_WAIT = timedelta(minutes=15)  # after an outage every e-mail goes within this
SERVER_CLOSING = 421  # "service not available, closing transmission channel"


def _config(name):
    return current_app.config[name]


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: MAIL_RETRY_SECONDS, doubled per failed attempt, at most 6 h."""
    seconds = _config("MAIL_RETRY_SECONDS") * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def outage_wait(waited: timedelta) -> timedelta:
    """Wait after an unreachable server: as long as the e-mail has waited, within bounds."""
    return min(max(timedelta(seconds=_config("MAIL_RETRY_SECONDS")), waited), OUTAGE_MAX_WAIT)


def _due(now: datetime):
    return (OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts < _config("MAIL_MAX_ATTEMPTS"))


def given_up_criterion(now: datetime | None = None):
    """Unsent e-mails whose attempts are used up (and not in the hands of a worker: a claim's
    lease keeps `next_attempt_at` in the future while the last attempt is under way)."""
    return and_(OutboxMessage.sent_at.is_(None),
                OutboxMessage.attempts >= _config("MAIL_MAX_ATTEMPTS"),
                OutboxMessage.next_attempt_at <= (now or utcnow()))


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


# Non-ASCII headers are encoded here, not by the email package: its folder (Python 3.11,
# policy.default) cuts RFC 2047 encoded-words at a space and leaves the space between them,
# where every decoder drops it («سؤال آموزشی» read «سؤالآموزشی»), and today's parser puts a
# space between encoded-words of a display name. Headers set with `set_raw` are sent as
# written (`refold_source="none"`); the others are folded by the policy as before.
POLICY = email.policy.default.clone(refold_source="none")
ENCODED_WORD_BYTES = 39  # "=?utf-8?b?" + 52 base64 characters + "?=": 64, fits "Subject: " in 78
_WORD_WITH_SPACES = re.compile(r"[^ ]+ *| +")


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode("ascii") + "?="


def encoded_words(text: str) -> list[str]:
    """`text` as RFC 2047 encoded-words, each cut after a word and its space (inside a word only
    when it is longer than one encoded-word holds): the spaces travel inside the encoded
    text, which every decoder keeps, and no word is split for a client that reads each
    encoded-word as a word of its own."""
    chunks, chunk = [], ""
    for piece in _WORD_WITH_SPACES.findall(text):
        if len((chunk + piece).encode()) <= ENCODED_WORD_BYTES:
            chunk += piece
            continue
        if chunk:
            chunks.append(chunk)
        chunk = ""
        for char in piece:  # a word too long for one encoded-word: cut between characters
            if len((chunk + char).encode()) > ENCODED_WORD_BYTES:
                chunks.append(chunk)
                chunk = ""
            chunk += char
    return [_encoded_word(part) for part in chunks + [chunk] if part]


def _set_text_header(mail: EmailMessage, name: str, value: str) -> None:
    if value.isascii():
        mail[name] = value
    else:  # one encoded-word a line: the lines stay within 78 characters
        mail.set_raw(name, "\n ".join(encoded_words(value)))


def _set_address_header(mail: EmailMessage, name: str, value: str) -> None:
    """A non-ASCII display name as one encoded-word (a long name makes a long line, well within
    998): split in several, today's Python parser would show a space between them."""
    display_name, address = parseaddr(value)
    if display_name.isascii() or not address:
        mail[name] = value
    else:
        mail.set_raw(name, formataddr((display_name, address), charset="utf-8"))


def build_email(message: OutboxMessage) -> EmailMessage:
    sender = _config("MAIL_FROM")
    mail = EmailMessage(policy=POLICY)
    _set_address_header(mail, "From", sender)
    _set_address_header(mail, "To", message.recipient)
    _set_text_header(mail, "Subject", message.subject)
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


def server_unreachable(exc: BaseException) -> bool:
    """Did sending fail for want of a server rather than because of this message?

    Refusals of this message (recipients, sender, data: SMTPRecipientsRefused and the
    SMTPResponseException family) are the message's, except 421, the server closing the
    channel. Every other network error (refused, timeout, DNS, TLS, disconnect: all OSError,
    as SMTPException is) is the server's. Anything else (a message that cannot be encoded)
    is the message's.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in exc.recipients.values()]
        return bool(codes) and all(code == SERVER_CLOSING for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == SERVER_CLOSING
    if isinstance(exc, smtplib.SMTPNotSupportedError):  # e.g. SMTPUTF8 this message needs
        return False
    return isinstance(exc, OSError)


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _record(session, message: OutboxMessage, error: BaseException | None, now: datetime) -> None:
    """Mark one row sent, or count a refusal of it (given up after MAIL_MAX_ATTEMPTS)."""
    if error is None:
        message.sent_at, message.last_error = now, None
    else:
        message.last_error = text = _error_text(error)
        if message.attempts >= _config("MAIL_MAX_ATTEMPTS"):
            message.next_attempt_at = now  # on the managers' screen from now on
            log.error("E-mail %s to %s given up after %s attempts: %s",
                      message.id, message.recipient, message.attempts, text)
        else:
            message.next_attempt_at = now + backoff(message.attempts)
            log.warning("E-mail %s to %s failed (attempt %s, next at %s UTC): %s",
                        message.id, message.recipient, message.attempts,
                        message.next_attempt_at.isoformat(timespec="seconds"), text)
    session.commit()


def _defer(session, message: OutboxMessage, error: BaseException, now: datetime) -> None:
    """The server was not there: hand the claimed attempt back and wait (never give up)."""
    message.attempts = max(message.attempts - 1, 0)
    message.last_error = _error_text(error)
    message.next_attempt_at = now + outage_wait(now - message.created_at)
    session.commit()


def _send(smtp: smtplib.SMTP | None, message: OutboxMessage):
    """Try one message; returns (connection to go on with, error, whether the server's fault)."""
    try:
        mail = build_email(message)
    except Exception as exc:  # this message cannot be written: its own failure
        return smtp, exc, False
    if smtp is None:
        try:
            smtp = _connect()
        except Exception as exc:  # greeting, TLS, sign-in: the server's part, whatever it says
            return None, exc, True
    try:
        smtp.send_message(mail)
    except Exception as exc:
        unreachable = server_unreachable(exc)
        if not unreachable and isinstance(
                exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)):
            return smtp, exc, False  # a plain refusal: the connection is still good
        _close(smtp)
        return None, exc, unreachable
    return smtp, None, False


def send_batch(session, ids: list[int]) -> tuple[int, int, int]:
    """Send claimed rows over one SMTP connection; returns (sent, failed, waiting).

    `failed`: refused (attempt counted); `waiting`: deferred because the server could not be
    reached, which also defers the rest of the batch untried.
    """
    sent = failed = waiting = 0
    smtp, outage = None, None
    try:
        for message_id in ids:
            message = session.get(OutboxMessage, message_id)
            if message is None:  # deleted meanwhile
                continue
            if outage is None:
                smtp, error, unreachable = _send(smtp, message)
                if unreachable:
                    outage = error
            if outage is not None:
                _defer(session, message, outage, utcnow())
                waiting += 1
                continue
            _record(session, message, error, utcnow())
            sent, failed = (sent + 1, failed) if error is None else (sent, failed + 1)
    finally:
        _close(smtp)
    if outage is not None:
        log.warning("Mail server %s:%s unreachable, %s e-mail(s) wait (no attempt counted): %s",
                    _config("MAIL_SERVER"), _config("MAIL_PORT"), waiting, _error_text(outage))
    return sent, failed, waiting


def run_once(session) -> tuple[int, int, int]:
    """Send everything due now, batch after batch; returns (sent, failed, waiting).

    An unreachable server ends the round: rows not yet claimed wait for the next one untouched.
    """
    sent = failed = waiting = 0
    while ids := claim_batch(session):
        batch = send_batch(session, ids)
        sent, failed, waiting = sent + batch[0], failed + batch[1], waiting + batch[2]
        if batch[2]:
            break
    return sent, failed, waiting


__all__ = ["BATCH_SIZE", "LEASE", "backoff", "build_email", "claim_batch", "encoded_words",
           "given_up_criterion", "outage_wait", "run_once", "send_batch", "server_unreachable"]

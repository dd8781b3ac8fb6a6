"""Delivery (app/infra/mail_outbox.py) through a mail server outage: no e-mail is lost.

A real aiosmtpd server (tests/mail_server.py) is stopped and started
again; time moves forward by making the rows due, never by sleeping.
"""
import smtplib
import socket

import pytest
from sqlalchemy import update

from app.domain.outbox import given_up
from app.extensions import db
from app.infra.mail_outbox import BATCH_SIZE, server_unreachable
from app.models import OutboxMessage
from app.models.base import utcnow
from tests.mail_server import free_port, notify, outbox


def queue(count: int, start: int = 0) -> list[str]:
    addresses = [f"user{i}@example.org" for i in range(start, start + count)]
    db.session.add_all(OutboxMessage(recipient=a, subject=f"s {a}", body="b", kind="test")
                       for a in addresses)
    db.session.commit()
    return addresses


def time_passes() -> None:
    """Every waiting row is due now (as if its backoff had run out)."""
    db.session.execute(update(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
                       .values(next_attempt_at=utcnow()))
    db.session.commit()


def received(inbox) -> list[str]:
    return sorted(rcpt for rcpts, _message in inbox.messages for rcpt in rcpts)


def test_outage_longer_than_all_attempts_loses_no_mail(app, runner, smtp_server, mail_on):
    server, inbox = smtp_server
    addresses = queue(BATCH_SIZE + 5)
    server.stop()  # the mail server goes down with the e-mails queued
    rounds = app.config["MAIL_MAX_ATTEMPTS"] * 5
    for _ in range(rounds):
        time_passes()
        assert "waiting for the mail server: 20" in notify(runner)
    rows = outbox()
    assert all(m.sent_at is None and m.attempts == 0 for m in rows)
    assert all("ConnectionRefused" in m.last_error for m in rows[:BATCH_SIZE])
    assert given_up(db.session) == []  # nothing for the managers to see: just waiting

    server.start()  # back, on the same port
    time_passes()
    assert "sent: 25, failed: 0, waiting for the mail server: 0" in notify(runner)
    time_passes()
    assert "sent: 0, failed: 0" in notify(runner)
    assert received(inbox) == sorted(addresses)  # every e-mail exactly once
    assert all(m.sent_at is not None and m.attempts == 1 and m.last_error is None
               for m in outbox())


def test_outage_backs_off_but_never_gives_up(app, runner, mail_config):
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    queue(1)
    waits = []
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"] + 5):
        time_passes()
        started = utcnow()
        notify(runner)
        waits.append((outbox()[0].next_attempt_at - started).total_seconds())
    assert waits[0] >= app.config["MAIL_RETRY_SECONDS"] - 1  # not hammered
    assert outbox()[0].attempts == 0 and given_up(db.session) == []


def test_disconnect_before_the_message_is_accepted_counts_no_attempt(runner, mail_on):
    addresses = queue(3)
    mail_on.drop = 2  # the server hangs up twice instead of answering "250" to DATA
    for _ in range(2):
        time_passes()
        assert "waiting for the mail server: 3" in notify(runner)
        assert all(m.attempts == 0 and "Disconnected" in m.last_error for m in outbox())
    time_passes()
    assert "sent: 3, failed: 0" in notify(runner)
    assert received(mail_on) == addresses
    assert [m.attempts for m in outbox()] == [1, 1, 1]


def test_server_that_never_greets_times_out_without_using_attempts(runner, mail_config):
    with socket.socket() as silent:  # accepts connections (the kernel does), never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=1)
        queue(1)
        assert "waiting for the mail server: 1" in notify(runner)
    [row] = outbox()
    assert row.attempts == 0 and "timed out" in row.last_error


def test_name_that_does_not_resolve_uses_no_attempts(runner, mail_config, monkeypatch):
    def no_such_host(*_args, **_kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    mail_config(MAIL_SERVER="mail.example.invalid", MAIL_PORT=25)
    queue(2)
    for _ in range(5):
        time_passes()
        assert "waiting for the mail server: 2" in notify(runner)
    assert all(m.attempts == 0 and "gaierror" in m.last_error for m in outbox())


def test_refused_recipient_is_given_up_while_the_others_go(app, runner, mail_on):
    first, refused, last = queue(3)
    mail_on.refuse.add(refused)
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"] + 3):
        time_passes()
        notify(runner)
    assert received(mail_on) == [first, last]
    [row] = given_up(db.session)
    assert row.recipient == refused and row.attempts == app.config["MAIL_MAX_ATTEMPTS"]
    assert "SMTPRecipientsRefused" in row.last_error and "No such user" in row.last_error


def test_an_outage_between_refusals_does_not_bring_the_end_closer(app, runner, smtp_server,
                                                                   mail_on):
    server, _inbox = smtp_server
    [refused] = queue(1)
    mail_on.refuse.add(refused)
    time_passes()
    assert "failed: 1" in notify(runner)
    server.stop()
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"] + 2):
        time_passes()
        notify(runner)
    assert outbox()[0].attempts == 1 and given_up(db.session) == []
    server.start()
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
        time_passes()
        notify(runner)
    assert outbox()[0].attempts == app.config["MAIL_MAX_ATTEMPTS"]
    assert [m.id for m in given_up(db.session)] == [outbox()[0].id]


@pytest.mark.parametrize("error, unreachable", [
    (ConnectionRefusedError(111, "Connection refused"), True),
    (TimeoutError("timed out"), True),
    (socket.gaierror(-2, "Name or service not known"), True),
    (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), True),
    (smtplib.SMTPConnectError(421, b"Too busy"), True),
    (smtplib.SMTPSenderRefused(421, b"Closing", "hamrah@x"), True),
    (smtplib.SMTPRecipientsRefused({"a@x": (421, b"Closing")}), True),
    (smtplib.SMTPRecipientsRefused({"a@x": (550, b"No such user")}), False),
    (smtplib.SMTPRecipientsRefused({"a@x": (452, b"Mailbox full")}), False),
    (smtplib.SMTPSenderRefused(553, b"Not allowed", "hamrah@x"), False),
    (smtplib.SMTPDataError(554, b"Message rejected as spam"), False),
    (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), False),
    (UnicodeEncodeError("ascii", "ی", 0, 1, "no"), False),
])
def test_which_failures_are_the_servers(error, unreachable):
    assert server_unreachable(error) is unreachable

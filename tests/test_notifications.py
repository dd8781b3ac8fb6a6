"""E-mail notifications: outbox rows in the request's transaction, a real SMTP server receives them.

The server and the fixtures `smtp_server`, `mail_config`, `mail_on` are in tests/mail_server.py.
"""
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.tickets import add_reply
from app.extensions import db
from app.infra.mail_outbox import claim_batch
from app.models import HamrahUser, OutboxMessage
from app.models.base import utcnow
from app.persian.text import ascii_digits
from tests.helpers import department_id, last_ticket_number, new_ticket_form, ticket
from tests.mail_server import BASE_URL, free_port, notify, outbox

SECRET_NOTE = "یادداشت داخلی محرمانه: مشکل از سرور ماست"


def text_of(message) -> str:
    return ascii_digits(str(message["Subject"]) + "\n" + message.get_content())


def create_ticket_over_http(as_user, **overrides) -> int:
    response = as_user("clerk").post("/support/new", data=new_ticket_form(**overrides))
    assert response.status_code == 302, response.data[:500]
    return last_ticket_number()


def test_new_ticket_and_answer_reach_agent_and_clerk(as_user, runner, mail_on):
    number = create_ticket_over_http(as_user)
    link = f"{BASE_URL}/support/tickets/{number}"
    answer = "لطفا تصویر کارت ملی را پیوست کنید"
    reply = as_user("agent").post(f"/support/tickets/{number}/reply", data={"body": answer})
    assert reply.status_code == 302
    assert [(m.kind, m.recipient) for m in outbox()] == [
        ("ticket_created", "agent@example.org"), ("support_answer", "clerk@example.org")]

    assert "sent: 2, failed: 0" in notify(runner)

    assert len(mail_on.messages) == 2
    [to_agent] = mail_on.to("agent@example.org")
    [to_clerk] = mail_on.to("clerk@example.org")
    assert not mail_on.to("agent2@example.org")  # Training's agent is not told
    for message in (to_agent, to_clerk):
        content = text_of(message)
        assert str(number) in str(ascii_digits(str(message["Subject"])))
        assert link in content and str(number) in content
        assert message["From"] == "hamrah@support.example.org"
        assert message["Message-ID"].startswith("<hamrah-outbox-")
    assert "تمدید پروانه تاکسیرانی" in str(to_agent["Subject"])
    assert "پشتیبانی فنی" in to_agent.get_content()  # rendered in Persian, the default locale
    assert answer in to_clerk.get_content()
    assert all(m.sent_at is not None and m.attempts == 1 and m.last_error is None
               for m in outbox())


def test_sent_message_is_not_sent_twice(as_user, runner, mail_on):
    create_ticket_over_http(as_user)
    notify(runner)
    assert len(mail_on.messages) == 1
    assert "sent: 0, failed: 0" in notify(runner)
    assert len(mail_on.messages) == 1
    # a second worker arriving later finds nothing to claim either
    assert claim_batch(db.session) == []


def test_claimed_row_is_not_claimed_by_another_worker(as_user, mail_on):
    create_ticket_over_http(as_user)
    first = claim_batch(db.session)
    assert len(first) == 1
    assert claim_batch(db.session) == []  # held by the first worker's lease
    # the lease runs out (the first worker died): the row is due again, attempt counted
    assert claim_batch(db.session, now=utcnow() + timedelta(hours=1)) == first
    assert outbox()[0].attempts == 2


def test_internal_note_is_never_mailed(as_user, runner, mail_on):
    number = create_ticket_over_http(as_user)
    notify(runner)
    before = len(outbox())
    agent = db.session.scalars(select(HamrahUser).filter_by(username="agent")).one()
    add_reply(db.session, ticket(number), agent, SECRET_NOTE, internal=True)
    assert len(outbox()) == before  # no e-mail for a note
    as_user("agent").post(f"/support/tickets/{number}/reply", data={"body": "پاسخ عمومی"})
    notify(runner)
    rows = outbox()
    assert [m.kind for m in rows] == ["ticket_created", "support_answer"]
    assert all(SECRET_NOTE not in m.body and SECRET_NOTE not in m.subject for m in rows)
    assert all(SECRET_NOTE not in message.as_string() and SECRET_NOTE not in message.get_content()
               for _, message in mail_on.messages)
    assert "پاسخ عمومی" in mail_on.to("clerk@example.org")[0].get_content()


def test_clerk_reply_mails_nobody(as_user, runner, mail_on):
    number = create_ticket_over_http(as_user)
    as_user("clerk").post(f"/support/tickets/{number}/reply", data={"body": "توضیح بیشتر"})
    assert [m.kind for m in outbox()] == ["ticket_created"]


def test_smtp_down_ticket_saved_failure_logged_and_retried(as_user, runner, mail_config,
                                                           smtp_server, caplog):
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nothing listens there
    number = create_ticket_over_http(as_user)
    assert ticket(number).department_id == department_id()  # the ticket is saved regardless

    with caplog.at_level(logging.WARNING, logger="app.infra.mail_outbox"):
        assert "sent: 0, failed: 0, waiting for the mail server: 1" in notify(runner)
    assert any("unreachable" in r.getMessage() and "ConnectionRefusedError" in r.getMessage()
               for r in caplog.records if r.levelno >= logging.WARNING)
    [row] = outbox()
    assert row.sent_at is None and row.attempts == 0 and "ConnectionRefused" in row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=30)  # backoff

    assert "sent: 0, failed: 0, waiting for the mail server: 0" in notify(runner)  # not due yet
    assert outbox()[0].attempts == 0  # an unreachable server uses up no attempt

    # the server is back and the backoff has passed: sent on the next run
    server, inbox = smtp_server
    mail_config(MAIL_PORT=server.port)
    row = outbox()[0]
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "sent: 1, failed: 0" in notify(runner)
    [row] = outbox()
    assert row.sent_at is not None and row.attempts == 1
    assert len(inbox.to("agent@example.org")) == 1


def test_gives_up_after_max_attempts(as_user, runner, mail_on, caplog):
    """The server refuses this recipient each time (550): counted, given up after 2."""
    mail_on.refuse.add("agent@example.org")
    mail_on.mail_config(MAIL_MAX_ATTEMPTS=2)
    create_ticket_over_http(as_user)
    with caplog.at_level(logging.WARNING, logger="app.infra.mail_outbox"):
        for _ in range(3):
            row = outbox()[0]
            row.next_attempt_at = utcnow() - timedelta(seconds=1)
            db.session.commit()
            notify(runner)
    assert outbox()[0].attempts == 2 and outbox()[0].sent_at is None
    assert "SMTPRecipientsRefused" in outbox()[0].last_error and not mail_on.messages
    assert any("given up" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)


def test_mail_off_by_default_queues_nothing(as_user, runner, mail_config):
    mail_config(MAIL_SERVER="")
    number = create_ticket_over_http(as_user)
    as_user("agent").post(f"/support/tickets/{number}/reply", data={"body": "پاسخ"})
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert "E-mail is off" in notify(runner)


def test_english_recipient_gets_english_text(as_user, mail_config, mail_on):
    mail_config(BABEL_DEFAULT_LOCALE="en")
    number = create_ticket_over_http(as_user)
    [row] = outbox()
    assert row.subject.startswith(f"New ticket {number}")  # ASCII digits in English
    assert "Technical support" in row.body


def _queue_rows(count: int) -> None:
    db.session.add_all(OutboxMessage(recipient=f"user{i}@example.org", subject=f"s{i}", body="b",
                                     kind="test") for i in range(count))
    db.session.commit()


def test_two_workers_at_once_send_each_message_once(app, mail_on):
    """Two workers (threads, each with its own session) share the rows; nobody gets two copies."""
    import threading

    from app.cli.notify import run_once

    _queue_rows(30)
    errors = []

    def worker():
        try:
            with app.app_context():
                run_once(db.session)
                db.session.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    if errors and app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite may refuse a second writer outright ("database is locked"); nothing was doubled
        assert all("locked" in str(e) for e in errors), errors
    else:
        assert errors == []
    received = sorted(rcpt[0] for rcpt, _ in mail_on.messages)
    assert len(received) == len(set(received))  # no message twice
    if not errors:
        assert len(received) == 30 and all(m.sent_at for m in outbox())


def test_rows_locked_by_another_worker_are_skipped_on_postgresql(app, mail_on):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's")
    _queue_rows(2)
    with db.engine.connect() as other:  # another worker in the middle of its claim
        other.execute(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(1)
                      .with_for_update(skip_locked=True))
        claimed = claim_batch(db.session)  # does not wait for the lock
        other.rollback()
    assert claimed == [outbox()[1].id]


def test_unreachable_server_ends_the_round(runner, mail_config):
    """One connection attempt per round, not one per message, while the server is down."""
    from app.infra.mail_outbox import BATCH_SIZE

    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    _queue_rows(BATCH_SIZE + 5)
    assert f"sent: 0, failed: 0, waiting for the mail server: {BATCH_SIZE}" in notify(runner)
    rows = outbox()
    assert all(m.attempts == 0 for m in rows)
    assert sorted(m.last_error is not None for m in rows) == [False] * 5 + [True] * BATCH_SIZE

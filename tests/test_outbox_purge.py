"""Sent e-mails are purged once old (`hamrah notify-purge`); unsent and given-up ones stay.

Before it, nothing ever deleted a sent row, and every new ticket writes one per agent of its
department (about 150 GB a year at national scale: docs/capacity.md)."""
from datetime import timedelta

from sqlalchemy import select

from app.domain.outbox import purge_sent
from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow


def _mail(subject, *, sent_days_ago=None, attempts=0):
    now = utcnow()
    row = OutboxMessage(recipient="agent@example.org", subject=subject, body="-", kind="test",
                        attempts=attempts, created_at=now - timedelta(days=60),
                        sent_at=None if sent_days_ago is None
                        else now - timedelta(days=sent_days_ago))
    db.session.add(row)
    return row


def _subjects():
    db.session.expire_all()
    return set(db.session.scalars(select(OutboxMessage.subject).where(
        OutboxMessage.kind == "test")))


def test_old_sent_mail_goes_in_batches_and_the_rest_stays(app):
    for i in range(5):
        _mail(f"old {i}", sent_days_ago=40)
    _mail("recent", sent_days_ago=10)
    _mail("waiting")
    _mail("given up", attempts=99)
    db.session.commit()
    assert purge_sent(db.session, timedelta(days=30), batch=2) == 5
    assert _subjects() == {"recent", "waiting", "given up"}


def test_the_command_takes_the_age_in_days(runner):
    _mail("forty", sent_days_ago=40)
    _mail("ten", sent_days_ago=10)
    db.session.commit()
    result = runner.invoke(args=["hamrah", "notify-purge", "--days", "30"])
    assert result.exit_code == 0 and "Sent e-mails purged: 1." in result.output
    assert _subjects() == {"ten"}
    result = runner.invoke(args=["hamrah", "notify-purge", "--days", "5"])
    assert "purged: 1." in result.output and _subjects() == set()
    assert runner.invoke(args=["hamrah", "notify-purge", "--days", "0"]).exit_code != 0

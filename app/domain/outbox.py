"""The outbox's upkeep: e-mails it gave up on, found and queued again (screen and command),
and sent e-mails purged once they are old (`hamrah notify-purge`).

"Given up" is derived, not stored: unsent with MAIL_MAX_ATTEMPTS attempts used
(`app/infra/mail_outbox.py`, `given_up_criterion`). Only refusals of the message itself
use attempts; an unreachable server never does, so these are e-mails the mail server
refused, or that crashed a worker, MAIL_MAX_ATTEMPTS times.
"""
from datetime import timedelta

from sqlalchemy import delete, select, update

from app.domain.audit import new_event
from app.infra.mail_outbox import given_up_criterion
from app.models.base import utcnow
from app.models.outbox import OutboxMessage


def given_up(session, ids=None) -> list[OutboxMessage]:
    """Given-up e-mails, oldest first; only those among `ids` when given."""
    stmt = select(OutboxMessage).where(given_up_criterion()).order_by(OutboxMessage.id)
    if ids is not None:
        stmt = stmt.where(OutboxMessage.id.in_(list(ids)))
    return list(session.scalars(stmt))


def requeue(session, ids=None) -> list[int]:
    """Queue given-up e-mails again (all of them, or those among `ids`); commits.

    Attempts start again from zero and the next worker round sends them. Each row is reset
    by a conditional UPDATE (still given up), so an e-mail a worker holds, or that was
    already queued again, is left alone; each one queued again writes an audit event.
    Returns the ids queued again.
    """
    now = utcnow()
    done = []
    try:
        for message in given_up(session, ids):
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, given_up_criterion(now))
                .values(attempts=0, next_attempt_at=now)
                .execution_options(synchronize_session=False))
            if result.rowcount == 1:
                done.append(message.id)
                session.add(new_event("mail_requeued", target_type="outbox_message",
                                      target_id=message.id, target=message.recipient,
                                      detail=f"{message.kind}: {message.subject}; "
                                             f"{message.last_error or ''}"))
        session.commit()
    except Exception:
        session.rollback()
        raise
    session.expire_all()
    return done


def purge_sent(session, older_than: timedelta, *, batch: int = 5000) -> int:
    """Delete e-mails sent longer ago than `older_than`, in batches of short transactions;
    returns how many. Nothing else: unsent and given-up e-mails stay.

    Sent rows are only a trace once the mail has left, yet every new ticket writes one per
    agent of its department: kept for good they outgrow the tickets themselves (about 150 GB
    a year at national scale, docs/capacity.md).
    """
    cutoff, removed = utcnow() - older_than, 0
    while True:
        ids = list(session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.sent_at.is_not(None), OutboxMessage.sent_at < cutoff)
            .order_by(OutboxMessage.id).limit(batch)))
        if not ids:
            return removed
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids))
                        .execution_options(synchronize_session=False))
        session.commit()
        removed += len(ids)


__all__ = ["given_up", "purge_sent", "requeue"]

"""The per-username sign-in lockout: LOGIN_FAILURE_LIMIT failed sign-ins ("10 per 15 minutes")
lock the username, from any address, until the window has passed or a manager lifts it.

Kept in the database (app/models/login_lockout.py), counted by one atomic upsert, so several
workers and nodes never count apart (Flask-Limiter's memory storage counted per worker, and
the right password still signed in on about half the tries after a lockout). Only failures
count; a successful sign-in forgets the earlier ones.
"""
from datetime import datetime, timedelta

from flask import current_app
from limits import parse
from sqlalchemy import case, delete, or_, select, update

from app.domain.audit import new_event
from app.infra.upsert import upsert_insert
from app.models.base import utcnow
from app.models.login_lockout import LoginLockout


def normalise(username) -> str:
    return str(username or "").strip().lower()[:256]


def policy() -> tuple[int, timedelta]:
    """(failures allowed, window) from LOGIN_FAILURE_LIMIT, in Flask-Limiter's notation."""
    item = parse(current_app.config["LOGIN_FAILURE_LIMIT"])
    return item.amount, timedelta(seconds=item.get_expiry())


def locked_until(session, username: str, now: datetime | None = None) -> datetime | None:
    """When the lockout of this username ends, or None when it may try to sign in."""
    until = session.scalar(select(LoginLockout.locked_until)
                           .where(LoginLockout.username == normalise(username)))
    return until if until is not None and until > (now or utcnow()) else None


def record_failure(session, username: str, address: str | None,
                   now: datetime | None = None) -> bool:
    """Count one failed sign-in and commit; True when this failure locked the username."""
    name, now = normalise(username), now or utcnow()
    limit, window = policy()
    table = LoginLockout.__table__
    stale = table.c.window_started_at <= now - window  # the window has passed: start again
    statement = upsert_insert(session, table).values(
        username=name, failures=1, window_started_at=now, last_failure_at=now,
        last_address=address).on_conflict_do_update(
        index_elements=[table.c.username],
        set_={"failures": case((stale, 1), else_=table.c.failures + 1),
              "window_started_at": case((stale, now), else_=table.c.window_started_at),
              "last_failure_at": now, "last_address": address},
    ).returning(table.c.failures)
    failures = session.execute(statement).scalar_one()
    locked = False
    if failures >= limit:  # concurrent failures may pass the limit: lock (and audit) once
        locked = session.execute(
            update(table).where(table.c.username == name, or_(
                table.c.locked_until.is_(None), table.c.locked_until <= now))
            .values(locked_until=now + window)).rowcount == 1
    if locked:
        session.add(new_event("login_locked", target_type="user", target=name,
                              detail=f"{failures} failed sign-ins within {window}"))
    # Forget what no longer matters, so unknown names typed once do not pile up.
    session.execute(delete(table).where(
        table.c.last_failure_at <= now - window,
        or_(table.c.locked_until.is_(None), table.c.locked_until <= now)))
    session.commit()
    return locked


def forget_failures(session, username: str) -> None:
    """A successful sign-in (never locked at that moment) clears the count."""
    session.execute(delete(LoginLockout).where(LoginLockout.username == normalise(username)))
    session.commit()


def lift(session, lockouts) -> int:
    """A manager lifts lockouts: the rows go, an audit event each; commits."""
    count = 0
    for lockout in lockouts:
        session.add(new_event("lockout_lifted", target_type="user", target=lockout.username,
                              detail=f"{lockout.failures} failed sign-ins"))
        session.delete(lockout)
        count += 1
    session.commit()
    return count

"""Concurrent writes: 8 threads create tickets and reply at once, each in its own app context
(its own session and connection), as 8 requests on a real server would.

Every write that was acknowledged (the call returned) must be in the database exactly once,
ticket numbers must be unique, and replies to one shared ticket must all survive. PostgreSQL
is what production runs (row locks on the counter and the ticket); SQLite serialises writers
(busy_timeout is set) and runs the same checks.
"""
import os
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.domain.tickets import NewTicket, add_reply, create_ticket
from app.extensions import db
from app.models import HamrahUser, Message, StatusChange, Ticket
from tests.helpers import department_id, new_ticket_form, run_at_once

THREADS = 8
ROUNDS = 3
CLERKS = ("clerk", "clerk2")  # both of office 1001, so both may reply to 1004481
SHARED = 1004481


def _engine_kind() -> str:
    return "postgresql" if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql") \
        else "sqlite"


@pytest.fixture(params=["postgresql", "sqlite"])
def backend(request):
    if request.param != _engine_kind():
        reason = ("TEST_DATABASE_URL is not PostgreSQL: the PostgreSQL run needs "
                  "TEST_DATABASE_URL=postgresql+psycopg://..." if request.param == "postgresql"
                  else "this run is on PostgreSQL; the SQLite variant runs without "
                  "TEST_DATABASE_URL")
        pytest.skip(reason)
    return request.param


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def test_concurrent_creates_and_replies(app, backend):
    tech = department_id()

    def work(index):
        acknowledged = []
        user = _user(CLERKS[index % 2])
        for round_ in range(ROUNDS):
            ticket = create_ticket(db.session, user, NewTicket(
                subject=f"همزمان {index}-{round_}", department_id=tech, body=f"t{index}-{round_}"))
            acknowledged.append(("ticket", ticket.number, f"t{index}-{round_}"))
            shared = db.session.scalars(select(Ticket).filter_by(number=SHARED)).one()
            message = add_reply(db.session, shared, user, f"r{index}-{round_}")
            acknowledged.append(("reply", message.id, f"r{index}-{round_}"))
            own = add_reply(db.session, ticket, user, f"o{index}-{round_}")
            acknowledged.append(("reply", own.id, f"o{index}-{round_}"))
        return acknowledged

    results, errors = run_at_once(app, work, THREADS)
    assert not errors, errors
    assert len(results) == THREADS * ROUNDS * 3

    db.session.expire_all()
    numbers = [n for kind, n, _ in results if kind == "ticket"]
    assert len(set(numbers)) == len(numbers) == THREADS * ROUNDS
    rows = db.session.scalars(select(Ticket.number).where(Ticket.number.in_(numbers))).all()
    assert Counter(rows) == Counter(numbers)  # each acknowledged ticket exactly once
    all_numbers = db.session.scalars(select(Ticket.number)).all()
    assert len(all_numbers) == len(set(all_numbers))

    bodies = dict(db.session.execute(select(Message.id, Message.body)).all())
    for kind, message_id, body in results:
        if kind == "reply":
            assert bodies.get(message_id) == body
    per_body = Counter(db.session.scalars(select(Message.body)).all())
    for _kind, _id, body in results:
        assert per_body[body] == 1, body  # first messages (t...) and replies, once each
    shared_replies = db.session.scalar(select(func.count()).select_from(Message).join(Ticket)
                                       .where(Ticket.number == SHARED)
                                       .where(Message.body.like("r%")))
    assert shared_replies == THREADS * ROUNDS


def test_concurrent_resubmissions_make_one_ticket(app, backend):
    """A double click (the same form's submission id) from 8 tabs at once: one ticket."""
    clients = []
    for _ in range(THREADS):
        client = app.test_client()
        client.post("/login/", data={"username": "clerk", "password": "clerk"})
        clients.append(client)
    form = new_ticket_form(submission="same-form")

    def work(index):
        response = clients[index].post("/support/new", data=dict(form))
        return [(response.status_code, response.headers.get("Location"))]

    results, errors = run_at_once(app, work, THREADS)
    assert not errors, errors
    assert {status for status, _ in results} == {302}
    assert len({location for _, location in results}) == 1
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Ticket)
                             .where(Ticket.idempotency_key == "s-same-form")) == 1


def test_concurrent_replies_closes_and_reopens_keep_the_history_a_chain(app, backend):
    """Clerks and support reply, close and reopen one ticket at once: the status history must
    be a chain (each row moves from the status the row before it left) ending in the ticket's
    status. Without a lock per ticket, PostgreSQL stored the same transition twice and rows
    whose `from` was not the previous row's `to`."""
    from app.domain import status as status_machine

    actors = ("clerk", "agent", "clerk2", "manager")

    def work(index):
        user = _user(actors[index % len(actors)])
        done = []
        for round_ in range(ROUNDS * 2):
            shared = db.session.scalars(select(Ticket).filter_by(number=SHARED)).one()
            if user.username == "manager" and round_ % 2:
                event = (status_machine.Event.REOPENED if shared.status == "closed"
                         else status_machine.Event.CLOSED)
                try:
                    status_machine.apply_event(db.session, shared, event, user)
                    db.session.commit()
                    done.append(event.value)
                except status_machine.IllegalTransition:  # another thread got there first
                    db.session.rollback()
            else:
                try:
                    add_reply(db.session, shared, user, f"c{index}-{round_}")
                    done.append("reply")
                except status_machine.IllegalTransition:  # support cannot answer it closed
                    db.session.rollback()
        return done

    results, errors = run_at_once(app, work, THREADS)
    assert not errors, errors
    db.session.expire_all()
    ticket = db.session.scalars(select(Ticket).filter_by(number=SHARED)).one()
    history = db.session.execute(select(StatusChange.from_status, StatusChange.to_status)
                                 .where(StatusChange.ticket_id == ticket.id)
                                 .order_by(StatusChange.id)).all()
    assert history[0].from_status is None
    broken = [(i, before, row) for i, (before, row) in enumerate(zip(history, history[1:], strict=False))
              if row.from_status != before.to_status or row.from_status == row.to_status]
    assert broken == []
    assert ticket.status == history[-1].to_status
    assert results.count("reply") == db.session.scalar(
        select(func.count()).select_from(Message).where(Message.ticket_id == ticket.id,
                                                        Message.body.like("c%")))

"""Posting one known issue's resolution to N linked tickets (issue 19): time and statements.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<a database you may empty> \
    MAIL_SERVER=mail.invalid PYTHONPATH=. .venv/bin/python bench/known_issue_fanout.py [N]

Builds the schema (`hamrah init`, `hamrah demo`) when the database has none, then creates N
tickets (default 1,000) from the demo clerks in the agent's department, links them all to one
new known issue and posts its resolution through app/domain/known_issue_resolution.py, as
the screen and the API do: one transaction per ticket (lock, reply, status Answered, the
clerk's e-mail queued in the outbox, the done mark). Printed: the wall time, the SQL
statements (counted at the engine) in total and per ticket, and the same for a rerun with
the same idempotency key (which must post nothing). With MAIL_SERVER set the e-mails are
only queued, never sent. The rows stay in the database.
"""
import os
import sys
import time
import uuid

from sqlalchemy import event, func, inspect, select

from app import create_app
from app.domain import known_issues
from app.domain.known_issue_resolution import post_resolution
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import Department, HamrahUser, Message, OutboxMessage


class Counter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __call__(self, *_args, **_kwargs):
        self.count += 1

    def __enter__(self):
        self.count = 0
        event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self)


def main(n: int) -> None:
    app = create_app("config.Config")
    with app.app_context():
        if "ticket" not in inspect(db.engine).get_table_names():
            runner = app.test_cli_runner()
            for command in (["hamrah", "init"], ["hamrah", "demo"]):
                result = runner.invoke(args=command)
                assert result.exit_code == 0, result.output
        session = db.session
        agent = session.scalars(select(HamrahUser).filter_by(username="agent")).one()
        clerks = list(session.scalars(select(HamrahUser).where(
            HamrahUser.username.in_(["clerk", "clerk2", "clerk3"]))))
        tech = session.scalars(select(Department).filter_by(name_en="Technical support")).one()
        started = time.perf_counter()
        tickets = []
        for i in range(n):
            tickets.append(create_ticket(session, clerks[i % len(clerks)], NewTicket(
                subject=f"قطعی سامانه {i}", department_id=tech.id, body="سامانه در دسترس نیست"),
                commit=False))
            if i % 200 == 199:
                session.commit()
        session.commit()
        print(f"created {n} tickets in {time.perf_counter() - started:.1f} s")
        issue = known_issues.create(session, agent, title=f"قطعی سامانه {uuid.uuid4().hex[:6]}",
                                    department_id=tech.id, published=True)
        known_issues.link_tickets(session, agent, issue, tickets)
        key = uuid.uuid4().hex
        body = f"سامانه دوباره برقرار شد ({key[:6]})."
        outbox_before = session.scalar(select(func.count()).select_from(OutboxMessage))
        dialect = db.engine.dialect.name
        for label in ("post", "rerun (same key)"):
            with Counter(db.engine) as counter:
                started = time.perf_counter()
                result = post_resolution(session, agent, issue, body, idempotency_key=key)
                seconds = time.perf_counter() - started
            print(f"{dialect} {label}: {len(result.posted)} posted, {len(result.skipped)} skipped, "
                  f"{len(result.failed)} failed; {seconds:.2f} s, {seconds / n * 1000:.2f} ms "
                  f"per ticket; {counter.count} statements, {counter.count / n:.1f} per ticket")
        replies = session.scalar(select(func.count()).select_from(Message).where(
            Message.body == body))
        mails = session.scalar(select(func.count()).select_from(OutboxMessage)) - outbox_before
        print(f"replies with the resolution: {replies}; e-mails queued: {mails}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
    os._exit(0)

"""WAL and outbox bytes of ticket lifecycles written the way the app writes them.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/hamrah_capacity \
    MAIL_SERVER=mail.invalid PYTHONPATH=. .venv/bin/python bench/capacity_wal.py [N]

Run after `sh bench/capacity.sh` on its database (it needs the generated offices, clerks and
agents). Each of N tickets (default 500) lives the life of an average generated ticket, one
transaction per step through the domain services (app/domain/tickets.py, status.py): a
clerk creates it, the agent opens it, answers, the clerk replies, the agent answers again
and closes it. Four messages, five status changes, the search row written on every flush,
and with MAIL_SERVER set the e-mails queued in outbox_message (only queued: nothing is
sent). A CHECKPOINT comes first, so every page touched pays its full-page image once, as
in the first minutes after any checkpoint. The WAL is pg_current_wal_lsn() before and after:
cluster-wide, so a quiet period of the same length is measured first and printed beside it.
Superuser needed (CHECKPOINT). The tickets stay in the database.

With CAPACITY_PG_WAL=<the server's pg_wal directory> (readable: run as root or postgres on
the database host) the WAL is also counted record by record with pg_waldump: only the
records of this database's relations and the commits of their transactions, so other
databases' writes drop out, and split by kind (full-page images, heap, B-tree, GIN).
"""
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter

from sqlalchemy import func, select, text

from app import create_app
from app.domain import status as status_machine
from app.domain.tickets import NewTicket, add_reply, create_ticket
from app.extensions import db
from app.models import HamrahUser, Message, Ticket


def lsn(session) -> int:
    return session.execute(text("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")).scalar_one()


def size(session, table: str) -> int:
    return session.execute(text("SELECT pg_total_relation_size(:t)"), {"t": table}).scalar_one()


def waldump(start: str, end: str, database_oid: int) -> dict | None:
    """Bytes of this database's WAL records between two LSNs, by pg_waldump."""
    directory = os.environ.get("CAPACITY_PG_WAL")
    tool = shutil.which("pg_waldump") or "/usr/lib/postgresql/15/bin/pg_waldump"
    if not directory or not os.path.exists(tool):
        return None
    out = subprocess.run([tool, "-p", directory, "-s", start, "-e", end], capture_output=True,
                         text=True, check=False).stdout
    ours, by_rmgr, fpi, commits, mine = 0, Counter(), 0, {}, set()
    record = re.compile(r"rmgr: (\S+)\s+len \(rec/tot\):\s*(\d+)/\s*(\d+), tx:\s*(\d+)")
    for line in out.splitlines():
        match = record.search(line)
        if not match:
            continue
        rmgr, rec, tot, tx = match[1], int(match[2]), int(match[3]), match[4]
        if rmgr == "Transaction":
            commits[tx] = commits.get(tx, 0) + tot
        elif f"/{database_oid}/" in line:
            ours += tot
            by_rmgr[rmgr] += tot
            fpi += tot - rec
            mine.add(tx)
    commit_bytes = sum(b for tx, b in commits.items() if tx in mine)
    return {"total": ours + commit_bytes, "fpi": fpi, "commits": commit_bytes, **by_rmgr}


def main(n: int) -> None:
    app = create_app("config.Config")
    with app.app_context():
        session = db.session
        rng = random.Random(1)
        clerks = list(session.scalars(select(HamrahUser).where(HamrahUser.username.like("clerk-3%"))))
        agents = {}
        for user in session.scalars(select(HamrahUser).where(HamrahUser.username.like("agent-%-%"))):
            agents.setdefault(user.departments[0].id, []).append(user)
        bodies = list(session.scalars(select(Message.body).where(Message.id % 997 == 0).limit(2000)))
        subjects = list(session.scalars(select(Ticket.subject).where(Ticket.id % 997 == 0).limit(2000)))
        session.commit()
        if not clerks or not agents or not bodies:
            sys.exit("run bench/capacity.sh on this database first (no generated users or messages)")
        outbox_rows0 = session.execute(text("SELECT count(*) FROM outbox_message")).scalar_one()
        tables = ("ticket", "message", "status_change", "ticket_search", "outbox_message")
        sizes0 = {t: size(session, t) for t in tables}
        session.commit()

        # a quiet period as long as the run will roughly take, to see other databases' WAL
        quiet = 10.0
        before = lsn(session)
        session.commit()
        time.sleep(quiet)
        noise = (lsn(session) - before) / quiet
        session.commit()

        session.execute(text("CHECKPOINT"))
        session.commit()
        start_lsn, started, transactions = lsn(session), time.monotonic(), 0
        start_text = session.execute(text("SELECT pg_current_wal_lsn()::text")).scalar_one()
        database_oid = session.execute(text(
            "SELECT oid FROM pg_database WHERE datname = current_database()")).scalar_one()
        session.commit()
        for _ in range(n):
            clerk = rng.choice(clerks)
            department = rng.choice(sorted(agents))
            agent = rng.choice(agents[department])
            ticket = create_ticket(session, clerk, NewTicket(
                subject=rng.choice(subjects), department_id=department, body=rng.choice(bodies),
                tracking_number=f"{rng.randrange(10 ** 14):014d}", national_id=f"{rng.randrange(10 ** 10):010d}"))
            status_machine.apply_event(session, ticket, status_machine.Event.AGENT_OPENED, agent)
            session.commit()
            add_reply(session, ticket, agent, rng.choice(bodies))
            add_reply(session, ticket, clerk, rng.choice(bodies))
            add_reply(session, ticket, agent, rng.choice(bodies))
            status_machine.apply_event(session, ticket, status_machine.Event.CLOSED, agent)
            session.commit()
            transactions += 6
        seconds = time.monotonic() - started
        wal = lsn(session) - start_lsn
        end_text = session.execute(text("SELECT pg_current_wal_lsn()::text")).scalar_one()
        outbox_rows = session.execute(text("SELECT count(*) FROM outbox_message")).scalar_one() - outbox_rows0
        avg_body = session.execute(text("SELECT coalesce(avg(length(body)), 0) FROM outbox_message")).scalar_one()
        sizes = {t: size(session, t) - sizes0[t] for t in tables}
        tickets = session.execute(select(func.count()).select_from(Ticket)).scalar_one()
        session.commit()

    print(f"{n} ticket lifecycles ({transactions} transactions) in {seconds:.1f} s on a database of "
          f"{tickets:,} tickets, right after a CHECKPOINT")
    print(f"WAL: {wal:,} bytes = {wal / n:,.0f} bytes per ticket lifecycle "
          f"({wal / transactions:,.0f} per transaction); quiet-period WAL of the cluster "
          f"{noise:,.0f} bytes/s (x {seconds:.0f} s = {noise * seconds:,.0f} bytes of the total)")
    ours = waldump(start_text, end_text, database_oid)
    if ours:
        print(f"WAL of this database only (pg_waldump {start_text}..{end_text}): {ours['total']:,} bytes "
              f"= {ours['total'] / n:,.0f} per ticket lifecycle; full-page images "
              f"{ours['fpi'] / max(ours['total'], 1):.0%} of it; by kind: "
              + ", ".join(f"{k} {v / n:,.0f}" for k, v in sorted(ours.items(), key=lambda kv: -kv[1])
                          if k not in ("total", "fpi")) + " bytes per ticket")
    print(f"outbox_message: {outbox_rows} rows ({outbox_rows / n:.1f} per ticket), "
          f"average body {float(avg_body):,.0f} characters")
    print("growth of each table with its indexes and TOAST (bytes per ticket; pages were partly "
          "free, so a lower bound):")
    for table, grown in sizes.items():
        print(f"  {table}: {grown:,} bytes, {grown / n:,.0f} per ticket")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)

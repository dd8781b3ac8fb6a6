"""Known issues (issue 19): creating, linking under the access rule, and the fan-out of the
resolution — exactly one reply and one e-mail per linked open ticket, also when retried and
after a failure midway. Runs on SQLite and on PostgreSQL (TEST_DATABASE_URL)."""
import pytest
from sqlalchemy import event, func, select

from app.domain import known_issues
from app.domain.known_issue_resolution import (
    BadIdempotencyKey,
    EmptyResolution,
    KeyReused,
    post_resolution,
)
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import AuditEvent, HamrahUser, KnownIssue, Message, OutboxMessage, Ticket
from tests.helpers import department_id, ticket


def user(name):
    return db.session.scalars(select(HamrahUser).filter_by(username=name)).one()


@pytest.fixture
def mail_rows(mail_config):
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # rows are queued; nothing is sent here


def new_tickets(count, clerk="clerk", department="Technical support"):
    numbers = []
    for i in range(count):
        t = create_ticket(db.session, user(clerk), NewTicket(
            subject=f"سامانه قطع است {i}", department_id=department_id(department),
            body="سامانه از صبح در دسترس نیست"))
        numbers.append(t.number)
    return numbers


def make_issue(actor="agent", department="Technical support", published=True):
    return known_issues.create(db.session, user(actor), title="قطعی سامانه",
                               department_id=department_id(department), published=published)


def replies(number, body):
    return db.session.scalar(select(func.count()).select_from(Message).join(Ticket).where(
        Ticket.number == number, Message.body == body))


def answer_mails(number):
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).join(
        Ticket, Ticket.id == OutboxMessage.ticket_id).where(
        Ticket.number == number, OutboxMessage.kind == "support_answer"))


def test_agent_links_only_tickets_they_see_to_issues_of_their_departments():
    issue = make_issue()
    known_issues.link_numbers(db.session, user("agent"), issue, [1004481, 1004482])
    assert [t.number for t in known_issues.linked_tickets(db.session, issue)] == [1004482, 1004481]
    with pytest.raises(known_issues.TicketsNotFound):  # a Training ticket: not in their scope
        known_issues.link_numbers(db.session, user("agent"), issue, [1004483])
    training = make_issue(actor="manager", department="Training")
    with pytest.raises(known_issues.KnownIssueRefused):
        known_issues.link_numbers(db.session, user("agent"), training, [1004481])
    with pytest.raises(known_issues.KnownIssueRefused):
        make_issue(actor="agent", department="Training")
    for refused in ("clerk", "supervisor"):
        with pytest.raises(known_issues.KnownIssueRefused):
            known_issues.link_numbers(db.session, user(refused), issue, [1004481])
        with pytest.raises(known_issues.KnownIssueRefused):
            make_issue(actor=refused)
    known_issues.link_numbers(db.session, user("manager"), training, [1004483, 1004481])
    assert known_issues.issue_of_ticket(db.session, ticket(1004481)).id == training.id  # moved


def test_who_sees_which_known_issue():
    internal = make_issue(published=False)
    published = make_issue(actor="manager", department="Training", published=True)
    seen = {name: {i.id for i in known_issues.visible_list(db.session, user(name))}
            for name in ("manager", "agent", "agent2", "clerk", "supervisor")}
    assert seen["manager"] == {internal.id, published.id}
    assert seen["agent"] == {internal.id, published.id}
    assert seen["agent2"] == {published.id}
    assert seen["clerk"] == seen["supervisor"] == {published.id}


def test_mark_ticket_as_known_issue():
    issue = known_issues.create_from_ticket(db.session, user("agent"), ticket(1004482))
    assert issue.title == "پلاک خودرو اشتباه است" and "پلاک" in issue.description
    assert issue.department_id == department_id()
    assert [t.number for t in known_issues.linked_tickets(db.session, issue)] == [1004482]


def test_numbers_are_checked():
    for bad in ([], "x", ["12a"], [True], list(range(1001)), {"a": 1}):
        with pytest.raises(known_issues.BadNumbers):
            known_issues.parse_numbers(bad)
    assert known_issues.parse_numbers("۱۰۰۴۴۸۱، 1004482 1004481") == [1004481, 1004482]


def test_resolution_reaches_every_open_ticket_once_even_retried(mail_rows):
    numbers = new_tickets(3) + [1004481]
    issue = make_issue()
    known_issues.link_numbers(db.session, user("agent"), issue, numbers + [1004482])
    db.session.execute(Ticket.__table__.update().where(Ticket.number == 1004482)
                       .values(status="closed"))  # closed: not answered again
    db.session.commit()
    body = "مشکل سامانه برطرف شد"
    mails_before = {n: answer_mails(n) for n in numbers}
    first = post_resolution(db.session, user("agent"), issue, body, idempotency_key="k-1")
    assert sorted(first.posted) == sorted(numbers) and first.finished
    again = post_resolution(db.session, user("agent"), issue, body, idempotency_key="k-1")
    assert again.posted == [] and sorted(again.skipped) == sorted(numbers)
    for n in numbers:
        assert replies(n, body) == 1
        assert answer_mails(n) == mails_before[n] + 1
        assert ticket(n).status == "answered"
    assert replies(1004482, body) == 0
    issue = db.session.get(KnownIssue, issue.id)
    assert issue.status == "resolved" and issue.resolution == body
    events = db.session.scalars(select(AuditEvent).filter_by(event="known_issue_resolution")
                                 .order_by(AuditEvent.id)).all()
    assert [e.detail for e in events] == ["posted 4, skipped 0, failed 0",
                                          "posted 0, skipped 4, failed 0"]


def test_failure_midway_then_rerun_posts_each_ticket_once(mail_rows):
    numbers = new_tickets(4)
    issue = make_issue()
    known_issues.link_numbers(db.session, user("agent"), issue, numbers)
    broken = ticket(numbers[2]).id
    body = "راه‌حل: دوباره وارد شوید"

    def refuse(_mapper, _connection, target):  # the injected failure: this ticket's insert fails
        if target.ticket_id == broken and target.body == body:
            raise RuntimeError("injected failure")

    event.listen(Message, "before_insert", refuse)
    try:
        first = post_resolution(db.session, user("agent"), issue, body, close=True,
                                idempotency_key="once")
    finally:
        event.remove(Message, "before_insert", refuse)
    assert first.failed == [numbers[2]] and len(first.posted) == 3
    assert replies(numbers[2], body) == 0 and ticket(numbers[2]).status == "new"
    assert db.session.get(KnownIssue, issue.id).status == "open"
    rerun = post_resolution(db.session, user("agent"), issue, body, close=True,
                            idempotency_key="once")
    assert rerun.posted == [numbers[2]] and len(rerun.skipped) == 3 and rerun.finished
    for n in numbers:
        assert replies(n, body) == 1 and answer_mails(n) == 1
        assert ticket(n).status == "closed"


def test_resolution_refusals():
    issue = make_issue()
    for name in ("clerk", "supervisor", "agent2"):
        with pytest.raises(known_issues.KnownIssueRefused):
            post_resolution(db.session, user(name), issue, "x", idempotency_key="a")
    with pytest.raises(EmptyResolution):
        post_resolution(db.session, user("agent"), issue, "  ", idempotency_key="a")
    with pytest.raises(BadIdempotencyKey):
        post_resolution(db.session, user("agent"), issue, "x", idempotency_key="کلید")
    post_resolution(db.session, user("agent"), issue, "x", idempotency_key="a")
    with pytest.raises(KeyReused):
        post_resolution(db.session, user("agent"), issue, "y", idempotency_key="a")

"""Undelivered e-mail (app/views/outbox.py, app/domain/outbox.py, `hamrah notify-requeue`):
managers see what was given up and why, and queue it again; agents and clerks cannot."""
import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import AuditEvent, OutboxMessage
from app.models.base import utcnow
from app.persian.dates import format_datetime
from app.persian.text import ascii_digits
from tests.helpers import last_ticket_number, new_ticket_form
from tests.mail_server import notify, outbox

LIST = "/outboxmodelview/list/"
REFUSED = "agent@example.org"  # the new ticket's e-mail goes to the department's agent


@pytest.fixture
def given_up_mail(app, as_user, runner, mail_on):
    """A new ticket's e-mail refused by the server until given up; plus one sent, one waiting."""
    mail_on.refuse.add(REFUSED)
    as_user("clerk").post("/support/new", data=new_ticket_form())
    db.session.add_all([OutboxMessage(recipient="sent@example.org", subject="sent", body="b",
                                      kind="test"),
                        OutboxMessage(recipient="waiting@example.org", subject="waiting",
                                      body="b", kind="test", attempts=1,
                                      next_attempt_at=utcnow().replace(year=2999))])
    db.session.commit()
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"]):
        db.session.execute(update(OutboxMessage).where(OutboxMessage.recipient == REFUSED)
                           .values(next_attempt_at=utcnow()))
        db.session.commit()
        notify(runner)
    [row] = [m for m in outbox() if m.recipient == REFUSED]
    assert row.attempts == app.config["MAIL_MAX_ATTEMPTS"] and row.sent_at is None
    mail_on.refuse.clear()  # the address was fixed meanwhile
    return row


def _delivered_after_requeue(runner, mail_on, row_id) -> None:
    [row] = [m for m in outbox() if m.id == row_id]
    assert row.attempts == 0 and row.sent_at is None
    assert "sent: 1, failed: 0" in notify(runner)
    assert "sent: 0, failed: 0" in notify(runner)
    assert len(mail_on.to(REFUSED)) == 1
    audit = db.session.scalars(select(AuditEvent).filter_by(event="mail_requeued")).all()
    assert [(a.target_id, a.target) for a in audit] == [(row_id, REFUSED)]


def test_manager_sees_the_given_up_mail_and_its_reason(as_user, given_up_mail):
    page = as_user("manager").get(LIST)
    assert page.status_code == 200
    html = page.data.decode()
    assert REFUSED in html and "No such user here" in html  # recipient and reason
    assert "sent@example.org" not in html and "waiting@example.org" not in html
    assert format_datetime(given_up_mail.created_at) in html  # Jalali, Persian digits
    assert str(last_ticket_number()) in ascii_digits(html)
    assert "requeue" in html  # the action is offered
    show = as_user("manager").get(f"/outboxmodelview/show/{given_up_mail.id}")
    assert show.status_code == 200 and "No such user here" in show.data.decode()


def test_nothing_can_be_added_edited_or_deleted(as_user, given_up_mail):
    manager = as_user("manager")
    for url in ("/outboxmodelview/add", f"/outboxmodelview/edit/{given_up_mail.id}",
                f"/outboxmodelview/delete/{given_up_mail.id}"):
        response = manager.get(url)
        assert response.status_code in (302, 403, 404, 405), url
    assert len(outbox()) == 3


@pytest.mark.parametrize("username", ["agent", "clerk"])
def test_agent_and_clerk_are_refused_the_screen_and_the_action(as_user, given_up_mail,
                                                               username):
    user = as_user(username)
    for url in (LIST, f"/outboxmodelview/show/{given_up_mail.id}"):
        response = user.get(url)
        assert response.status_code in (302, 403), url
        assert REFUSED not in response.data.decode() and "No such user" not in response.data.decode()
    single = user.post(f"/outboxmodelview/action/requeue/{given_up_mail.id}")
    many = user.post("/outboxmodelview/action_post",
                     data={"action": "requeue", "rowid": [str(given_up_mail.id)]})
    for response in (single, many):
        assert response.status_code in (302, 403)
    [row] = [m for m in outbox() if m.id == given_up_mail.id]
    assert row.attempts == given_up_mail.attempts  # untouched
    assert not db.session.scalars(select(AuditEvent).filter_by(event="mail_requeued")).all()


def test_queue_again_on_the_list_sends_it(as_user, runner, mail_on, given_up_mail):
    response = as_user("manager").post("/outboxmodelview/action_post",
                                       data={"action": "requeue",
                                             "rowid": [str(given_up_mail.id)]})
    assert response.status_code == 302 and response.headers["Location"].endswith(LIST)
    _delivered_after_requeue(runner, mail_on, given_up_mail.id)
    assert REFUSED not in as_user("manager").get(LIST).data.decode()


def test_queue_again_on_one_row_sends_it(as_user, runner, mail_on, given_up_mail):
    response = as_user("manager").post(f"/outboxmodelview/action/requeue/{given_up_mail.id}")
    assert response.status_code == 302
    _delivered_after_requeue(runner, mail_on, given_up_mail.id)


def test_queue_again_leaves_other_mail_alone(as_user, runner, mail_on, given_up_mail):
    """An id typed into the action's URL that is not given up changes nothing."""
    others = [m for m in outbox() if m.recipient != REFUSED]
    manager = as_user("manager")
    for row in others:
        manager.post(f"/outboxmodelview/action/requeue/{row.id}")
    manager.post("/outboxmodelview/action/requeue/999999")
    assert [(m.attempts, m.next_attempt_at) for m in outbox() if m.recipient != REFUSED] == \
        [(m.attempts, m.next_attempt_at) for m in others]
    assert not db.session.scalars(select(AuditEvent).filter_by(event="mail_requeued")).all()


def test_command_lists_and_queues_again(runner, mail_on, given_up_mail):
    listed = runner.invoke(args=["hamrah", "notify-requeue"])
    assert listed.exit_code == 0, listed.output
    assert REFUSED in listed.output and "Given up: 1." in listed.output
    wrong = runner.invoke(args=["hamrah", "notify-requeue", "999999"])
    assert wrong.exit_code != 0 and "Queued again: 0." in wrong.output
    done = runner.invoke(args=["hamrah", "notify-requeue", "--all"])
    assert done.exit_code == 0 and "Queued again: 1." in done.output
    _delivered_after_requeue(runner, mail_on, given_up_mail.id)
    assert db.session.scalars(select(AuditEvent.actor)
                              .filter_by(event="mail_requeued")).all() == ["cli"]


def test_command_queues_again_by_id(runner, mail_on, given_up_mail):
    done = runner.invoke(args=["hamrah", "notify-requeue", str(given_up_mail.id)])
    assert done.exit_code == 0 and "Queued again: 1." in done.output
    _delivered_after_requeue(runner, mail_on, given_up_mail.id)

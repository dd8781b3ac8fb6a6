"""Told before they ask (issue 19, item 7): suggestions while typing, following instead of
writing, and the follower gets the resolution."""
from sqlalchemy import select

from app.domain import known_issues
from app.domain.known_issue_resolution import post_resolution
from app.extensions import db
from app.models import HamrahUser, KnownIssueTicket, Message, Ticket
from tests.helpers import department_id


def user(name):
    return db.session.scalars(select(HamrahUser).filter_by(username=name)).one()


def make(title, published=True, department="Technical support", description=""):
    return known_issues.create(db.session, user("agent" if department == "Technical support"
                                                else "manager"), title=title,
                               description=description, department_id=department_id(department),
                               published=published)


def titles(client, q, **extra):
    response = client.get("/support/known-issues/suggest", query_string={"q": q, **extra})
    assert response.status_code == 200
    return [item["title"] for item in response.json["result"]]


def test_suggestions_published_open_matching_at_most_five(as_user):
    make("قطعی سامانه‌ی پلاک", description="صدور پلاک ممکن نیست")
    make("قطعی سامانه داخلی", published=False)
    resolved = make("قطعی سامانه قدیمی")
    resolved.status = "resolved"
    db.session.commit()
    for i in range(7):
        make(f"کندی چاپگر {i}")
    clerk = as_user("clerk")
    assert titles(clerk, "سامانه") == ["قطعی سامانه‌ی پلاک"]
    assert titles(clerk, "سامانه ی پلاک") == ["قطعی سامانه‌ی پلاک"]  # affix typed apart
    assert titles(clerk, "صدور") == ["قطعی سامانه‌ی پلاک"]  # the description counts too
    assert titles(clerk, "ساما") == ["قطعی سامانه‌ی پلاک"]  # the word being typed
    assert len(titles(clerk, "چاپگر")) == 5
    assert titles(clerk, "چاپگر", department=str(department_id("Training"))) == []
    assert titles(clerk, "") == titles(clerk, "و") == []
    assert titles(clerk, "x" * 5000) == []


def test_new_ticket_form_has_the_live_region(as_user):
    page = as_user("clerk").get("/support/new").data.decode()
    assert 'id="known-issue-suggestions"' in page and 'aria-live="polite"' in page
    assert "known-issue-suggest.js" in page


def test_follow_creates_one_linked_ticket_that_gets_the_resolution(as_user, mail_config):
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    issue = make("قطعی سامانه")
    clerk = as_user("clerk")
    first = clerk.post(f"/support/known-issues/{issue.id}/follow")
    again = clerk.post(f"/support/known-issues/{issue.id}/follow")
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    link = db.session.scalars(select(KnownIssueTicket).filter_by(known_issue_id=issue.id)).one()
    followed = db.session.get(Ticket, link.ticket_id)
    assert link.followed and followed.creator_id == user("clerk").id
    assert followed.subject == "قطعی سامانه" and followed.department_id == department_id()
    page = clerk.get(first.headers["Location"]).data.decode()
    assert 'id="known-issue-line"' in page
    post_resolution(db.session, user("agent"), issue, "برطرف شد", idempotency_key="k")
    db.session.expire_all()
    assert db.session.scalars(select(Message.body).filter_by(ticket_id=followed.id)
                              .order_by(Message.id.desc())).first() == "برطرف شد"
    assert db.session.get(Ticket, followed.id).unread_answer


def test_only_published_and_only_clerks_follow(as_user):
    internal = make("داخلی", published=False)
    assert as_user("clerk").post(f"/support/known-issues/{internal.id}/follow"
                                 ).status_code == 302
    published = make("عمومی")
    as_user("agent").post(f"/support/known-issues/{published.id}/follow")
    assert db.session.scalars(select(KnownIssueTicket)).all() == []


def test_board_lists_open_published_known_issues(as_user):
    make("قطعی عمومی")
    make("قطعی داخلی", published=False)
    page = as_user("clerk").get("/support/announcements/").data.decode()
    assert "قطعی عمومی" in page and "قطعی داخلی" not in page


def test_dashboard_known_issue_figures(as_user):
    issue = make("قطعی سامانه")
    known_issues.link_numbers(db.session, user("agent"), issue, [1004481, 1004482])
    as_user("clerk3").post(f"/support/known-issues/{issue.id}/follow")
    post_resolution(db.session, user("agent"), issue, "برطرف شد", idempotency_key="k")
    page = as_user("manager").get("/dashboard/").data.decode()
    assert 'id="ki-answered">۳<' in page and 'id="ki-followers">۱<' in page
    assert f'data-known-issue="{issue.id}"><td><bdi>قطعی سامانه</bdi></td><td>۳<' in page
    supervisor = as_user("supervisor").get("/dashboard/").data.decode()  # region 01: office 1001
    assert 'id="ki-answered">۲<' in supervisor and 'id="ki-followers">۰<' in supervisor


def test_hamrah_demo_adds_one_published_known_issue(runner, as_user):
    from app.models import KnownIssue

    for _ in range(2):  # idempotent
        assert runner.invoke(args=["hamrah", "demo"]).exit_code == 0
    issue = db.session.scalars(select(KnownIssue)).one()
    assert issue.published and issue.is_open
    assert 'id="known-issue-line"' in as_user("clerk2").get("/support/tickets/1004482").data.decode()

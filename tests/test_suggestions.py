"""Suggestions (issue 19, item 5): similar open tickets and known issues of the department,
never across the access rule."""
from datetime import timedelta

from sqlalchemy import select

from app.domain import known_issues
from app.domain.suggestions import similar_known_issues, similar_tickets
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import HamrahUser, Office
from app.models.base import utcnow
from tests.helpers import department_id, ticket


def user(name):
    return db.session.scalars(select(HamrahUser).filter_by(username=name)).one()


def new(clerk, subject, department="Technical support", now=None):
    return create_ticket(db.session, user(clerk), NewTicket(
        subject=subject, department_id=department_id(department), body="متن"), now=now).number


def numbers(tickets):
    return {t.number for t in tickets}


def test_agent_gets_similar_open_tickets_of_the_department_only():
    mine = new("clerk", "خطای ورود به سامانه پرونده")
    other_office = new("clerk3", "سامانه پرونده کار نمی‌کند")
    training = new("clerk", "سامانه پرونده آموزشی", department="Training")
    old = new("clerk", "سامانه پرونده قدیمی", now=utcnow() - timedelta(weeks=10))
    unrelated = new("clerk", "پلاک خودرو")
    found = numbers(similar_tickets(db.session, user("agent"), "قطعی سامانه",
                                    department_id(), exclude_ids=[]))
    assert {mine, other_office} <= found
    assert not found & {training, old, unrelated}
    # an agent of another department gets nothing of this one's
    assert similar_tickets(db.session, user("agent2"), "قطعی سامانه", department_id()) == []


def test_clerk_never_gets_another_offices_tickets():
    mine = new("clerk2", "سامانه پرونده کند است")
    other_office = new("clerk3", "سامانه پرونده کار نمی‌کند")
    found = numbers(similar_tickets(db.session, user("clerk"), "سامانه", department_id()))
    assert mine in found and other_office not in found
    office = db.session.scalars(select(Office).filter_by(code="1001")).one()
    assert {ticket(n).office_id for n in found} == {office.id}


def test_agent_ticket_page_suggests_similar_tickets_and_known_issues(as_user):
    similar = new("clerk3", "پلاک خودرو ثبت نمی‌شود")  # 1004482's subject is «پلاک خودرو اشتباه است»
    training = new("clerk3", "پلاک خودرو آموزشی", department="Training")
    issue = known_issues.create(db.session, user("agent"), title="خطای ثبت پلاک خودرو",
                                department_id=department_id())
    page = as_user("agent").get("/support/tickets/1004482").data.decode()
    assert f'class="list-group-item similar-ticket" data-number="{similar}"' in page
    assert f'data-number="{training}"' not in page
    assert "خطای ثبت پلاک خودرو" in page.split('class="list-unstyled known-issue-suggestions"')[1]
    show = as_user("agent").get(f"/knownissuemodelview/show/{issue.id}").data.decode()
    assert f'class="suggested-ticket" data-number="{similar}"' in show


def test_known_issues_ranked_by_shared_words():
    a = known_issues.create(db.session, user("agent"), title="قطعی سامانه پرونده",
                            department_id=department_id(), commit=False)
    b = known_issues.create(db.session, user("agent"), title="کندی چاپگر",
                            department_id=department_id(), commit=False)
    assert similar_known_issues([b, a], "سامانه پرونده باز نمی‌شود") == [a]

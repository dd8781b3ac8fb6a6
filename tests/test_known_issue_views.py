"""The known issues' screen and the ticket page's known-issue panel (issue 19, item 3)."""
import re

from sqlalchemy import select

from app.domain import known_issues
from app.extensions import db
from app.models import HamrahUser, KnownIssue, Message
from app.persian.text import ascii_digits
from tests.helpers import department_id, ticket


def user(name):
    return db.session.scalars(select(HamrahUser).filter_by(username=name)).one()


def make_issue(actor="agent", department="Technical support", published=True, title="قطعی سامانه"):
    return known_issues.create(db.session, user(actor), title=title,
                               department_id=department_id(department), published=published)


def csrf(client, url):
    page = client.get(url).data.decode()
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    return (found.group(1) if found else ""), page


def test_agent_adds_sees_only_their_departments_and_links_by_number(as_user):
    agent = as_user("agent")
    token, _ = csrf(agent, "/knownissuemodelview/add")
    response = agent.post("/knownissuemodelview/add", data={
        "csrf_token": token, "title": "کندی سامانه", "description": "کند است",
        "department": str(department_id()), "published": "y"})
    assert response.status_code == 302, response.data[:300]
    issue = db.session.scalars(select(KnownIssue).filter_by(title="کندی سامانه")).one()
    assert issue.created_by_id == user("agent").id and issue.status == "open"
    other = make_issue(actor="manager", department="Training", title="آموزش قطع")
    listing = agent.get("/knownissuemodelview/list/").data.decode()
    assert "کندی سامانه" in listing and "آموزش قطع" not in listing
    assert agent.get(f"/knownissuemodelview/show/{other.id}").status_code == 404
    assert "آموزش قطع" in as_user("manager").get("/knownissuemodelview/list/").data.decode()
    token, _ = csrf(agent, f"/knownissuemodelview/show/{issue.id}")
    response = agent.post(f"/knownissuemodelview/link/{issue.id}",
                          data={"csrf_token": token, "numbers": "۱۰۰۴۴۸۱ 1004482"})
    assert response.status_code == 302
    page = ascii_digits(agent.get(f"/knownissuemodelview/show/{issue.id}").data.decode())
    assert set(re.findall(r'class="linked-ticket" data-number="(\d+)"', page)) == {
        "1004481", "1004482"}
    assert "1001" in page and "99010294000080" in page  # office and case
    bad = agent.post(f"/knownissuemodelview/link/{issue.id}",
                     data={"csrf_token": token, "numbers": "1004483 abc"})
    assert bad.status_code == 400 and "1004483 abc" in bad.data.decode()
    unseen = agent.post(f"/knownissuemodelview/link/{issue.id}",
                        data={"csrf_token": token, "numbers": "1004483"})
    assert unseen.status_code == 400 and "1004483" in ascii_digits(unseen.data.decode())


def test_agent_cannot_add_to_another_department(as_user):
    agent = as_user("agent")
    token, _ = csrf(agent, "/knownissuemodelview/add")
    agent.post("/knownissuemodelview/add", data={
        "csrf_token": token, "title": "نفوذ", "department": str(department_id("Training"))})
    assert db.session.scalars(select(KnownIssue).filter_by(title="نفوذ")).first() is None


def test_clerks_and_supervisors_have_no_screen(as_user):
    issue = make_issue()
    for name in ("clerk", "supervisor"):
        client = as_user(name)
        for url in ("/knownissuemodelview/list/", f"/knownissuemodelview/show/{issue.id}"):
            assert client.get(url).status_code in (302, 403), (name, url)
        assert client.post(f"/knownissuemodelview/resolve/{issue.id}",
                           data={"body": "x", "key": "k"}).status_code in (302, 400, 403)
    assert db.session.scalars(select(Message).filter_by(body="x")).first() is None


def test_posting_the_resolution_from_the_page_twice_answers_once(as_user):
    issue = make_issue()
    known_issues.link_numbers(db.session, user("agent"), issue, [1004481, 1004482])
    agent = as_user("agent")
    token, page = csrf(agent, f"/knownissuemodelview/show/{issue.id}")
    key = re.search(r'id="key" name="key" type="hidden" value="([0-9a-f]+)"', page).group(1)
    form = {"csrf_token": token, "body": "برطرف شد", "key": key}
    assert agent.post(f"/knownissuemodelview/resolve/{issue.id}", data=form).status_code == 302
    assert agent.post(f"/knownissuemodelview/resolve/{issue.id}", data=form).status_code in (302, 404)
    for number in (1004481, 1004482):
        t = ticket(number)
        assert db.session.scalars(select(Message).filter_by(ticket_id=t.id, body="برطرف شد")
                                  ).all().__len__() == 1
    empty = agent.post(f"/knownissuemodelview/resolve/{make_issue().id}",
                       data={"csrf_token": token, "body": " ", "key": "k2"})
    assert empty.status_code == 400


def test_ticket_page_panel_links_and_marks(as_user):
    issue = make_issue(published=False)
    agent = as_user("agent")
    page = agent.get("/support/tickets/1004482").data.decode()
    assert 'id="known-issue-panel"' in page and "قطعی سامانه" in page
    assert agent.post("/support/tickets/1004482/known-issue",
                      data={"known_issue": str(issue.id)}).status_code == 302
    assert known_issues.issue_of_ticket(db.session, ticket(1004482)).id == issue.id
    assert 'id="ticket-known-issue"' in agent.get("/support/tickets/1004482").data.decode()
    response = agent.post("/support/tickets/1004481/mark-known", data={"published": "y"})
    marked = known_issues.issue_of_ticket(db.session, ticket(1004481))
    assert response.status_code == 302 and marked.published and marked.title == "اصلاح مشخصات کاربری"
    # a Training known issue is not offered to the Technical support agent, nor accepted
    training = make_issue(actor="manager", department="Training", title="آموزش")
    agent.post("/support/tickets/1004482/known-issue", data={"known_issue": str(training.id)})
    assert known_issues.issue_of_ticket(db.session, ticket(1004482)).id == issue.id


def test_clerks_cannot_link_or_mark(as_user):
    issue = make_issue()
    clerk = as_user("clerk")
    for url, data in (("/support/tickets/1004482/known-issue", {"known_issue": str(issue.id)}),
                      ("/support/tickets/1004482/mark-known", {})):
        assert clerk.post(url, data=data).status_code in (302, 403)
    assert known_issues.issue_of_ticket(db.session, ticket(1004482)) is None


def test_clerk_sees_the_published_known_issue_only(as_user):
    issue = make_issue(published=False)
    known_issues.link_numbers(db.session, user("agent"), issue, [1004481])
    clerk = as_user("clerk")
    assert 'id="known-issue-line"' not in clerk.get("/support/tickets/1004481").data.decode()
    db.session.get(KnownIssue, issue.id).published = True
    db.session.commit()
    page = clerk.get("/support/tickets/1004481").data.decode()
    assert 'id="known-issue-line"' in page and "قطعی سامانه" in page

"""The per-process reference cache: hits skip the database, this worker's writes show at once,
other workers' writes show after REFERENCE_CACHE_SECONDS, and 0 turns it off."""
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select, update

from app.domain.canned import canned_for
from app.domain.departments import active_departments
from app.extensions import db
from app.infra.reference_cache import ReferenceCache, reference_cache
from app.models import CannedReply, Department
from tests.helpers import StatementCounter, department_id, ticket


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_entries_live_for_the_configured_seconds():
    clock = FakeClock()
    cache = ReferenceCache(30, clock=clock)
    loads = []
    assert cache.get("k", lambda: loads.append(1) or "first") == "first"
    clock.now += 29.9
    assert cache.get("k", lambda: loads.append(1) or "second") == "first"
    clock.now += 0.2
    assert cache.get("k", lambda: loads.append(1) or "third") == "third"
    assert len(loads) == 2


def test_zero_seconds_always_loads():
    cache = ReferenceCache(0)
    values = iter(["a", "b"])
    assert cache.get("k", lambda: next(values)) == "a"
    assert cache.get("k", lambda: next(values)) == "b"


def test_a_hit_asks_the_database_nothing(app):
    active_departments(db.session)
    with StatementCounter() as counter:
        names = [d.name for d in active_departments(db.session)]
    assert counter.count == 0
    assert "آموزش" in names


def _manager_renames_training(as_user) -> None:
    """Through the manager's FAB screen, as people change reference data."""
    training = department_id("Training")
    response = as_user("manager").post(f"/departmentmodelview/edit/{training}", data={
        "name": "آموزش کارکنان", "name_en": "Training", "active": "y", "ordering": "2",
        "first_response_target_hours": "4", "resolution_target_hours": "24"})
    assert response.status_code == 302, response.data[:300]


def test_this_workers_edit_shows_at_once(as_user):
    clerk = as_user("clerk")
    assert "آموزش" in clerk.get("/support/new").data.decode()  # cached now
    _manager_renames_training(as_user)
    assert "آموزش کارکنان" in clerk.get("/support/new").data.decode()


def test_deactivated_department_leaves_the_forms_at_once(as_user):
    clerk = as_user("clerk")
    clerk.get("/support/inbox")
    department = db.session.get(Department, department_id("Training"))
    department.active = False
    db.session.commit()
    assert f'value="{department.id}"' not in clerk.get("/support/inbox").data.decode()
    assert f'value="{department.id}"' not in clerk.get("/support/new").data.decode()


def test_revoked_permission_refused_at_once(as_user):
    clerk = as_user("clerk")
    assert clerk.get("/support/inbox").status_code == 200
    role = db.session.scalars(select(Role).filter_by(name="Clerk")).one()
    granted = list(role.permissions)
    role.permissions = [pv for pv in granted
                        if (pv.permission.name, pv.view_menu.name) != ("can_access", "Support")]
    db.session.commit()
    try:
        assert clerk.get("/support/inbox").status_code in (302, 403)
    finally:  # roles are kept between tests
        role.permissions = granted
        db.session.commit()
    assert clerk.get("/support/inbox").status_code == 200


def test_another_workers_edit_shows_after_the_ttl(app):
    """A write this process did not make (here: SQL behind the ORM) waits for the entry to age."""
    clock = FakeClock()
    cache = reference_cache()
    cache.clock, cache.seconds = clock, 30
    try:
        target = ticket(1004481)
        db.session.add(CannedReply(title="سلام", body="متن", department_id=None, active=True))
        db.session.commit()
        assert [c.title for c in canned_for(db.session, target)] == ["سلام"]
        db.session.execute(update(CannedReply).values(title="درود"))
        db.session.commit()
        assert [c.title for c in canned_for(db.session, target)] == ["سلام"]
        clock.now += 31
        assert [c.title for c in canned_for(db.session, target)] == ["درود"]
    finally:
        cache.clock = __import__("time").monotonic
        cache.seconds = app.config["REFERENCE_CACHE_SECONDS"]


def _menu_links(html: str) -> set[str]:
    import re

    navbar = html.split('class="nav navbar-nav"', 1)[1].split("navbar-right", 1)[0]
    return set(re.findall(r'href="(/[^"]*)"', navbar))


def test_menu_follows_roles_language_and_permission_changes(as_user):
    """The cached menu: per role set and language, and a revoked menu entry goes at once."""
    manager_menu = _menu_links(as_user("manager").get("/ticketmodelview/list/").data.decode())
    clerk = as_user("clerk")
    clerk_menu = _menu_links(clerk.get("/support/inbox").data.decode())
    assert "/departmentmodelview/list/" in manager_menu
    assert "/departmentmodelview/list/" not in clerk_menu and "/support/inbox" in clerk_menu
    assert "صندوق پیام" in clerk.get("/support/inbox").data.decode()
    clerk.get("/lang/en")
    assert "Message box" in clerk.get("/support/inbox").data.decode().split("navbar-right")[0]

    role = db.session.scalars(select(Role).filter_by(name="Manager")).one()
    granted = list(role.permissions)
    role.permissions = [pv for pv in granted if (pv.permission.name, pv.view_menu.name)
                        != ("menu_access", "Departments")]
    db.session.commit()
    try:
        menu = _menu_links(as_user("manager").get("/ticketmodelview/list/").data.decode())
        assert "/departmentmodelview/list/" not in menu
    finally:  # roles are kept between tests
        role.permissions = granted
        db.session.commit()


def test_another_workers_edit_shows_on_the_next_signed_in_request(app, as_user):
    """A second app on the same database stands for another worker process: the version read
    with the user tells it that its cached departments are stale, long before the TTL."""
    from app import create_app
    from config import TestConfig
    from tests.conftest import FreshContextClient, login

    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"], REFERENCE_CACHE_SECONDS=3600)
    other.test_client_class = FreshContextClient
    other_clerk = login(other.test_client(), "clerk")
    assert "آموزش" in other_clerk.get("/support/new").data.decode()  # cached there now

    _manager_renames_training(as_user)
    assert "آموزش کارکنان" in other_clerk.get("/support/new").data.decode()
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def test_own_commit_records_the_new_version(app):
    """This worker cleared at its commit: its next request must not clear and reload again."""
    from app.infra.reference_cache import VERSION_ROW
    from app.models import TicketCounter

    department = db.session.get(Department, department_id("Training"))
    department.ordering += 1
    db.session.commit()
    version = db.session.get(TicketCounter, VERSION_ROW).value
    assert reference_cache().version == version
    active_departments(db.session)  # filled again
    with StatementCounter() as counter:
        reference_cache().observe(version)  # what the next request reads with its user
        active_departments(db.session)
    assert counter.count == 0


def _agent_options(client) -> set[str]:
    """The names in the ticket page's "assign to" drop-down."""
    import re

    page = client.get("/support/tickets/1004481").data.decode()
    select = re.search(r'<select[^>]*name="assignee".*?</select>', page, re.S).group(0)
    return set(re.findall(r"<option[^>]*>([^<]*)</option>", select)) - {"-"}


def test_the_agents_drop_down_follows_user_changes_at_once(as_user):
    from app.domain.roles import AGENT
    from app.models import HamrahUser

    agent = as_user("agent")
    before = _agent_options(agent)  # kept now
    other = db.session.scalars(select(HamrahUser).filter_by(username="agent2")).one()
    name = other.shown_name
    assert name not in before
    other.departments.append(db.session.get(Department, department_id()))  # joins the department
    db.session.commit()
    assert name in _agent_options(agent)
    other.display_name = "کارشناس تازه"
    db.session.commit()
    assert "کارشناس تازه" in _agent_options(agent)
    other.active = False
    db.session.commit()
    assert "کارشناس تازه" not in _agent_options(agent)
    other.active = True
    other.roles = [r for r in other.roles if r.name != AGENT]  # no longer an agent
    db.session.commit()
    assert "کارشناس تازه" not in _agent_options(agent)


def test_a_sign_in_leaves_the_cache_alone(app, as_user):
    """Signing in writes the user (last login, login count), not what the cache keeps."""
    from app.infra.reference_cache import VERSION_ROW
    from app.models import TicketCounter

    version = db.session.get(TicketCounter, VERSION_ROW).value
    as_user("clerk")
    db.session.expire_all()
    assert db.session.get(TicketCounter, VERSION_ROW).value == version

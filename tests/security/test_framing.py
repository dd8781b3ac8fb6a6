"""Framing by role (issue 18, item 5): the clerk's screens may be framed by the host origins,
every staff page says `frame-ancestors 'none'`, whatever its URL (the agent's ticket page
shares /support/tickets/<number> with the clerk's)."""
import pytest

HOSTS = ["https://host.example", "https://other-host.example"]
CLERK_PAGES = ["/support/popup", "/support/new", "/support/inbox", "/support/tickets/1004481",
               "/support/announcements/"]
STAFF_PAGES = {
    "agent": ["/support/tickets/1004481", "/support/inbox", "/support/new",
              "/support/announcements/", "/ticketmodelview/list/", "/users/userinfo/",
              "/swagger/v1"],
    "manager": ["/support/tickets/1004481", "/dashboard/", "/departmentmodelview/list/",
                "/departmentmodelview/add", "/officemodelview/list/", "/users/list/",
                "/roles/list/", "/announcementmodelview/list/", "/ticketmodelview/list/"],
    "supervisor": ["/support/tickets/1004481", "/ticketmodelview/list/", "/dashboard/"],
}


@pytest.fixture
def hosts(app):
    app.config["HOST_ORIGINS"] = list(HOSTS)
    yield
    app.config["HOST_ORIGINS"] = []


def _ancestors(response) -> list[str]:
    policy = response.headers["Content-Security-Policy"]
    part = next(p.strip() for p in policy.split(";") if p.strip().startswith("frame-ancestors"))
    return part.split()[1:]


@pytest.mark.parametrize("path", CLERK_PAGES)
def test_each_clerk_page_may_be_framed_by_the_host_origins(hosts, as_user, path):
    response = as_user("clerk").get(path)
    assert response.status_code == 200, path
    assert _ancestors(response) == ["'self'", *HOSTS]
    assert "X-Frame-Options" not in response.headers


def test_the_sign_in_page_is_framable_before_sign_in(hosts, client):
    """The clerk signs in inside the popup's frame when no host token came with it."""
    response = client.get("/login/")
    assert _ancestors(response) == ["'self'", *HOSTS]
    failed = client.post("/login/", data={"username": "clerk", "password": "wrong"},
                         follow_redirects=True)
    assert _ancestors(failed) == ["'self'", *HOSTS]


@pytest.mark.parametrize("username,path", [(u, p) for u, paths in sorted(STAFF_PAGES.items())
                                           for p in paths])
def test_every_staff_page_is_never_framed(hosts, as_user, username, path):
    response = as_user(username).get(path)
    assert response.status_code in (200, 403), (username, path, response.status_code)
    assert _ancestors(response) == ["'none'"], (username, path)
    assert response.headers["X-Frame-Options"] == "DENY"


def test_the_widgets_frame_check_is_framable_before_sign_in(hosts, client):
    """The dialog's first stop asks whether the frame keeps a cookie; framed by the host page
    before anyone signed in, or the same-site dialog would wait for an answer that never comes."""
    first = client.get("/support/frame?host=https://host.example")
    assert first.status_code == 302
    assert _ancestors(first) == ["'self'", *HOSTS]
    check = client.get(first.headers["Location"])
    assert check.status_code == 200
    assert _ancestors(check) == ["'self'", *HOSTS]
    assert "X-Frame-Options" not in check.headers


def test_a_clerk_page_is_not_framable_when_signed_out(hosts, client):
    """Not signed in, the clerk's pages only redirect to the (framable) sign-in page."""
    response = client.get("/support/inbox")
    assert response.status_code == 302
    assert _ancestors(response) == ["'none'"]


def test_a_clerk_who_is_also_an_agent_gets_the_staff_policy(hosts, app, as_user):
    from app.extensions import db
    from app.models import HamrahUser

    with app.app_context():
        user = db.session.query(HamrahUser).filter_by(username="clerk").one()
        agent = db.session.query(HamrahUser).filter_by(username="agent").one()
        user.roles = [*user.roles, *agent.roles]
        db.session.commit()
    response = as_user("clerk").get("/support/tickets/1004481")
    assert response.status_code == 200
    assert _ancestors(response) == ["'none'"]


def test_json_and_unknown_paths_are_never_framed(hosts, as_user):
    client = as_user("clerk")
    for path in ("/no/such/page", "/support/no-such-page", "/api/v1/tickets/"):
        assert _ancestors(client.get(path)) == ["'none'"], path

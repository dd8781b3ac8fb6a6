"""The attacker suite's fixtures: API tokens, CSRF switched on, apps with other settings."""
import pytest
from jinja2 import StrictUndefined
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from config import TestConfig
from tests.conftest import FreshContextClient

API = "/api/v1"


@pytest.fixture(autouse=True)
def jwt_key(app):
    """PyJWT warns (and pytest fails) on HMAC keys under 32 bytes; TestConfig's key is shorter."""
    app.config["JWT_SECRET_KEY"] = "test-jwt-secret-key-of-at-least-32-bytes"


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def api_headers(client, username) -> dict:
    response = client.post(f"{API}/security/login", json={
        "username": username, "password": username, "provider": "db"})
    assert response.status_code == 200, response.data[:300]
    return {"Authorization": f"Bearer {response.json['access_token']}"}


@pytest.fixture
def api_as(app):
    """`api_as("clerk")` -> (client, headers) with a JWT."""

    def make(username):
        client = app.test_client()
        return client, api_headers(client, username)

    return make


@pytest.fixture
def csrf_on(app):
    """CSRF is off in TestConfig; the CSRF tests turn it on for the shared app, then back."""
    before = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = before


_APPS: dict = {}


@pytest.fixture
def make_app(app):
    """Another app on the same database with some settings changed (rate limits on, a proxy
    in front, ...); built once per set of settings for the whole session."""

    def build(**overrides):
        key = tuple(sorted(overrides.items()))
        if key not in _APPS:
            other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=app.config[
                "SQLALCHEMY_DATABASE_URI"], ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"],
                **overrides)
            other.jinja_env.undefined = StrictUndefined
            other.test_client_class = FreshContextClient
            other.config["JWT_SECRET_KEY"] = "test-jwt-secret-key-of-at-least-32-bytes"
            _APPS[key] = other
        return _APPS[key]

    return build


def login(client, username, password=None):
    return client.post("/login/", data={"username": username, "password": password or username})


@pytest.fixture(scope="session", autouse=True)
def _dispose_other_apps():
    yield
    for other in _APPS.values():
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def admin(app):
    """A signed-in Admin (the demo data has none)."""
    sm = app.appbuilder.sm
    if sm.find_user(username="admin") is None:
        sm.add_user("admin", "Admin", "User", "admin@example.org", sm.find_role("Admin"),
                    password="admin")
    client = app.test_client()
    assert login(client, "admin").status_code == 302
    return client


def list_urls(app) -> dict[str, str]:
    """Every FAB list page: URL -> the view's class name (its paging arguments' suffix)."""
    urls = {}
    for name, view in ((v.__class__.__name__, v) for v in app.appbuilder.baseviews):
        if hasattr(view, "list") and hasattr(view, "datamodel") and hasattr(view, "route_base"):
            urls[f"{view.route_base}/list/"] = name
    return urls

"""What an operator and a load balancer rely on: production refuses settings that would break
a guarantee, a readiness probe beside the liveness one, and the node named in every answer."""
import pytest

from app import create_app
from config import DEFAULT_SECRET_KEY, TestConfig

PRODUCTION = {"ENV_NAME": "production", "SECRET_KEY": "a-real-secret-of-enough-length-0123456789",
              "RATELIMIT_ENABLED": True}


def test_production_refuses_per_process_rate_limit_storage(tmp_path):
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(TestConfig, **PRODUCTION, RATELIMIT_STORAGE_URI="memory://",
                   SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/never.db")
    assert not (tmp_path / "never.db").exists()  # refused before touching anything


def test_production_refuses_the_default_secret(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(TestConfig, **{**PRODUCTION, "SECRET_KEY": DEFAULT_SECRET_KEY},
                   RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                   SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/never.db")


def test_production_starts_with_shared_rate_limit_storage(app):
    other = create_app(TestConfig, **PRODUCTION, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                       SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                       ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"])
    assert other.config["ENV_NAME"] == "production"


def test_development_keeps_memory_storage_for_the_quick_start(app):
    assert app.config["ENV_NAME"] != "production"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_every_response_names_its_node(app, client):
    before, app.config["NODE_NAME"] = app.config["NODE_NAME"], "node-a"
    try:
        assert client.get("/healthz").headers["X-Hamrah-Node"] == "node-a"
        assert client.get("/no-such-page").headers["X-Hamrah-Node"] == "node-a"
    finally:
        app.config["NODE_NAME"] = before


def test_ready_when_database_and_storage_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ready"


def test_not_ready_when_storage_is_unreachable(app, client, tmp_path):
    from app.infra.file_storage import LocalStorage

    gone = LocalStorage(str(tmp_path / "attachments"))
    (tmp_path / "attachments").rmdir()  # the shared directory vanished (unmounted)
    app.extensions["hamrah_storage"] = gone
    try:
        response = client.get("/readyz")
    finally:
        app.extensions.pop("hamrah_storage")
    assert response.status_code == 503
    assert "storage" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200  # alive, just not ready

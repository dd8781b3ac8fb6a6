"""JWT login for every demo role, the OpenAPI document, and what opens nothing."""
import pytest

from app.extensions import db
from tests.api.conftest import API, login_token, user


@pytest.mark.parametrize("username", ["clerk", "clerk3", "agent", "agent2", "manager"])
def test_every_demo_role_logs_in_and_reads_tickets(client, api, username):
    assert login_token(client, username)
    response = api(username).get(f"{API}/tickets/")
    assert response.status_code == 200
    assert response.json["count"] >= 1


def test_wrong_password_is_refused(client):
    response = client.post(f"{API}/security/login",
                           json={"username": "clerk", "password": "nope", "provider": "db"})
    assert response.status_code == 401


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-jwt"},
                                     {"Authorization": "Basic Y2xlcms6Y2xlcms="}])
def test_no_valid_token_no_data(client, headers):
    response = client.get(f"{API}/tickets/", headers=headers)
    assert response.status_code == 401
    assert response.is_json and set(response.json) == {"message"}


def test_expired_token_is_401(app, api):
    from datetime import timedelta

    lifetime = app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    app.config["JWT_ACCESS_TOKEN_EXPIRES"] = timedelta(seconds=-1)
    try:
        clerk = api("clerk")
    finally:
        app.config["JWT_ACCESS_TOKEN_EXPIRES"] = lifetime
    assert clerk.get(f"{API}/tickets/").status_code == 401


def test_browser_session_alone_does_not_open_the_api(as_user):
    """JWT only: a cookie a cross-site page could ride on opens nothing (and needs no CSRF)."""
    assert as_user("clerk").get(f"{API}/tickets/").status_code == 401


def test_token_of_a_deactivated_user_stops_working(api):
    clerk = api("clerk")
    user("clerk").active = False
    db.session.commit()
    assert clerk.get(f"{API}/tickets/").status_code == 401


def test_openapi_document_lists_the_ticket_routes(api):
    response = api("clerk").get(f"{API}/_openapi")
    assert response.status_code == 200
    paths = response.json["paths"]
    for path in ["/api/v1/tickets/", "/api/v1/tickets/{number}", "/api/v1/tickets/{number}/status",
                 "/api/v1/tickets/{number}/messages", "/api/v1/tickets/{number}/rating",
                 "/api/v1/tickets/{number}/attachments/{attachment_id}",
                 "/api/v1/departments/", "/api/v1/announcements/"]:
        assert path in paths, path
    assert paths["/api/v1/tickets/{number}"]["get"]["security"] == [{"jwt": []}]
    assert "TicketCreateIn" in response.json["components"]["schemas"]


def test_swagger_ui_for_a_logged_in_user(as_user):
    assert as_user("manager").get("/swagger/v1").status_code == 200

"""The popup, the widget script, the demo host page and host sign-in tokens."""
import time

import jwt
import pytest
from sqlalchemy import select

from app.domain.host_signin import host_secret, make_token
from app.extensions import db
from app.models import HamrahUser, Office


def _token(app, **claims):
    now = int(time.time())
    base = {"sub": "newclerk", "name": "کاربر تازه", "office_code": "2001",
            "office_name": "شهر نمونه ۳", "iat": now, "exp": now + 120, "jti": f"j{now}{claims}"}
    base.update(claims)
    with app.test_request_context():
        return jwt.encode(base, host_secret(), algorithm="HS256")


def test_popup_shows_three_entries_with_counts(as_user):
    clerk = as_user("clerk")
    page = clerk.get("/support/popup?_l_=en").data.decode()
    for entry in ("popup-new-ticket", "popup-inbox", "popup-announcements"):
        assert entry in page
    assert 'title="Unread answers">1<' in page  # demo ticket 1004481 has an unread answer
    assert 'title="Unread announcements">1<' in page


def test_popup_passes_context_to_new_ticket_form(as_user):
    page = as_user("clerk").get(
        "/support/popup?tracking_number=99010294000080&national_id=0499370899&activity=x").data
    assert b"tracking_number=99010294000080" in page and b"national_id=0499370899" in page


def test_popup_sends_anonymous_to_login(client):
    response = client.get("/support/popup?tracking_number=1")
    assert response.status_code == 302 and "/login/" in response.headers["Location"]


def test_token_signs_in_and_creates_clerk_and_office(app):
    client = app.test_client()
    response = client.get("/support/popup?tracking_number=99010294000080&token="
                          + _token(app))
    assert response.status_code == 302 and "token" not in response.headers["Location"]
    assert client.get("/support/inbox").status_code == 200
    user = db.session.scalars(select(HamrahUser).filter_by(username="newclerk")).one()
    assert {r.name for r in user.roles} == {"Clerk"}
    assert db.session.get(Office, user.office_id).code == "2001"


def test_token_is_single_use(app):
    token = _token(app)
    assert app.test_client().get("/support/popup?token=" + token).status_code == 302
    second = app.test_client()
    assert second.get("/support/popup?token=" + token).status_code == 401
    assert second.get("/support/inbox").status_code == 302  # not signed in


@pytest.mark.parametrize("claims", [
    {"exp": int(time.time()) - 10, "iat": int(time.time()) - 100},  # expired
    {"exp": int(time.time()) + 3600},  # lives longer than 5 minutes
    {"sub": ""},
    {"office_code": ""},
])
def test_bad_tokens_sign_nobody_in(app, claims):
    client = app.test_client()
    assert client.get("/support/popup?token=" + _token(app, **claims)).status_code == 401
    assert client.get("/support/inbox").status_code == 302


def test_token_with_wrong_secret_refused(app):
    now = int(time.time())
    forged = jwt.encode({"sub": "clerk", "office_code": "1001", "iat": now, "exp": now + 60,
                         "jti": "x"}, "not-the-secret-but-long-enough-for-hs256!", algorithm="HS256")
    client = app.test_client()
    assert client.get("/support/popup?token=" + forged).status_code == 401


def test_token_cannot_take_over_a_staff_account(app):
    client = app.test_client()
    assert client.get("/support/popup?token=" + _token(app, sub="manager")).status_code == 401
    assert client.get("/support/inbox").status_code == 302


def test_widget_script_and_demo_host(client):
    script = client.get("/support/widget.js")
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert b"hamrah-support-button" in script.data
    host = client.get("/support/demo-host").data.decode()
    assert "/support/widget.js" in host and 'data-tracking-number="99010294000080"' in host
    assert "<script>" not in host  # no inline script


def test_demo_host_can_be_disabled(app, client):
    app.config["DEMO_HOST_ENABLED"] = False
    try:
        assert client.get("/support/demo-host").status_code == 404
    finally:
        app.config["DEMO_HOST_ENABLED"] = True


def test_demo_host_token_signs_in_the_demo_clerk(app):
    with app.test_request_context():
        token = make_token("clerk", "کاربر دفتر ۱", "1001", "شهر نمونه ۱")
    client = app.test_client()
    client.get("/support/popup?token=" + token)
    assert client.get("/support/inbox").status_code == 200

"""The widget's unread endpoint (/support/unread), its badge token, the frame probe and the
widget script's size."""
import gzip
import re

import pytest

from app.extensions import db
from tests.helpers import StatementCounter, last_ticket_number, new_ticket_form

HOST = "https://cases.host.example"


@pytest.fixture
def host_origins(app):
    app.config["HOST_ORIGINS"] = [HOST]
    yield
    app.config["HOST_ORIGINS"] = []


def _badge(clerk) -> str:
    page = clerk.get(f"/support/popup?host={HOST}").data.decode()
    return re.search(r'data-badge="([^"]+)"', page).group(1)


def test_200_with_json_numbers_and_an_etag(as_user):
    response = as_user("clerk").get("/support/unread")
    assert response.status_code == 200
    assert response.json == {"unread_answers": 1, "unread_announcements": 1, "total": 2}
    assert response.headers["ETag"] and "no-cache" in response.headers["Cache-Control"]


def test_language_does_not_change_the_numbers(as_user):
    clerk = as_user("clerk")
    persian = clerk.get("/support/unread?_l_=fa")
    english = clerk.get("/support/unread?_l_=en")
    assert persian.json == english.json and persian.headers["ETag"] == english.headers["ETag"]
    assert all(isinstance(v, int) for v in persian.json.values())


def test_304_with_if_none_match_costs_only_the_counter_query(as_user):
    clerk = as_user("clerk")
    etag = clerk.get("/support/unread").headers["ETag"]
    with StatementCounter() as counter:
        again = clerk.get("/support/unread", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    with StatementCounter() as full:
        clerk.get("/support/unread")
    assert counter.count <= full.count


def test_304_by_badge_token_is_two_statements_the_user_and_the_counters(app, as_user,
                                                                          host_origins):
    token = _badge(as_user("clerk"))
    client, auth = app.test_client(), {"Authorization": f"Bearer {token}", "Origin": HOST}
    etag = client.get("/support/unread", headers=auth).headers["ETag"]
    with StatementCounter() as counter:
        again = client.get("/support/unread", headers={**auth, "If-None-Match": etag})
    assert again.status_code == 304 and counter.count == 2, counter.statements


def test_changes_when_an_agent_answers(as_user):
    clerk, agent = as_user("clerk"), as_user("agent")
    assert clerk.post("/support/new", data=new_ticket_form(),
                      content_type="multipart/form-data").status_code == 302
    number = last_ticket_number()
    before = clerk.get("/support/unread")
    assert agent.post(f"/support/tickets/{number}/reply",
                      data={"body": "پاسخ کارشناس"}).status_code == 302
    after = clerk.get("/support/unread", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.json["unread_answers"] == before.json["unread_answers"] + 1
    assert after.headers["ETag"] != before.headers["ETag"]


def test_anonymous_refused(client):
    response = client.get("/support/unread")
    assert response.status_code == 401 and "unread_answers" not in response.get_data(as_text=True)


def test_bad_badge_token_refused(client):
    response = client.get("/support/unread", headers={"Authorization": "Bearer forged.token"})
    assert response.status_code == 401


def test_badge_token_from_the_popup_reads_the_counts_cross_origin(app, as_user, host_origins):
    token = _badge(as_user("clerk"))
    response = app.test_client().get("/support/unread", headers={
        "Authorization": f"Bearer {token}", "Origin": HOST})
    assert response.status_code == 200 and response.json["total"] == 2
    assert response.headers["Access-Control-Allow-Origin"] == HOST
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_preflight_only_for_host_origins(app, host_origins):
    client = app.test_client()
    ok = client.options("/support/unread", headers={
        "Origin": HOST, "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization"})
    assert ok.status_code == 204 and ok.headers["Access-Control-Allow-Origin"] == HOST
    assert "Authorization" in ok.headers["Access-Control-Allow-Headers"]
    other = client.options("/support/unread", headers={"Origin": "https://evil.example",
                                                      "Access-Control-Request-Method": "GET"})
    assert other.status_code == 403 and "Access-Control-Allow-Origin" not in other.headers


def test_other_origins_refused_even_with_a_valid_token(app, as_user, host_origins):
    token = _badge(as_user("clerk"))
    response = app.test_client().get("/support/unread", headers={
        "Authorization": f"Bearer {token}", "Origin": "https://evil.example"})
    assert response.status_code == 403 and "Access-Control-Allow-Origin" not in response.headers


def test_badge_token_only_from_an_allowed_host(as_user, host_origins):
    page = as_user("clerk").get("/support/popup?host=https://evil.example").data.decode()
    assert "hamrah-host-bridge" not in page  # no bridge, no token for an origin we do not know


def test_badge_token_of_an_inactive_user_refused(app, as_user, host_origins):
    from sqlalchemy import select

    from app.models import HamrahUser

    token = _badge(as_user("clerk"))
    db.session.scalars(select(HamrahUser).filter_by(username="clerk")).one().active = False
    db.session.commit()
    assert app.test_client().get("/support/unread", headers={
        "Authorization": f"Bearer {token}"}).status_code == 401


def test_frame_probe_never_reads_a_token_and_reports_the_cookie(app, host_origins):
    client = app.test_client()
    first = client.get(f"/support/frame?host={HOST}&token=anything")
    assert first.status_code == 302 and "token" not in first.headers["Location"]
    assert "hamrah_frame_probe=1" in first.headers["Set-Cookie"]
    assert "SameSite=Lax" in first.headers["Set-Cookie"]
    kept = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "session: true" in kept and f'"{HOST}"' in kept
    dropped = app.test_client().get(first.headers["Location"]).get_data(as_text=True)
    assert "session: false" in dropped  # a browser that dropped the cookie


def test_frame_probe_posts_nowhere_for_unknown_hosts(app, host_origins):
    client = app.test_client()
    first = client.get("/support/frame?host=https://evil.example")
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "evil.example" not in page and 'var host = "";' in page


def test_widget_script_is_at_most_8_kb_gzipped(client):
    response = client.get("/support/widget.js")
    assert response.status_code == 200 and b"HamrahSupport" in response.data
    size = len(gzip.compress(response.data, compresslevel=9))
    assert size <= 8 * 1024, f"widget.js is {size} bytes gzipped"


def test_new_ticket_number_reaches_the_bridge_once(as_user, host_origins):
    clerk = as_user("clerk")
    clerk.get(f"/support/popup?host={HOST}")
    created = clerk.post("/support/new", data=new_ticket_form(), content_type="multipart/form-data")
    page = clerk.get(created.headers["Location"]).get_data(as_text=True)
    assert f'data-created="{last_ticket_number()}"' in page
    assert 'data-created=""' in clerk.get(created.headers["Location"]).get_data(as_text=True)

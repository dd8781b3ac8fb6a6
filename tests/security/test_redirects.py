"""No open redirect through `next` (login, language switch) or anywhere else."""
from urllib.parse import urlsplit

import pytest

EVIL = ["//evil.example", "https://evil.example", "http://evil.example/x", "/\\evil.example",
        "\\\\evil.example", "/\\/evil.example", "/\t/evil.example", "//evil.example/%2F..",
        "javascript:alert(1)", "https:evil.example", " //evil.example", "\x00//evil.example",
        "https://evil.example@localhost/", "http://localhost.evil.example/"]


def _stays_here(location: str) -> bool:
    """Where a browser would go: relative, or this host; never another host."""
    if location is None:
        return True
    normalised = location.replace("\\", "/").replace("\t", "").replace("\n", "").strip()
    parts = urlsplit(normalised)
    return parts.scheme in ("", "http", "https") and parts.netloc in ("", "localhost")


@pytest.mark.parametrize("target", EVIL)
def test_login_next_never_leaves_the_site(client, target):
    page = client.get("/login/", query_string={"next": target})
    assert page.status_code in (200, 302, 400)  # 400: a NUL character is never a URL
    assert _stays_here(page.headers.get("Location"))
    response = client.post("/login/", query_string={"next": target},
                           data={"username": "clerk", "password": "clerk"})
    assert response.status_code in (302, 400)
    assert _stays_here(response.headers.get("Location")), response.headers.get("Location")


@pytest.mark.parametrize("target", EVIL)
def test_signed_in_user_on_login_page_is_not_sent_away(as_user, target):
    response = as_user("clerk").get("/login/", query_string={"next": target})
    assert _stays_here(response.headers.get("Location")), response.headers.get("Location")


@pytest.mark.parametrize("target", EVIL)
def test_language_switch_ignores_next(as_user, target):
    response = as_user("clerk").get("/lang/en", query_string={"next": target})
    assert response.status_code in (302, 400)
    assert _stays_here(response.headers.get("Location"))


def test_language_switch_with_a_forged_referer_stays_here(as_user):
    response = as_user("clerk").get("/lang/en", headers={"Referer": "https://evil.example/"})
    assert _stays_here(response.headers["Location"])


def test_safe_next_still_works(client):
    response = client.post("/login/", query_string={"next": "/support/inbox?q=1"},
                           data={"username": "clerk", "password": "clerk"})
    assert response.status_code == 302 and response.headers["Location"] == "/support/inbox?q=1"


def test_absolute_next_on_this_host_still_works(client):
    """FAB itself sends people to the login page with an absolute `next` of this host."""
    response = client.post("/login/", query_string={"next": "http://localhost/support/new"},
                           data={"username": "clerk", "password": "clerk"})
    assert response.headers["Location"] == "http://localhost/support/new"


def test_popup_sign_in_round_trip_keeps_its_context(client):
    popup = client.get("/support/popup?tracking_number=99010294000080")
    assert popup.status_code == 302
    login_url = popup.headers["Location"]
    assert login_url.startswith("/login/?next=")
    response = client.post(login_url, data={"username": "clerk", "password": "clerk"})
    assert response.headers["Location"].startswith("/support/popup?tracking_number=")

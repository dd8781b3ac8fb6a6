"""Security headers: CSP without inline script (nonces), framing rules, nosniff, HTTPS."""
import re

import pytest

from tests.security.conftest import login

PAGES = {
    "clerk": ["/support/inbox", "/support/new", "/support/tickets/1004481", "/support/popup",
              "/support/announcements/", "/users/userinfo/"],
    "agent": ["/ticketmodelview/list/", "/support/tickets/1004481", "/support/inbox"],
    "manager": ["/departmentmodelview/list/", "/departmentmodelview/add", "/users/list/",
                "/roles/list/", "/announcementmodelview/add", "/officemodelview/list/"],
}
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
            for part in (p.strip() for p in policy.split(";"))}


def _check_page(response):
    assert response.status_code == 200, response.request.path
    csp = _csp(response)
    nonce = re.search(r"'nonce-([^']+)'", csp["script-src"]).group(1)
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == "'none'" and csp["base-uri"] == "'self'"
    html = response.data.decode()
    for attributes in SCRIPT_TAG.findall(html):  # every script carries this request's nonce
        assert f'nonce="{nonce}"' in attributes, (response.request.path, attributes)
    assert not INLINE_HANDLER.search(html), response.request.path
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    return csp, nonce


@pytest.mark.parametrize("username", sorted(PAGES))
def test_pages_have_a_nonce_csp_and_no_inline_handlers(as_user, username):
    client = as_user(username)
    nonces = set()
    for path in PAGES[username]:
        _csp_parts, nonce = _check_page(client.get(path))
        nonces.add(nonce)
    assert len(nonces) == len(PAGES[username])  # a new nonce for every response


def test_login_page_has_the_csp(client):
    _check_page(client.get("/login/"))


@pytest.mark.parametrize("path", ["/support/popup", "/support/inbox", "/support/new",
                                  "/support/tickets/1004481", "/login/"])
def test_popup_routes_may_be_framed_by_host_origins_only(app, as_user, path):
    app.config["HOST_ORIGINS"] = ["https://host.example", "https://other-host.example"]
    try:
        response = as_user("clerk").get(path)
    finally:
        app.config["HOST_ORIGINS"] = []
    ancestors = _csp(response)["frame-ancestors"].split()
    assert ancestors == ["'self'", "https://host.example", "https://other-host.example"]
    assert "X-Frame-Options" not in response.headers  # it cannot name several origins


def test_popup_without_host_origins_is_same_origin_only(as_user):
    response = as_user("clerk").get("/support/popup")
    assert _csp(response)["frame-ancestors"] == "'self'"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


@pytest.mark.parametrize("username,path", [("agent", "/ticketmodelview/list/"),
                                           ("manager", "/users/list/"),
                                           ("clerk", "/users/userinfo/")])
def test_other_pages_are_never_framed(as_user, username, path):
    response = as_user(username).get(path, follow_redirects=True)
    assert _csp(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_widget_script_stays_loadable_from_host_pages(client):
    response = client.get("/support/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "application/javascript"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    for header in ("Content-Security-Policy", "X-Frame-Options", "Cross-Origin-Resource-Policy"):
        assert header not in response.headers


def test_error_pages_and_json_carry_the_headers(as_user):
    response = as_user("clerk").get("/no/such/page")
    assert response.status_code == 404
    assert _csp(response)["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_https_sets_hsts_and_secure_cookies(app):
    secure = app.test_client()
    response = secure.post("/login/", data={"username": "clerk", "password": "clerk"},
                           base_url="https://helpdesk.example")
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in c for c in cookies)
    assert all("HttpOnly" in c and "SameSite=Lax" in c for c in cookies if c.startswith("session="))
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_plain_http_gets_no_secure_flag_or_hsts(client):
    response = login(client, "clerk")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and not any("Secure" in c for c in cookies)
    assert "Strict-Transport-Security" not in response.headers


def test_behind_a_trusted_proxy_https_is_recognised(make_app):
    proxied = make_app(TRUST_PROXY=1)
    client = proxied.test_client()
    response = client.post("/login/", data={"username": "clerk", "password": "clerk"},
                           headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 302
    assert all("; Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_without_trust_proxy_forwarded_headers_are_ignored(client):
    response = client.post("/login/", data={"username": "clerk", "password": "clerk"},
                           headers={"X-Forwarded-Proto": "https"})
    assert not any("Secure" in c for c in response.headers.getlist("Set-Cookie"))


def test_signed_in_pages_are_not_cached(as_user):
    assert "no-store" in as_user("clerk").get("/support/inbox").headers["Cache-Control"]


def test_kept_fragments_carry_each_responses_nonce(as_user):
    """Fragments rendered once and kept (the ticket list's filter box) get every response's
    own nonce, not the first one's."""
    client = as_user("agent")
    nonces = {_check_page(client.get("/ticketmodelview/list/"))[1] for _ in range(3)}
    assert len(nonces) == 3

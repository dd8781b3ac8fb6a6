"""Rate limits: sign-in per address, failed sign-ins per username (lockout), new tickets and
replies per user across the web pages and the API; a translated 429, never a crash.

Limits are off in TestConfig; these tests use their own app with limits on (memory storage,
and Redis when one answers on 127.0.0.1:6379)."""
import socket

import pytest

from app.models import Message, Ticket
from tests.helpers import new_ticket_form
from tests.security.conftest import API, api_headers, count

LIMITS = dict(RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute",
              LOGIN_FAILURE_LIMIT="4 per hour", TICKET_RATE_LIMIT="2 per hour",
              REPLY_RATE_LIMIT="3 per hour")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture(params=["memory", "redis"])
def limited(request, make_app):
    if request.param == "redis":
        if not _redis_up():
            pytest.skip("no Redis on 127.0.0.1:6379")
        pytest.importorskip("redis")
        other = make_app(**LIMITS, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")
    else:
        other = make_app(**LIMITS)
    limiter = other.appbuilder.sm.limiter
    limiter.reset()
    yield other
    limiter.reset()


def _client(app, address="198.51.100.1"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client, username, password=None):
    return client.post("/login/", data={"username": username, "password": password or username})


def _signed_in(app, username, address):
    client = _client(app, address)
    assert _login(client, username).status_code == 302
    return client


def test_sign_in_attempts_are_limited_per_address(limited):
    client = _client(limited)
    for _ in range(3):
        assert _login(client, "clerk", "wrong").status_code == 302
    refused = _login(client, "clerk")
    assert refused.status_code == 429 and 'data-status="429"' in refused.data.decode()
    assert _login(_client(limited, "198.51.100.2"), "clerk2").status_code == 302


def test_failed_sign_ins_lock_the_username_from_any_address(limited):
    for i in range(4):
        assert _login(_client(limited, f"203.0.113.{i}"), "clerk", "wrong").status_code == 302
    locked = _login(_client(limited, "203.0.113.99"), "clerk")  # even the right password
    assert locked.status_code == 429
    assert _login(_client(limited, "203.0.113.98"), "clerk2").status_code == 302


def test_successful_sign_ins_do_not_count_towards_the_lockout(limited):
    for i in range(6):
        assert _login(_client(limited, f"192.0.2.{i}"), "clerk").status_code == 302


def test_new_tickets_are_limited_per_user(limited):
    clerk = _signed_in(limited, "clerk", "192.0.2.10")
    for _ in range(3):  # refused forms use no allowance
        assert clerk.post("/support/new", data=new_ticket_form(subject="")).status_code == 200
    for i in range(2):
        response = clerk.post("/support/new", data=new_ticket_form(submission=f"rl{i}"))
        assert response.status_code == 302
    refused = clerk.post("/support/new", data=new_ticket_form(submission="rl3"))
    assert refused.status_code == 429 and 'data-status="429"' in refused.data.decode()
    assert count(Ticket) == 5
    assert clerk.get("/support/new").status_code == 200  # only POSTs count
    other = _signed_in(limited, "clerk2", "192.0.2.10")  # same address, another user
    assert other.post("/support/new", data=new_ticket_form(submission="c2")).status_code == 302


def test_replies_are_limited_per_user_across_web_and_api(limited):
    clerk = _signed_in(limited, "clerk", "192.0.2.20")
    api = _client(limited, "192.0.2.21")
    headers = api_headers(api, "clerk")
    assert clerk.post("/support/tickets/1004481/reply", data={"body": "۱"}).status_code == 302
    assert clerk.post("/support/tickets/1004481/reply", data={"body": "۲"}).status_code == 302
    response = api.post(f"{API}/tickets/1004481/messages", json={"body": "۳"}, headers=headers)
    assert response.status_code == 201, response.data[:200]
    refused = api.post(f"{API}/tickets/1004481/messages", json={"body": "۴"}, headers=headers)
    assert refused.status_code == 429 and refused.is_json and refused.json["message"]
    assert clerk.post("/support/tickets/1004481/reply", data={"body": "۵"}).status_code == 429
    assert count(Message) == 4 + 3
    agent = _signed_in(limited, "agent", "192.0.2.20")
    assert agent.post("/support/tickets/1004481/reply", data={"body": "پاسخ"}).status_code == 302


def test_api_sign_in_is_limited_too(limited):
    client = _client(limited, "192.0.2.30")
    for _ in range(3):
        client.post(f"{API}/security/login", json={"username": "clerk", "password": "x",
                                                   "provider": "db"})
    refused = client.post(f"{API}/security/login", json={"username": "clerk2",
                                                         "password": "clerk2", "provider": "db"})
    assert refused.status_code == 429 and refused.is_json


def test_the_limited_routes_are_the_ones_we_mean(limited):
    from app.web.rate_limits import limited_endpoints

    covered = limited_endpoints(limited)
    assert "NewTicketView.new_ticket" in covered["ticket-create"]
    assert "TicketPageView.reply" in covered["ticket-reply"]
    if any(r.rule.startswith(API + "/tickets") for r in limited.url_map.iter_rules()):
        assert any(e.startswith("TicketApi") for e in covered["ticket-create"])
        assert any(e.startswith("MessageApi") for e in covered["ticket-reply"])


def test_limits_are_off_in_the_test_config(app, as_user):
    clerk = as_user("clerk")
    for i in range(5):
        response = clerk.post("/support/tickets/1004481/reply", data={"body": str(i)})
        assert response.status_code == 302

"""The live ticket page's poll (issue 18, item 3): ETag/304, new messages as the thread's own
markup, status changes, the message box's rows, and the ticket scope on every poll."""
import html as html_module
import re

import pytest

from tests.helpers import ticket

URL = "/support/tickets/{}/live"


def _page_state(html: str) -> tuple[str, str]:
    root = re.search(r'<div id="live-ticket"[^>]*>', html).group(0)
    return (html_module.unescape(re.search(r'data-etag="([^"]*)"', root).group(1)),
            re.search(r'data-after="(\d+)"', root).group(1))


def _reply(client, number, body, **extra):
    return client.post(f"/support/tickets/{number}/reply", data={"body": body, **extra})


def test_a_clerks_page_carries_its_version_and_the_first_poll_is_a_304(as_user):
    clerk = as_user("clerk")
    etag, after = _page_state(clerk.get("/support/tickets/1004481").data.decode())
    assert etag and int(after) > 0
    response = clerk.get(URL.format(1004481) + f"?after={after}",
                         headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.headers["ETag"] == etag
    assert response.data == b""


def test_200_then_304_then_a_reply_changes_it(as_user):
    clerk, agent = as_user("clerk"), as_user("agent")
    _etag, after = _page_state(clerk.get("/support/tickets/1004481").data.decode())
    first = clerk.get(URL.format(1004481) + f"?after={after}")
    assert first.status_code == 200 and first.json["messages"] == []
    etag = first.headers["ETag"]
    assert clerk.get(URL.format(1004481) + f"?after={after}",
                     headers={"If-None-Match": etag}).status_code == 304

    assert _reply(agent, 1004481, "پاسخ دوم کارشناس").status_code == 302
    changed = clerk.get(URL.format(1004481) + f"?after={after}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert len(changed.json["messages"]) == 1
    assert "پاسخ دوم کارشناس" in changed.json["messages"][0]
    assert changed.json["last_message_id"] > int(after)
    assert changed.json["status"] == "answered"
    assert ticket(1004481).unread_answer is False  # shown on the clerk's open page: seen
    # the same markup as the server-rendered thread: the page now holds the same fragment
    page = clerk.get("/support/tickets/1004481").data.decode()
    fragment = changed.json["messages"][0].replace(" live-new", "")
    assert fragment in page


def test_a_status_change_reaches_the_clerk(as_user):
    clerk, agent = as_user("clerk2"), as_user("agent")
    first = clerk.get(URL.format(1004482))
    assert first.json["status"] == "new"
    assert agent.get("/support/tickets/1004482").status_code == 200  # first look: New -> Read
    changed = clerk.get(URL.format(1004482), headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.json["status"] == "read" and "status-read" in changed.json["status_badge"]
    assert "support-read" in changed.json["status_cell"]


def test_an_internal_note_does_not_change_the_clerks_version(as_user):
    clerk, agent = as_user("clerk"), as_user("agent")
    first = clerk.get(URL.format(1004481))
    etag, after = first.headers["ETag"], first.json["last_message_id"]
    assert _reply(agent, 1004481, "یادداشت داخلی", internal="y").status_code == 302
    response = clerk.get(URL.format(1004481) + f"?after={after}", headers={"If-None-Match": etag})
    if response.status_code == 200:  # SQLite's lock touches updated_at: no note comes along
        assert response.json["messages"] == []
        assert "یادداشت داخلی" not in response.data.decode()
    notes = agent.get(URL.format(1004481) + "?after=0").json["messages"]
    assert any("یادداشت داخلی" in html for html in notes)


def test_the_304_costs_one_statement_after_the_users_load(as_user):
    """The clerk's: the signed-in user (one statement), then the version through the scope.
    Support's poll is also its heartbeat: the upsert and who else is there come on top."""
    clerk = as_user("clerk")
    etag, after = _page_state(clerk.get("/support/tickets/1004481").data.decode())
    response = clerk.get(URL.format(1004481) + f"?after={after}", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert int(response.headers["X-SQL-Statements"]) <= 2
    agent = as_user("agent")
    etag = agent.get(URL.format(1004481)).headers["ETag"]
    response = agent.get(URL.format(1004481), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert int(response.headers["X-SQL-Statements"]) <= 4


def test_english_and_persian_etags_differ(as_user):
    clerk = as_user("clerk")
    fa = clerk.get(URL.format(1004481)).headers["ETag"]
    clerk.get("/lang/en")
    en = clerk.get(URL.format(1004481))
    assert en.headers["ETag"] != fa
    assert en.status_code == 200


@pytest.mark.parametrize("username,number", [
    ("clerk3", 1004481),   # another office's clerk
    ("agent2", 1004481),   # another department's agent
    ("clerk", 1004483),
    ("agent", 1004483),
    ("clerk", 999),        # no such ticket
])
def test_out_of_scope_is_404_and_no_data(as_user, username, number):
    response = as_user(username).get(URL.format(number) + "?after=0")
    assert response.status_code == 404
    assert b"data-message-id" not in response.data and b"last_message_id" not in response.data
    assert "ETag" not in response.headers


def test_signed_out_gets_no_data(client):
    response = client.get(URL.format(1004481) + "?after=0")
    assert response.status_code in (302, 401, 403)
    assert "ETag" not in response.headers


def test_bad_after_values_are_not_errors(as_user):
    clerk = as_user("clerk")
    for value in ("abc", "-5", "۱۲", "9" * 40, ""):
        response = clerk.get(URL.format(1004481) + f"?after={value}")
        assert response.status_code == 200, value
        assert len(response.json["messages"]) == 2  # read as 0: the whole visible thread


def test_inbox_rows_statuses(as_user):
    clerk, agent = as_user("clerk"), as_user("agent")
    page = clerk.get("/support/inbox").data.decode()
    assert 'data-live-url="/support/inbox/live"' in page
    first = clerk.get("/support/inbox/live?numbers=1004481,1004482,1004483")
    rows = {r["number"]: r for r in first.json["rows"]}
    assert set(rows) == {1004481, 1004482}  # 1004483 is the other office's: absent
    assert rows[1004482]["status"] == "new"
    etag = first.headers["ETag"]
    again = clerk.get("/support/inbox/live?numbers=1004481,1004482", headers={"If-None-Match": etag})
    assert again.status_code == 304
    agent.get("/support/tickets/1004482")
    changed = clerk.get("/support/inbox/live?numbers=1004481,1004482",
                        headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert {r["number"]: r["status"] for r in changed.json["rows"]}[1004482] == "read"
    assert ticket(1004482).status == "read"

"""The managers' dashboard: exact numbers for a fixture of known tickets, range, access."""
import json
import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.domain import status as status_machine
from app.domain.reports import DateRange, dashboard, parse_range
from app.domain.tickets import NewTicket, add_reply, create_ticket
from app.extensions import db
from app.models import HamrahUser, Rating
from app.persian.jalali import to_utc
from app.persian.text import persian_digits
from tests.helpers import department_id

H = 3600


def _user(username):
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def local(d, h, mi=0):
    """Tehran wall-clock time on 2023-04-<d> (8 = Saturday 1402/01/19) as stored, naive UTC."""
    return to_utc(datetime(2023, 4, d, h, mi))


RANGE = DateRange(date(2023, 4, 8), date(2023, 4, 10))


def _ticket(clerk, department, created, answer=None, closed=None, stars=None, note=None,
            later=None):
    """A ticket registered at `created`, answered by (agent, time), closed at `closed`."""
    t = create_ticket(db.session, clerk, NewTicket(subject="s", department_id=department,
                                                   body="b"), now=created, commit=False)
    if note:
        add_reply(db.session, t, note[0], "note", internal=True, now=note[1], commit=False)
    if answer:
        add_reply(db.session, t, answer[0], "answer", now=answer[1], commit=False)
    if later:  # another support answer: not the first one
        add_reply(db.session, t, later[0], "later answer", now=later[1], commit=False)
    if closed:
        status_machine.apply_event(db.session, t, status_machine.Event.CLOSED, _user("manager"),
                                   now=closed)
    if stars:
        db.session.flush()
        db.session.add(Rating(ticket_id=t.id, stars=stars, rated_by_id=clerk.id, rated_at=created))
    return t


@pytest.fixture
def known():
    """Seven tickets over Sat..Mon 1402/01/19..21 (targets 4 h / 24 h, no holidays)."""
    clerk, agent, agent2, manager = (_user(u) for u in ("clerk", "agent", "agent2", "manager"))
    tech, training = department_id(), department_id("Training")
    _ticket(clerk, tech, local(8, 9), answer=(agent, local(8, 10)), closed=local(8, 12), stars=5,
            note=(agent2, local(8, 9, 30)))  # T1: an internal note is no answer
    _ticket(clerk, tech, local(8, 10), answer=(agent, local(8, 13)), closed=local(10, 10),
            stars=2, later=(manager, local(9, 9)))  # T2
    _ticket(clerk, tech, local(9, 9), answer=(manager, local(9, 15)), stars=4)  # T3: late, open
    _ticket(clerk, training, local(9, 11), answer=(agent2, local(9, 11, 30)),
            closed=local(9, 12, 30))  # T4
    _ticket(clerk, training, local(10, 8, 30))  # T5: never answered, open
    _ticket(clerk, tech, local(10, 9), closed=local(10, 9, 30))  # T6: closed unanswered
    _ticket(clerk, training, local(8, 14), answer=(agent2, local(8, 15)))  # T7: open
    db.session.commit()
    return {"tech": tech, "training": training, "agent": agent.id, "agent2": agent2.id,
            "manager": manager.id}


def _rows(rows, key="id"):
    return {row[key]: row for row in rows}


def test_numbers_of_known_tickets_are_exact(known):
    data = dashboard(db.session, _user("manager"), RANGE)
    assert data["per_day"] == [(date(2023, 4, 8), 3), (date(2023, 4, 9), 2), (date(2023, 4, 10), 2)]
    departments = _rows(data["departments"])
    tech, training = departments[known["tech"]], departments[known["training"]]
    assert (tech["registered"], training["registered"]) == (4, 3)
    assert tech["first_response"] == 3 * H  # 1 h, 3 h, 6 h
    assert tech["resolution"] == 3 * H  # 3 h, 48 h, 0.5 h
    assert training["first_response"] == 0.75 * H  # 0.5 h, 1 h
    assert training["resolution"] == 1.5 * H
    assert tech["rating_average"] == pytest.approx(11 / 3) and tech["rating_count"] == 3
    assert training["rating_count"] == 0
    agents = _rows(data["agents"])
    assert set(agents) == {known["agent"], known["agent2"], known["manager"]}
    agent, agent2, manager = agents[known["agent"]], agents[known["agent2"]], agents[known["manager"]]
    assert (agent["answered"], agent["first_response"], agent["resolution"]) == (2, 2 * H, 25.5 * H)
    assert (agent["rating_average"], agent["rating_count"]) == (3.5, 2)
    assert (manager["first_response"], manager["resolution"], manager["rating_count"]) == (6 * H, None, 1)
    assert (agent2["answered"], agent2["first_response"], agent2["resolution"]) == (2, 0.75 * H, 1.5 * H)
    assert agent2["rating_count"] == 0


def test_sla_share_met(known):
    data = dashboard(db.session, _user("manager"), RANGE)
    assert data["sla"]["first_response"] == {"met": 4, "total": 6, "share": 4 / 6}
    assert data["sla"]["resolution"] == {"met": 4, "total": 7, "share": 4 / 7}
    departments = _rows(data["departments"])
    tech, training = departments[known["tech"]]["sla"], departments[known["training"]]["sla"]
    assert (tech["first_response"]["met"], tech["first_response"]["total"]) == (2, 3)
    assert (tech["resolution"]["met"], tech["resolution"]["total"]) == (3, 4)
    assert (training["first_response"]["met"], training["first_response"]["total"]) == (2, 3)
    assert (training["resolution"]["met"], training["resolution"]["total"]) == (1, 3)
    # Seen on Saturday 11:00: T5's first-response target (Monday 12:30) was still running.
    early = dashboard(db.session, _user("manager"), RANGE, now=local(8, 11))
    assert early["sla"]["first_response"] == {"met": 4, "total": 5, "share": 4 / 5}


def test_backlog_is_now_whatever_the_range(known):
    data = dashboard(db.session, _user("manager"), RANGE)
    departments = _rows(data["departments"])
    # demo: Technical support answered + new, Training new; ours: T3 answered, T5 new, T7 answered
    assert departments[known["tech"]]["backlog"] == {"answered": 2, "new": 1}
    assert departments[known["training"]]["backlog"] == {"new": 2, "answered": 1}


def test_dashboard_page_in_persian(known, as_user):
    page = as_user("manager").get("/dashboard/?from=۱۴۰۲/۰۱/۱۹&to=1402-01-21")
    assert page.status_code == 200
    html = page.data.decode()
    chart = json.loads(re.search(r'<script type="application/json" id="dashboard-data">(.*?)</script>',
                                 html, re.S).group(1))
    assert chart["perDay"]["datasets"][0]["data"] == [3, 2, 2]
    assert chart["perDay"]["labels"][0] == "۰۱/۱۹" and chart["perDay"]["titles"][0] == "۱۴۰۲/۰۱/۱۹"
    assert chart["rtl"] is True
    assert chart["times"]["datasets"][0]["data"][:2] == [3.0, 0.75]
    row = re.search(rf'<tr data-department="{known["tech"]}">(.*?)</tr>', html, re.S).group(1)
    with force_locale("fa"):
        three_hours = persian_digits(gettext("%(hours)s h", hours=3))
    assert three_hours in row and "۳٫۶۷" in row and "۶۷٪ (۲/۳)" in row
    assert 'value="۱۴۰۲/۰۱/۱۹"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/dashboard.js" in html


def test_dashboard_page_in_english(known, as_user):
    manager = as_user("manager")
    manager.get("/lang/en")
    html = manager.get("/dashboard/?from=2023-04-08&to=2023-04-10").data.decode()
    assert 'value="2023-04-08"' in html and "2023-04-10" in html
    row = re.search(rf'<tr data-department="{known["training"]}">(.*?)</tr>', html, re.S).group(1)
    assert "45 min" in row and "1 h 30 min" in row and "67% (2/3)" in row


@pytest.mark.parametrize("query", ["from=1402/13/01", "from=nonsense&to=1402/01/01",
                                   "from=1402/12/30", "from=1403/01/10&to=1402/01/01",
                                   "from=1390/01/01&to=1402/01/01"])
def test_bad_dates_give_a_message_not_an_error(query, as_user):
    page = as_user("manager").get(f"/dashboard/?{query}")
    assert page.status_code == 200
    assert 'class="alert alert-warning dashboard-error"' in page.data.decode()


def test_default_range_is_last_30_days():
    rng, errors = parse_range("", "")
    assert errors == [] and (rng.last - rng.first).days == 29
    rng, errors = parse_range("", "۱۴۰۲/۰۱/۳۰")
    assert errors == [] and (rng.first, rng.last) == (date(2023, 3, 21), date(2023, 4, 19))


def test_only_managers_see_the_dashboard(as_user):
    assert as_user("manager").get("/dashboard/").status_code == 200
    for username in ("agent", "agent2", "clerk"):
        assert as_user(username).get("/dashboard/").status_code == 403

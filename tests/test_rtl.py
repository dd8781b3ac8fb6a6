"""Right-to-left in Persian, left-to-right in English, on our pages and FAB's generated ones;
Jalali dates in FAB lists, filters and forms."""
import re
from datetime import datetime

import pytest
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select, update

from app.extensions import db
from app.models import Announcement, Department, HamrahUser, Office, Ticket
from app.persian.text import ascii_digits
from tests.conftest import ticket_numbers

RTL_CSS = "/static/vendor/bootstrap-rtl/bootstrap-rtl.min.css"
OUR_CSS = "/static/css/hamrah.css"
KNOWN_UTC = datetime(2021, 7, 19, 11, 29)  # 1400/04/28 15:59 Tehran


def _first_id(model, **where):
    return db.session.scalars(select(model.id).filter_by(**where).order_by(model.id)).first()


def _pages():
    ids = {
        "ticket": _first_id(Ticket), "department": _first_id(Department),
        "office": _first_id(Office), "announcement": _first_id(Announcement),
        "user": _first_id(HamrahUser, username="manager"), "role": _first_id(Role, name="Manager"),
    }
    pages = ["/ticketmodelview/list/", f"/ticketmodelview/show/{ids['ticket']}"]
    for base, key in [("departmentmodelview", "department"), ("officemodelview", "office"),
                      ("announcementmodelview", "announcement"), ("users", "user"),
                      ("roles", "role")]:
        pages += [f"/{base}/list/", f"/{base}/show/{ids[key]}", f"/{base}/add"]
    return pages


def _switch(client, lang):
    assert client.get(f"/lang/{lang}").status_code == 302
    return client


def _html_tag(page: bytes) -> str:
    return re.search(r"<html[^>]*>", page.decode()).group(0)


def assert_direction(page: bytes, lang: str):
    html = page.decode()
    tag = _html_tag(page)
    if lang == "fa":
        assert 'lang="fa"' in tag and 'dir="rtl"' in tag
        assert RTL_CSS in html
    else:
        assert 'lang="en"' in tag and 'dir="ltr"' in tag
        assert RTL_CSS not in html
    assert OUR_CSS in html
    # Offline networks: no stylesheet, script or font from outside the server.
    assert not re.search(r'<(link|script)[^>]+(href|src)="(https?:)?//', html)
    other = "en" if lang == "fa" else "fa"
    assert f'href="/lang/{other}"' in html  # the language switch is in the navbar


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_login_page_direction(client, lang):
    _switch(client, lang)
    response = client.get("/login/")
    assert response.status_code == 200
    assert_direction(response.data, lang)


def test_persian_is_the_default(client):
    assert 'dir="rtl"' in _html_tag(client.get("/login/").data)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_generated_pages_direction(as_user, lang):
    client = _switch(as_user("manager"), lang)
    for url in _pages():
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        assert_direction(response.data, lang)


def test_bundled_assets_are_served(client):
    css = client.get(OUR_CSS)
    assert css.status_code == 200 and b"Vazirmatn-Regular.woff2" in css.data
    css.close()
    for path in [RTL_CSS, "/static/vendor/vazirmatn/Vazirmatn-Regular.woff2",
                 "/static/vendor/vazirmatn/Vazirmatn-Bold.woff2", "/static/js/jalali-picker.js"]:
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_language_choice_is_remembered(as_user):
    client = _switch(as_user("manager"), "en")
    assert 'dir="ltr"' in _html_tag(client.get("/ticketmodelview/list/").data)
    assert 'dir="ltr"' in _html_tag(client.get("/departmentmodelview/list/").data)
    _switch(client, "fa")
    assert 'dir="rtl"' in _html_tag(client.get("/ticketmodelview/list/").data)


def _set_ticket_times():
    """1004481: last moment of 1403; 1004482: first moment of 1404; 1004483: 1400/04/28."""
    times = {1004481: datetime(2025, 3, 20, 20, 29),  # 1403/12/30 23:59 Tehran
             1004482: datetime(2025, 3, 20, 20, 30),  # 1404/01/01 00:00 Tehran
             1004483: KNOWN_UTC}
    for number, when in times.items():
        db.session.execute(update(Ticket).where(Ticket.number == number)
                           .values(created_at=when, last_activity_at=when))
    db.session.commit()


def test_fab_list_and_show_use_jalali_in_persian_and_gregorian_in_english(as_user):
    db.session.execute(update(Announcement).values(publish_at=KNOWN_UTC))
    db.session.commit()
    pk = _first_id(Announcement)
    client = as_user("manager")
    for url in ["/announcementmodelview/list/", f"/announcementmodelview/show/{pk}"]:
        assert "۱۴۰۰/۰۴/۲۸ ۳:۵۹ ب.ظ" in client.get(url).data.decode(), url
    _switch(client, "en")
    for url in ["/announcementmodelview/list/", f"/announcementmodelview/show/{pk}"]:
        assert "2021-07-19 15:59" in client.get(url).data.decode(), url


def test_unformatted_dates_of_fab_screens_are_jalali_too(as_user):
    """FAB's own user screens have no formatter: the widget templates apply local_datetime."""
    client = as_user("manager")  # logging in sets last_login: overwrite it afterwards
    db.session.execute(update(HamrahUser).where(HamrahUser.username == "manager")
                       .values(last_login=KNOWN_UTC))
    db.session.commit()
    page = client.get(f"/users/show/{_first_id(HamrahUser, username='manager')}").data.decode()
    assert "۱۴۰۰/۰۴/۲۸ ۳:۵۹ ب.ظ" in page
    _switch(client, "en")
    page = client.get(f"/users/show/{_first_id(HamrahUser, username='manager')}").data.decode()
    assert "2021-07-19 15:59" in page


@pytest.mark.parametrize("query, expected", [
    ("_flt_0_created_at=۱۴۰۳/۱۲/۳۰", {"1004481"}),  # equal: the whole Tehran day
    ("_flt_0_created_at=1404-01-01", {"1004482"}),
    ("_flt_0_last_activity_at=۱۴۰۰/۰۴/۲۸ ۱۵:۵۹", {"1004483"}),  # a minute
    ("_flt_1_created_at=1403/12/30", {"1004482"}),  # greater: after that day
    ("_flt_2_created_at=1404/01/01", {"1004481", "1004483"}),  # smaller: before that day
    ("_flt_3_created_at=1404/01/01", {"1004481", "1004483"}),  # not equal
    ("_flt_1_created_at=1400/04/28&_flt_2_created_at=1404/01/01", {"1004481"}),
])
def test_jalali_filter_on_ticket_list(as_user, query, expected):
    _set_ticket_times()
    response = as_user("manager").get(f"/ticketmodelview/list/?{query}")
    assert response.status_code == 200
    assert ticket_numbers(response.data) == expected


def test_gregorian_filter_in_english(as_user):
    _set_ticket_times()
    client = _switch(as_user("manager"), "en")
    response = client.get("/ticketmodelview/list/?_flt_0_created_at=2025-03-20")
    assert ticket_numbers(response.data) == {"1004481"}  # 2025-03-20 in Tehran


def test_invalid_filter_date_says_so_and_matches_nothing(as_user):
    response = as_user("manager").get("/ticketmodelview/list/?_flt_0_created_at=1400/12/30")
    assert response.status_code == 200
    assert ticket_numbers(response.data) == set()
    assert "1400/12/30" in ascii_digits(response.data.decode())
    assert "29" in ascii_digits(response.data.decode())  # "month 12 of 1400 has only 29 days"


def test_search_form_uses_jalali_inputs(as_user):
    page = as_user("manager").get("/ticketmodelview/list/").data.decode()
    assert "hamrah-jalali" in page and "appbuilder_datetime" not in page


# FAB makes non-nullable boolean columns InputRequired, so an unticked box fails validation;
# these tests are about dates, so they tick every box.
CHECKBOXES = {"for_everyone": "y", "pinned": "y"}


def _announcement(title):
    return db.session.scalars(select(Announcement).filter_by(title=title)).one_or_none()


def test_add_announcement_with_jalali_time_stores_utc(as_user):
    client = as_user("manager")
    form = client.get("/announcementmodelview/add").data.decode()
    assert 'class="form-control hamrah-jalali"' in form and "۱۴۰۳/۰۱/۲۵ ۱۰:۳۰" in form
    response = client.post("/announcementmodelview/add", data={
        "title": "Nowruz", "body": "Happy new year", "publish_at": "۱۴۰۴/۰۱/۰۱ ۰۸:۰۰",
        "expires_at": "1404/01/13", **CHECKBOXES})
    assert response.status_code == 302
    db.session.expire_all()
    saved = _announcement("Nowruz")
    assert saved.publish_at == datetime(2025, 3, 21, 4, 30)
    assert saved.expires_at == datetime(2025, 4, 1, 20, 30)
    edit = client.get(f"/announcementmodelview/edit/{saved.id}").data.decode()
    assert 'value="۱۴۰۴/۰۱/۰۱ ۰۸:۰۰"' in edit


def test_add_announcement_in_english_is_gregorian_tehran_time(as_user):
    client = _switch(as_user("manager"), "en")
    assert "appbuilder_datetime" in client.get("/announcementmodelview/add").data.decode()
    response = client.post("/announcementmodelview/add", data={
        "title": "Summer", "body": "b", "publish_at": "2021-07-19 15:59", **CHECKBOXES})
    assert response.status_code == 302
    db.session.expire_all()
    assert _announcement("Summer").publish_at == KNOWN_UTC


@pytest.mark.parametrize("typed", ["1400/12/30 10:00", "۱۴۰۰/۱۳/۰۱", "tomorrow"])
def test_invalid_jalali_date_is_a_form_error(as_user, typed):
    response = as_user("manager").post("/announcementmodelview/add", data={
        "title": "Broken", "body": "b", "publish_at": typed, **CHECKBOXES})
    assert response.status_code == 200
    page = response.data.decode()
    assert "alert-danger" in page and "hamrah-jalali" in page
    db.session.expire_all()
    assert _announcement("Broken") is None


def test_fab_confirm_dialog_speaks_the_readers_language(as_user):
    manager = as_user("manager")
    page = manager.get("/departmentmodelview/list/").data.decode()
    dialog = page.split('id="modal-confirm"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "انصراف" in dialog and "تأیید" in dialog and ">Cancel<" not in dialog
    manager.get("/lang/en")
    page = manager.get("/departmentmodelview/list/").data.decode()
    assert ">Cancel</button>" in page and ">OK</a>" in page

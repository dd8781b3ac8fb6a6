"""The generated screens read in the reader's language and digits (issue 17, item 1).

Each test names the defect it keeps away: English permission and role names, raw True/None/
[...]/4.0 values, Latin digits in office codes, pagination and messages built with numbers.
"""
import re

from flask_babel import force_locale, gettext

from app.domain.audit import record_now
from app.extensions import db
from app.models import Department
from app.web.audit_detail import audit_detail
from app.web.display import display_text, file_size

LATIN_DIGIT = re.compile(r"[0-9]")


def _text(html: bytes) -> str:
    """The page's visible text, roughly: no scripts, styles, tags or attribute values."""
    page = html.decode()
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def _table(html: bytes) -> str:
    """The list's or show page's table only (the navbar holds usernames and the like)."""
    page = html.decode()
    tables = re.findall(r'<table class="table table-bordered.*?</table>', page, flags=re.S)
    assert tables, page[:300]
    return _text("".join(tables).encode())


def test_roles_list_shows_role_and_permission_names_in_persian(as_user):
    page = as_user("manager").get("/roles/list/")
    assert page.status_code == 200
    text = _text(page.data)
    assert "can add on" not in text and "menu_access" not in text and "can_list" not in text
    assert "مدیر سامانه" in text and "کاربر دفتر" in text and "کارشناس" in text
    assert "دفترها: افزودن" in text  # "can add on Offices"
    assert "[" not in _table(page.data)


def test_roles_list_in_english_reads_as_english(as_user):
    client = as_user("manager")
    client.get("/lang/en")
    text = _text(client.get("/roles/list/").data)
    assert "Offices: add" in text and "System administrator" in text and "can_add" not in text


def test_user_show_page_has_no_raw_values(as_user):
    from app.models import HamrahUser

    manager_id = db.session.query(HamrahUser.id).filter_by(username="manager").scalar()
    page = as_user("manager").get(f"/users/show/{manager_id}")
    assert page.status_code == 200
    text = _text(page.data)
    for raw in ("True", "False", "None", "[Manager]", "[]"):
        assert raw not in text, raw
    assert "بله" in text and "مدیر" in text


def test_users_own_page_names_the_role_in_persian(as_user):
    text = _text(as_user("clerk").get("/users/userinfo/").data)
    assert "[Clerk]" not in text and "Clerk" not in text and "کاربر دفتر" in text


def test_department_list_has_yes_no_and_hours_without_point_zero(as_user):
    department = db.session.query(Department).filter_by(name_en="Training").one()
    department.first_response_target_hours = 4.0
    department.resolution_target_hours = 1.5
    db.session.commit()
    table = _table(as_user("manager").get("/departmentmodelview/list/").data)
    assert "True" not in table and "False" not in table and "بله" in table
    assert "۴٫۰" not in table and "4.0" not in table and "۱٫۵" in table
    assert " ۴ " in table.replace("\n", " ")


def test_office_codes_and_record_count_in_persian_digits(as_user):
    for url in ("/ticketmodelview/list/", "/officemodelview/list/", "/users/list/"):
        table = _table(as_user("manager").get(url).data)
        assert "1001" not in table and "۱۰۰۱" in table, url


def test_role_pickers_hide_the_public_role_and_name_roles_in_persian(as_user):
    for url in ("/users/add", "/announcementmodelview/add"):
        page = as_user("manager").get(url).data.decode()
        options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
        assert "Public" not in options and "Admin" not in options, url
        assert "مدیر سامانه" in options and "کاربر دفتر" in options, url


def test_pagination_in_persian_digits(as_user):
    for index in range(60):
        record_now("login_failed", target_type="user", target=f"someone{index}")
    page = as_user("manager").get("/auditeventmodelview/list/").data.decode()
    nav = page[page.index('class="hamrah-pagination"'):]
    nav = nav[:nav.index("</nav>")]
    assert ">۲<" in nav and not LATIN_DIGIT.search(_text(nav.encode()))


def test_audit_details_read_in_persian(app):
    detail = ("permissions: +[can_add on Offices; menu_access on Message box] -[]; "
              "active: True -> False")
    with app.test_request_context("/"):
        with force_locale("fa"):
            shown = audit_detail(detail)
            assert "دفترها: افزودن" in shown and "صندوق پیام: گزینهٔ منو" in shown
            assert "بله ← خیر" in shown and "True" not in shown
            assert audit_detail("roles: [Clerk]") == "نقش‌ها: کاربر دفتر"
            assert audit_detail("POST /login/") == "فرم ورود"
            assert audit_detail("3 failed sign-ins") == "۳ ورود ناموفق"
            assert audit_detail("something new") == "something new"  # unknown: as stored


def test_values_read_as_the_reader_reads(app):
    with app.test_request_context("/"):
        with force_locale("fa"):
            assert display_text(True) == "بله" and display_text(None) == ""
            assert display_text(4.0) == "۴" and display_text(0.3) == "۰٫۳"
            assert display_text([]) == "" and display_text(["الف", "ب"]) == "الف، ب"
            assert file_size(300) == "۳۰۰ بایت" and file_size(1536) == "۱٫۵ کیلوبایت"
        with force_locale("en"):
            assert display_text(False) == "No" and display_text(4.0) == "4"
            assert display_text(["a", "b"]) == "a, b" and file_size(5 * 1024 * 1024) == "5 MB"


def test_numbers_in_messages_are_in_the_readers_digits(app):
    """«بیش از 5.0 مگابایت», «بین 0.1 تا 10000»: numbers given to any message."""
    with app.test_request_context("/"):
        with force_locale("fa"):
            assert gettext("Between %(min)s and %(max)s.",
                           min=0.1, max=10000) == "باید بین ۰٫۱ و ۱۰۰۰۰ باشد."
            assert gettext("The file %(name)s is larger than %(limit)s MB.", name="a.pdf",
                           limit=5.0) == "حجم فایل a.pdf بیش از ۵ مگابایت است."
        with force_locale("en"):
            assert gettext("Between %(min)s and %(max)s.", min=0.1, max=5.0) == "Between 0.1 and 5."


def test_navbar_names_the_user_without_a_dangling_separator(as_user):
    html = as_user("manager").get("/users/userinfo/").data.decode()
    name = re.search(r'<bdi class="navbar-user-name">([^<]*)</bdi>', html)
    assert name, "the navbar names the signed-in user"
    assert name.group(1).strip() and not name.group(1).strip().endswith("-"), name.group(1)


def test_each_page_has_its_own_title_then_the_product(as_user):
    client = as_user("manager")
    titles = {}
    for path in ("/users/list/", "/roles/list/", "/departmentmodelview/list/", "/dashboard/",
                 "/support/inbox", "/departmentmodelview/add"):
        html = client.get(path).data.decode()
        titles[path] = re.search(r"<title>([^<]*)</title>", html).group(1).strip()
    assert len(set(titles.values())) == len(titles), titles
    product = titles["/dashboard/"].rsplit("–", 1)[-1].strip()
    assert product and all(t.endswith(product) and t != product for t in titles.values()), titles


def test_message_author_and_date_are_isolated_on_english_pages(as_user):
    """A Persian name followed by a date on an English page: without isolation the bidi
    algorithm reads them as one right-to-left run and the date prints reversed."""
    from tests.helpers import new_ticket_form

    clerk = as_user("clerk")
    created = clerk.post("/support/new", data=new_ticket_form(), content_type="multipart/form-data")
    assert created.status_code == 302
    clerk.get("/lang/en")
    html = clerk.get(created.headers["Location"]).data.decode()
    assert re.search(r'<bdi class="message-author">[^<]+</bdi>', html), "author not isolated"
    assert re.search(r'<small class="text-muted"><bdi>[^<]*\d[^<]*</bdi></small>', html)


def test_pages_have_landmarks_and_no_invented_roles(as_user):
    for who, path in (("manager", "/users/list/"), ("clerk", "/support/inbox"),
                      ("agent", "/ticketmodelview/list/")):
        html = as_user(who).get(path).data.decode()
        assert 'role="header"' not in html, path
        assert html.count("<main") == 1 and "<header" in html, path


def test_every_page_has_one_h1(as_user):
    for who, path in (("manager", "/users/list/"), ("manager", "/dashboard/"),
                      ("clerk", "/support/inbox"), ("clerk", "/support/new"),
                      ("agent", "/ticketmodelview/list/"), ("manager", "/no-such-page")):
        html = as_user(who).get(path).data.decode()
        assert len(re.findall(r"<h1[ >]", html)) == 1, (who, path)


def test_row_checkboxes_and_icon_links_have_names(as_user):
    """The queue's bulk-action checkboxes and the navbar's icon-only counters are named."""
    html = as_user("agent").get("/ticketmodelview/list/").data.decode()
    assert re.search(r'id="check_all"[^>]*\saria-label="[^"]+"', html)
    rows = re.findall(r'<input [^>]*class="action_check"[^>]*>', html)
    assert rows and all(re.search(r'aria-label="[^"]*[۰-۹]+"', row) for row in rows), rows[:2]
    counters = re.findall(r'id="nav-[a-z-]+"[^>]*>\s*<i [^>]*aria-hidden="true"></i>'
                          r'<span class="sr-only">[^<]+</span>', html)
    assert len(counters) >= 2, "icon-only navbar links carry hidden text"

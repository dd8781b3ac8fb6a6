"""Numbers, codes and times typed in any digits (issue 17, item 2): stored as ASCII, one office
per code, «٫» as the decimal point, spaced «بعد از ظهر», messages in the reader's digits, and
never an invalid value turned valid by the normalising."""
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from app.extensions import db
from app.models import Department, Office
from app.persian.jalali import parse_jalali

KNOWN_UTC = datetime(2021, 7, 19, 11, 29)  # 1400/04/28 15:59 in Tehran


@pytest.mark.parametrize("typed", ["۱۴۰۰/۰۴/۲۸ ۳:۵۹ بعد از ظهر", "1400/04/28 3:59 بعد‌از‌ظهر",
                                   "1400/04/28 03:59 ب.ظ", "1400/04/28 3:59 PM"])
def test_afternoon_written_with_spaces_is_understood(typed):
    assert parse_jalali(typed) == KNOWN_UTC


def test_an_impossible_time_is_named_in_the_readers_digits(app):
    with app.test_request_context("/?_l_=fa"):
        with pytest.raises(ValueError, match="ساعت ۲۵:۰۰ معتبر نیست"):
            parse_jalali("1400/04/28 25:00")


def _office_form(client, url, code, name="دفتر آزمایشی"):
    return client.post(url, data={"code": code, "name": name, "city": ""})


def test_office_code_typed_in_persian_digits_is_stored_as_ascii(as_user):
    response = _office_form(as_user("manager"), "/officemodelview/add", "۱۰۰۷")
    assert response.status_code == 302
    assert db.session.query(Office.code).filter_by(name="دفتر آزمایشی").scalar() == "1007"


@pytest.mark.parametrize("typed", ["١٠٠١", "۱۰۰۱", " 1001 "])
def test_the_same_code_in_other_digits_is_the_same_office(as_user, typed):
    """Demo office 1001 exists: the form refuses a second one, however its digits are written."""
    before = db.session.query(Office).count()
    response = _office_form(as_user("manager"), "/officemodelview/add", typed)
    assert response.status_code == 200  # the form again, with its error and what was typed
    assert db.session.query(Office).count() == before
    page = response.data.decode()
    assert "این مقدار قبلاً ثبت شده است." in page and "دفتر آزمایشی" in page


@pytest.mark.parametrize("typed", ["-1001", "10.01", "۱۰۰a!"])
def test_a_sign_point_or_odd_letter_still_reaches_the_validator(as_user, typed):
    before = db.session.query(Office).count()
    response = _office_form(as_user("manager"), "/officemodelview/add", typed)
    assert response.status_code == 200 and db.session.query(Office).count() == before


def test_every_path_that_writes_an_office_stores_ascii(app):
    db.session.add(Office(code="١٢٣٤", name="از خط فرمان"))
    db.session.commit()
    assert db.session.query(Office.code).filter_by(name="از خط فرمان").scalar() == "1234"


def _department_form(client, hours):
    department = db.session.query(Department).filter_by(name_en="Training").one()
    return department, client.post(f"/departmentmodelview/edit/{department.id}", data={
        "name": department.name, "name_en": department.name_en, "active": "y",
        "ordering": "۲", "first_response_target_hours": hours, "resolution_target_hours": ""})


def test_persian_decimal_separator_and_digits_in_number_fields(as_user):
    department, response = _department_form(as_user("manager"), "۱٫۵")
    assert response.status_code == 302
    db.session.expire_all()
    assert department.first_response_target_hours == 1.5 and department.ordering == 2


@pytest.mark.parametrize("typed", ["-۱", "۱٫۵٫۲", "۱a"])
def test_invalid_numbers_stay_invalid(as_user, typed):
    department, response = _department_form(as_user("manager"), typed)
    assert response.status_code == 200
    db.session.expire_all()
    assert department.first_response_target_hours != 1.5


def test_out_of_range_message_in_persian_digits(as_user):
    _department, response = _department_form(as_user("manager"), "۰٫۰۱")
    page = response.data.decode()
    assert "باید بین ۰٫۱ و ۱۰۰۰۰ باشد." in page and "10000" not in page
    assert "۰٫۰۱" in page  # what was typed is still in the box


def test_migration_merges_offices_whose_codes_differ_only_in_digits(app, tmp_path):
    """Migration 0012 on a database that holds «۱۰۰۷», "1007" and «١٠٠٧» as three offices."""
    from flask_migrate import upgrade

    from app import create_app
    from config import TestConfig

    url = "sqlite:///" + str(tmp_path / "merge.db")
    other = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url,
                       ATTACHMENT_DIR=app.config["ATTACHMENT_DIR"])
    with other.app_context():
        upgrade(revision="0011")
        engine = create_engine(url)
        with engine.begin() as conn:
            for office_id, code in [(1, "۱۰۰۷"), (2, "1007"), (3, "١٠٠٧"), (4, "۲۰۰۲")]:
                conn.execute(text("INSERT INTO office (id, code, name) VALUES (:i, :c, :n)"),
                             {"i": office_id, "c": code, "n": f"office {office_id}"})
            for user_id, office_id in [(1, 1), (2, 3)]:
                conn.execute(text(
                    "INSERT INTO ab_user (id, first_name, last_name, username, email, active, "
                    "office_id) VALUES (:i, 'a', 'b', :u, :e, 1, :o)"),
                    {"i": user_id, "u": f"user{user_id}", "e": f"u{user_id}@x.org", "o": office_id})
            conn.execute(text("INSERT INTO announcement (id, title, body, publish_at, for_everyone, "
                              "pinned, created_at) VALUES (1, 't', 'b', '2026-01-01', 0, 0, "
                              "'2026-01-01')"))
            for office_id in (1, 2, 3):
                conn.execute(text("INSERT INTO announcement_office VALUES (1, :o)"), {"o": office_id})
        upgrade(revision="0012")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT id, code FROM office ORDER BY id")).all() == [
                (2, "1007"), (4, "2002")]
            assert conn.execute(text("SELECT office_id FROM ab_user ORDER BY id")).scalars().all() \
                == [2, 2]
            assert conn.execute(text("SELECT office_id FROM announcement_office")).scalars().all() \
                == [2]
        engine.dispose()
        db.engine.dispose()

"""Jalali conversion and date text: month and year edges (Esfand of leap years, Nowruz), zones."""
from datetime import date, datetime

import pytest

from app.persian.dates import format_datetime, format_relative
from app.persian.jalali import (
    gregorian_to_jalali,
    input_text,
    jalali_to_gregorian,
    parse_gregorian,
    parse_jalali,
    parse_typed,
)

EDGES = [
    ((1399, 12, 30), date(2021, 3, 20)),  # last day of leap 1399
    ((1400, 1, 1), date(2021, 3, 21)),  # Nowruz 1400
    ((1403, 12, 30), date(2025, 3, 20)),  # last day of leap 1403
    ((1404, 1, 1), date(2025, 3, 21)),  # Nowruz 1404
]
KNOWN_UTC = datetime(2021, 7, 19, 11, 29)  # 1400/04/28 15:59 in Tehran (+04:30 that summer)


@pytest.fixture
def fa(app):
    with app.test_request_context("/?_l_=fa"):
        yield


@pytest.fixture
def en(app):
    with app.test_request_context("/?_l_=en"):
        yield


@pytest.mark.parametrize("jalali, gregorian", EDGES)
def test_edges_both_ways(jalali, gregorian):
    assert jalali_to_gregorian(*jalali) == gregorian
    assert gregorian_to_jalali(gregorian) == jalali


@pytest.mark.parametrize("text", ["1400/12/30", "1402/12/30", "1404/12/30"])
def test_esfand_30_of_common_years_is_refused(text):
    with pytest.raises(ValueError, match="29|۲۹"):  # "... has only 29 days", in either language
        parse_jalali(text)


@pytest.mark.parametrize("text, utc", [
    ("1399/12/30", datetime(2021, 3, 19, 20, 30)),  # midnight in Tehran, +03:30 before DST
    ("1400/01/01", datetime(2021, 3, 20, 20, 30)),
    ("1400/01/02", datetime(2021, 3, 21, 20, 30)),  # clocks jumped 00:00 -> 01:00 that night
    ("1400/01/03", datetime(2021, 3, 22, 19, 30)),  # +04:30 (DST) until 2022
    ("1403/12/30 10:00", datetime(2025, 3, 20, 6, 30)),  # no DST since 2022
    ("1404/01/01", datetime(2025, 3, 20, 20, 30)),
    ("1400/04/28 15:59", KNOWN_UTC),
    ("1400-04-28 15:59", KNOWN_UTC),
    ("۱۴۰۰/۰۴/۲۸ ۱۵:۵۹", KNOWN_UTC),
    ("١٤٠٠/٠٤/٢٨ ١٥:٥٩", KNOWN_UTC),
    (" 1400/4/28  3:59 ب.ظ ", KNOWN_UTC),
])
def test_parse_jalali_in_tehran_to_utc(text, utc):
    assert parse_jalali(text) == utc


@pytest.mark.parametrize("text", ["", "abc", "1400/13/01", "1400/00/10", "1400/01/32",
                                  "1400/07/31", "1400/01/01 24:00", "1400/01/01 10:60",
                                  "1400/01/01 13:00 ب.ظ", "14000/01/01"])
def test_parse_jalali_refuses_nonsense_with_a_message(text):
    with pytest.raises(ValueError) as error:
        parse_jalali(text)
    assert str(error.value)


def test_typed_day_spans_the_local_day():
    typed = parse_typed("1403/12/30")
    assert (typed.start, typed.end, typed.has_time) == (
        datetime(2025, 3, 19, 20, 30), datetime(2025, 3, 20, 20, 30), False)
    assert typed.day == date(2025, 3, 20)
    minute = parse_typed("1403/12/30 10:00")
    assert minute.end - minute.start == (datetime(2025, 1, 1, 0, 1) - datetime(2025, 1, 1))


def test_gregorian_years_pass_through_and_english_parses_gregorian():
    assert parse_jalali("2021-07-19 15:59") == KNOWN_UTC
    assert parse_gregorian("2021-07-19 15:59") == KNOWN_UTC
    assert parse_jalali("2021-07-19T11:29:00Z") == KNOWN_UTC  # an instant with its zone
    assert parse_gregorian("2021-07-19T15:59:00+04:30") == KNOWN_UTC
    with pytest.raises(ValueError):
        parse_gregorian("2021-02-29")


def test_configured_zone_is_used(app, monkeypatch):
    monkeypatch.setitem(app.config, "TIMEZONE", "UTC")
    assert parse_jalali("1400/04/28 15:59") == datetime(2021, 7, 19, 15, 59)


def test_format_persian(fa):
    assert format_datetime(KNOWN_UTC) == "۱۴۰۰/۰۴/۲۸ ۳:۵۹ ب.ظ"
    assert format_datetime(KNOWN_UTC, "date") == "۱۴۰۰/۰۴/۲۸"
    assert format_datetime(KNOWN_UTC, "long") == "دوشنبه ۲۸ تیر ۱۴۰۰ ۱۵:۵۹:۰۰"
    assert format_datetime(datetime(2025, 3, 20, 20, 29)) == "۱۴۰۳/۱۲/۳۰ ۱۱:۵۹ ب.ظ"
    assert format_datetime(datetime(2025, 3, 20, 20, 30)) == "۱۴۰۴/۰۱/۰۱ ۱۲:۰۰ ق.ظ"
    assert format_datetime(date(2021, 3, 20)) == "۱۳۹۹/۱۲/۳۰"
    assert format_datetime(None) == ""


def test_format_english(en):
    assert format_datetime(KNOWN_UTC) == "2021-07-19 15:59"
    assert format_datetime(KNOWN_UTC, "date") == "2021-07-19"
    assert format_datetime(date(2021, 3, 20)) == "2021-03-20"


def test_input_text_round_trips(fa):
    assert input_text(KNOWN_UTC) == "۱۴۰۰/۰۴/۲۸ ۱۵:۵۹"
    assert parse_jalali(input_text(KNOWN_UTC)) == KNOWN_UTC
    for (jy, jm, jd), _gregorian in EDGES:
        text = f"{jy}/{jm:02d}/{jd:02d} 23:45"
        assert parse_jalali(input_text(parse_jalali(text))) == parse_jalali(text)


def test_input_text_english(en):
    assert input_text(KNOWN_UTC) == "2021-07-19 15:59"


def test_relative_time(en):
    now = datetime(2021, 7, 19, 12, 0)
    assert format_relative(datetime(2021, 7, 19, 11, 59), now) == "1 minute"
    assert format_relative(datetime(2021, 7, 19, 9, 0), now) == "3 hours"
    assert format_relative(datetime(2021, 7, 17, 12, 0), now) == "2 days"

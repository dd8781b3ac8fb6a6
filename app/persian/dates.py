"""Showing times: Jalali with Persian digits in Persian, Gregorian in English, in the configured zone.

Everything is stored as naive UTC; this is the one place that turns it into text
(`app.persian.jalali` reads typed dates back).
"""
from datetime import date, datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import jdatetime
from flask import current_app, has_app_context
from flask_babel import get_locale, ngettext

from app.persian.text import persian_digits

JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                 "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
# Python's weekday(): Monday=0 ... Sunday=6
PERSIAN_WEEKDAYS = ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه", "شنبه", "یکشنبه"]
_ENGLISH_FORMATS = {"short": "%Y-%m-%d %H:%M", "date": "%Y-%m-%d", "long": "%A %d %B %Y %H:%M:%S"}


def is_persian() -> bool:
    """True when the page is read in Persian (also outside a request: Persian is the default)."""
    locale = get_locale()
    return locale is None or locale.language == "fa"


def local_zone() -> ZoneInfo:
    name = current_app.config.get("TIMEZONE", "Asia/Tehran") if has_app_context() else "Asia/Tehran"
    return ZoneInfo(name)


def to_local(value: datetime) -> datetime:
    """Stored naive UTC (or any aware time) to the configured zone, aware."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(local_zone())


def format_datetime(value: datetime | date | None, style: str = "short") -> str:
    """`short`: ۱۴۰۰/۰۴/۲۸ ۳:۵۹ ب.ظ ; `date`: ۱۴۰۰/۰۴/۲۸ ; `long`: دوشنبه ۲۸ تیر ۱۴۰۰ ۱۵:۳۵:۰۵.

    A plain `date` (no time, no zone) is shown as a date whatever the style.
    """
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return _format_date(value)
    local = to_local(value)
    if not is_persian():
        return local.strftime(_ENGLISH_FORMATS.get(style, _ENGLISH_FORMATS["short"]))
    j = jdatetime.date.fromgregorian(date=local.date())
    if style == "date":
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    elif style == "long":
        text = (f"{PERSIAN_WEEKDAYS[local.weekday()]} {j.day} {JALALI_MONTHS[j.month - 1]} "
                f"{j.year} {local:%H:%M:%S}")
    else:
        hour12 = local.hour % 12 or 12
        meridiem = "ق.ظ" if local.hour < 12 else "ب.ظ"
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d} {hour12}:{local.minute:02d} {meridiem}"
    return persian_digits(text)


def _format_date(value: date) -> str:
    if not is_persian():
        return value.strftime(_ENGLISH_FORMATS["date"])
    j = jdatetime.date.fromgregorian(date=value)
    return persian_digits(f"{j.year:04d}/{j.month:02d}/{j.day:02d}")


def format_number(value) -> str:
    """Numbers as the reader writes them: Persian digits and «٫» in Persian, and no needless
    ".0" (a whole float such as 4.0 reads 4, as the person typed it)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        value = int(value)
    if not is_persian():
        return str(value)
    text = str(value)
    if isinstance(value, (float, Decimal)):
        text = text.replace(".", "\u066b")
    return persian_digits(text)


def format_relative(value: datetime | None, now: datetime | None = None) -> str:
    """'3 hours' style age, for queues."""
    if value is None:
        return ""
    now = _naive_utc(now or datetime.now(timezone.utc))
    minutes = max(0, int((now - _naive_utc(value)).total_seconds() // 60))
    if minutes < 60:
        text = ngettext("%(num)s minute", "%(num)s minutes", minutes)
    elif minutes < 60 * 24:
        text = ngettext("%(num)s hour", "%(num)s hours", minutes // 60)
    else:
        text = ngettext("%(num)s day", "%(num)s days", minutes // (60 * 24))
    return persian_digits(text) if is_persian() else text


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)

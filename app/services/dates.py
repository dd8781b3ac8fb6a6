"""Showing times: Jalali with Persian digits in Persian, Gregorian in English, in the configured zone.

Everything is stored as naive UTC; this is the one place that turns it into text.
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import jdatetime
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _

from app.services.text import persian_digits

JALALI_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
                 "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
# Python's weekday(): Monday=0 ... Sunday=6
PERSIAN_WEEKDAYS = ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"]


def _is_persian() -> bool:
    locale = get_locale()
    return locale is None or locale.language == "fa"


def to_local(value: datetime) -> datetime:
    zone = ZoneInfo(current_app.config.get("TIMEZONE", "Asia/Tehran"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(zone)


def format_datetime(value: datetime | None, style: str = "short") -> str:
    """`short`: ۱۴۰۰/۰۴/۲۸ ۳:۵۹ ب.ظ ; `date`: ۱۴۰۰/۰۴/۲۸ ; `long`: دوشنبه ۲۸ تیر ۱۴۰۰ ۱۵:۳۵:۰۵."""
    if value is None:
        return ""
    local = to_local(value)
    if not _is_persian():
        formats = {"short": "%Y-%m-%d %H:%M", "date": "%Y-%m-%d", "long": "%A %d %B %Y %H:%M:%S"}
        return local.strftime(formats.get(style, formats["short"]))
    j = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
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


def format_number(value) -> str:
    """Numbers as the reader writes them: Persian digits in Persian."""
    if value is None:
        return ""
    return persian_digits(value) if _is_persian() else str(value)


def format_relative(value: datetime | None, now: datetime | None = None) -> str:
    """'3 hours' style age, for queues."""
    if value is None:
        return ""
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    minutes = max(0, int((now - value).total_seconds() // 60))
    if minutes < 60:
        text = _("%(n)s minutes", n=minutes)
    elif minutes < 60 * 24:
        text = _("%(n)s hours", n=minutes // 60)
    else:
        text = _("%(n)s days", n=minutes // (60 * 24))
    return persian_digits(text) if _is_persian() else text

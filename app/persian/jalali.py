"""Reading dates the user typed: Jalali in Persian, Gregorian in English, in the configured zone.

Display lives in `app.persian.dates`; this module is the way back, used by our form fields
and FAB list filters. Everything returned is naive UTC, as stored. Calendar arithmetic is
jdatetime's (tested library), not ours.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import jdatetime
from flask_babel import gettext as _

from app.persian.dates import is_persian, local_zone, to_local
from app.persian.text import ascii_digits, persian_digits

JALALI_EXAMPLE = "۱۴۰۳/۰۱/۲۵ ۱۰:۳۰"
GREGORIAN_EXAMPLE = "2024-04-13 10:30"
# Years from this one up are Gregorian even in Persian (a pasted ISO date, an English filter URL).
GREGORIAN_FROM_YEAR = 1700

_PATTERN = re.compile(
    r"^(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})"
    r"(?:[\sT]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<ampm>[^\d\s][^\d]*))?)?$"
)
_AM = {"ق.ظ", "قبلازظهر", "am", "a.m."}  # after _clean and without spaces: «قبل از ظهر» too
_PM = {"ب.ظ", "بعدازظهر", "pm", "p.m."}
# Marks a copy-paste may carry: LRM, RLM, ZWNJ, ZWJ, Arabic letter mark, BOM.
_INVISIBLE = re.compile("[\u200e\u200f\u200c\u200d\u061c\ufeff]")


@dataclass(frozen=True)
class TypedTime:
    """What the user meant: `start` (naive UTC) up to `end` (exclusive), a day or one minute.

    `day` is the calendar day typed (Gregorian `date`, no zone), for date-only columns.
    """

    start: datetime
    end: datetime
    has_time: bool
    day: date


def to_utc(local: datetime) -> datetime:
    """A naive wall-clock time of the configured zone to naive UTC."""
    aware = local.replace(tzinfo=local_zone())
    return aware.astimezone(timezone.utc).replace(tzinfo=None)


def jalali_to_gregorian(year: int, month: int, day: int) -> date:
    """Jalali day to Gregorian date; ValueError with a readable message when no such day."""
    if year < 1 or day < 1:
        raise ValueError(_("%(date)s is not a valid date.", date=_shown(year, month, day)))
    if not 1 <= month <= 12:
        raise ValueError(_("There is no month %(month)s; months run from 1 to 12.",
                           month=_digits(month)))
    try:
        return jdatetime.date(year, month, day).togregorian()
    except ValueError:
        last = jdatetime.j_days_in_month[month - 1]
        if month == 12 and jdatetime.date(year, 1, 1).isleap():
            last = 30
        raise ValueError(_("%(date)s is not a valid date: month %(month)s of %(year)s has only "
                           "%(days)s days.", date=_shown(year, month, day), month=_digits(month),
                           year=_digits(year), days=_digits(last))) from None


def _digits(value) -> str:
    """Numbers inside messages as the reader writes them."""
    return persian_digits(value) if is_persian() else str(value)


def _shown(year: int, month: int, day: int) -> str:
    return _digits(f"{year}/{month:02d}/{day:02d}")


def gregorian_to_jalali(value: date) -> tuple[int, int, int]:
    j = jdatetime.date.fromgregorian(date=value)
    return j.year, j.month, j.day


def _clean(text: str) -> str:
    text = _INVISIBLE.sub("", ascii_digits(text or "")).strip()
    return re.sub(r"\s+", " ", text.replace("T", " "))


def _time_of(match) -> time | None:
    if match["H"] is None:
        return None
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    marker = (match["ampm"] or "").replace(" ", "").lower()
    if marker:
        if marker not in _AM | _PM or not 1 <= hour <= 12:
            raise ValueError(_("%(time)s is not a valid time.",
                               time=_digits(f"{match['H']}:{match['M']} {match['ampm']}")))
        hour = hour % 12 + (12 if marker in _PM else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(_("%(time)s is not a valid time.",
                           time=_digits(f"{match['H']}:{match['M']}")))
    return time(hour, minute, second)


def parse_typed(text: str, jalali: bool = True) -> TypedTime:
    """Parse `1400/04/28`, `1400-04-28`, optionally ` 15:59` (or ` 3:59 ب.ظ`), any digits.

    Jalali when `jalali` is true, unless the year is clearly Gregorian (>= 1700).
    """
    cleaned = _clean(text)
    iso = _iso_with_offset(cleaned)
    if iso is not None:
        return iso
    match = _PATTERN.match(cleaned)
    if not match:
        example = JALALI_EXAMPLE if jalali else GREGORIAN_EXAMPLE
        raise ValueError(_("Enter a date like %(example)s.", example=example))
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if jalali and year < GREGORIAN_FROM_YEAR:
        day_ = jalali_to_gregorian(year, month, day)
    else:
        try:
            day_ = date(year, month, day)
        except ValueError:
            shown = cleaned.split(" ")[0]
            raise ValueError(_("%(date)s is not a valid date.", date=_digits(shown))) from None
    clock = _time_of(match)
    local = datetime.combine(day_, clock or time())
    if clock is None:
        end = to_utc(datetime.combine(day_ + timedelta(days=1), time()))
    else:
        end = to_utc(local + (timedelta(seconds=1) if match["S"] else timedelta(minutes=1)))
    return TypedTime(start=to_utc(local), end=end, has_time=clock is not None, day=day_)


def _iso_with_offset(text: str) -> TypedTime | None:
    """`2021-07-19T11:29:00Z` or `...+04:30` (machines, API clients): an instant, any zone."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        return None
    start = value.astimezone(timezone.utc).replace(tzinfo=None)
    return TypedTime(start=start, end=start + timedelta(seconds=1), has_time=True,
                     day=to_local(start).date())


def parse_jalali(text: str) -> datetime:
    """A typed Jalali date (and time) in the configured zone, as naive UTC.

    `1400/04/28`, `۱۴۰۰-۰۴-۲۸ ۱۵:۵۹`: midnight when no time is given. ValueError, with a
    message fit for the user, on anything else (e.g. 1400/12/30: 1400 is not a leap year).
    """
    return parse_typed(text, jalali=True).start


def parse_gregorian(text: str) -> datetime:
    """The English counterpart: `2021-07-19 15:59` in the configured zone, as naive UTC."""
    return parse_typed(text, jalali=False).start


def parse_for_locale(text: str) -> TypedTime:
    """Jalali in Persian, Gregorian in English: how every date input of ours reads its text."""
    return parse_typed(text, jalali=is_persian())


def input_text(value: datetime | date | None, with_time: bool = True) -> str:
    """The editable text of a stored value in the reader's calendar (24-hour, local zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = to_local(value).replace(tzinfo=None)
        day, clock = local.date(), f"{local:%H:%M}"
    else:
        day, clock = value, "00:00"
    if is_persian() and day.year >= 623:
        year, month, dom = gregorian_to_jalali(day)
        text = f"{year:04d}/{month:02d}/{dom:02d}"
    else:
        text = day.isoformat()
    if with_time:
        text += " " + clock
    return persian_digits(text) if is_persian() else text

"""FAB's SQLAlchemy interface with list filters that read values as the reader types them.

Text and number filters: literal wildcards and typed digits (app/web/list_filters.py).

FAB parses a date filter with dateutil (Gregorian, taken as UTC) and compares a datetime
column with the exact instant typed, so "equal to 1400/04/28" could never match. Ours parse
Jalali in Persian and Gregorian in English, in the configured zone, and treat a typed day as
the whole local day (a typed time as that minute):

- equal: inside the day; not equal: outside it;
- greater: after the day ends; smaller: before it starts.

A value that is not a date shows a message and matches nothing (never a 500).
"""
from datetime import date

from flask import flash, g, has_request_context
from flask_appbuilder.models.sqla.filters import (
    FilterEqual,
    FilterGreater,
    FilterNotEqual,
    FilterSmaller,
    SQLAFilterConverter,
    get_field_setup_query,
)
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext as _
from sqlalchemy import and_, false, or_

from app.persian.jalali import TypedTime, parse_for_locale
from app.web.list_filters import OUR_FILTERS


class _LocalDateFilter:
    """Shared parsing; `_where(field, typed, is_date)` gives the condition of each operator."""

    def apply(self, query, value):
        is_datetime = self.datamodel.is_datetime(self.column_name)
        if not (is_datetime or self.datamodel.is_date(self.column_name)) or isinstance(value, date):
            # Not a date column, or a value given by code (base_filters): FAB's own behaviour.
            return super().apply(query, value)
        query, field = get_field_setup_query(query, self.model, self.column_name)
        try:
            typed = parse_for_locale(str(value))
        except ValueError as exc:
            _warn_once(self.column_name, str(value), str(exc))
            return query.filter(false())
        return query.filter(self._where(field, typed, not is_datetime))

    @staticmethod
    def _bounds(typed: TypedTime, is_date: bool):
        if is_date:
            return typed.day, None
        return typed.start, typed.end


class LocalDateFilterEqual(_LocalDateFilter, FilterEqual):
    def _where(self, field, typed, is_date):
        start, end = self._bounds(typed, is_date)
        return field == start if is_date else and_(field >= start, field < end)


class LocalDateFilterNotEqual(_LocalDateFilter, FilterNotEqual):
    def _where(self, field, typed, is_date):
        start, end = self._bounds(typed, is_date)
        return field != start if is_date else or_(field < start, field >= end)


class LocalDateFilterGreater(_LocalDateFilter, FilterGreater):
    def _where(self, field, typed, is_date):
        start, end = self._bounds(typed, is_date)
        return field > start if is_date else field >= end


class LocalDateFilterSmaller(_LocalDateFilter, FilterSmaller):
    def _where(self, field, typed, is_date):
        start, _end = self._bounds(typed, is_date)
        return field < start


# Same operators in the same order as FAB's, so `_flt_<index>_<column>` URLs keep their meaning.
LOCAL_DATE_FILTERS = [LocalDateFilterEqual, LocalDateFilterGreater, LocalDateFilterSmaller,
                      LocalDateFilterNotEqual]


class LocalDatesFilterConverter(SQLAFilterConverter):
    conversion_table = tuple(
        (marker, LOCAL_DATE_FILTERS if marker in ("is_date", "is_datetime")
         else [OUR_FILTERS.get(fab, fab) for fab in filters])
        for marker, filters in SQLAFilterConverter.conversion_table
    )

    def convert(self, col_name):
        """A column's filters, worked out once per interface: FAB builds a new `Filters`
        (every column's filters) two or three times per list page, and filter objects hold
        no request state. A fresh list each time, as views replace entries in it."""
        memo = self.datamodel.__dict__.setdefault("_hamrah_filters_memo", {})
        if col_name not in memo:
            memo[col_name] = super().convert(col_name)
        filters = memo[col_name]
        return None if filters is None else list(filters)


class HamrahSQLAInterface(SQLAInterface):
    """Use instead of SQLAInterface in our ModelViews (with `LocalDatesMixin` for the forms)."""

    filter_converter_class = LocalDatesFilterConverter
    code_columns: tuple[str, ...] = ()  # text columns of typed codes, stored in ASCII digits

    def __init__(self, obj, session=None, code_columns=None):
        super().__init__(obj, session)
        if code_columns is not None:
            self.code_columns = tuple(code_columns)

    def is_nullable(self, col_name: str) -> bool:
        """An unticked box is a valid False: FAB would make NOT NULL booleans `required`."""
        return self.is_boolean(col_name) or super().is_nullable(col_name)


def _warn_once(column: str, value: str, error: str) -> None:
    """FAB applies the filters twice (count and page): say it once per request."""
    if not has_request_context():
        return
    shown = g.setdefault("_hamrah_date_filter_warnings", set())
    if (column, value) not in shown:
        shown.add((column, value))
        flash(_("Date filter «%(value)s» was not understood: %(error)s", value=value, error=error),
              "warning")


__all__ = ["HamrahSQLAInterface", "LocalDatesFilterConverter", "LOCAL_DATE_FILTERS"]

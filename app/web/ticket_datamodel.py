"""The ticket lists' data access: eager loads for the list columns and a capped count.

FAB counts every matching row for its pagination; at a million tickets that scan
costs more than the page itself. We count at most COUNT_CAP rows (an index walk that
stops early, so its cost is the same at 10k and at 1M tickets) and the list says "more
than 1,000" beyond it (templates: record_count): nobody pages past 40 pages of a queue,
and filters narrow long before. Keyset pagination would change FAB's URLs and
widgets; an estimated count (pg_class.reltuples) ignores the scope and filters.
"""
import enum
import functools

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.domain.search_filter import known_match_count
from app.infra.sql_inline import inline
from app.models import Ticket
from app.web.datamodel import HamrahSQLAInterface

COUNT_CAP = 1_000


class TicketInterface(HamrahSQLAInterface):
    eager_loads = ("office", "department", "assignee", "rating")  # what the list shows
    code_columns = ("tracking_number", "national_id")  # filters take Persian digits

    def get_related_interface(self, col_name: str) -> HamrahSQLAInterface:
        """Related models (FAB's form and filter converters) get the plain interface: the
        eager loads and the capped count below are the ticket lists', not theirs."""
        return HamrahSQLAInterface(self.get_related_model(col_name))

    def query(self, filters=None, order_column="", order_direction="", page=None,
              page_size=None, select_columns=None, outer_default_load=False):
        """The page's rows with the capped count as one more column: one statement, not two
        (PostgreSQL and SQLite run the uncorrelated count once). The page's ids are chosen
        first, in a subquery (an index-only walk where the filters allow), and the shown
        columns joined to those rows only: joined before the sort, a rare word's 1,884
        matches were each read in full at a million tickets. A search that already knows its
        count (`search_filter.known_match_count`) is not counted again. A page past the end has no
        row to carry the count and is counted on its own."""
        if select_columns:
            return super().query(filters, order_column, order_direction, page, page_size,
                                 select_columns, outer_default_load)
        base = self.session.query(self.obj)
        page_ids = (super().apply_all(base, filters, order_column, order_direction, page,
                                      page_size, None, outer_default_load)
                    .with_entities(Ticket.id).subquery("hamrah_page"))
        rows = self.apply_order_by(
            self._with_list_columns(base.join(page_ids, Ticket.id == page_ids.c.id)),
            order_column, order_direction, aliases_mapping={}, add_pk=True)
        known = known_match_count(self.session, page_ids.element.whereclause, COUNT_CAP)
        if known is not None:
            return known, rows.all()
        count = self._capped_count(base, filters).scalar_subquery().label("hamrah_count")
        rows = rows.add_columns(count).all()
        if rows:
            return rows[0][-1], [row[0] for row in rows]
        return (self.query_count(base, filters) if page else 0), []

    def query_count(self, query, filters=None, select_columns=None) -> int:
        return self.session.execute(self._capped_count(query, filters, select_columns)).scalar()

    def count_all(self, filters=None) -> int:
        """Every matching row, uncapped: only to say how many an export cut short left out."""
        return self.session.execute(
            self._capped_count(self.session.query(self.obj), filters, capped=False)).scalar()

    def _capped_count(self, query, filters=None, select_columns=None, capped: bool = True):
        inner = self._apply_inner_all(query, filters, select_columns=select_columns,
                                      aliases_mapping={})
        limited = inner.with_entities(Ticket.id).order_by(None)
        if capped:  # COUNT_CAP read now, not when the module was loaded
            limited = limited.limit(inline("count_cap", COUNT_CAP + 1))
        return select(func.count()).select_from(limited.subquery())

    def get_values(self, lst, list_columns):
        """FAB's list values, each attribute read once: FAB reads a property three times per
        cell (to learn whether it is a method), and the SLA column is one."""
        for item in lst:
            yield {column: _list_value(item, column) for column in list_columns}

    def apply_pagination(self, query, page, page_size):
        """FAB's paging, with the numbers in the SQL text (app/infra/sql_inline.py)."""
        if page and page_size:
            query = query.offset(inline("page_offset", page * page_size))
        return query.limit(inline("page_size", page_size)) if page_size else query

    def apply_all(self, query, *args, **kwargs):
        """One query for the page: what the list shows comes joined (`eager_loads`)."""
        return super().apply_all(self._with_list_columns(query), *args, **kwargs)

    def _with_list_columns(self, query):
        return query.options(*(joinedload(getattr(Ticket, name)) for name in self.eager_loads))


def _list_value(item, column: str):
    """What FAB's `_get_attr_value` gives: a dotted path followed ("" when it breaks), a method
    called, an Enum's value."""
    try:
        value = functools.reduce(getattr, column.split("."), item)
    except AttributeError:
        return ""
    if callable(value):
        return value()
    return value.value if isinstance(value, enum.Enum) else value

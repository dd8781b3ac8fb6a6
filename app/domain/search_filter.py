"""The ticket lists' "Contains words" filter: the search criterion (app/domain/search.py)
as a FAB filter, worked out once per transaction, and the count it already knows.

FAB applies a list's filters twice (its capped count, its rows); the criterion costs an
EXPLAIN and a probe on PostgreSQL, so it is kept in the session until the transaction ends or
a flush may have changed the index. The list asks `known_match_count` before counting.
"""
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.domain.search import criterion_and_count


class TicketTextFilter(BaseFilter):
    """FAB filter for ModelViews/APIs over Ticket: the full-text search as a filter."""

    name = _l("Contains words")
    arg_name = "fts"

    def apply(self, query, value):
        """FAB applies a list's filters twice, to its capped count and to its rows: the
        criterion (its EXPLAIN and probe) is worked out once per transaction."""
        kept = query.session.info.setdefault(_KEPT, {})
        if value not in kept:
            kept[value] = criterion_and_count(query.session, value)
        return query.filter(kept[value][0])


_KEPT = "hamrah_search_criteria"


def known_match_count(session, whereclause, cap: int) -> int | None:
    """How many tickets a list matches, up to `cap` + 1, when its whole WHERE is one kept
    search criterion, without counting them again; else None.

    - An id list: its probe counted the matches (the index holds only existing tickets), so
      the list skips a thousand primary-key lookups (3 ms at a million tickets).
    - A subquery whose matches PostgreSQL's lexeme statistics put at ten times the cap or
      more: "more than `cap`". Counting to the cap would read the word's whole GIN posting
      first (30 ms for a prefix in 33,418 tickets at a million); the statistics sample 300k
      rows, so a word estimated at ten thousand is not found in a thousand.
    """
    for criterion, found, estimate in session.info.get(_KEPT, {}).values():
        if whereclause is not criterion:
            continue
        if found is not None:
            return min(found, cap + 1)
        if estimate is not None and estimate >= TRUSTED_ESTIMATE_FACTOR * (cap + 1):
            return cap + 1
    return None


TRUSTED_ESTIMATE_FACTOR = 10


@event.listens_for(Session, "after_transaction_end")
def _forget_criteria(session, _transaction) -> None:
    """A kept criterion may hold a list of ids: never past the transaction that read them."""
    session.info.pop(_KEPT, None)


@event.listens_for(Session, "after_flush")
def _forget_criteria_on_writes(session, _flush_context) -> None:
    """A flush may change the search index (app/domain/search.py): no kept list of ids."""
    session.info.pop(_KEPT, None)

"""Values written into a statement's SQL text instead of bound as parameters.

psycopg prepares a statement run five times, and PostgreSQL then plans it once, generically,
when the generic plan costs no more than the plans made for the values. A generic plan does
not know a bound value:
- a LIMIT or OFFSET leaves its row estimate unknown, so PostgreSQL planned those statements
  again on every execution: 2.4 ms for the ticket list at a million tickets, more than running
  it;
- a search's tsquery or list of ticket ids (app/domain/search.py) is taken for any query or
  10 ids: the probe became a sequential scan (7 ms at 10k tickets instead of 0.4), a rare
  word's list fetched every listed ticket and could not hash the ids (up to 170 ms at 1M).
A value in the text keeps a plan made for it. Each distinct value is its own statement, so
this is for a cap, a page size or offset, and the values of one search.
"""
from sqlalchemy import Integer, bindparam


def inline(name: str | None, value=None, type_=None):
    """A parameter rendered into the SQL at execution (SQLAlchemy's literal_execute), an
    integer unless `type_` says otherwise (its literal processor writes it); pass `value` now
    or under `name` in the execution's parameters (None: an anonymous, unique name)."""
    return bindparam(name, value, type_=type_ or Integer(), literal_execute=True)

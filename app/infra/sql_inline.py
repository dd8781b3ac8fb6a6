"""Numbers written into a statement's SQL text instead of bound as parameters.

psycopg prepares a statement run five times, and PostgreSQL then plans it once, generically,
when the generic plan costs no more than the plans made for the values. A bound LIMIT or
OFFSET leaves the generic plan's row estimate unknown, so PostgreSQL planned those statements
again on every execution: 2.4 ms for the ticket list at a million tickets, more than running
it. A number in the text keeps the plan. Each distinct value is its own statement, so this
is for the few values of a cap, a page size or a page's offset.
"""
from sqlalchemy import Integer, bindparam


def inline(name: str, value: int | None = None):
    """An integer parameter rendered into the SQL at execution (SQLAlchemy's literal_execute);
    pass `value` now or under `name` in the execution's parameters."""
    return bindparam(name, value, type_=Integer, literal_execute=True)

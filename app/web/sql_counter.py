"""Counting SQL statements per request (`SQL_COUNT_HEADER`): for the benchmark and its tests.

When enabled, every response carries `X-SQL-Statements`, so `bench/` can report
statements per page and tests can prove a page's query count does not grow with
its size. Off by default: it costs a counter per statement.
"""
from flask import g, has_request_context
from sqlalchemy import event

HEADER = "X-SQL-Statements"


def init_sql_counter(app, engine) -> None:
    if not app.config.get("SQL_COUNT_HEADER"):
        return

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        if has_request_context():
            g._sql_statements = g.get("_sql_statements", 0) + 1

    @app.after_request
    def _header(response):
        response.headers[HEADER] = str(g.get("_sql_statements", 0))
        return response

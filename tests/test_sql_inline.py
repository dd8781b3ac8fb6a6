"""The hot pages' LIMIT and OFFSET numbers are in the SQL text, not bound
(app/infra/sql_inline.py): PostgreSQL keeps one plan for a prepared statement only then."""
import re

import pytest

from app.extensions import db
from tests.helpers import StatementCounter

BOUND = r"\s+(%\(|\?|\$|:)"


@pytest.mark.parametrize("username, url", [
    ("agent", "/ticketmodelview/list/"),
    ("manager", "/ticketmodelview/list/?page_TicketModelView=1"),
    ("clerk", "/support/inbox"),
    ("clerk", "/support/inbox?q=1004481&page=2"),
    ("agent", "/support/tickets/1004481"),
])
def test_paging_numbers_are_written_into_the_sql(as_user, username, url):
    # SQLAlchemy's SQLite dialect adds "OFFSET ?" (0) to every LIMIT; SQLite plans each time.
    words = "LIMIT" if db.engine.dialect.name == "sqlite" else "LIMIT|OFFSET"
    bound = re.compile(rf"\b({words}){BOUND}")
    client = as_user(username)
    with StatementCounter() as counter:
        assert client.get(url).status_code == 200
    paged = [s for s in counter.statements if "LIMIT" in s]
    assert paged, url
    assert not [s for s in paged if bound.search(s)], url

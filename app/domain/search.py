"""Full-text search over ticket subjects and the clerk-visible thread: one interface, two databases.

The index holds, per ticket, the set of its search tokens: the words of the subject and of
every non-internal message after `normalize_text` (so ي/ی, ك/ک, ZWNJ, kashida, diacritics
and Persian/Arabic digits all match), plus the parts of ZWNJ-joined words («خواهم» finds
«می‌خواهم»), plus the joined form of every affix written apart (`join_affixes`: «می خواهم»
is also indexed as «میخواهم», the normalised form of «می‌خواهم» and «میخواهم»). A query's
words are joined the same way, so the spaced, joined and ZWNJ spellings all find each other
with one token per word (migration 0013 re-indexed older rows). Internal notes are never
indexed: nobody can find a ticket by words only agents may read.

Punctuation is never query syntax: only the words (`_WORD`) reach FTS5's MATCH, each as a
quoted string, and PostgreSQL's tsquery, each as a quoted lexeme; a query of punctuation
alone has no words and matches nothing.

Tokenising happens here in Python for both databases, so both give the same answers:
- PostgreSQL: `ticket_search(ticket_id, document tsvector)` with a GIN index; the tokens are
  stored as lexemes as they are (no text-search parser, no stemming, no locale dependence).
- SQLite: FTS5 table `ticket_search(document)`, rowid = ticket id, with prefix indexes.

A query matches when every word matches; words of 3+ characters match as prefixes
(«پلا» finds «پلاک»), shorter ones only whole.

Usage in a view or service, combined with the caller's scope and ordering::

    stmt = (select(Ticket)
            .where(ticket_criterion(user), ticket_search_criterion(db.session, text))
            .order_by(Ticket.last_activity_at.desc(), Ticket.id.desc()).limit(21))

The criterion is built per request (it may run one or two small queries, see
`ticket_search_criterion`). At a million tickets a common word is fast only if the
caller's ORDER BY has an index per scope, e.g. ticket (last_activity_at, id),
(office_id, last_activity_at, id) and (department_id, last_activity_at, id).
"""
import re

import sqlalchemy as sa
from sqlalchemy import event, false, select
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session, attributes

from app.infra.sql_inline import inline
from app.models import Message, Ticket
from app.models.search import SEARCH_TABLE, SQLITE_TRIGGER_DDL
from app.persian.text import join_affixes, normalize_text

ZWNJ = "\u200c"
_WORD = re.compile(r"[^\W_]+")
MAX_TOKEN = 64  # longer "words" (hashes, pasted garbage) are not worth indexing
MAX_QUERY_TERMS = 8
PREFIX_FROM = 3
SELECTIVE = 5000  # up to this many matches (at 1M tickets and more), a list of ids
SELECTIVE_AT = 1_000_000  # below this many indexed tickets the limit shrinks with the root

_pg_index = sa.table(SEARCH_TABLE, sa.column("ticket_id", sa.Integer), sa.column("document"))
_fts_index = sa.table(SEARCH_TABLE, sa.column("rowid", sa.Integer), sa.column("document"))


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(normalize_text(text)) if len(w) <= MAX_TOKEN]


def search_tokens(text: str | None) -> set[str]:
    """The tokens a text is found by (see the module docstring)."""
    if not text:
        return set()
    words = _words(text)
    tokens = set(words)
    tokens.update(w for w in join_affixes(words) if len(w) <= MAX_TOKEN)
    if ZWNJ in text:
        for word in text.split():
            if ZWNJ in word:
                for part in word.split(ZWNJ):
                    tokens.update(_words(part))
    return tokens


def document_of(tokens) -> str:
    """Stored form of a token set: space-separated; valid FTS5 text and tsvector input alike."""
    return " ".join(sorted(tokens))


def query_terms(query_text: str | None) -> list[str]:
    """The words of a typed query, normalised like the index: ZWNJ-joined words stay whole,
    affixes typed apart are joined (`join_affixes`)."""
    seen: list[str] = []
    for word in join_affixes(_words(query_text or "")):
        if len(word) > MAX_TOKEN:
            continue
        if word not in seen:
            seen.append(word)
    return seen[:MAX_QUERY_TERMS]


def _dialect_name(session_or_bind) -> str:
    bind = session_or_bind.get_bind() if hasattr(session_or_bind, "get_bind") else session_or_bind
    return bind.dialect.name


def _tsquery(terms: list[str], joiner: str = " & ") -> str:
    return joiner.join(f"'{t}':*" if len(t) >= PREFIX_FROM else f"'{t}'" for t in terms)


def _matching(session, terms: list[str], *, any_term: bool):
    """`SELECT ticket id` of the tickets whose text has all (or any) of `terms`; None without."""
    if not terms:
        return None
    if _dialect_name(session) == "postgresql":
        query = _tsquery(terms, " | " if any_term else " & ")  # in the SQL: app/infra/sql_inline.py
        return select(_pg_index.c.ticket_id).where(_pg_index.c.document.op("@@")(
            sa.cast(inline(None, query, sa.Text()), TSQUERY)))
    match = (" OR " if any_term else " ").join(
        f'"{t}"*' if len(t) >= PREFIX_FROM else f'"{t}"' for t in terms)
    return select(_fts_index.c.rowid).where(sa.literal_column(SEARCH_TABLE).op("MATCH")(match))


def matching_tickets(session, query_text: str | None):
    """`SELECT ticket id` of the tickets whose text matches, or None for a query without words."""
    return _matching(session, query_terms(query_text), any_term=False)


def matching_any_tickets(session, terms: list[str]):
    """`SELECT ticket id` of the tickets whose text has any of `terms` (from `query_terms`),
    or None without terms: the suggestions of similar tickets (app/domain/suggestions.py)."""
    return _matching(session, terms, any_term=True)


def selective_limit(indexed: float) -> int:
    """Up to how many matches a search hands the caller's query a list of ids.

    The list costs every match (a primary-key lookup, the list's joins and sort: ~8 buffers
    each); the walk of the caller's ordering index costs a page divided by the word's
    density, page × indexed / matches rows. They cross where matches² ∝ indexed, so the
    limit grows with the square root of the indexed tickets: SELECTIVE at SELECTIVE_AT (as
    measured at 1M, bench/README.md), 1,581 at 100k, 500 at 10k, and never above SELECTIVE
    (an id list of tens of thousands is no plan at any size). A fixed 5,000 gave a word in
    3% of 100k tickets a 3,300-id list: 41 ms against 5 ms for the walk.
    """
    return max(1, min(SELECTIVE, int(SELECTIVE * (max(indexed, 0) / SELECTIVE_AT) ** 0.5)))


def _estimated_matches(session, terms: list[str]) -> tuple[float, float]:
    """PostgreSQL's own estimates (lexeme statistics, target 1000 since migration 0003) of the
    matches and of the indexed tickets, from one EXPLAIN of both: ~1 ms."""
    plan = session.execute(sa.text(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {SEARCH_TABLE} WHERE document @@ CAST(:q AS tsquery)"
        f" UNION ALL SELECT 1 FROM {SEARCH_TABLE}"),
        {"q": _tsquery(terms)}).scalar()
    matches, indexed = (part["Plan Rows"] for part in plan[0]["Plan"]["Plans"])
    return matches, indexed


def ticket_search_criterion(session, query_text: str | None):
    """SQL criterion "Ticket.id is among the tickets whose text matches `query_text`".

    `session` is a Session or Connection. A query without any word matches nothing.
    Combine with `access.ticket_criterion(user)` and an ordering (see the module docstring).

    The shape depends on how many tickets match, because a planner left alone misjudges
    "text matches AND office = X ORDER BY last activity LIMIT 20" (walking a whole office's
    tickets for a rare word: a second instead of a millisecond):
    - a common word (PostgreSQL's estimate, or a probe, above the limit) stays a subquery:
      the caller's ordering index is walked and matches are dense;
    - a rarer one becomes the list of its ticket ids (a constant the planner knows: it picks
      primary-key lookups or a walk of the caller's ordering index with a hashed lookup),
      fetched by one probe query through the GIN/FTS index.
    The limit is `selective_limit` of the indexed tickets on PostgreSQL (the same EXPLAIN
    estimates both), SELECTIVE on SQLite. So a search costs one or two small statements
    before the caller's own.
    """
    return criterion_and_count(session, query_text)[0]


def criterion_and_count(session, query_text: str | None):
    """`ticket_search_criterion`, how many tickets it stands for when the probe counted them
    (an id list, or none; else None), and PostgreSQL's estimate of the matches when it
    stayed a subquery (else None)."""
    terms = query_terms(query_text)
    matching = _matching(session, terms, any_term=False)
    if matching is None:
        return false(), 0, None
    if _dialect_name(session) == "postgresql":
        estimate, indexed = _estimated_matches(session, terms)
        limit = selective_limit(indexed)
        if estimate > limit:
            return Ticket.id.in_(matching), None, estimate
        found, ids = _probe_as_array(session, matching, limit + 1)
    else:
        limit = SELECTIVE
        ids = session.scalars(matching.limit(limit + 1)).all()
        found = len(ids)
    if found > limit:
        return Ticket.id.in_(matching), None, None
    if not found:
        return false(), 0, None
    if isinstance(ids, str):  # one array constant, not thousands of parameters
        return Ticket.id == sa.any_(inline(None, ids, _IdArrayText())), found, None
    return Ticket.id.in_(ids), found, None


class _IdArrayText(sa.types.UserDefinedType):
    """PostgreSQL's array text of ticket ids (`_probe_as_array`), written into the statement
    (app/infra/sql_inline.py): as a constant the planner sees how many ids there are
    (primary-key lookups for a few, a walk of the caller's ordering index for many) and
    hashes them."""

    cache_ok = True

    def get_col_spec(self, **_kw) -> str:
        return "INTEGER[]"

    def literal_processor(self, dialect):
        def process(value: str) -> str:
            if not _ID_ARRAY.fullmatch(value):
                raise ValueError("not an array of ticket ids")
            return f"'{value}'::INTEGER[]"
        return process


_ID_ARRAY = re.compile(r"\{\d+(,\d+)*\}")


def _probe_as_array(session, matching, most: int) -> tuple[int, str]:
    """How many of the first `most` matches there are, and their ids as PostgreSQL's array
    text («{7,42}»), which goes back into the list's statement as it came: a Python list of
    thousands of ints cost ~5 ms per page to read and to write again (psycopg's array
    adapters), the text a few microseconds."""
    probe = matching.limit(inline("search_probe", most)).subquery()
    return session.execute(select(
        sa.func.count(), sa.cast(sa.func.array_agg(probe.c.ticket_id), sa.Text))).one()


# --- writing the index ------------------------------------------------------------------


def _documents(connection, ticket_ids: list[int]) -> dict[int, set[str]]:
    docs = {tid: search_tokens(subject) for tid, subject in connection.execute(
        select(Ticket.id, Ticket.subject).where(Ticket.id.in_(ticket_ids)))}
    bodies = connection.execute(
        select(Message.ticket_id, Message.body)
        .where(Message.ticket_id.in_(ticket_ids), Message.is_internal.is_(False)))
    for tid, body in bodies:
        if tid in docs:
            docs[tid] |= search_tokens(body)
    return docs


def write_documents(connection, docs: dict[int, set[str]], *, replace: bool = True) -> None:
    """Store the token sets of these tickets, replacing their old rows when `replace`."""
    postgres = connection.dialect.name == "postgresql"
    key = _pg_index.c.ticket_id if postgres else _fts_index.c.rowid
    if replace and docs:
        connection.execute(sa.delete(_pg_index if postgres else _fts_index)
                           .where(key.in_(list(docs))))
    rows = [{"id": tid, "doc": document_of(tokens)} for tid, tokens in docs.items() if tokens]
    if not rows:
        return
    if postgres:
        sql = f"INSERT INTO {SEARCH_TABLE} (ticket_id, document) VALUES (:id, CAST(:doc AS tsvector))"
    else:
        sql = f"INSERT INTO {SEARCH_TABLE} (rowid, document) VALUES (:id, :doc)"
    connection.execute(sa.text(sql), rows)


def index_tickets(connection, ticket_ids) -> None:
    """(Re)build the index rows of these tickets from the database; drops rows of deleted ones."""
    ids = sorted({int(i) for i in ticket_ids if i is not None})
    for start in range(0, len(ids), 1000):
        chunk = ids[start:start + 1000]
        docs = _documents(connection, chunk)
        docs.update({tid: set() for tid in chunk if tid not in docs})  # deleted: just remove
        write_documents(connection, docs)


def rebuild_index(connection, *, batch: int = 5000, progress=None) -> int:
    """Empty the index and fill it for every ticket; returns the number of tickets indexed.

    On SQLite it also restores the trigger that drops a deleted ticket's row: a migration
    that recreates the `ticket` table in batch mode loses it.
    """
    postgres = connection.dialect.name == "postgresql"
    if not postgres:
        connection.execute(sa.text(SQLITE_TRIGGER_DDL))
    # DELETE, not TRUNCATE: searches keep using the old rows until the rebuild commits
    connection.execute(sa.text(f"DELETE FROM {SEARCH_TABLE}"))
    last, done = 0, 0
    while True:
        ids = list(connection.scalars(
            select(Ticket.id).where(Ticket.id > last).order_by(Ticket.id).limit(batch)))
        if not ids:
            return done
        write_documents(connection, _documents(connection, ids), replace=False)
        last, done = ids[-1], done + len(ids)
        if progress:
            progress(done)


def _changed(obj, *names) -> bool:
    return any(attributes.get_history(obj, name).has_changes() for name in names)


def reindex_flushed(session) -> None:
    """After a flush: re-index the tickets whose subject or clerk-visible messages changed.

    A ticket created in this very flush has all its messages in it too: its document is
    built from the objects at hand, without reading back what was just written. (It still
    replaces any row under its id: SQLite may reuse the id of a deleted ticket.)
    """
    created = {obj.id: search_tokens(obj.subject) for obj in session.new
               if isinstance(obj, Ticket)}
    ids: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Message) and not obj.is_internal:
            if obj.ticket_id in created:
                created[obj.ticket_id] |= search_tokens(obj.body)
            else:
                ids.add(obj.ticket_id)
    for obj in session.dirty:
        if isinstance(obj, Ticket) and _changed(obj, "subject"):
            ids.add(obj.id)
        elif isinstance(obj, Message) and _changed(obj, "body", "is_internal", "ticket_id"):
            ids.add(obj.ticket_id)
            ids.update(attributes.get_history(obj, "ticket_id").deleted or ())
    for obj in session.deleted:
        if isinstance(obj, (Ticket, Message)):
            ids.add(obj.id if isinstance(obj, Ticket) else obj.ticket_id)
    ids.discard(None)
    if created:
        write_documents(session.connection(), created)
    if ids - created.keys():
        index_tickets(session.connection(), ids - created.keys())


@event.listens_for(Session, "after_flush")
def _keep_search_index_current(session, _flush_context) -> None:
    reindex_flushed(session)


@event.listens_for(Session, "do_orm_execute")
def _follow_bulk_writes(state) -> None:
    """ORM bulk UPDATE and DELETE statements (merge moves a ticket's messages in one) bypass
    the flush: re-index every ticket whose messages or subject they touch, before and after.
    """
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return None
    model, where = state.bind_mapper.class_, state.statement.whereclause
    if model not in (Ticket, Message):
        return None
    session = state.session
    if model is Ticket:
        ids = set(session.scalars(select(Ticket.id).where(where)))
        result = state.invoke_statement()
    else:
        rows = session.execute(select(Message.id, Message.ticket_id).where(where)).all()
        ids = {ticket_id for _id, ticket_id in rows}
        result = state.invoke_statement()
        if state.is_update and rows:
            ids |= set(session.scalars(select(Message.ticket_id)
                                       .where(Message.id.in_([i for i, _t in rows]))))
    if ids:
        index_tickets(session.connection(), ids)
    return result

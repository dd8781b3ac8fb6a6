"""Canned replies offered for a ticket: its department's and the ones for every department."""
from dataclasses import dataclass

from sqlalchemy import select

from app.infra.reference_cache import cached
from app.models import CannedReply


@dataclass(frozen=True)
class CannedText:
    id: int
    title: str
    body: str
    department_id: int | None


def _active(session) -> tuple[CannedText, ...]:
    def load():
        rows = session.execute(select(CannedReply.id, CannedReply.title, CannedReply.body,
                                      CannedReply.department_id)
                               .where(CannedReply.active.is_(True)).order_by(CannedReply.title))
        return tuple(CannedText(*row) for row in rows)

    return cached("canned_replies", load)


def canned_for(session, ticket) -> list[CannedText]:
    return [c for c in _active(session)
            if c.department_id is None or c.department_id == ticket.department_id]

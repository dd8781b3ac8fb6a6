"""Canned replies offered for a ticket: its department's and the ones for every department."""
from sqlalchemy import or_, select

from app.models import CannedReply


def canned_for(session, ticket) -> list[CannedReply]:
    stmt = (select(CannedReply).where(CannedReply.active.is_(True))
            .where(or_(CannedReply.department_id.is_(None),
                       CannedReply.department_id == ticket.department_id))
            .order_by(CannedReply.title))
    return list(session.scalars(stmt))

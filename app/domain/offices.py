"""Offices: one code, however it was typed; the offices offered in filters, from the
per-process reference cache."""
import re
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.infra.reference_cache import cached
from app.models import Office
from app.models.office import office_label
from app.persian.text import ascii_digits

_INVISIBLE = re.compile("[\u200c\u200d\u200e\u200f\u061c\ufeff\s]")


def office_code(typed: str | None) -> str:
    """The stored form of an office code: ASCII digits, no spaces or invisible marks, so
    «۱۰۰۷», «١٠٠٧» and "1007 " are one office. Letters and signs stay (the form refuses them)."""
    return _INVISIBLE.sub("", ascii_digits(typed or ""))


@event.listens_for(Session, "before_flush")
def _store_codes_as_ascii(session, _flush_context, _instances) -> None:
    """Every path that writes an office (forms, host sign-in, CLI) stores the one form, so
    the unique constraint holds after normalisation (migration 0012 merged older duplicates)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Office) and obj.code and obj.code != office_code(obj.code):
            obj.code = office_code(obj.code)


@dataclass(frozen=True)
class OfficeChoice:
    id: int
    code: str
    name: str

    def __str__(self) -> str:
        return office_label(self.name, self.code)


def all_offices(session) -> tuple[OfficeChoice, ...]:
    def load():
        rows = session.execute(select(Office.id, Office.code, Office.name).order_by(Office.code))
        return tuple(OfficeChoice(*row) for row in rows)

    return cached("offices", load)

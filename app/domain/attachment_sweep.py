"""No file without its row: files whose writer died before its commit are removed later.

A request writes an attachment's file before it commits the row, and removes the file again
when the commit fails. A worker killed in between (SIGKILL, power loss) leaves the file
behind with no row. The sweep removes such files once they are older than a grace period,
longer than any request lives, so a file whose request is still running is never touched.

Safe on several nodes at once and against S3: the storage is listed first and the database
read after, so a row committed meanwhile is seen; deleting an already deleted file is a
no-op. Rows whose file is missing are only reported: they need a person (a restore).
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from app.infra.file_storage import get_storage
from app.models import Attachment

CHUNK = 1000


@dataclass
class SweepReport:
    removed: list[str] = field(default_factory=list)
    kept_young: int = 0
    missing_files: list[tuple[int, str]] = field(default_factory=list)  # (attachment id, name)


def _known(session, names: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(names), CHUNK):
        chunk = names[start:start + CHUNK]
        known.update(session.scalars(select(Attachment.stored_name)
                                     .where(Attachment.stored_name.in_(chunk))))
    return known


def stored_files(storage) -> dict[str, datetime]:
    """The storage's files with their last change, in aware UTC."""
    return {name: modified if modified.tzinfo else modified.replace(tzinfo=timezone.utc)
            for name, modified in storage.listing()}


def orphans(session, listed: dict[str, datetime], cutoff: datetime) -> list[str]:
    """The files of `listed` changed before `cutoff` that no attachment row names (a `.part`
    file, a write that never finished, never has one). Read after the listing was taken."""
    old = sorted(name for name, modified in listed.items() if modified < cutoff)
    known = _known(session, [name for name in old if not name.endswith(".part")])
    return [name for name in old if name not in known]


def sweep(session, grace: timedelta, *, now: datetime | None = None,
          dry_run: bool = False) -> SweepReport:
    """Remove files older than `grace` that no attachment row names; report rows whose file
    is missing (rows older than `grace`, so an upload in progress is not reported)."""
    now = now or datetime.now(timezone.utc)
    storage = get_storage()
    listed = stored_files(storage)
    cutoff = now - grace
    report = SweepReport(kept_young=sum(1 for m in listed.values() if m >= cutoff))
    report.removed = orphans(session, listed, cutoff)
    if not dry_run:
        for name in report.removed:
            storage.delete(name)
    rows = session.execute(select(Attachment.id, Attachment.stored_name)
                           .where(Attachment.created_at < cutoff.replace(tzinfo=None))  # naive UTC
                           .order_by(Attachment.id)).yield_per(CHUNK)
    report.missing_files = [(row.id, row.stored_name) for row in rows
                            if row.stored_name not in listed]
    return report

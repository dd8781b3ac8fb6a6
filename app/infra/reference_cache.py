"""Reference data that every page reads and almost nothing writes, kept per worker process.

Role permissions, departments, offices, canned replies, announcements, the holiday calendar
and each department's agents cost one statement each per page when read from the database,
which at the page rates the benchmark asks for (bench/) is most of a page's time. Each worker
keeps them for at most REFERENCE_CACHE_SECONDS (0 turns the cache off).

Every worker sees a change on its next signed-in request: a flush that writes one of the
watched models, or a user's roles, departments, name or activity, bumps a version (the
`reference_version` row of `ticket_counter`, in the same transaction), and the statement
that loads the signed-in user on every request reads that version too (app/web/security_manager.py); a
worker that sees a new version drops its cache. A commit also clears this worker's cache at
once. Writes that bypass the ORM (SQL by hand) show when the entries age out.

Values are plain immutable data (tuples, frozensets, frozen dataclasses), never ORM objects:
a cached ORM object would be shared by requests and sessions.
"""
import functools
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

EXTENSION_KEY = "hamrah_reference_cache"
VERSION_ROW = "reference_version"  # a row of ticket_counter
_CHANGED = "hamrah_reference_changed"


class ReferenceCache:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.version: int | None = None
        self._entries: dict[Any, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key, load: Callable[[], Any]):
        """The cached value of `key`, or `load()` when it is missing or older than the TTL."""
        if self.seconds <= 0:
            return load()
        entry = self._entries.get(key)
        now = self.clock()
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        with self._lock:
            self._entries[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def observe(self, version: int | None) -> None:
        """The database's reference version, as read on this request: new means stale."""
        if version is not None and version != self.version:
            self.clear()
            self.version = version


def reference_cache() -> ReferenceCache:
    return current_app.extensions[EXTENSION_KEY]


def cached(key, load: Callable[[], Any]):
    """`load()` through the current app's cache (straight to the database outside an app)."""
    if not has_app_context() or EXTENSION_KEY not in current_app.extensions:
        return load()
    return reference_cache().get(key, load)


@functools.cache
def _watched_classes() -> tuple[type, ...]:
    from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu

    from app.models import Announcement, CannedReply, Department, Holiday, Office, Region

    return (Announcement, CannedReply, Department, Holiday, Office, Permission, PermissionView,
            Region, Role, ViewMenu)


def version_column():
    """The reference version as a scalar subquery, to ride along a statement made anyway."""
    from app.models import TicketCounter

    return (select(TicketCounter.value).where(TicketCounter.name == VERSION_ROW)
            .scalar_subquery().label("reference_version"))


def observe_version(version: int | None) -> None:
    if has_app_context() and EXTENSION_KEY in current_app.extensions:
        reference_cache().observe(version)


def ensure_version_row(session) -> None:
    from app.models import TicketCounter

    if session.get(TicketCounter, VERSION_ROW) is None:
        session.add(TicketCounter(name=VERSION_ROW, value=0))


# What the cache keeps of a user (the ticket page's agents: app/domain/workspace.py). A
# sign-in writes the user too (last login, login count) and leaves the cache alone.
USER_ATTRIBUTES = ("active", "roles", "departments", "username", "display_name", "first_name",
                   "last_name")


def _changes_reference(obj, session) -> bool:
    from app.models import HamrahUser

    if isinstance(obj, _watched_classes()):
        return True
    if not isinstance(obj, HamrahUser):
        return False
    if obj in session.new or obj in session.deleted:
        return True
    attributes = inspect(obj).attrs
    return any(attributes[name].history.has_changes() for name in USER_ATTRIBUTES)


def _note_writes(session, flush_context) -> None:
    """(after_flush: the session's new, dirty and deleted objects and their attribute
    history still show what this flush wrote.)"""
    from app.models import TicketCounter

    if any(_changes_reference(obj, session)
           for obj in (*session.new, *session.dirty, *session.deleted)):
        bumped = session.connection().execute(
            update(TicketCounter).where(TicketCounter.name == VERSION_ROW)
            .values(value=TicketCounter.value + 1).returning(TicketCounter.value)).scalar()
        session.info[_CHANGED] = bumped  # None: no version row (before `hamrah init`)


def _clear_after_commit(session) -> None:
    """This worker drops its entries at once and knows the new version already, so its next
    signed-in request does not drop them (and reload everything) a second time."""
    if _CHANGED not in session.info:
        return
    version = session.info.pop(_CHANGED)
    cache = current_app.extensions.get(EXTENSION_KEY) if has_app_context() else None
    if cache is not None:
        cache.clear()
        cache.version = version


def _forget_after_rollback(session) -> None:
    session.info.pop(_CHANGED, None)


def init_reference_cache(app) -> None:
    app.extensions[EXTENSION_KEY] = ReferenceCache(app.config.get("REFERENCE_CACHE_SECONDS", 30))
    if not event.contains(Session, "after_flush", _note_writes):
        event.listen(Session, "after_flush", _note_writes)
        event.listen(Session, "after_commit", _clear_after_commit)
        event.listen(Session, "after_rollback", _forget_after_rollback)

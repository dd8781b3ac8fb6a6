"""Reference data that every page reads and almost nothing writes, kept per worker process.

Role permissions, departments, offices, canned replies, announcements and the holiday calendar
cost one statement each per page when read from the database, which at the page rates the
benchmark asks for (bench/) is most of a page's time. Each worker keeps them for
REFERENCE_CACHE_SECONDS (0 turns the cache off). A commit in this process that writes one of
the watched models clears the cache at once; other workers see the change within that time.

Values are plain immutable data (tuples, frozensets, frozen dataclasses), never ORM objects:
a cached ORM object would be shared by requests and sessions.
"""
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

EXTENSION_KEY = "hamrah_reference_cache"
_CHANGED = "hamrah_reference_changed"


class ReferenceCache:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self.clock = clock
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


def reference_cache() -> ReferenceCache:
    return current_app.extensions[EXTENSION_KEY]


def cached(key, load: Callable[[], Any]):
    """`load()` through the current app's cache (straight to the database outside an app)."""
    if not has_app_context() or EXTENSION_KEY not in current_app.extensions:
        return load()
    return reference_cache().get(key, load)


def _watched_classes() -> tuple[type, ...]:
    from flask_appbuilder.security.sqla.models import Permission, PermissionView, Role, ViewMenu

    from app.models import Announcement, CannedReply, Department, Holiday, Office

    return (Announcement, CannedReply, Department, Holiday, Office, Permission, PermissionView,
            Role, ViewMenu)


def _note_writes(session, flush_context) -> None:
    watched = _watched_classes()
    if any(isinstance(obj, watched)
           for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


def _clear_after_commit(session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        cache = current_app.extensions.get(EXTENSION_KEY)
        if cache is not None:
            cache.clear()


def _forget_after_rollback(session) -> None:
    session.info.pop(_CHANGED, None)


def init_reference_cache(app) -> None:
    app.extensions[EXTENSION_KEY] = ReferenceCache(app.config.get("REFERENCE_CACHE_SECONDS", 30))
    if not event.contains(Session, "after_flush", _note_writes):
        event.listen(Session, "after_flush", _note_writes)
        event.listen(Session, "after_commit", _clear_after_commit)
        event.listen(Session, "after_rollback", _forget_after_rollback)

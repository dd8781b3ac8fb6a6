"""Writing the audit log.

Sign-ins come from FAB's hooks (our security manager calls `record_now`). Changes to users,
roles and deletions are caught at the ORM, in `before_flush`, because FAB's screens change
users and roles through their generic data model, which sends none of FAB's security
signals; the flush sees every surface (screens, API, CLI) and writes the row in the same
transaction as the change, so a rolled-back change leaves no audit row.
"""
import logging

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event, inspect
from sqlalchemy.orm.attributes import NO_VALUE

from app.extensions import db
from app.models.audit import AuditEvent

log = logging.getLogger(__name__)
_SKIP = "hamrah_audit_off"  # session.info flag: no audit rows from this session


def _actor() -> tuple[int | None, str]:
    if not has_request_context():
        return None, "cli" if has_app_context() else "system"
    user = g.get("user")
    try:
        if user is not None and user.is_authenticated:
            return user.id, user.username
    except Exception:  # a detached or half-loaded user must never break the audited change
        pass
    return None, "anonymous"


def _remote_addr() -> str | None:
    return request.remote_addr if has_request_context() else None


def new_event(kind: str, *, target_type=None, target_id=None, target=None, detail=None,
              actor: tuple[int | None, str] | None = None) -> AuditEvent:
    actor_id, actor_name = actor or _actor()
    return AuditEvent(event=kind, actor_id=actor_id, actor=(actor_name or "")[:256] or None,
                      target_type=target_type, target_id=target_id,
                      target=(str(target)[:256] if target is not None else None),
                      detail=(detail[:4000] if detail else None), remote_addr=_remote_addr())


def record_now(kind: str, **fields) -> None:
    """Add one event in its own commit (sign-ins: FAB has already committed the user's stats)."""
    try:
        db.session.add(new_event(kind, **fields))
        db.session.commit()
    except Exception:  # the audit must not lock people out; the failure is logged loudly
        db.session.rollback()
        log.exception("could not write the audit event %s", kind)


# --- ORM changes -----------------------------------------------------------------------

def _names(items) -> str:
    return ", ".join(sorted(str(getattr(i, "name", i)) for i in items))


def _history(obj, attr):
    state = inspect(obj)
    if attr not in state.attrs:
        return None
    return state.attrs[attr].history


def _scalar_change(obj, attr) -> tuple | None:
    hist = _history(obj, attr)
    if hist is None or not hist.has_changes():
        return None
    old = hist.deleted[0] if hist.deleted else None
    new = hist.added[0] if hist.added else None
    if old is NO_VALUE or old == new:
        return None
    return old, new


def _user_changes(user) -> list[str]:
    parts = []
    roles = _history(user, "roles")
    if roles is not None and (roles.added or roles.deleted):
        added, removed = set(roles.added or ()), set(roles.deleted or ())
        parts.append("roles: +[%s] -[%s]" % (_names(added - removed), _names(removed - added)))
    for attr in ("username", "active"):
        change = _scalar_change(user, attr)
        if change:
            parts.append(f"{attr}: {change[0]!r} -> {change[1]!r}")
    if _scalar_change(user, "password"):
        parts.append("password changed")
    return parts


def _pv_name(pv) -> str:
    return f"{pv.permission.name} on {pv.view_menu.name}" if pv.permission else str(pv)


def _role_changes(role) -> list[str]:
    parts = []
    change = _scalar_change(role, "name")
    if change:
        parts.append(f"name: {change[0]!r} -> {change[1]!r}")
    perms = _history(role, "permissions")
    if perms is not None and (perms.added or perms.deleted):
        added = sorted(_pv_name(pv) for pv in set(perms.added or ()) - set(perms.deleted or ()))
        removed = sorted(_pv_name(pv) for pv in set(perms.deleted or ()) - set(perms.added or ()))
        parts.append("permissions: +[%s] -[%s]" % ("; ".join(added), "; ".join(removed)))
    return parts


def _deleted_kinds():
    from flask_appbuilder.security.sqla.models import Role, User

    from app.models import Announcement, Department, Office, Ticket

    return ((User, "user", "username"), (Role, "role", "name"), (Ticket, "ticket", "number"),
            (Department, "department", "name_en"), (Office, "office", "name"),
            (Announcement, "announcement", "title"))


def _before_flush(session, _flush_context, _instances) -> None:
    if session.info.get(_SKIP):
        return
    from flask_appbuilder.security.sqla.models import Role, User

    events = []
    for obj in list(session.new):
        if isinstance(obj, User):
            events.append(new_event("user_created", target_type="user", target=obj.username,
                                    detail="roles: [%s]" % _names(obj.roles or [])))
        elif isinstance(obj, Role):
            events.append(new_event("role_created", target_type="role", target=obj.name))
    for obj in list(session.dirty):
        if isinstance(obj, User) and (parts := _user_changes(obj)):
            events.append(new_event("user_changed", target_type="user", target_id=obj.id,
                                    target=obj.username, detail="; ".join(parts)))
        elif isinstance(obj, Role) and (parts := _role_changes(obj)):
            events.append(new_event("role_changed", target_type="role", target_id=obj.id,
                                    target=obj.name, detail="; ".join(parts)))
    for obj in list(session.deleted):
        for model, kind, name_attr in _deleted_kinds():
            if isinstance(obj, model):
                events.append(new_event(f"{kind}_deleted", target_type=kind, target_id=obj.id,
                                        target=getattr(obj, name_attr, None)))
                break
    session.add_all(events)


def init_audit(app) -> None:
    """Listen to every flush of the app's session (once per process: `db` is shared)."""
    if not event.contains(db.session, "before_flush", _before_flush):
        event.listen(db.session, "before_flush", _before_flush)


def disable_for(session) -> None:
    """Bulk jobs (demo data, restores) may turn the ORM audit off for one session."""
    session.info[_SKIP] = True


def _on_logged_in(_app, user=None, **_extra) -> None:
    """Flask-Login's signal: sign-ins that skip FAB's password check (host tokens)."""
    if has_request_context() and request.endpoint not in ("AuthDBView.login",) and user:
        record_now("host_signin", target_type="user", target_id=user.id, target=user.username,
                   detail=f"{request.method} {request.path}", actor=(user.id, user.username))


def init_signin_signals(app) -> None:
    from flask_login import user_logged_in

    user_logged_in.connect(_on_logged_in, app)

"""No privilege escalation through the user and role screens.

Managers may manage users and roles (app/domain/roles.py). Without a check, a Manager
can give themselves the Admin role, reset an Admin's password, or add any permission to
their own role. Checked at the flush, so every surface (FAB's screens, the API, code) is
covered; a signed-in non-Admin may not:

- grant or remove the Admin role, or change, re-password or delete a user who holds it;
- change or delete the Admin role;
- add to a role a permission they do not hold themselves.

The CLI (no request) is not restricted. The refusal is an SQLAlchemyError so that FAB's
data layer rolls the transaction back and shows the message.
"""
from flask import current_app, g, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db


class EscalationRefused(SQLAlchemyError):
    """A change that would give someone more rights than the person making it has."""


def _actor():
    if not has_request_context():
        return None
    user = g.get("user")
    return user if getattr(user, "is_authenticated", False) else None


def _admin_role_name() -> str:
    return current_app.config.get("AUTH_ROLE_ADMIN", "Admin")


def _before(obj, attr) -> list:
    """A collection as it was before this flush's changes (the actor may be editing
    themselves: their own user or role is then among the changed objects)."""
    history = inspect(obj).attrs[attr].history
    if not history.has_changes():
        return list(getattr(obj, attr) or ())
    return list(history.unchanged or ()) + list(history.deleted or ())


def _is_admin(user) -> bool:
    return any(role.name == _admin_role_name() for role in _before(user, "roles"))


def _changed(obj, attrs) -> bool:
    state = inspect(obj)
    return any(attr in state.attrs and state.attrs[attr].history.has_changes() for attr in attrs)


def _granted(actor) -> set[tuple[str, str]]:
    return {(pv.permission.name, pv.view_menu.name) for role in _before(actor, "roles")
            for pv in _before(role, "permissions")}


def _check(session) -> None:
    from flask_appbuilder.security.sqla.models import Role, User

    actor = _actor()
    if actor is None or _is_admin(actor):
        return
    admin = _admin_role_name()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, User):
            history = inspect(obj).attrs.roles.history
            touched = {r.name for r in list(history.added or ()) + list(history.deleted or ())}
            holds_admin = admin in {r.name for r in _before(obj, "roles")}
            if admin in touched or (holds_admin and (obj in session.deleted or _changed(
                    obj, ("password", "username", "active", "email", "roles")))):
                raise EscalationRefused("Only an administrator may change administrators.")
        elif isinstance(obj, Role):
            old_names = inspect(obj).attrs.name.history.deleted or ()
            if admin in (obj.name, *old_names) and (obj in session.deleted or _changed(
                    obj, ("name", "permissions"))):
                raise EscalationRefused("Only an administrator may change the Admin role.")
            added = inspect(obj).attrs.permissions.history.added or ()
            if added and not {(pv.permission.name, pv.view_menu.name)
                              for pv in added} <= _granted(actor):
                raise EscalationRefused("You may not grant permissions you do not have.")


def _before_flush(session, _flush_context, _instances) -> None:
    _check(session)


def init_escalation_guard(app) -> None:
    if not event.contains(db.session, "before_flush", _before_flush):
        event.listen(db.session, "before_flush", _before_flush)

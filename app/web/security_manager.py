"""Our FAB security manager: extended user model and screens, per-request permission cache."""
import functools

from flask import g, has_request_context
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from app.infra.reference_cache import cached, observe_version, version_column
from app.models.user import HamrahUser
from app.views.users import HamrahRoleModelView, HamrahUserDBModelView
from app.web.datamodel import HamrahSQLAInterface

# FAB's own screens whose lists we filter like ours (literal wildcards, typed digits).
_FAB_LIST_VIEWS = ("userdbmodelview", "rolemodelview", "groupmodelview", "permissionmodelview",
                   "viewmenumodelview", "permissionviewmodelview")


@functools.cache
def _user_statement():
    """Built once: SQLAlchemy keeps a statement's cache key on the object, so the statement
    made on every request costs neither its construction nor that key again."""
    return (select(HamrahUser, version_column()).where(HamrahUser.id == bindparam("user_id"))
            .options(joinedload(HamrahUser.roles), joinedload(HamrahUser.groups),
                     joinedload(HamrahUser.departments), joinedload(HamrahUser.office),
                     joinedload(HamrahUser.regions)))


class HamrahSecurityManager(SecurityManager):
    user_model = HamrahUser
    userdbmodelview = HamrahUserDBModelView
    rolemodelview = HamrahRoleModelView

    def __init__(self, appbuilder):
        """FAB gives its screens a plain SQLAInterface here; ours has the list filters that
        search typed text literally (app/web/list_filters.py)."""
        super().__init__(appbuilder)
        for name in _FAB_LIST_VIEWS:
            view = getattr(self, name, None)
            if view is not None and getattr(view, "datamodel", None) is not None:
                view.datamodel = HamrahSQLAInterface(view.datamodel.obj)

    def get_user_by_id(self, pk):
        """The user with roles, groups, office, departments and regions in one statement (every
        request), and the reference cache's version with it."""
        try:
            pk = int(pk)  # FAB's reset-password form passes it as text
        except (TypeError, ValueError):
            return None
        row = self.session.execute(_user_statement(), {"user_id": pk}).unique().first()
        if row is None:
            return None
        observe_version(row.reference_version)  # reference data changed in another worker?
        return row[0]

    def _role_permissions(self, role_ids: tuple[int, ...]) -> frozenset[tuple[str, str]]:
        """All (permission, view) pairs of the given roles, in one query.

        FAB asks the database once per check (~17 queries a page for a database role); we ask
        once per role set, kept for the request and in the reference cache.
        """
        memo = g.setdefault("_hamrah_perm_cache", {}) if has_request_context() else {}
        if role_ids not in memo:
            memo[role_ids] = cached(("role_permissions", role_ids),
                                    lambda: self._load_role_permissions(role_ids))
        return memo[role_ids]

    def _load_role_permissions(self, role_ids: tuple[int, ...]) -> frozenset[tuple[str, str]]:
        rows = self.session.execute(
            select(Permission.name, ViewMenu.name)
            .select_from(PermissionView)
            .join(Permission, PermissionView.permission_id == Permission.id)
            .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
            .join(assoc_permissionview_role,
                  assoc_permissionview_role.c.permission_view_id == PermissionView.id)
            .where(assoc_permissionview_role.c.role_id.in_(role_ids)))
        return frozenset((perm, view) for perm, view in rows)

    def _db_role_ids(self, user) -> tuple[int, ...]:
        roles = [self.get_public_role()] if user is None else self.get_user_roles(user)
        return tuple(sorted(r.id for r in roles if r is not None and r.name not in self.builtin_roles))

    def _has_view_access(self, user, permission_name: str, view_name: str) -> bool:
        if any(
            role.name in self.builtin_roles
            and self._has_access_builtin_roles(role, permission_name, view_name)
            for role in self.get_user_roles(user)
        ):
            return True
        return (permission_name, view_name) in self._role_permissions(self._db_role_ids(user))

    def _get_user_permission_view_menus(self, user, permission_name, view_menus_name):
        granted = self._role_permissions(self._db_role_ids(user))
        names = view_menus_name or [view for perm, view in granted if perm == permission_name]
        return {name for name in names if (permission_name, name) in granted}

    def is_item_public(self, permission_name: str, view_name: str) -> bool:
        public = self.get_public_role()
        if public is None:
            return False
        return (permission_name, view_name) in self._role_permissions((public.id,))

    def get_public_role(self):
        if not has_request_context():
            return super().get_public_role()
        if "_hamrah_public_role" not in g:
            g._hamrah_public_role = super().get_public_role()
        return g._hamrah_public_role

    # --- audit log (app/domain/audit.py): FAB's sign-in hooks ------------------------

    def on_user_login(self, user) -> None:
        from app.domain.audit import record_now

        record_now("login", target_type="user", target_id=user.id, target=user.username,
                   detail=_login_channel(), actor=(user.id, user.username))

    def on_user_logout(self, user) -> None:
        from app.domain.audit import record_now

        record_now("logout", target_type="user", target_id=user.id, target=user.username,
                   actor=(user.id, user.username))

    def auth_user_db(self, username, password):
        """FAB's check; a failure (unknown user included) is written to the audit log."""
        user = super().auth_user_db(username, password)
        if user is None:
            from app.domain.audit import record_now

            record_now("login_failed", target_type="user", target=(username or "")[:256],
                       detail=_login_channel())
        return user


def _login_channel() -> str | None:
    from flask import has_request_context, request

    return f"{request.method} {request.path}" if has_request_context() else None


__all__ = ["HamrahSecurityManager", "Role"]

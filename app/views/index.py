"""The home page sends each role where its work is."""
from flask import current_app, g, redirect, send_from_directory, url_for
from flask_appbuilder import IndexView, expose
from sqlalchemy import text

from app.domain.roles import is_staff
from app.extensions import db
from app.infra.file_storage import get_storage

_PLAIN = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


class HamrahIndexView(IndexView):
    @expose("/")
    def index(self):
        user = getattr(g, "user", None)
        if user is None or not user.is_authenticated:
            return redirect(url_for(self.appbuilder.sm.auth_view.__class__.__name__ + ".login"))
        if is_staff(user):
            return redirect(url_for("TicketModelView.list"))
        return redirect(url_for("InboxView.inbox"))

    @expose("/favicon.ico")
    def favicon(self):
        return send_from_directory(current_app.static_folder, "img/favicon.svg",
                                   mimetype="image/svg+xml", max_age=86400)

    @expose("/healthz")
    def healthz(self):
        """A bare endpoint with no database work: the benchmark's ceiling and a liveness probe."""
        return "ok", 200, _PLAIN

    @expose("/readyz")
    def readyz(self):
        """Readiness: the database answers and the attachment storage is reachable. A balancer
        sends no requests to a node that answers 503 here (its liveness is /healthz)."""
        problems = []
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            problems.append(f"database: {type(exc).__name__}")
        if not get_storage().ready():
            problems.append("storage: unreachable")
        if problems:
            return "not ready: " + "; ".join(problems), 503, _PLAIN
        return "ready", 200, _PLAIN

"""The home page sends each role where its work is."""
from flask import current_app, g, redirect, send_from_directory, url_for
from flask_appbuilder import IndexView, expose

from app.domain.roles import is_staff


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
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}

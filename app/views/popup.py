"""The companion-support popup, the embeddable widget script and the demo host page."""
from urllib.parse import urlencode

from flask import abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from app.domain.counters import navbar_counters
from app.domain.host_signin import HostTokenInvalid, make_token, user_from_token
from app.extensions import db
from app.persian.text import digits_only

CONTEXT_KEYS = ("tracking_number", "national_id", "activity")


def _context() -> dict[str, str]:
    """The host's case context from the query string, cleaned."""
    context = {}
    for key in CONTEXT_KEYS:
        value = (request.args.get(key) or "").strip()
        if value:
            context[key] = value[:200] if key == "activity" else digits_only(value)[:20]
    return context


class PopupView(BaseView):
    """Public routes: they sign the clerk in from a host token or send them to the login page."""

    route_base = "/support"
    default_view = "popup"

    @expose("/popup")
    def popup(self):
        token = request.args.get("token")
        if token:
            try:
                user = user_from_token(db.session, self.appbuilder.sm, token)
            except HostTokenInvalid as error:
                current_app.logger.warning("host sign-in refused: %s", error)
                if not (g.user and g.user.is_authenticated):
                    return self.render_template("support/signin_failed.html",
                                                title=_l("Sign-in failed")), 401
            else:
                login_user(user)
            return redirect(url_for(".popup", **_context()))  # drop the token from the URL
        if not g.user or not g.user.is_authenticated:
            login = url_for(self.appbuilder.sm.auth_view.__class__.__name__ + ".login")
            return redirect(f"{login}?{urlencode({'next': request.full_path})}")
        if not self.appbuilder.sm.has_access("can_access", "Support"):
            abort(403)
        context = _context()
        counters = navbar_counters(db.session, g.user)
        return self.render_template(
            "support/popup.html", title=_l("Companion support"), context=context,
            new_ticket_url=url_for("NewTicketView.new_ticket", **context),
            unread_answers=counters.get("unread_answers", 0),
            unread_announcements=counters.get("unread_announcements", 0),
        )

    @expose("/widget.js")
    def widget(self):
        response = make_response(render_template("support/widget.js"))
        response.headers["Content-Type"] = "application/javascript; charset=utf-8"
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    @expose("/demo-host")
    def demo_host(self):
        """A page shaped like the manual's case screen, with the widget and a clerk token."""
        if not current_app.config.get("DEMO_HOST_ENABLED"):
            abort(404)
        case = {"tracking_number": "99010294000080", "national_id": "0499370899",
                "activity": "صدور پروانه اشتغال انفرادی"}
        token = make_token("clerk", "کاربر دفتر ۱", "1001", "شهر نمونه ۱")
        return render_template("support/demo_host.html", case=case, token=token)

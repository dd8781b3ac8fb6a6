"""The companion-support popup, the embeddable widget script and the demo host page."""
from urllib.parse import urlencode

from flask import abort, current_app, g, make_response, redirect, render_template, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from app.domain.counters import navbar_counters
from app.domain.host_signin import HostTokenInvalid, make_token, user_from_token
from app.extensions import db
from app.persian.text import digits_only
from app.views.unread import allowed_host_origin, badge_token, unread_response

CONTEXT_KEYS = ("tracking_number", "national_id", "activity")
PROBE_COOKIE = "hamrah_frame_probe"


def _remember_host() -> None:
    """The host page's origin (`host=`), kept for the frame bridge when it may talk to us."""
    origin = allowed_host_origin(request.args.get("host"))
    if origin:
        session["host_origin"] = origin


def widget_strings() -> dict:
    """The widget's own sentences in both languages (it follows the host page's direction)."""
    texts = {}
    for lang in ("fa", "en"):
        with force_locale(lang):
            texts[lang] = {
                "fallback": gettext("This site cannot keep you signed in to support inside "
                                    "the page, so support opens in its own window."),
                "unread": gettext("Unread answers and announcements"),
                "dialog": gettext("Companion support"),
            }
    return texts


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
            _remember_host()
            return redirect(url_for(".popup", **_context()))  # drop the token from the URL
        if not g.user or not g.user.is_authenticated:
            login = url_for(self.appbuilder.sm.auth_view.__class__.__name__ + ".login")
            return redirect(f"{login}?{urlencode({'next': request.full_path})}")
        if not self.appbuilder.sm.has_access("can_access", "Support"):
            abort(403)
        _remember_host()
        context = _context()
        counters = navbar_counters(db.session, g.user)
        return self.render_template(
            "support/popup.html", title=_l("Companion support"), context=context,
            new_ticket_url=url_for("NewTicketView.new_ticket", **context),
            unread_answers=counters.get("unread_answers", 0),
            unread_announcements=counters.get("unread_announcements", 0),
            badge_token=badge_token(g.user),
        )

    @expose("/widget.js")
    def widget(self):
        response = make_response(render_template(
            "support/widget.js", strings=widget_strings(),
            poll_seconds=int(current_app.config.get("WIDGET_POLL_SECONDS", 60))))
        response.headers["Content-Type"] = "application/javascript; charset=utf-8"
        response.headers["Cache-Control"] = "public, max-age=300"
        return response

    @expose("/frame")
    def frame(self):
        """The dialog's first stop, before any token is spent: can this frame keep a session?

        The first request sets a probe cookie with the session cookie's attributes and sends the
        frame on to the check; a browser that drops cookies in a cross-site frame comes back
        without it, and the page tells the widget (postMessage to the host origin, checked
        against HOST_ORIGINS) so it opens a window instead. Nothing here reads or spends tokens."""
        host = allowed_host_origin(request.args.get("host"))
        if request.args.get("step") != "check":
            response = redirect(url_for(".frame", step="check", host=host or ""))
            response.set_cookie(
                PROBE_COOKIE, "1", max_age=600, path="/support/", httponly=True,
                secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                samesite=current_app.config.get("SESSION_COOKIE_SAMESITE", "Lax"))
            return response
        kept = request.cookies.get(PROBE_COOKIE) == "1"
        if kept:
            _remember_host()
        response = make_response(render_template(
            "support/frame_probe.html", kept=kept, host=host))
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/unread", methods=["GET", "OPTIONS"])
    def unread(self):
        return unread_response()

    @expose("/demo-host")
    def demo_host(self):
        """A page shaped like the manual's case screen, with the widget and a clerk token."""
        if not current_app.config.get("DEMO_HOST_ENABLED"):
            abort(404)
        case = {"tracking_number": "99010294000080", "national_id": "0499370899",
                "activity": "صدور پروانه اشتغال انفرادی"}
        token = make_token("clerk", "کاربر دفتر ۱", "1001", "شهر نمونه ۱")
        return render_template("support/demo_host.html", case=case, token=token,
                               mode=request.args.get("mode", "dialog"),
                               poll_seconds=digits_only(request.args.get("poll", ""))[:4])

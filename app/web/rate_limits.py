"""Rate limits, applied by route so that no view file needs to know about them.

FAB's own limiter (`appbuilder.sm.limiter`, Flask-Limiter, storage from
RATELIMIT_STORAGE_URI) already limits POST /login/ per client address when
AUTH_RATE_LIMITED is on. Here we add:

- failed sign-ins per username, from any address (a lockout against password guessing;
  only failures count, so the owner can still sign in until the limit is reached), counted
  in the database (app/domain/login_lockout.py) so that every worker and node agrees;
- new tickets and replies per user (`TICKET_RATE_LIMIT`, `REPLY_RATE_LIMIT`), shared by
  the web pages and the REST API routes, so both surfaces draw from one allowance.

A limit hit raises Flask-Limiter's RateLimitExceeded (a 429), which app/web/error_pages.py
turns into a translated page, or JSON under /api/.
"""
import functools
import re
from datetime import timezone

from flask import current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from app.domain import login_lockout
from app.extensions import db

# (rule pattern, method) of the routes each shared limit covers; API routes count once
# they exist (matched on the URL rule, so the API's method names do not matter).
TICKET_CREATE_ROUTES = re.compile(r"^(/support/new|/api/v1/tickets/?)$")
REPLY_ROUTES = re.compile(r"^(/support/tickets/<[^>]+>/reply"
                          r"|/api/v1/tickets/<[^>]+>/(messages|attachments)/?)$")
WEB_LOGIN_ENDPOINT = "AuthDBView.login"
API_LOGIN_ENDPOINT = "SecurityApi.login"


def user_key() -> str:
    """The signed-in user (session or the request's JWT), else the client address."""
    user = g.get("user")
    if getattr(user, "is_authenticated", False):
        return f"user:{user.id}"
    if request.path.startswith("/api/"):
        try:
            from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request

            verify_jwt_in_request(optional=True)
            identity = get_jwt_identity()
            if identity is not None:
                return f"user:{identity}"
        except Exception:  # a bad token is the view's business (401), not the limiter's
            pass
    return f"addr:{get_remote_address()}"


def login_name() -> str:
    """The username a sign-in attempt is for (form or JSON), normalised."""
    if request.path.startswith("/api/"):
        body = request.get_json(silent=True) or {}
        name = body.get("username") if isinstance(body, dict) else None
    else:
        name = request.form.get("username")
    return login_lockout.normalise(name)


def _web_login_failed(_response) -> bool:
    return not current_user.is_authenticated


def _api_login_failed(response) -> bool:
    return response.status_code == 401


def _counts(response) -> bool:
    """Only writes that happened use allowance: the web forms redirect after a write (a
    refused form is shown again, 200 or 400), the API answers 2xx."""
    if request.path.startswith("/api/"):
        return 200 <= response.status_code < 300
    return 300 <= response.status_code < 400


def _with_lockout(view, failed):
    """Refuse a locked username before its password is even checked; count the failures
    after (app/domain/login_lockout.py keeps them in the database for every worker)."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if request.method != "POST" or not current_app.config.get("RATELIMIT_ENABLED"):
            return view(*args, **kwargs)
        name = login_name()
        until = login_lockout.locked_until(db.session, name)
        if until is not None:
            raise TooManyRequests(retry_after=until.replace(tzinfo=timezone.utc))
        response = current_app.make_response(view(*args, **kwargs))
        if failed(response):
            login_lockout.record_failure(db.session, name, get_remote_address())
        elif name:
            login_lockout.forget_failures(db.session, name)
        return response

    return guarded


def _config_value(name: str):
    return lambda: current_app.config[name]


def _endpoints(app, pattern: re.Pattern, method: str) -> list[str]:
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()
                   if pattern.match(rule.rule) and method in (rule.methods or ())})


def _wrap(app, endpoint: str, limit) -> None:
    app.view_functions[endpoint] = limit(app.view_functions[endpoint])


def init_rate_limits(app) -> None:
    limiter = app.appbuilder.sm.limiter
    create = limiter.shared_limit(_config_value("TICKET_RATE_LIMIT"), scope="ticket-create",
                                  key_func=user_key, methods=["POST"], deduct_when=_counts)
    reply = limiter.shared_limit(_config_value("REPLY_RATE_LIMIT"), scope="ticket-reply",
                                 key_func=user_key, methods=["POST"], deduct_when=_counts)
    for endpoint in _endpoints(app, TICKET_CREATE_ROUTES, "POST"):
        _wrap(app, endpoint, create)
    for endpoint in _endpoints(app, REPLY_ROUTES, "POST"):
        _wrap(app, endpoint, reply)
    if WEB_LOGIN_ENDPOINT in app.view_functions:  # FAB's per-address limit stays outside
        _wrap(app, WEB_LOGIN_ENDPOINT, lambda view: _with_lockout(view, _web_login_failed))
    if API_LOGIN_ENDPOINT in app.view_functions:
        _wrap(app, API_LOGIN_ENDPOINT, lambda view: _with_lockout(view, _api_login_failed))
        if app.config.get("AUTH_RATE_LIMITED"):  # FAB limits only its web login per address
            _wrap(app, API_LOGIN_ENDPOINT, limiter.limit(
                _config_value("AUTH_RATE_LIMIT"), methods=["POST"], override_defaults=False))


def limited_endpoints(app) -> dict[str, list[str]]:
    """Which endpoints each per-user limit covers (for tests and for the curious)."""
    return {"ticket-create": _endpoints(app, TICKET_CREATE_ROUTES, "POST"),
            "ticket-reply": _endpoints(app, REPLY_ROUTES, "POST")}

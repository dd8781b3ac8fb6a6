"""The widget's unread count: a small JSON answer with an ETag, for host pages that poll it.

The host page sits on another origin, often on another site, where the session cookie
(`SameSite=Lax`) never travels. So the popup, once it has a session (in the dialog's frame or
in its own window), hands the widget a *badge token* through postMessage: a signed, read-only
token naming the clerk, good only for these two numbers, for WIDGET_BADGE_TOKEN_MAX_AGE
seconds. The widget sends it as `Authorization: Bearer`, without cookies; the session cookie is
still accepted for same-origin callers. CORS answers only origins in HOST_ORIGINS (a browser on
any other origin gets a 403 and no CORS headers), and never with credentials.
"""
from flask import current_app, g, jsonify, make_response, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.domain.counters import navbar_counters
from app.extensions import db
from app.web.polled_json import etag_of, polled_json

SALT = "hamrah-widget-badge"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def badge_token(user) -> str:
    return _serializer().dumps(user.id)


def _user_from_badge(token: str):
    try:
        user_id = _serializer().loads(
            token, max_age=current_app.config.get("WIDGET_BADGE_TOKEN_MAX_AGE", 43200))
    except BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    # the session's own loader: one statement, and the reference cache's version checked
    user = current_app.appbuilder.sm.get_user_by_id(user_id)
    return user if user is not None and user.active else None


def allowed_host_origin(origin: str | None) -> str | None:
    """The origin itself when it may talk to us (ours, or one of HOST_ORIGINS), else None."""
    if not origin:
        return None
    origin = origin.rstrip("/")
    if origin == request.host_url.rstrip("/") or origin in current_app.config.get(
            "HOST_ORIGINS", []):
        return origin
    return None


def _cors(response, origin: str | None):
    if origin and origin != request.host_url.rstrip("/"):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Expose-Headers"] = "ETag"
    response.headers["Vary"] = "Origin, Authorization, Cookie"
    return response


def _refused(status: int, origin: str | None):
    response = make_response(jsonify({"error": "forbidden" if status == 403 else "sign-in"}),
                             status)
    return _cors(response, origin)


def unread_response():
    """GET (and its CORS preflight): the clerk's unread answers and announcements."""
    origin_header = request.headers.get("Origin")
    origin = allowed_host_origin(origin_header)
    if origin_header and origin is None:
        return _refused(403, None)
    if request.method == "OPTIONS":
        response = _cors(make_response("", 204), origin)
        response.headers["Access-Control-Allow-Methods"] = "GET"
        response.headers["Access-Control-Allow-Headers"] = "Authorization"
        response.headers["Access-Control-Max-Age"] = "600"
        return response
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        user = _user_from_badge(auth[7:].strip())
    else:
        user = g.user if getattr(g.user, "is_authenticated", False) else None
    if user is None:
        return _refused(401, origin)
    counters = navbar_counters(db.session, user)
    answers = int(counters.get("unread_answers", 0))
    notices = int(counters.get("unread_announcements", 0))
    response = polled_json(etag_of(user.id, answers, notices), lambda: {
        "unread_answers": answers, "unread_announcements": notices, "total": answers + notices})
    return _cors(response, origin)

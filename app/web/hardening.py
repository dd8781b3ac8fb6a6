"""Web hardening: security headers and CSP, HTTPS cookies, paging and redirect guards.

Everything here works on requests and responses, so no view needs to know about it.
Error pages live in app/web/error_pages.py, rate limits in app/web/rate_limits.py and the audit
log's listeners in app/domain/audit.py; `init_web_security` wires them all.
"""
import re
import secrets
from urllib.parse import urlencode, urlsplit

from flask import abort, current_app, g, redirect, request

from app.web.framing import frame_ancestors

# Which pages host pages may frame (the clerk's screens only): app/web/framing.py.
WIDGET_SCRIPT = "/support/widget.js"
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f\\]")


def init_web_security(app) -> None:
    """Register the app-wide security hooks (called by create_app after the views)."""
    app.wsgi_app = SecureCookiesOnHttps(app.wsgi_app)
    if app.config.get("TRUST_PROXY"):  # outermost: it sets the scheme the line above reads
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUST_PROXY"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops,
                                x_port=hops, x_prefix=hops)
    app.jinja_env.globals["csp_nonce"] = csp_nonce  # FAB's baselib.get_nonce() calls it
    app.before_request(_guard_url_numbers)
    app.before_request(_guard_nul_bytes)
    app.before_request(_guard_paging_args)
    app.before_request(_guard_next_arg)
    app.after_request(_security_headers)

    from app.domain.audit import init_audit, init_signin_signals
    from app.domain.escalation import init_escalation_guard
    from app.web.error_pages import init_error_pages
    from app.web.rate_limits import init_rate_limits

    init_error_pages(app)
    init_rate_limits(app)
    init_escalation_guard(app)  # before the audit: a refused change writes no audit row
    init_audit(app)
    init_signin_signals(app)


# --- Content-Security-Policy and the other headers ------------------------------------

def csp_nonce() -> str:
    """One random nonce per request, for the inline scripts of FAB's and our templates."""
    if "_csp_nonce" not in g:
        g._csp_nonce = secrets.token_urlsafe(18)
    return g._csp_nonce


def content_security_policy(ancestors: str | None) -> str:
    ancestors = ancestors or "'none'"
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{csp_nonce()}'",
        "style-src 'self' 'unsafe-inline'",  # FAB's templates use style attributes
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",  # the demo host page frames the popup from this origin
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ])


def _security_headers(response):
    headers = response.headers
    path = request.path
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers["X-Hamrah-Node"] = current_app.config["NODE_NAME"]
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if path != WIDGET_SCRIPT:  # the widget script is loaded by host pages on other origins
        ancestors = frame_ancestors()
        headers.setdefault("Content-Security-Policy", content_security_policy(ancestors))
        if ancestors is None:
            headers["X-Frame-Options"] = "DENY"
        elif not current_app.config.get("HOST_ORIGINS"):
            headers["X-Frame-Options"] = "SAMEORIGIN"
    if request.is_secure and current_app.config.get("HSTS_MAX_AGE"):
        headers.setdefault("Strict-Transport-Security",
                           f"max-age={int(current_app.config['HSTS_MAX_AGE'])}")
    if (response.mimetype == "text/html" and "Cache-Control" not in headers
            and getattr(g.get("user"), "is_authenticated", False)):
        headers["Cache-Control"] = "no-store"  # shared office computers: no pages from cache
    return response


class SecureCookiesOnHttps:
    """WSGI middleware: every cookie sent over HTTPS gets `Secure`, whatever
    SESSION_COOKIE_SECURE says. It works on the final headers, because Flask writes the
    session cookie after every `after_request` function has run."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start(status, headers, exc_info=None):
            headers = [(name, value + "; Secure" if name.lower() == "set-cookie"
                        and "; secure" not in value.lower() else value)
                       for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


# --- request guards ------------------------------------------------------------------------

def _guard_url_numbers():
    """`/support/tickets/<int:number>` with 30 digits: not found, not a database overflow."""
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 <= value < 2**63:
            abort(404)
    return None


_FILTER_ARG = re.compile(r"_flt_(\d)_(.*)")  # FAB's own (unanchored) patterns
_ORDER_ARG = re.compile(r"_oc_(.*)")


def _guard_paging_args():
    """FAB lists take `psize_<view>` unbounded and 500 on a non-number: cap and validate.

    A page size over LIST_MAX_PAGE_SIZE is redirected to the capped one; a page size or
    page number that is not a whole number in range is a 400, and so is a list filter
    `_flt_<n>_<column>` whose operator number the column does not have (FAB: IndexError)
    and an order column `_oc_<view>` outside the view's order_columns (FAB orders by any
    attribute, `creator.password` included, and 500s on names that are not columns).
    FAB finds these arguments with unanchored patterns, so we look for them the same way.
    """
    if request.path.startswith("/api/") or not request.args:
        return None
    maximum = int(current_app.config.get("LIST_MAX_PAGE_SIZE", 100))
    capped = False
    args = []
    for key, value in request.args.items(multi=True):
        if "psize_" in key or "page_" in key:
            text = value.strip()
            if not text.isascii() or not text.isdigit() or len(text) > 9:
                abort(400)
            if "psize_" in key:
                if int(text) < 1:
                    abort(400)
                if int(text) > maximum:
                    value, capped = str(maximum), True
        elif (match := _FILTER_ARG.search(key)) and not _filter_ok(*match.groups(), value):
            abort(400)
        elif (match := _ORDER_ARG.search(key)) and not _order_allowed(match.group(1), value):
            abort(400)
        args.append((key, value))
    if capped:
        if request.method != "GET":
            abort(400)
        return redirect(f"{request.path}?{urlencode(args)}")
    return None


def _list_view():
    return getattr(current_app.view_functions.get(request.endpoint), "__self__", None)


def _order_allowed(view_name: str, column: str) -> bool:
    view = _list_view()
    if view is None:
        return True
    views = [view, *(getattr(view, "_related_views", None) or [])]
    for candidate in views:
        if candidate.__class__.__name__ == view_name and hasattr(candidate, "order_columns"):
            return column in (candidate.order_columns or [])
    return True  # FAB only reads the order arguments named after its own views


def _filter_ok(index: str, column: str, value: str) -> bool:
    """The operator exists for the column, and a yes/no column gets FAB's only yes, "y"
    (FAB passes any other text on to the database: an error on PostgreSQL)."""
    view = _list_view()
    filters = getattr(getattr(view, "_filters", None), "_all_filters", None)
    if filters is None or column not in filters:
        return True  # not a FAB list, or a column FAB ignores anyway
    if int(index) >= len(filters[column]):
        return False
    datamodel = getattr(view, "datamodel", None)
    try:
        is_boolean = datamodel is not None and datamodel.is_boolean(column)
    except Exception:  # a relation or a computed column: not ours to judge
        is_boolean = False
    return value == "y" if is_boolean else True


def _guard_nul_bytes():
    """A NUL character is never text a person typed, and PostgreSQL refuses it with an error."""
    if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
        abort(400)
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        if any("\x00" in value for _key, value in request.form.items(multi=True)):
            abort(400)
    return None


def is_safe_next(target: str) -> bool:
    """A path on this site, or an http(s) URL of this host; nothing browsers could read as
    another host (`//x`, `/\\x`, tabs or newlines inside, other schemes)."""
    if not target or _CONTROL_OR_SPACE.search(target):
        return False
    if target.startswith("/"):
        return not target.startswith("//")
    parts = urlsplit(target)
    return parts.scheme in ("http", "https") and parts.netloc == request.host


def _guard_next_arg():
    """FAB's get_safe_redirect lets `/\\evil.example` through: drop unsafe `next` values."""
    target = request.args.get("next")
    if target is None or is_safe_next(target):
        return None
    if request.method != "GET":
        abort(400)
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "next"]
    return redirect(request.path + (f"?{urlencode(args)}" if args else ""))

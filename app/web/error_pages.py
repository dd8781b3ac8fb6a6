"""Translated error pages (400, 403, 404, 413, 429, 500), and JSON errors under /api/.

The pages extend FAB's `appbuilder/base.html`, so the menu and language switch stay; if
even that cannot be drawn (a broken database behind a 500), a plain page is sent.
"""
import logging

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

log = logging.getLogger(__name__)
PAGES = (400, 403, 404, 413, 429, 500)


def _megabytes(size: int) -> str:
    from app.persian.dates import format_number

    value = round(size / (1024 * 1024), 1)
    return format_number(int(value) if value == int(value) else value)


def _message(code: int) -> str:
    config = current_app.config
    return {
        400: _("The request could not be understood. If you were sending a form, reload the "
               "page and try again."),
        403: _("You do not have permission to open this page."),
        404: _("The page or item you asked for was not found."),
        413: _("The upload is too large: at most %(total)s MB may be sent at once, and each "
               "file may be at most %(each)s MB.",
               total=_megabytes(config.get("MAX_CONTENT_LENGTH") or 0),
               each=_megabytes(config.get("ATTACHMENT_MAX_BYTES") or 0)),
        429: _("Too many requests. Please wait a while and try again."),
        500: _("Something went wrong on our side. Please try again later."),
    }[code]


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, error=None):
    if wants_json():
        return jsonify(message=_message(code)), code
    try:
        if "user" not in g:  # refused before FAB's before_request ran (CSRF, rate limit)
            from flask_login import current_user

            g.user = current_user
        appbuilder = current_app.appbuilder
        return render_template(f"errors/{code}.html", code=code, message=_message(code),
                               appbuilder=appbuilder, base_template=appbuilder.base_template), code
    except Exception:  # pragma: no cover - only when the full page itself cannot be drawn
        log.exception("could not render the %s page", code)
        return (f"<!DOCTYPE html><meta charset='utf-8'><title>{code}</title>"
                f"<p>{escape(_message(code))}</p>"), code


def _handle_http(error: HTTPException):
    code = error.code or 500
    if code not in PAGES:
        return error
    if code == 429 and getattr(error, "response", None) is not None:
        return error.response
    return render_error(code, error)


def _handle_500(error):
    try:
        db.session.rollback()  # the request's transaction may be what failed
    except Exception:  # pragma: no cover
        pass
    original = getattr(error, "original_exception", None)
    if original is not None:
        log.error("unhandled error on %s %s", request.method, request.path, exc_info=original)
    return render_error(500, error)


def init_error_pages(app) -> None:
    for code in PAGES:
        if code != 500:
            app.register_error_handler(code, _handle_http)
    app.register_error_handler(InternalServerError, _handle_500)

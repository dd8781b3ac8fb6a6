"""The one place where the API turns failures into JSON: validation, domain errors, HTTP errors.

Every route is wrapped in `safe` (instead of FAB's, which answers any exception with a
500): a bad input is a 400 with field messages, a `DomainError` its own status and
translated text, and nothing a client sends becomes a 500.
"""
import functools
import logging

from flask import jsonify, make_response
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.domain.attachments import AttachmentRejected
from app.domain.errors import DomainError, NotFound
from app.domain.ratings import RatingNeedsReason, RatingOutOfRange
from app.extensions import db

log = logging.getLogger(__name__)

INVALID_INPUT = _l("The request is not valid.")

# Domain errors that belong to one input field, so clients can show them beside it.
_FIELD_OF_ERROR = ((RatingNeedsReason, "reason"), (RatingOutOfRange, "stars"),
                   (AttachmentRejected, "files"))


def unauthorized(*_args):
    """No, bad, expired or orphaned JWT: one translated 401 (flask-jwt-extended says 422 for
    a malformed token, and answers `{"msg"}`)."""
    return json_response(401, message=_l("Please log in (a valid JWT is required)."))


class ApiNotFound(NotFound):
    """Out of scope and absent look the same: never reveal that a ticket exists."""

    message = _l("Not found.")


class ApiValidationError(Exception):
    """Field messages (marshmallow's `messages` shape) for a 400 answer."""

    def __init__(self, errors: dict):
        super().__init__("validation error")
        self.errors = errors


def plain(value):
    """Lazy strings and nested containers as plain JSON values (in the request's language)."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def json_response(status: int, **body):
    response = make_response(jsonify(plain(body)), status)
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


def as_lists(errors):
    """Every field's messages as a list (marshmallow keeps a lazy-string message bare)."""
    if isinstance(errors, dict):
        return {key: as_lists(value) for key, value in errors.items()}
    if isinstance(errors, (list, tuple)):
        return list(errors)
    return [errors]


def validation_response(errors: dict):
    return json_response(400, message=INVALID_INPUT, errors=as_lists(errors))


def domain_error_response(error: DomainError):
    body = {"message": error.text()}
    for error_class, field in _FIELD_OF_ERROR:
        if isinstance(error, error_class):
            body["errors"] = {field: [error.text()]}
            break
    return json_response(error.http_status, **body)


def http_error_response(error: HTTPException):
    if isinstance(error, RequestEntityTooLarge):
        return json_response(413, message=_l("The request is too large."))
    status = error.code or 400
    if status >= 500:
        return json_response(status, message=_l("Internal error."))
    return json_response(status, message=INVALID_INPUT if status == 400 else error.name)


def safe(f):
    """FAB's `safe`, but mapping our errors; unexpected ones are logged and answered 500."""

    def wraps(self, *args, **kwargs):
        try:
            return f(self, *args, **kwargs)
        except ApiValidationError as error:
            db.session.rollback()
            return validation_response(error.errors)
        except DomainError as error:
            db.session.rollback()
            return domain_error_response(error)
        except HTTPException as error:  # malformed multipart, body over MAX_CONTENT_LENGTH, ...
            db.session.rollback()
            return http_error_response(error)
        except Exception:
            log.exception("API error in %s", f.__name__)
            db.session.rollback()
            return json_response(500, message=_l("Internal error."))

    return functools.update_wrapper(wraps, f)

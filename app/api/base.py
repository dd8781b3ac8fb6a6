"""What every API resource shares: the JWT's user, scoped ticket lookup, request parsing, docs.

The API authenticates by JWT only (`allow_browser_login = False`): a session cookie alone
opens nothing, so the API needs no CSRF token and a cross-site page cannot use it.
"""
import json
import re

import prison
from flask import request
from flask_appbuilder.api import BaseApi
from flask_babel import lazy_gettext as _l
from flask_jwt_extended import get_current_user
from marshmallow import ValidationError

from app.api.errors import ApiNotFound, ApiValidationError, json_response, unauthorized
from app.domain.access import TicketAccessFilter, get_visible_ticket, ticket_criterion
from app.domain.attachments import IncomingFile
from app.extensions import db
from app.models.base import IDEMPOTENCY_KEY
from app.persian.text import ascii_digits

MAX_FILES = 10
_NUMBER = re.compile(r"[0-9]{1,18}")  # fits BIGINT on every database
IDEMPOTENCY_HEADER = "Idempotency-Key"


def idempotency_key(required: bool = False) -> str | None:
    """The request's `Idempotency-Key` (1 to 64 printable ASCII characters), or None when
    it is absent and not `required`; anything else is a 400 naming the header."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if required and not key:
        raise ApiValidationError({IDEMPOTENCY_HEADER: [_l(
            "Send an Idempotency-Key header (1 to 64 printable ASCII characters).")]})
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.fullmatch(key):
        raise ApiValidationError({IDEMPOTENCY_HEADER: [_l(
            "Use 1 to 64 printable ASCII characters.")]})
    return key


def api_user():
    """The user of the verified JWT, or None.

    FAB's `protect()` verifies the token and its user loader also sets `g.user`, but we
    take the user from the token itself so the scope can never fall back to a session.
    """
    try:
        return get_current_user()
    except RuntimeError:  # no JWT verified in this request
        return None


class ApiTicketAccessFilter(TicketAccessFilter):
    """`TicketAccessFilter` (the UI's rule) applied to the JWT's user."""

    def apply(self, query, value):
        return query.filter(ticket_criterion(api_user()))


def parse_id(raw) -> int:
    """A number or id from a URL; anything else (letters, too long, zero) is simply not found."""
    text = ascii_digits(str(raw)).strip()
    if not _NUMBER.fullmatch(text) or int(text) < 1:
        raise ApiNotFound()
    return int(text)


def scoped_ticket(raw_number):
    """The ticket with this number if the JWT's user may see it; otherwise 404, never 403."""
    ticket = get_visible_ticket(db.session, api_user(), parse_id(raw_number))
    if ticket is None:
        raise ApiNotFound()
    return ticket


def load(schema, data):
    """`schema.load(data)`, with marshmallow's field messages raised for a 400."""
    try:
        return schema.load(data)
    except ValidationError as error:
        raise ApiValidationError(error.messages) from None


def request_data() -> tuple[dict, list[IncomingFile]]:
    """The body as a dict plus uploaded files: JSON, or multipart/form-data with `files` parts.

    In multipart, `related_cases` may be sent as a JSON-encoded list.
    """
    if request.mimetype == "multipart/form-data":
        data = {key: request.form.get(key) for key in request.form}
        if isinstance(data.get("related_cases"), str):
            try:
                data["related_cases"] = json.loads(data["related_cases"])
            except ValueError:
                raise ApiValidationError(
                    {"related_cases": [_l("Send a JSON list of cases.")]}) from None
        return data, uploaded_files()
    return json_body(), []


def json_body() -> dict:
    if not request.is_json:
        raise ApiValidationError({"_schema": [_l("Send JSON (application/json).")]})
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiValidationError({"_schema": [_l("The body must be a JSON object.")]})
    return data


def uploaded_files() -> list[IncomingFile]:
    parts = [part for part in request.files.getlist("files") if part.filename]
    if len(parts) > MAX_FILES:
        raise ApiValidationError(
            {"files": [_l("At most %(n)s files per message.", n=MAX_FILES)]})
    return [IncomingFile(name=part.filename, data=part.read()) for part in parts]


def rison_args() -> dict:
    """FAB's `q` argument (Rison, or JSON), always a dict; a malformed one is a field error."""
    raw = request.args.get("q")
    if not raw:
        return {}
    try:
        value = prison.loads(raw)
    except Exception:  # prison raises several kinds, even RecursionError
        try:
            value = json.loads(raw)
        except Exception:
            value = None
    if not isinstance(value, dict):
        raise ApiValidationError({"q": [_l("Not a valid query argument (Rison or JSON).")]})
    return value


# --- OpenAPI ---------------------------------------------------------------------------

def path_param(name: str, description: str, example: int = 1) -> dict:
    return {"in": "path", "name": name, "required": True, "description": description,
            "schema": {"type": "integer", "minimum": 1}, "example": example}


NUMBER = path_param("number", "Ticket number", 1004481)
Q_PARAM = {"in": "query", "name": "q", "required": False, "schema": {"type": "string"},
           "description": "Rison (or JSON) arguments, e.g. (page:0,page_size:20)"}


def ref(schema_name: str) -> dict:
    return {"$ref": f"#/components/schemas/{schema_name}"}


def result_of(schema_name: str, many: bool = False, **extra) -> dict:
    """The answer's shape: `{"result": <schema>}`, a list with `count` when `many`."""
    item = ref(schema_name)
    properties = {"result": {"type": "array", "items": item} if many else item}
    if many:
        properties["count"] = {"type": "integer"}
    return {"type": "object", "properties": {**properties, **extra}}


def link(path: str, verb: str, **parameters) -> dict:
    """An OpenAPI link: values of this response feed the parameters of another operation."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    return {"operationRef": f"#/paths/{pointer}/{verb}", "parameters": parameters}


def operation(summary: str, *, params=(), body=None, ok: int = 200, result=None,
              errors=(400, 401, 403, 404), multipart=None, content_type=None,
              links=None, also_ok=()) -> dict:
    """One OpenAPI operation object; `result` is a schema name (or a schema dict)."""
    spec = {"summary": summary, "parameters": list(params), "responses": {}}
    if body is not None:
        content = {"application/json": {"schema": ref(body)}}
        if multipart is not None:
            content["multipart/form-data"] = {"schema": multipart}
        spec["requestBody"] = {"required": True, "content": content}
    if content_type:
        schema = {"type": "string", "format": "binary"}
        spec["responses"][str(ok)] = {"description": "File",
                                      "content": {content_type: {"schema": schema}}}
    else:
        schema = ref(result) if isinstance(result, str) else (result or {"type": "object"})
        spec["responses"][str(ok)] = {"description": "OK",
                                      "content": {"application/json": {"schema": schema}}}
    if links:
        spec["responses"][str(ok)]["links"] = links
    for status in also_ok:  # another success with the same body (an idempotent replay)
        spec["responses"][str(status)] = {
            key: value for key, value in spec["responses"][str(ok)].items() if key != "links"}
    for status in errors:
        spec["responses"][str(status)] = {"$ref": f"#/components/responses/{status}"}
    return spec


class ApiDocsMixin:
    """OpenAPI operations from `openapi_operations` ({method name: {http verb: operation}}),
    so docstrings stay short; every operation needs the JWT. FAB's refusals, translated."""

    openapi_operations: dict = {}
    responses = {**BaseApi.responses, "413": {
        "description": "Request or file too large", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"message": {"type": "string"}}}}}}}

    def add_apispec_components(self, api_spec) -> None:
        """Only our own schemas (a ModelRestApi would also publish FAB's generated ones)."""
        BaseApi.add_apispec_components(self, api_spec)

    def response_401(self):
        return unauthorized()

    def response_403(self):
        return json_response(403, message=_l("You are not allowed to do this."))

    def response_404(self):
        return json_response(404, message=_l("Not found."))

    def operation_helper(self, path=None, operations=None, methods=None, func=None, **kwargs):
        specs = self.openapi_operations.get(func.__name__)
        if specs is None:
            return super().operation_helper(path=path, operations=operations, methods=methods,
                                            func=func, **kwargs)
        for method in methods:
            spec = dict(specs.get(method.lower(), {}))
            spec["security"] = [{"jwt": []}]
            operations[method.lower()] = spec
        return None

"""Known issues over the API (issue 19), under the rule of app/domain/known_issues.py:
managers all, agents their departments' (and published ones), clerks and supervisors the
published ones; only support of the known issue's department changes it. Posting the
resolution needs an `Idempotency-Key`: a retry with the same key answers no ticket twice."""
from flask import request
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, fields
from marshmallow.validate import Length

from app.api.base import (
    IDEMPOTENCY_HEADER,
    ApiDocsMixin,
    api_user,
    idempotency_key,
    json_body,
    load,
    operation,
    parse_id,
    path_param,
    result_of,
)
from app.api.errors import ApiValidationError, safe
from app.api.schemas import UtcDateTime
from app.domain import known_issues
from app.domain.known_issue_resolution import post_resolution
from app.extensions import db

_ID = path_param("known_issue_id", "Known issue id")


class KnownIssueIn(Schema):
    class Meta:
        unknown = RAISE

    title = fields.String(required=True, validate=Length(min=1, max=200))
    description = fields.String(load_default="", validate=Length(max=20000))
    department_id = fields.Integer(required=True, strict=True)
    published = fields.Boolean(load_default=False)


class KnownIssueTicketsIn(Schema):
    class Meta:
        unknown = RAISE

    numbers = fields.List(fields.Raw(), required=True)


class KnownIssueResolutionIn(Schema):
    class Meta:
        unknown = RAISE

    body = fields.String(required=True, validate=Length(min=1, max=20000))
    close = fields.Boolean(load_default=False)


class KnownIssueOut(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    department_id = fields.Integer()
    status = fields.String()
    published = fields.Boolean()
    created_at = UtcDateTime()
    resolved_at = UtcDateTime(allow_none=True)
    resolution = fields.String(allow_none=True)
    tickets = fields.List(fields.Integer(), metadata={
        "description": "Numbers of the linked tickets the caller may see"})


class ResolutionOut(Schema):
    posted = fields.List(fields.Integer())
    skipped = fields.List(fields.Integer())
    failed = fields.List(fields.Integer())
    finished = fields.Boolean()


def issue_out(issue, reader, with_tickets=True) -> dict:
    tickets = ([t.number for t in known_issues.linked_tickets(db.session, issue, reader)]
               if with_tickets else [])
    return KnownIssueOut().dump({
        "id": issue.id, "title": issue.title, "description": issue.description,
        "department_id": issue.department_id, "status": issue.status,
        "published": issue.published, "created_at": issue.created_at,
        "resolved_at": issue.resolved_at, "resolution": issue.resolution, "tickets": tickets})


class KnownIssueApi(ApiDocsMixin, BaseApi):
    route_base = "/api/v1/known-issues"
    resource_name = "known-issues"
    openapi_spec_tag = "Known issues"
    class_permission_name = "Known issues API"
    method_permission_name = {"get_list": "read", "get": "read", "post": "write",
                              "link": "write", "resolve": "write"}
    openapi_spec_component_schemas = (KnownIssueIn, KnownIssueOut, KnownIssueTicketsIn,
                                      KnownIssueResolutionIn, ResolutionOut)
    openapi_operations = {
        "get_list": {"get": operation(
            "Visible known issues, newest first (clerks: published ones); `?status=open`",
            errors=(400, 401, 403), result=result_of("KnownIssueOut", many=True))},
        "post": {"post": operation("Create a known issue (support of its department)",
                                   body="KnownIssueIn", ok=201, result=result_of("KnownIssueOut"),
                                   errors=(400, 401, 403))},
        "get": {"get": operation("One visible known issue with its linked tickets",
                                 params=[_ID], result=result_of("KnownIssueOut"))},
        "link": {"post": operation(
            "Link tickets by number (all or none; each must be visible to the caller)",
            params=[_ID], body="KnownIssueTicketsIn", result=result_of("KnownIssueOut"))},
        "resolve": {"post": operation(
            "Post the resolution to every linked open ticket; needs an Idempotency-Key header "
            "(a retry with the same key answers no ticket twice and finishes what failed)",
            params=[_ID, {"in": "header", "name": IDEMPOTENCY_HEADER, "required": True,
                          "schema": {"type": "string", "maxLength": 64}}],
            body="KnownIssueResolutionIn", result=result_of("ResolutionOut"),
            errors=(400, 401, 403, 404, 409))},
    }

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        status = request.args.get("status")
        if status not in (None, "", "open"):
            raise ApiValidationError({"status": [_l("Only status=open is supported.")]})
        user = api_user()
        issues = known_issues.visible_list(db.session, user, open_only=status == "open")
        return self.response(200, count=len(issues),
                             result=[issue_out(i, user, with_tickets=False) for i in issues])

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        data = load(KnownIssueIn(), json_body())
        issue = known_issues.create(db.session, api_user(), **data)
        return self.response(201, result=issue_out(issue, api_user()))

    @expose("/<known_issue_id>", methods=["GET"])
    @protect()
    @safe
    def get(self, known_issue_id):
        issue = known_issues.get_visible(db.session, api_user(), parse_id(known_issue_id))
        return self.response(200, result=issue_out(issue, api_user()))

    @expose("/<known_issue_id>/tickets", methods=["POST"])
    @protect()
    @safe
    def link(self, known_issue_id):
        issue = known_issues.get_visible(db.session, api_user(), parse_id(known_issue_id))
        data = load(KnownIssueTicketsIn(), json_body())
        known_issues.require_change(api_user(), issue.department_id)
        numbers = known_issues.parse_numbers(data["numbers"])
        known_issues.link_numbers(db.session, api_user(), issue, numbers)
        return self.response(200, result=issue_out(issue, api_user()))

    @expose("/<known_issue_id>/resolution", methods=["POST"])
    @protect()
    @safe
    def resolve(self, known_issue_id):
        issue = known_issues.get_visible(db.session, api_user(), parse_id(known_issue_id))
        known_issues.require_change(api_user(), issue.department_id)
        data = load(KnownIssueResolutionIn(), json_body())
        key = idempotency_key(required=True)
        result = post_resolution(db.session, api_user(), issue, data["body"],
                                 close=data["close"], idempotency_key=key)
        return self.response(200, result=ResolutionOut().dump({
            "posted": result.posted, "skipped": result.skipped, "failed": result.failed,
            "finished": result.finished}))

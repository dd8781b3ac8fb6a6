"""A ticket's thread: read it (internal notes for staff only), post a reply with attachments."""
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect

from app.api.base import (
    NUMBER,
    ApiDocsMixin,
    api_user,
    link,
    load,
    operation,
    ref,
    request_data,
    result_of,
    scoped_ticket,
)
from app.api.errors import json_response, safe
from app.api.schemas import AttachmentOut, MessageOut, ReplyIn, TicketStatusOut
from app.domain.collision import NewerMessages
from app.domain.roles import reads_notes
from app.domain.thread import mark_opened, thread_messages
from app.domain.tickets import add_reply
from app.extensions import db

_MULTIPART_REPLY = {"type": "object", "required": ["body"], "properties": {
    "body": {"type": "string"}, "internal": {"type": "boolean"},
    "last_seen_message_id": {"type": "integer"},
    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}


class MessageApi(ApiDocsMixin, BaseApi):
    """Messages live under their ticket's number: /api/v1/tickets/<number>/messages."""

    route_base = "/api/v1/tickets"
    resource_name = "messages"
    openapi_spec_tag = "Messages"
    class_permission_name = "Messages API"
    method_permission_name = {"get_list": "read", "post": "write"}
    openapi_spec_component_schemas = (MessageOut, AttachmentOut, ReplyIn, TicketStatusOut)
    openapi_operations = {
        "get_list": {"get": operation(
            "The thread, oldest first; reading it marks the ticket opened, as the ticket page "
            "does (support: New -> Read; clerk: answer seen)", params=[NUMBER],
            result=result_of("MessageOut", many=True))},
        "post": {"post": operation(
            "Reply (JSON, or multipart/form-data with `files` parts); a clerk's reply sends "
            "the ticket back to support, support's answers it", params=[NUMBER], body="ReplyIn",
            multipart=_MULTIPART_REPLY, ok=201, errors=(400, 401, 403, 404, 413),
            result=result_of("MessageOut", ticket=ref("TicketStatusOut")),
            links={"Download": link("/api/v1/tickets/{number}/attachments/{attachment_id}",
                                    "get", number="$request.path.number",
                                    attachment_id="$response.body#/result/attachments/0/id")})},
    }
    openapi_operations["post"]["post"]["responses"]["409"] = {
        "description": "Held: messages newer than `last_seen_message_id` exist; the reply was "
                       "not sent. Read `newer`, then send again with `last_message_id`.",
        "content": {"application/json": {"schema": {"type": "object", "properties": {
            "message": {"type": "string"},
            "newer": {"type": "array", "items": ref("MessageOut")},
            "last_message_id": {"type": "integer"}}}}}}

    @expose("/<number>/messages", methods=["GET"])
    @protect()
    @safe
    def get_list(self, number):
        ticket = scoped_ticket(number)
        user = api_user()
        messages = MessageOut(many=True).dump(thread_messages(db.session, ticket, user))
        mark_opened(db.session, ticket, user)
        return self.response(200, count=len(messages), result=messages)

    @expose("/<number>/messages", methods=["POST"])
    @protect()
    @safe
    def post(self, number):
        ticket = scoped_ticket(number)
        user = api_user()
        data, files = request_data()
        values = load(ReplyIn(), data)
        try:
            message = add_reply(db.session, ticket, user, values["body"], files,
                                internal=bool(values["internal"]) and reads_notes(user),
                                last_seen_message_id=values["last_seen_message_id"])
        except NewerMessages as held:
            db.session.rollback()
            return json_response(409, message=held.text(), last_message_id=held.newest_id,
                                 newer=MessageOut(many=True).dump(held.messages))
        return self.response(201, result=MessageOut().dump(message),
                             ticket=TicketStatusOut().dump(ticket))

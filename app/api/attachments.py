"""Attachment download, permission-checked exactly like the ticket page's download."""
from io import BytesIO

from flask import send_file
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect
from sqlalchemy import select

from app.api.base import (NUMBER, ApiDocsMixin, api_user, operation, parse_id, path_param,
                          scoped_ticket)
from app.api.errors import ApiNotFound, safe
from app.extensions import db
from app.models import Attachment, Message
from app.services.attachments import get_storage
from app.services.roles import is_staff


class AttachmentApi(ApiDocsMixin, BaseApi):
    """Files are reached through their ticket's number, so the ticket scope decides."""

    route_base = "/api/v1/tickets"
    resource_name = "attachments"
    openapi_spec_tag = "Attachments"
    class_permission_name = "Attachments API"
    method_permission_name = {"download": "read"}
    openapi_operations = {"download": {"get": operation(
        "Download (Content-Disposition: attachment, stored type, nosniff)",
        params=[NUMBER, path_param("attachment_id", "Attachment id")],
        content_type="*/*")}}

    @expose("/<number>/attachments/<attachment_id>", methods=["GET"])
    @protect()
    @safe
    def download(self, number, attachment_id):
        """Scoped ticket, the file on one of its messages, internal notes' files for staff."""
        ticket = scoped_ticket(number)
        stmt = (select(Attachment).join(Message)
                .where(Attachment.id == parse_id(attachment_id))
                .where(Message.ticket_id == ticket.id))
        if not is_staff(api_user()):
            stmt = stmt.where(Message.is_internal.is_(False))
        attachment = db.session.scalars(stmt).first()
        if attachment is None:
            raise ApiNotFound()
        data = get_storage().read(attachment.stored_name)
        response = send_file(BytesIO(data), mimetype=attachment.content_type, as_attachment=True,
                             download_name=attachment.original_name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response

"""Attachment download, permission-checked exactly like the ticket page's download."""
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect

from app.api.base import NUMBER, ApiDocsMixin, api_user, operation, parse_id, path_param, scoped_ticket
from app.api.errors import ApiNotFound, safe
from app.domain.access import get_visible_attachment
from app.domain.attachments import send_attachment
from app.extensions import db


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
        attachment = get_visible_attachment(db.session, api_user(), parse_id(attachment_id),
                                            ticket_id=ticket.id)
        if attachment is None:
            raise ApiNotFound()
        return send_attachment(attachment)

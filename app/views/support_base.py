"""What the clerk-facing pages share: one permission, uploads, domain errors as flashes."""
from flask import flash, g
from flask_appbuilder import BaseView

from app.domain.access import get_visible_ticket
from app.domain.attachments import IncomingFile
from app.domain.errors import DomainError
from app.extensions import db


def permission_map(*methods: str, permission: str = "access") -> dict[str, str]:
    """Every listed view method needs the one `can_<permission>` of the view's class."""
    return {method: permission for method in methods}


class SupportBaseView(BaseView):
    class_permission_name = "Support"

    @staticmethod
    def uploaded_files(field) -> list[IncomingFile]:
        files = []
        for upload in field.data or []:
            if getattr(upload, "filename", ""):
                files.append(IncomingFile(name=upload.filename, data=upload.read()))
                upload.close()
        return files

    @staticmethod
    def flash_error(error: DomainError) -> None:
        flash(error.text(), "danger")

    @staticmethod
    def scoped_ticket_or_404(number: int):
        from flask import abort

        ticket = get_visible_ticket(db.session, g.user, number)
        if ticket is None:
            abort(404)
        return ticket

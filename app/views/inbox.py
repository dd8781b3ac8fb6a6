"""The clerk's message box (صندوق پیام)."""
from flask import g, request
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l

from app.domain.departments import active_departments
from app.domain.inbox import InboxQuery, inbox_page
from app.extensions import db
from app.models import TicketStatus
from app.persian.text import digits_only
from app.views.support_base import SupportBaseView, permission_map


def _positive_int(value, default=None, maximum=10**6):
    digits = digits_only(value or "")
    if not digits.isdigit():
        return default
    number = int(digits)
    return number if 1 <= number <= maximum else default


class InboxView(SupportBaseView):
    route_base = "/support"
    default_view = "inbox"
    method_permission_name = permission_map("inbox")

    @expose("/inbox")
    @has_access
    def inbox(self):
        query = InboxQuery(
            text=(request.args.get("q") or "")[:100],
            department_id=_positive_int(request.args.get("department")),
            status=request.args.get("status") or None,
            page=_positive_int(request.args.get("page"), default=1, maximum=10_000),
        )
        tickets, has_next = inbox_page(db.session, g.user, query)
        return self.render_template(
            "support/inbox.html", title=_l("Message box"), tickets=tickets, query=query,
            has_next=has_next, departments=active_departments(db.session), statuses=list(TicketStatus),
        )

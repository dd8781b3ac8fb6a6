from flask import abort
from flask_appbuilder import ModelView, expose, has_access
from flask_babel import lazy_gettext as _l

from app.domain import announcements
from app.models import Announcement
from app.persian.dates import format_datetime
from app.views.reader_forms import ReaderFormsMixin
from app.views.users import GIVABLE_ROLES
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface


class AnnouncementModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(Announcement)
    class_permission_name = "Announcements"
    list_title = _l("Announcements")
    show_title = add_title = edit_title = _l("Announcement")
    label_columns = {
        "title": _l("Title"),
        "body": _l("Text"),
        "publish_at": _l("Publish at"),
        "expires_at": _l("Expires at"),
        "for_everyone": _l("For everyone"),
        "roles": _l("Roles"),
        "offices": _l("Offices"),
        "departments": _l("Departments"),
        "regions": _l("Regions"),
        "pinned": _l("Pinned banner"),
    }
    description_columns = {
        "for_everyone": _l("Untick to choose roles, offices, departments and/or regions below."),
        "regions": _l("A region reaches the clerks of its offices and of the regions below it, "
                      "and their supervisors."),
        "pinned": _l("Shown as a banner on every page until the reader opens it."),
    }
    list_columns = ["title", "publish_at", "expires_at", "for_everyone", "pinned"]
    add_columns = edit_columns = show_columns = [
        "title", "body", "publish_at", "expires_at", "pinned", "for_everyone", "roles", "offices",
        "departments", "regions",
    ]
    show_template = "announcements/show.html"
    search_columns = ["title", "body", "publish_at", "for_everyone"]
    formatters_columns = {"publish_at": format_datetime, "expires_at": format_datetime}
    add_form_query_rel_fields = edit_form_query_rel_fields = GIVABLE_ROLES
    base_order = ("publish_at", "desc")

    @expose("/report/<int:pk>")
    @has_access
    def report(self, pk):
        """Who in the audience has read this announcement, and when."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        rows = announcements.read_report(self.datamodel.session, item)
        return self.render_template("announcements/report.html", item=item, rows=rows,
                                    read_count=sum(1 for _, at in rows if at),
                                    title=_l("Read report"))

from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.models import Announcement
from app.services.dates import format_datetime


class AnnouncementModelView(ModelView):
    datamodel = SQLAInterface(Announcement)
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
    }
    list_columns = ["title", "publish_at", "expires_at", "for_everyone"]
    add_columns = edit_columns = show_columns = [
        "title", "body", "publish_at", "expires_at", "for_everyone", "roles", "offices",
    ]
    search_columns = ["title", "body", "publish_at", "for_everyone"]
    formatters_columns = {"publish_at": format_datetime, "expires_at": format_datetime}
    base_order = ("publish_at", "desc")

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l

from app.models import CannedReply
from app.views.reader_forms import ReaderFormsMixin
from app.web.datamodel import HamrahSQLAInterface


class CannedReplyModelView(ReaderFormsMixin, ModelView):
    datamodel = HamrahSQLAInterface(CannedReply)
    class_permission_name = "Canned replies"
    list_title = _l("Canned replies")
    show_title = add_title = edit_title = _l("Canned reply")
    label_columns = {"title": _l("Title"), "body": _l("Text"), "department": _l("Department"),
                     "active": _l("Active")}
    list_columns = ["title", "department", "active"]
    add_columns = edit_columns = show_columns = ["title", "department", "body", "active"]
    search_columns = ["title", "body", "department", "active"]
    description_columns = {"department": _l("Leave empty to offer it in every department.")}
    base_order = ("title", "asc")

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l

from app.models import Office
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface


class OfficeModelView(LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(Office)
    class_permission_name = "Offices"
    list_title = _l("Offices")
    show_title = add_title = edit_title = _l("Office")
    label_columns = {"code": _l("Office code"), "name": _l("Name"), "city": _l("City")}
    list_columns = ["code", "name", "city"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = list_columns
    base_order = ("code", "asc")

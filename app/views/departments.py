from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.models import Department


class DepartmentModelView(ModelView):
    datamodel = SQLAInterface(Department)
    class_permission_name = "Departments"
    list_title = _l("Departments")
    show_title = add_title = edit_title = _l("Department")
    label_columns = {
        "name": _l("Name"),
        "name_en": _l("English name"),
        "active": _l("Active"),
        "ordering": _l("Order"),
    }
    list_columns = ["name", "name_en", "active", "ordering"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["name", "name_en", "active"]
    base_order = ("ordering", "asc")

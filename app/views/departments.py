from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, Optional

from app.models import Department
from app.views.reader_forms import ReaderFormsMixin
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface
from app.web.display import ltr_text

# WTForms' own message would print the bounds as Python writes them («0.1», «10000»).
_TARGET_HOURS = NumberRange(min=0.1, max=10000, message=_l(
    "Between %(min)s and %(max)s.", min=0.1, max=10000))


class DepartmentModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(Department)
    class_permission_name = "Departments"
    list_title = _l("Departments")
    show_title = add_title = edit_title = _l("Department")
    label_columns = {
        "name": _l("Name"),
        "name_en": _l("English name"),
        "active": _l("Active"),
        "ordering": _l("Order"),
        "first_response_target_hours": _l("First response target (working hours)"),
        "resolution_target_hours": _l("Resolution target (working hours)"),
    }
    description_columns = {
        "first_response_target_hours": _l("Empty: no target."),
        "resolution_target_hours": _l("Empty: no target."),
    }
    validators_columns = {
        "first_response_target_hours": [Optional(), _TARGET_HOURS],
        "resolution_target_hours": [Optional(), _TARGET_HOURS],
    }
    list_columns = ["name", "name_en", "active", "ordering", "first_response_target_hours",
                    "resolution_target_hours"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["name", "name_en", "active"]
    formatters_columns = {"name_en": ltr_text}
    base_order = ("ordering", "asc")

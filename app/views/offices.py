from flask_appbuilder import ModelView
from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired, Optional, Regexp

from app.domain.regions import SHARING_CHOICES, sharing_label
from app.models import Office
from app.models.office import SHARE_OFFICE
from app.views.reader_forms import ReaderFormsMixin
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface
from app.web.display import code_text


class OfficeModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(Office, code_columns=("code",))
    class_permission_name = "Offices"
    list_title = _l("Offices")
    show_title = add_title = edit_title = _l("Office")
    label_columns = {"code": _l("Office code"), "name": _l("Name"), "city": _l("City"),
                     "region": _l("Region"), "sharing": _l("Clerks see")}
    description_columns = {"region": _l("Empty: the default region."), "sharing": _l(
        "Whether each clerk of the office sees every ticket of the office or only their own.")}
    list_columns = ["code", "name", "city", "region", "sharing"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["code", "name", "city", "region"]
    add_form_extra_fields = edit_form_extra_fields = {"sharing": SelectField(
        _l("Clerks see"), choices=SHARING_CHOICES, default=SHARE_OFFICE,
        widget=Select2Widget())}
    base_order = ("code", "asc")
    code_columns = ("code",)
    formatters_columns = {"code": code_text, "sharing": sharing_label}
    # Optional first: FAB would require the (NOT NULL) region; empty means the default region.
    validators_columns = {"region": [Optional()], "code": [DataRequired(), Regexp(r"^[0-9A-Za-z]+$", message=_l(
        "An office code may hold only digits and Latin letters."))]}

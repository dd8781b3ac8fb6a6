from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Regexp

from app.models import Office
from app.views.reader_forms import ReaderFormsMixin
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface
from app.web.display import code_text


class OfficeModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(Office, code_columns=("code",))
    class_permission_name = "Offices"
    list_title = _l("Offices")
    show_title = add_title = edit_title = _l("Office")
    label_columns = {"code": _l("Office code"), "name": _l("Name"), "city": _l("City")}
    list_columns = ["code", "name", "city"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = list_columns
    base_order = ("code", "asc")
    code_columns = ("code",)
    formatters_columns = {"code": code_text}
    validators_columns = {"code": [DataRequired(), Regexp(r"^[0-9A-Za-z]+$", message=_l(
        "An office code may hold only digits and Latin letters."))]}

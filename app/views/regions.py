"""Regions for managers: provinces, the counties under them (parent picker), search."""
from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Regexp

from app.domain.regions import check_parent
from app.models import Region
from app.views.reader_forms import ReaderFormsMixin
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface
from app.web.display import code_text


class RegionModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(Region)
    class_permission_name = "Regions"
    list_title = _l("Regions")
    show_title = add_title = edit_title = _l("Region")
    label_columns = {"code": _l("Region code"), "name": _l("Name"),
                     "parent": _l("Parent region")}
    description_columns = {"parent": _l(
        "Empty for a province; a county names its province. A supervisor of a region also "
        "sees the offices of the regions below it.")}
    list_columns = ["code", "name", "parent"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = list_columns
    base_order = ("code", "asc")
    code_columns = ("code",)
    formatters_columns = {"code": code_text}
    validators_columns = {"code": [DataRequired(), Regexp(r"^[0-9A-Za-z_-]+$", message=_l(
        "A region code may hold only digits, Latin letters, - and _."))]}

    def pre_add(self, item):
        check_parent(item, item.parent)  # FAB shows the refusal and saves nothing

    def pre_update(self, item):
        check_parent(item, item.parent)

"""Managers' list of holidays: days the response-target (SLA) clock does not run."""
from flask_appbuilder import ModelView
from flask_appbuilder.validators import Unique
from flask_babel import lazy_gettext as _l

from app.models.holiday import Holiday
from app.persian.dates import format_datetime
from app.views.reader_forms import ReaderFormsMixin
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface


def _yes_no(value) -> str:
    return str(_l("Yes") if value else _l("No"))


class HolidayModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(Holiday)
    class_permission_name = "Holidays"
    list_title = _l("Holidays")
    show_title = add_title = edit_title = _l("Holiday")
    label_columns = {
        "day": _l("Day"),
        "name": _l("Name"),
        "every_year": _l("Every year"),
    }
    description_columns = {
        "every_year": _l("Also off on this Jalali day (month and day) in every other year, "
                         "e.g. Nowruz."),
    }
    list_columns = ["day", "name", "every_year"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["day", "name", "every_year"]
    formatters_columns = {"day": lambda value: format_datetime(value, "date"),
                          "every_year": _yes_no}
    base_order = ("day", "desc")
    validators_columns = {"day": [Unique(datamodel, "day")]}

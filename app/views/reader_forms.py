"""FAB's generated add, edit and search forms, made to read and take input as our own forms do.

FAB builds these forms itself (GeneralModelConverter) with no hook for an option's label or
a number's digits, so `ReaderFormsMixin` adjusts the fields it made, before any form exists:
- relation pickers label each option through the display layer (app/web/display.py): role,
  permission and view names in the reader's language, office codes in the reader's digits;
- number fields take Persian and Arabic-Indic digits and «٫» (`to_ascii_number`: a sign, a
  point or a letter still reaches the validator);
- the view's `code_columns` (codes people type, e.g. an office code) are stored as ASCII.
"""
from flask_appbuilder.fields import QuerySelectField
from wtforms import DecimalField, FloatField, IntegerField
from wtforms.fields.core import UnboundField

from app.forms.fields import to_ascii_number
from app.web.display import display_text


def _reads_typed_digits(number_field):
    class ReaderNumberField(number_field):
        def process_formdata(self, valuelist):
            super().process_formdata([to_ascii_number(value) for value in valuelist or []])

    ReaderNumberField.__name__ = f"Reader{number_field.__name__}"
    return ReaderNumberField


_NUMBER_FIELDS = {kind: _reads_typed_digits(kind) for kind in (IntegerField, FloatField, DecimalField)}


def adjust_form(form_class, code_columns=()) -> None:
    for name, field in vars(form_class).items():
        if not isinstance(field, UnboundField):
            continue
        if issubclass(field.field_class, QuerySelectField):
            field.kwargs.setdefault("get_label", display_text)
        elif field.field_class in _NUMBER_FIELDS:
            field.field_class = _NUMBER_FIELDS[field.field_class]
        elif name in code_columns and to_ascii_number not in field.kwargs.get("filters", ()):
            field.kwargs["filters"] = (to_ascii_number, *field.kwargs.get("filters", ()))


class ReaderFormsMixin:
    """For a ModelView; `code_columns` names the typed codes stored as ASCII."""

    code_columns: tuple[str, ...] = ()

    def _init_forms(self):
        super()._init_forms()
        for form_class in {self.add_form, self.edit_form, self.search_form} - {None}:
            adjust_form(form_class, self.code_columns)

"""Date and date-time form fields that speak the reader's calendar.

FAB's DateTimeField uses bootstrap-datepicker (Gregorian only) and stores what was typed as
if it were UTC. Ours shows and reads Jalali text in Persian (with Persian or Latin digits) and
Gregorian in English, both in the configured zone, and stores naive UTC. Typed nonsense becomes
a form error, never a 500. `LocalDatesMixin` puts these fields on every date column of a
ModelView's add, edit and search forms.
"""
from markupsafe import Markup
from wtforms import Field
from wtforms import validators as wtf_validators
from wtforms.widgets import html_params

from app.persian.dates import is_persian, local_zone
from app.persian.jalali import JALALI_EXAMPLE, input_text, parse_for_locale

JALALI_DATE_EXAMPLE = JALALI_EXAMPLE.split(" ")[0]
_ADDON = '<span class="input-group-addon"><i class="fa fa-calendar cursor-hand"></i></span>'


class LocalDateTimeWidget:
    """A text box: our Jalali picker (static/js/jalali-picker.js) in Persian, FAB's in English."""

    def __init__(self, with_time: bool = True):
        self.with_time = with_time

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs["name"] = kwargs.pop("name_", None) or kwargs.get("name") or field.name
        kwargs.pop("class", None)
        kwargs.pop("class_", None)
        value = field._value()
        if is_persian():
            example = JALALI_EXAMPLE if self.with_time else JALALI_DATE_EXAMPLE
            params = html_params(
                type="text", value=value, class_="form-control hamrah-jalali", dir="ltr",
                autocomplete="off", placeholder=example, data_zone=local_zone().key,
                data_jalali="datetime" if self.with_time else "date", **kwargs,
            )
            return Markup(f'<div class="input-group hamrah-date">{_ADDON}<input {params}></div>')
        # FAB's markup, so its bootstrap-datepicker and filter script keep working in English.
        kind = "appbuilder_datetime" if self.with_time else "appbuilder_date"
        params = html_params(type="text", value=value, class_="form-control", dir="ltr",
                             autocomplete="off", **kwargs)
        return Markup(f'<div class="input-group date {kind}" data-provide="datepicker" '
                      f'data-date-format="yyyy-mm-dd">{_ADDON}<input {params}></div>')


class LocalDateTimeField(Field):
    """Naive UTC `datetime` in, reader's calendar and zone out."""

    with_time = True

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("widget", LocalDateTimeWidget(with_time=self.with_time))
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return input_text(self.data, with_time=self.with_time) if self.data else ""

    def process_formdata(self, valuelist):
        text = " ".join(valuelist or []).strip()
        if not text:
            self.data = None
            return
        try:
            typed = parse_for_locale(text)
        except ValueError:  # WTForms shows the message as the field's error
            self.data = None
            raise
        self.data = typed.start if self.with_time else typed.day


class LocalDateField(LocalDateTimeField):
    """A calendar day (`date`), no zone: what the reader typed, in Gregorian."""

    with_time = False


def local_date_fields(datamodel, columns, label_columns, description_columns=None,
                      validators_columns=None, for_search=False) -> dict:
    """Our fields for the date/datetime columns among `columns`, as FAB would have built them."""
    fields = {}
    for name in columns or []:
        is_date = datamodel.is_datetime(name) or datamodel.is_date(name)
        if datamodel.is_relation(name) or not is_date:
            continue
        kind = LocalDateTimeField if datamodel.is_datetime(name) else LocalDateField
        checks = []
        if not for_search:  # empty first: Optional stops the chain, InputRequired says so
            checks.append(wtf_validators.Optional() if datamodel.is_nullable(name)
                          else wtf_validators.InputRequired())
            checks += list((validators_columns or {}).get(name, []))
        fields[name] = kind(
            label_columns.get(name, name),
            validators=checks,
            description=(description_columns or {}).get(name, ""),
            default=None if for_search else datamodel.get_col_default(name),
        )
    return fields


class LocalDatesMixin:
    """For a ModelView: Jalali/Gregorian date fields on its add, edit and search forms.

    Fields the view declares itself in `*_form_extra_fields` win.
    """

    def _init_forms(self):
        common = dict(label_columns=self.label_columns,
                      description_columns=getattr(self, "description_columns", None),
                      validators_columns=getattr(self, "validators_columns", None))
        self.search_form_extra_fields = {
            **local_date_fields(self.datamodel, self.search_columns, for_search=True, **common),
            **(self.search_form_extra_fields or {}),
        }
        for kind in ("add", "edit"):
            columns = getattr(self, f"{kind}_columns", None)
            extra = getattr(self, f"{kind}_form_extra_fields", None) or {}
            setattr(self, f"{kind}_form_extra_fields",
                    {**local_date_fields(self.datamodel, columns, **common), **extra})
        super()._init_forms()

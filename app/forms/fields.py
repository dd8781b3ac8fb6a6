"""Field filters and validators shared by our forms (and reused by the API schemas)."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from app.persian.national_id import is_valid_national_id
from app.persian.text import digits_only, typed_number

TRACKING_NUMBER_MAX = 20


def to_digits(value):
    """Persian/Arabic digits to ASCII, separators dropped; None stays None."""
    return digits_only(value) if isinstance(value, str) else value


def to_ascii_number(value):
    """`typed_number` (the list filters use it too); None and non-text stay as they are."""
    return typed_number(value) if isinstance(value, str) else value


def strip_text(value):
    return value.strip() if isinstance(value, str) else value


def validate_tracking_number(value: str | None) -> str | None:
    """Message for a bad tracking number, or None when it is acceptable (empty is fine)."""
    if not value:
        return None
    if not value.isdigit():
        return str(_l("The tracking number may contain digits only."))
    if len(value) > TRACKING_NUMBER_MAX:
        return str(_l("The tracking number is at most %(n)s digits.", n=TRACKING_NUMBER_MAX))
    return None


def validate_national_id(value: str | None) -> str | None:
    if value and not is_valid_national_id(value):
        return str(_l("The national ID is not valid (10 digits with a correct check digit)."))
    return None


class TrackingNumber:
    def __call__(self, form, field):
        message = validate_tracking_number(field.data)
        if message:
            raise ValidationError(message)


class NationalId:
    def __call__(self, form, field):
        message = validate_national_id(field.data)
        if message:
            raise ValidationError(message)

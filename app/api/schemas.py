"""Marshmallow schemas of the API: what clients send (validated, translated messages) and get.

Inputs reuse the forms' rules (`app.forms.fields` validators, `digits_only`, the forms'
length limits); every message goes through Babel, so a 400 speaks the request's language.
"""
from datetime import timezone

from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validates
from marshmallow.validate import Length, OneOf, Range

from app.domain.ratings import RatingOutOfRange
from app.domain.tickets import NewTicket
from app.extensions import db
from app.forms.fields import validate_national_id, validate_tracking_number
from app.forms.ticket import BODY_MAX, RELATED_CASES_MAX, SUBJECT_MAX
from app.models import Department, TicketStatus
from app.models.ticket import STATUS_LABELS
from app.persian.text import digits_only, typed_number

MAX_INT = 2**31 - 1
MAX_PAGE = 100_000
FILTER_COLUMNS = ("status", "department", "number", "tracking_number", "national_id", "text")
ORDER_COLUMNS = ("last_activity_at", "created_at", "number", "status")
STATUS_VALUES = tuple(s.value for s in TicketStatus)

_BASE_MESSAGES = {"required": _l("This field is required."),
                  "null": _l("This field is required."),
                  "validator_failed": _l("Invalid value.")}


def _max_len(n: int):
    return Length(max=n, error=_l("At most %(n)s characters.", n=n))


def _using(check):
    """A marshmallow validator from a form check that returns a message or None."""

    def validate(value):
        message = check(value)
        if message:
            raise ValidationError(str(message))

    return validate


def _not_blank(message):
    def validate(value):
        if not value:
            raise ValidationError(str(message))  # a str: marshmallow would split a lazy one

    return validate


class Text(fields.String):
    """Text with surrounding whitespace removed; no NUL and no lone surrogates (JSON allows
    "\\ud800", but neither UTF-8 nor PostgreSQL can store it)."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": _l("Enter text."),
                              "invalid_utf8": _l("Enter text.")}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text or not is_storable(text):
            raise self.make_error("invalid")
        return text.strip()


def is_storable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class Digits(Text):
    """A number typed by a person: Persian/Arabic digits to ASCII, separators dropped."""

    def _deserialize(self, value, attr, data, **kwargs):
        return digits_only(super()._deserialize(value, attr, data, **kwargs)) or None


class Whole(fields.Integer):
    """An integer, also from a string of (Persian) digits; never a bool or a fraction."""

    default_error_messages = {**_BASE_MESSAGES, "invalid": _l("Enter a whole number."),
                              "too_large": _l("Enter a whole number.")}

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        if isinstance(value, str):
            value = typed_number(value)  # the forms' and filters' rule
        return super()._validated(value)


class Flag(fields.Boolean):
    default_error_messages = {**_BASE_MESSAGES, "invalid": _l("Enter true or false.")}


class Many(fields.List):
    default_error_messages = {**_BASE_MESSAGES, "invalid": _l("Enter a list.")}


class Choice(fields.String):
    default_error_messages = {**_BASE_MESSAGES, "invalid": _l("Enter text.")}

    def __init__(self, choices, **kwargs):
        super().__init__(validate=OneOf(choices, error=_l("Choose one of: %(choices)s",
                                                          choices=", ".join(choices))),
                         **kwargs)


class ApiSchema(Schema):
    error_messages = {"unknown": _l("Unknown field."), "type": _l("Enter an object.")}

    class Meta:
        unknown = RAISE


def _nested(schema, **kwargs):
    return fields.Nested(schema, error_messages={**_BASE_MESSAGES, "type": _l("Enter an object.")},
                         **kwargs)


_TRACKING = [_using(validate_tracking_number)]
_NATIONAL_ID = [_using(validate_national_id)]


# --- inputs ----------------------------------------------------------------------------

class RelatedCaseIn(ApiSchema):
    tracking_number = Digits(allow_none=True, validate=_TRACKING)
    national_id = Digits(allow_none=True, validate=_NATIONAL_ID)


class TicketCreateIn(ApiSchema):
    subject = Text(required=True, validate=[_not_blank(_l("Please enter a subject.")),
                                            _max_len(SUBJECT_MAX)])
    department_id = Whole(required=True, validate=Range(1, MAX_INT, error=_l(
        "Please choose a department.")))
    body = Text(required=True, validate=[_not_blank(_l("Please describe the problem.")),
                                         _max_len(BODY_MAX)])
    tracking_number = Digits(allow_none=True, validate=_TRACKING)
    national_id = Digits(allow_none=True, validate=_NATIONAL_ID)
    activity = Text(allow_none=True, validate=_max_len(200))
    related_cases = Many(_nested(RelatedCaseIn), allow_none=True, validate=Length(
        max=RELATED_CASES_MAX, error=_l("At most %(n)s related cases.", n=RELATED_CASES_MAX)))

    @validates("department_id")
    def _active_department(self, value, **_kwargs):
        department = db.session.get(Department, value)
        if department is None or not department.active:
            raise ValidationError(str(_l("Please choose a department.")))


def new_ticket(data: dict, files) -> NewTicket:
    related = [(case.get("tracking_number"), case.get("national_id"))
               for case in data.get("related_cases") or []]
    return NewTicket(
        subject=data["subject"], department_id=data["department_id"], body=data["body"],
        tracking_number=data.get("tracking_number"), national_id=data.get("national_id"),
        activity=data.get("activity") or None,
        related_cases=[case for case in related if case[0] or case[1]], files=list(files))


class ReplyIn(ApiSchema):
    body = Text(required=True, validate=[_not_blank(_l("Please write your reply.")),
                                         _max_len(BODY_MAX)])
    # Honoured for support staff only, as on the ticket page.
    internal = Flag(load_default=False)
    # The id of the last message the writer saw: when newer ones exist the reply is not
    # sent, the answer is 409 with them (app/domain/collision.py). Absent: no check.
    last_seen_message_id = Whole(load_default=None, allow_none=True, metadata={
        "description": "Last message id the writer saw; newer messages give a 409 with them"})


class RatingIn(ApiSchema):
    # The range is the service's rule (RatingOutOfRange); the metadata only documents it.
    stars = Whole(required=True, metadata={"minimum": 1, "maximum": 5},
                  error_messages={"invalid": RatingOutOfRange.message,
                                  "too_large": RatingOutOfRange.message})
    reason = Text(allow_none=True, validate=_max_len(500))


class TicketFilterIn(ApiSchema):
    """One FAB-style filter, `(col:status,opr:eq,value:new)`; only equality on a few columns."""

    col = Choice(FILTER_COLUMNS, required=True)
    opr = Choice(("eq",), required=True)
    value = fields.Raw(required=True, allow_none=False, error_messages=_BASE_MESSAGES)

    @post_load
    def _normalise(self, data, **_kwargs):
        data["value"] = _filter_value(data["col"], data["value"])
        return data


def _filter_value(col: str, value):
    """The filter value in its stored form, or a ValidationError on `value`."""
    normalised, message = _normalise_filter(col, value)
    if message:
        raise ValidationError([str(message)], field_name="value")
    return normalised


def _normalise_filter(col: str, value):
    if isinstance(value, (bool, dict, list)) or value is None:
        return None, _l("Invalid value.")
    if col == "status":
        if value in STATUS_VALUES:
            return value, None
        return None, _l("Choose one of: %(choices)s", choices=", ".join(STATUS_VALUES))
    if col == "text":  # full-text search: words of the subject and the clerk-visible thread
        # Punctuation is text, not syntax: a value of punctuation alone is a search that
        # finds nothing (domain/search.py), not a client error.
        words = str(value).strip()
        if words and len(words) <= 100:
            return words, None
        return None, _l("Enter one or more words (at most 100 characters).")
    text = digits_only(str(value))
    if col in ("department", "number"):
        limit = MAX_INT if col == "department" else 10**18 - 1
        if text.isascii() and text.isdigit() and 1 <= int(text[:19]) <= limit:
            return int(text), None
        return None, _l("Enter a whole number.")
    check = validate_tracking_number if col == "tracking_number" else validate_national_id
    return text, check(text) or (None if text else _l("This field is required."))


class TicketListArgs(ApiSchema):
    """The `q` argument of the ticket list; `page_size` above the cap is capped, not refused."""

    page = Whole(validate=Range(0, MAX_PAGE, error=_l("Between %(min)s and %(max)s.",
                                                      min=0, max=MAX_PAGE)))
    page_size = Whole()
    order_column = Choice(ORDER_COLUMNS)
    order_direction = Choice(("asc", "desc"))
    filters = Many(_nested(TicketFilterIn), validate=Length(
        max=len(FILTER_COLUMNS), error=_l("At most %(n)s filters.", n=len(FILTER_COLUMNS))))


# --- outputs ---------------------------------------------------------------------------

class UtcDateTime(fields.DateTime):
    """Our timestamps are naive UTC; say so in the ISO text."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


def _label(status: str) -> str:
    return str(STATUS_LABELS[TicketStatus(status)])


class DepartmentOut(Schema):
    id = fields.Integer()
    name = fields.Function(lambda d: d.display_name(), metadata={"type": "string"})


class OfficeOut(Schema):
    code = fields.String()
    name = fields.String()


class RelatedCaseOut(Schema):
    tracking_number = fields.String(allow_none=True)
    national_id = fields.String(allow_none=True)


class RatingOut(Schema):
    stars = fields.Integer()
    reason = fields.String(allow_none=True)
    rated_at = UtcDateTime()


class TicketListItem(Schema):
    number = fields.Integer()
    subject = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda t: _label(t.status), metadata={"type": "string"})
    department = fields.Nested(DepartmentOut)
    office = fields.Nested(OfficeOut)
    creator = fields.Function(lambda t: t.creator.shown_name, metadata={"type": "string"})
    created_at = UtcDateTime()
    last_activity_at = UtcDateTime()
    unread_answer = fields.Boolean()
    support_read = fields.Function(lambda t: t.status != TicketStatus.NEW.value,
                                   metadata={"type": "boolean"})


class TicketOut(TicketListItem):
    tracking_number = fields.String(allow_none=True)
    national_id = fields.String(allow_none=True)
    activity = fields.String(allow_none=True)
    related_cases = fields.List(fields.Nested(RelatedCaseOut))
    first_answered_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)
    rating = fields.Nested(RatingOut, allow_none=True)


class TicketStatusOut(Schema):
    """What a host application polls to draw its badge."""

    number = fields.Integer()
    status = fields.String()
    status_label = fields.Function(lambda t: _label(t.status), metadata={"type": "string"})
    last_activity_at = UtcDateTime()
    unread_answer = fields.Boolean()


class AttachmentOut(Schema):
    id = fields.Integer()
    name = fields.String(attribute="original_name")
    size = fields.Integer()
    content_type = fields.String()
    url = fields.Function(lambda a: url_for("AttachmentApi.download",
                                            number=a.message.ticket.number, attachment_id=a.id),
                          metadata={"type": "string"})


class MessageOut(Schema):
    id = fields.Integer()
    body = fields.String()
    created_at = UtcDateTime()
    author = fields.Function(lambda m: m.author.shown_name, metadata={"type": "string"})
    from_support = fields.Boolean()
    internal = fields.Boolean(attribute="is_internal")
    attachments = fields.List(fields.Nested(AttachmentOut))


class AnnouncementOut(Schema):
    id = fields.Integer()
    title = fields.String()
    body = fields.String()
    publish_at = UtcDateTime()
    expires_at = UtcDateTime(allow_none=True)
    unread = fields.Boolean()


def announcement_out(announcement, unread: bool) -> dict:
    return AnnouncementOut().dump({
        "id": announcement.id, "title": announcement.title, "body": announcement.body,
        "publish_at": announcement.publish_at, "expires_at": announcement.expires_at,
        "unread": unread})

"""The clerk's forms: new ticket, reply, rating; and the agent's close."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.forms.fields import NationalId, TrackingNumber, strip_text, to_ascii_number, to_digits

SUBJECT_MAX, BODY_MAX, RELATED_CASES_MAX = 200, 5000, 5


class RelatedCaseForm(FlaskForm):
    class Meta:
        csrf = False

    tracking_number = StringField(_l("Tracking number"), filters=[to_digits],
                                  validators=[Optional(), TrackingNumber()])
    national_id = StringField(_l("National ID"), filters=[to_digits],
                              validators=[Optional(), NationalId()])


class NewTicketForm(FlaskForm):
    subject = StringField(_l("Subject"), filters=[strip_text], validators=[
        DataRequired(_l("Please enter a subject.")), Length(max=SUBJECT_MAX)])
    department = SelectField(_l("Department"), coerce=int, validators=[
        DataRequired(_l("Please choose a department."))])
    tracking_number = StringField(_l("Tracking number"), filters=[to_digits],
                                  validators=[Optional(), TrackingNumber()])
    national_id = StringField(_l("National ID"), filters=[to_digits],
                              validators=[Optional(), NationalId()])
    activity = HiddenField(filters=[strip_text], validators=[Optional(), Length(max=200)])
    body = TextAreaField(_l("Message text"), filters=[strip_text], validators=[
        DataRequired(_l("Please describe the problem.")), Length(max=BODY_MAX)])
    attachments = MultipleFileField(_l("Attachment"))
    related = FieldList(FormField(RelatedCaseForm), min_entries=RELATED_CASES_MAX,
                        max_entries=RELATED_CASES_MAX)
    submission_id = HiddenField()

    def related_cases(self) -> list[tuple[str | None, str | None]]:
        return [(entry.form.tracking_number.data or None, entry.form.national_id.data or None)
                for entry in self.related if entry.form.tracking_number.data
                or entry.form.national_id.data]


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Message text"), filters=[strip_text], validators=[
        DataRequired(_l("Please write your reply.")), Length(max=BODY_MAX)])
    attachments = MultipleFileField(_l("Attachment"))
    # Honoured for support staff only: a note other agents see and the clerk never does.
    internal = BooleanField(_l("Internal note (not shown to the clerk)"))
    # The last message its writer saw (support): newer ones hold the reply until sent again
    # (app/domain/collision.py); `confirm` says the writer was shown them.
    last_seen_message_id = HiddenField()
    confirm = HiddenField()


class RatingForm(FlaskForm):
    stars = StringField(_l("Rating"), filters=[to_ascii_number],
                        validators=[DataRequired(_l("Choose between 1 and 5 stars."))])
    reason = StringField(_l("Reason"), filters=[strip_text], validators=[Length(max=500)])


class ActionForm(FlaskForm):
    """A bare form for buttons (close, reopen): only the CSRF token."""

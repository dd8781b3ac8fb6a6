"""Support's forms for known issues: link tickets by number, post the resolution, the ticket
page's panel (link to a known issue, mark the ticket as one)."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms.fields import strip_text


class LinkNumbersForm(FlaskForm):
    numbers = StringField(_l("Ticket numbers"), filters=[strip_text], validators=[
        DataRequired(_l("Enter at least one ticket number.")), Length(max=20000)])


class ResolutionForm(FlaskForm):
    body = TextAreaField(_l("Resolution"), filters=[strip_text], validators=[
        DataRequired(_l("Write the resolution.")), Length(max=20000)])
    close = BooleanField(_l("Also close the tickets"))
    # Made when the form is shown: submitting it twice is one resolution, not two.
    key = HiddenField()

    def fresh(self) -> "ResolutionForm":
        self.key.data = self.key.data or uuid.uuid4().hex
        return self


class TicketKnownIssueForm(FlaskForm):
    known_issue = SelectField(_l("Known issue"), coerce=int,
                              validators=[DataRequired(_l("Choose a known issue."))])


class MarkKnownForm(FlaskForm):
    published = BooleanField(_l("Published (clerks see it)"))


class BulkForm(FlaskForm):
    """The queue's bulk actions: which field counts depends on the action."""

    known_issue = SelectField(_l("Known issue"), coerce=int, validate_choice=False)
    assignee = SelectField(_l("Assign to"), coerce=int, validate_choice=False)
    department = SelectField(_l("Transfer to department"), coerce=int, validate_choice=False)
    note = StringField(_l("Note"), filters=[strip_text], validators=[Length(max=500)])

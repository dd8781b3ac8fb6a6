"""Support's forms on the ticket page: assign, transfer, link or merge."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.forms.fields import strip_text, to_digits


class AssignForm(FlaskForm):
    assignee = SelectField(_l("Assign to"), coerce=int, validators=[Optional()])

    def offer(self, agents) -> "AssignForm":
        """The choices: nobody ("-", 0), then the (id, name) pairs of `agents`."""
        self.assignee.choices = [(0, "-"), *agents]
        return self


class TransferForm(FlaskForm):
    department = SelectField(_l("Transfer to department"), coerce=int,
                             validators=[DataRequired(_l("Choose a department."))])
    note = StringField(_l("Note"), filters=[strip_text], validators=[Length(max=500)])


class OtherTicketForm(FlaskForm):
    number = StringField(_l("Other ticket number"), filters=[to_digits], validators=[
        DataRequired(_l("Enter a ticket number.")), Length(max=18)])

"""Register a new ticket (ارسال تیکت پشتیبانی), with the host's case context pre-filled."""
import uuid

from flask import flash, g, redirect, request, session, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.attachments import AttachmentRejected
from app.domain.departments import department_choices
from app.domain.errors import DomainError
from app.domain.inbox import open_tickets_for_case
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.forms.ticket import NewTicketForm
from app.models import Ticket
from app.persian.dates import format_number
from app.views.support_base import SupportBaseView, permission_map


def _department_choices():
    return [(0, _l("Choose a department"))] + department_choices(db.session)


def _existing(submission_id: str | None):
    if not submission_id:
        return None
    return db.session.scalars(select(Ticket).filter_by(
        creator_id=g.user.id, idempotency_key=submission_id[:64])).first()


class NewTicketView(SupportBaseView):
    route_base = "/support"
    default_view = "new_ticket"
    method_permission_name = permission_map("new_ticket")

    @expose("/new", methods=["GET", "POST"])
    @has_access
    def new_ticket(self):
        form = NewTicketForm()
        form.department.choices = _department_choices()
        if request.method == "GET":
            form.tracking_number.data = form.tracking_number.filters[0](
                request.args.get("tracking_number", ""))[:20]
            form.national_id.data = form.national_id.filters[0](
                request.args.get("national_id", ""))[:10]
            form.activity.data = (request.args.get("activity") or "")[:200]
            form.submission_id.data = uuid.uuid4().hex
        elif form.validate_on_submit():
            return self._create(form)
        else:
            self._files_lost_notice(form)
        open_tickets = open_tickets_for_case(
            db.session, g.user, form.tracking_number.data, form.national_id.data)
        return self.render_template("support/new_ticket.html", title=_l("Send support ticket"),
                                    form=form, open_tickets=open_tickets)

    def _create(self, form):
        previous = _existing(form.submission_id.data)
        if previous is not None:  # double click or resubmitted form
            return redirect(url_for("TicketPageView.show", number=previous.number))
        data = NewTicket(
            subject=form.subject.data, department_id=form.department.data, body=form.body.data,
            tracking_number=form.tracking_number.data, national_id=form.national_id.data,
            activity=form.activity.data, related_cases=form.related_cases(),
            files=self.uploaded_files(form.attachments))
        try:
            ticket = create_ticket(db.session, g.user, data,
                                   idempotency_key=(form.submission_id.data or None))
        except AttachmentRejected as error:
            form.attachments.errors = [error.text(), str(_l("Please choose the files again."))]
            return self._render_again(form)
        except DomainError as error:
            self.flash_error(error)
            return self._render_again(form)
        except IntegrityError:  # a concurrent resubmission won the race
            db.session.rollback()
            previous = _existing(form.submission_id.data)
            if previous is None:
                raise
            ticket = previous
        if session.get("host_origin"):  # the widget tells its host page (host_bridge.js)
            session["hamrah_created"] = ticket.number
        flash(gettext("Your ticket was registered with number %(number)s.",
                      number=format_number(ticket.number)), "success")
        return redirect(url_for("TicketPageView.show", number=ticket.number))

    def _render_again(self, form):
        return self.render_template("support/new_ticket.html", title=_l("Send support ticket"),
                                    form=form, open_tickets=[])

    @staticmethod
    def _files_lost_notice(form):
        if any(getattr(f, "filename", "") for f in (form.attachments.data or [])):
            form.attachments.errors = list(form.attachments.errors) + [
                str(_l("Please choose the files again."))]

"""The ticket page shared by the clerk and support: header, thread, reply, rating, close."""
from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.domain import status as status_machine
from app.domain.access import get_visible_attachment, get_visible_ticket
from app.domain.attachments import AttachmentRejected, send_attachment
from app.domain.canned import canned_for
from app.domain.collision import NewerMessages
from app.domain.errors import DomainError
from app.domain.known_issues import public_issue_of_ticket
from app.domain.ratings import can_rate, rate_ticket
from app.domain.roles import is_staff, notes_only, reads_notes
from app.domain.thread import mark_opened, thread_messages
from app.domain.tickets import add_reply
from app.extensions import db
from app.forms.ticket import ActionForm, RatingForm, ReplyForm
from app.models import TicketStatus
from app.persian.dates import format_number
from app.persian.text import whole_number
from app.views.staff_panel import staff_panel
from app.views.support_base import SupportBaseView, permission_map
from app.views.ticket_live import page_context


def case_documents_url(ticket) -> str | None:
    template = current_app.config.get("CASE_DOCUMENTS_URL")
    if not template or not (ticket.tracking_number or ticket.national_id):
        return None
    return template.format(tracking_number=ticket.tracking_number or "",
                           national_id=ticket.national_id or "")


class TicketPageView(SupportBaseView):
    route_base = "/support/tickets"
    method_permission_name = permission_map("show", "reply", "rate", "close", "reopen")

    @expose("/<int:number>")
    @has_access
    def show(self, number):
        ticket = self.scoped_ticket_or_404(number)
        if ticket.merged_into is not None and get_visible_ticket(
                db.session, g.user, ticket.merged_into.number) is not None:
            flash(gettext("Ticket %(source)s was merged into ticket %(target)s.",
                          source=format_number(ticket.number),
                          target=format_number(ticket.merged_into.number)), "info")
            return redirect(url_for(".show", number=ticket.merged_into.number))
        mark_opened(db.session, ticket, g.user)
        return self._render(ticket)

    def _render(self, ticket, reply_form=None, rating_form=None, status=200, held=None):
        staff = is_staff(g.user)
        if reply_form is None:
            reply_form = ReplyForm(formdata=None)
            if staff:
                reply_form.body.data = self._canned_text(ticket)
        rateable = can_rate(ticket, g.user)
        if rateable and rating_form is None:  # the form shows only to whom may rate
            rating_form = RatingForm(
                stars=ticket.rating.stars if ticket.rating else None,
                reason=ticket.rating.reason if ticket.rating else None, formdata=None)
        support_read = ticket.status != TicketStatus.NEW.value
        thread = thread_messages(db.session, ticket, g.user)
        live = page_context(ticket, thread, staff)
        if not reply_form.last_seen_message_id.data:
            reply_form.last_seen_message_id.data = str(live["live_after"])
        return self.render_template(
            "support/ticket.html", title=_l("Ticket %(number)s", number=ticket.number),
            ticket=ticket, thread=thread, staff=staff, **live,
            held_ids={m.id for m in held.messages} if held else set(),
            held=held.text() if held else None,
            reply_form=reply_form, rating_form=rating_form, notes=reads_notes(g.user),
            notes_only=notes_only(g.user),
            action_form=ActionForm(formdata=None), can_rate=rateable,
            support_read=support_read, case_url=case_documents_url(ticket),
            allowed=status_machine.allowed_events(ticket), Event=status_machine.Event,
            work=staff_panel(ticket, g.user) if staff else None,
            known_issue=None if staff else public_issue_of_ticket(db.session, ticket),
        ), status

    @staticmethod
    def _canned_text(ticket) -> str | None:
        """`?canned=<id>` puts a canned reply into the reply box for the agent to edit."""
        wanted = request.args.get("canned", "")
        if not wanted.isdigit():
            return None
        return next((c.body for c in canned_for(db.session, ticket) if c.id == int(wanted)), None)

    @expose("/<int:number>/reply", methods=["POST"])
    @has_access
    def reply(self, number):
        ticket = self.scoped_ticket_or_404(number)
        form = ReplyForm()
        if not form.validate_on_submit():
            return self._render(ticket, reply_form=form, status=400)
        files = self.uploaded_files(form.attachments)
        try:
            add_reply(db.session, ticket, g.user, form.body.data, files,
                      internal=bool(form.internal.data) and reads_notes(g.user),
                      last_seen_message_id=self._last_seen(form))
        except NewerMessages as held:  # kept text, the new messages shown, sent on confirmation
            db.session.rollback()
            form.last_seen_message_id.data = str(held.newest_id)
            form.confirm.data = "1"
            if files:
                form.attachments.errors = [gettext("Please choose the files again.")]
            return self._render(ticket, reply_form=form, held=held, status=409)
        except AttachmentRejected as error:
            form.attachments.errors = [error.text(), gettext("Please choose the files again.")]
            return self._render(ticket, reply_form=form, status=400)
        except DomainError as error:  # a supervisor's reply (not a note) is refused with 403
            db.session.rollback()
            self.flash_error(error)
            return self._render(ticket, reply_form=form,
                                status=403 if error.http_status == 403 else 400)
        flash(gettext("Your reply was sent."), "success")
        return redirect(url_for(".show", number=number))

    @staticmethod
    def _last_seen(form) -> int | None:
        """Support's form says which message its writer saw last; none: nothing to check."""
        if not reads_notes(g.user):
            return None
        return whole_number(form.last_seen_message_id.data, typed=False)

    @expose("/<int:number>/rate", methods=["POST"])
    @has_access
    def rate(self, number):
        ticket = self.scoped_ticket_or_404(number)
        form = RatingForm()
        if not form.validate_on_submit():
            return self._render(ticket, rating_form=form, status=400)
        try:
            rate_ticket(db.session, ticket, g.user, form.stars.data, form.reason.data)
        except DomainError as error:
            form.stars.errors = [error.text()]
            return self._render(ticket, rating_form=form, status=400)
        flash(gettext("Thank you, your rating was registered."), "success")
        return redirect(url_for(".show", number=number))

    @expose("/<int:number>/close", methods=["POST"])
    @has_access
    def close(self, number):
        return self._staff_event(number, status_machine.Event.CLOSED, gettext("Ticket closed."))

    @expose("/<int:number>/reopen", methods=["POST"])
    @has_access
    def reopen(self, number):
        return self._staff_event(number, status_machine.Event.REOPENED, gettext("Ticket reopened."))

    def _staff_event(self, number, event, done_message):
        ticket = self.scoped_ticket_or_404(number)
        if not is_staff(g.user):
            abort(403)
        if not ActionForm().validate_on_submit():
            return redirect(url_for(".show", number=number))
        try:
            status_machine.apply_event(db.session, ticket, event, g.user)
            db.session.commit()
            flash(done_message, "success")
        except DomainError as error:
            db.session.rollback()
            self.flash_error(error)
        return redirect(url_for(".show", number=number))


class AttachmentView(SupportBaseView):
    route_base = "/support/attachments"
    method_permission_name = permission_map("download")

    @expose("/<int:attachment_id>")
    @has_access
    def download(self, attachment_id):
        """Only through the reader's ticket scope; internal notes' files only for staff."""
        attachment = get_visible_attachment(db.session, g.user, attachment_id)
        if attachment is None:
            abort(404)
        return send_attachment(attachment)

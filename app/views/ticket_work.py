"""Support's actions on a ticket: assign, transfer, link and merge duplicates."""
from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext

from app.domain import workspace
from app.domain.access import get_visible_ticket
from app.domain.errors import DomainError
from app.domain.roles import is_staff
from app.extensions import db
from app.forms.work import AssignForm, OtherTicketForm, TransferForm
from app.views.support_base import SupportBaseView, permission_map


class TicketWorkView(SupportBaseView):
    route_base = "/support/tickets"
    method_permission_name = permission_map("assign", "transfer", "link", "merge",
                                            permission="work")

    def _staff_ticket(self, number):
        ticket = self.scoped_ticket_or_404(number)
        if not is_staff(g.user):
            abort(403)
        return ticket

    def _done(self, number, action, message):
        try:
            action()
            flash(message, "success")
        except DomainError as error:
            db.session.rollback()
            self.flash_error(error)
        if get_visible_ticket(db.session, g.user, number) is None:  # transferred out of scope
            return redirect(url_for("TicketModelView.list"))
        return redirect(url_for("TicketPageView.show", number=number))

    @expose("/<int:number>/assign", methods=["POST"])
    @has_access
    def assign(self, number):
        ticket = self._staff_ticket(number)
        form = AssignForm().offer(workspace.agent_choices(db.session, ticket))
        if not form.validate_on_submit():
            flash(gettext("Tickets can only be assigned to an active agent of their department."),
                  "danger")
            return redirect(url_for("TicketPageView.show", number=number))
        assignee = form.assignee.data or None
        return self._done(number, lambda: workspace.assign(db.session, ticket, g.user, assignee),
                          gettext("Assignment saved."))

    @expose("/<int:number>/transfer", methods=["POST"])
    @has_access
    def transfer(self, number):
        ticket = self._staff_ticket(number)
        form = TransferForm()
        form.department.choices = None  # validated by the service
        form.department.validate_choice = False
        if not form.validate_on_submit():
            flash(gettext("Choose another active department."), "danger")
            return redirect(url_for("TicketPageView.show", number=number))
        return self._done(number, lambda: workspace.transfer(
            db.session, ticket, g.user, form.department.data, form.note.data),
            gettext("Ticket transferred."))

    def _other(self, number):
        form = OtherTicketForm()
        if not form.validate_on_submit() or not form.number.data.isdigit():
            return None
        return get_visible_ticket(db.session, g.user, int(form.number.data))

    @expose("/<int:number>/link", methods=["POST"])
    @has_access
    def link(self, number):
        ticket = self._staff_ticket(number)
        other = self._other(number)
        if other is None:
            flash(gettext("No such ticket."), "danger")
            return redirect(url_for("TicketPageView.show", number=number))
        return self._done(number, lambda: workspace.link(db.session, ticket, other, g.user),
                          gettext("Tickets linked."))

    @expose("/<int:number>/merge", methods=["POST"])
    @has_access
    def merge(self, number):
        """Merge this ticket into the other one (this one is the duplicate)."""
        ticket = self._staff_ticket(number)
        target = self._other(number)
        if target is None:
            flash(gettext("No such ticket."), "danger")
            return redirect(url_for("TicketPageView.show", number=number))
        result = self._done(number, lambda: workspace.merge(db.session, ticket, target, g.user),
                            gettext("Tickets merged."))
        if ticket.merged_into_id == target.id:
            return redirect(url_for("TicketPageView.show", number=target.number))
        return result

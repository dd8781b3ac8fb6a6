"""The ticket page's known-issue panel: link the ticket to an open known issue of its
department, or mark it as a new known issue (support only; app/domain/known_issues.py)."""
from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext

from app.domain import known_issues, suggestions
from app.domain.errors import DomainError
from app.domain.roles import is_staff
from app.extensions import db
from app.forms.known_issue import MarkKnownForm, TicketKnownIssueForm
from app.views.support_base import SupportBaseView, permission_map


def known_issue_panel(ticket, reader) -> dict:
    """What the agent's ticket page shows about known issues."""
    linked, offered = known_issues.ticket_panel(db.session, reader, ticket)
    form = TicketKnownIssueForm(formdata=None)
    form.known_issue.choices = [(i.id, i.title) for i in offered if linked is None or i.id != linked.id]
    return {"issue": linked, "offered": offered, "form": form,
            "similar": suggestions.similar_tickets(db.session, reader, ticket.subject,
                                                   ticket.department_id, exclude_ids=[ticket.id]),
            "suggested": [] if linked else suggestions.similar_known_issues(offered, ticket.subject),
            "mark_form": MarkKnownForm(formdata=None),
            "may_change": known_issues.may_change(reader, ticket.department_id)}


class KnownIssueTicketView(SupportBaseView):
    route_base = "/support/tickets"
    method_permission_name = permission_map("link_known", "mark_known", permission="work")

    def _staff_ticket(self, number):
        ticket = self.scoped_ticket_or_404(number)
        if not is_staff(g.user):
            abort(403)
        return ticket

    def _back(self, number):
        return redirect(url_for("TicketPageView.show", number=number))

    @expose("/<int:number>/known-issue", methods=["POST"])
    @has_access
    def link_known(self, number):
        ticket = self._staff_ticket(number)
        form = TicketKnownIssueForm()
        form.known_issue.choices = known_issues.open_choices(db.session, g.user,
                                                             ticket.department_id)
        if not form.validate_on_submit():
            flash(gettext("Choose a known issue."), "danger")
            return self._back(number)
        try:
            issue = known_issues.get_visible(db.session, g.user, form.known_issue.data)
            known_issues.link_tickets(db.session, g.user, issue, [ticket])
            flash(gettext("The ticket was linked to the known issue."), "success")
        except DomainError as error:
            db.session.rollback()
            self.flash_error(error)
        return self._back(number)

    @expose("/<int:number>/mark-known", methods=["POST"])
    @has_access
    def mark_known(self, number):
        ticket = self._staff_ticket(number)
        form = MarkKnownForm()
        if not form.validate_on_submit():
            return self._back(number)
        try:
            issue = known_issues.create_from_ticket(db.session, g.user, ticket,
                                                    published=bool(form.published.data))
        except DomainError as error:
            db.session.rollback()
            self.flash_error(error)
            return self._back(number)
        flash(gettext("The known issue was created; edit its text before publishing."), "success")
        return redirect(url_for("KnownIssueModelView.show", pk=issue.id))

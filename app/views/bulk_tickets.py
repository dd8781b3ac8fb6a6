"""Bulk actions on the queue's selected rows (issue 19): FAB list actions on the tickets'
list lead here with the selected numbers; this page asks what to link, assign, transfer or
close with, then does it through app/domain/bulk_work.py. Support only: clerks have no
tickets list, supervisors no `can_work`; the tickets come through the reader's scope."""
from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.domain import bulk_work, known_issues
from app.domain.departments import department_choices
from app.domain.errors import DomainError
from app.domain.roles import is_staff
from app.extensions import db
from app.forms.known_issue import BulkForm
from app.persian.dates import format_number
from app.persian.text import whole_number
from app.views.support_base import SupportBaseView, permission_map

KINDS = {"link": _l("Link to a known issue"), "assign": _l("Assign"),
         "transfer": _l("Transfer"), "close": _l("Close with a note")}
BULK_PERMISSIONS = {f"bulk_{kind}": "work" for kind in KINDS}


def _to_bulk(kind, items):
    numbers = [item.number for item in (items or []) if item is not None]
    return redirect(url_for("BulkTicketsView.bulk", kind=kind, n=numbers))


class BulkActionsMixin:
    """For the tickets' ModelView: the four list actions (permission `can_work` on Tickets)."""

    @action("bulk_link", _l("Link to a known issue"), icon="fa-exclamation-circle", single=False)
    def bulk_link(self, items):
        return _to_bulk("link", items)

    @action("bulk_assign", _l("Assign"), icon="fa-user", single=False)
    def bulk_assign(self, items):
        return _to_bulk("assign", items)

    @action("bulk_transfer", _l("Transfer"), icon="fa-exchange", single=False)
    def bulk_transfer(self, items):
        return _to_bulk("transfer", items)

    @action("bulk_close", _l("Close with a note"), icon="fa-check", single=False)
    def bulk_close(self, items):
        return _to_bulk("close", items)


def _numbers() -> list[int]:
    values = request.form.getlist("n") if request.method == "POST" else request.args.getlist("n")
    return [n for n in map(whole_number, values) if n is not None]


def _offer(form, kind, tickets, user) -> None:
    if kind == "link":
        form.known_issue.choices = known_issues.open_staff_choices(db.session, user)
    elif kind == "assign":
        form.assignee.choices = [(0, "-"), *bulk_work.agent_choices(db.session, tickets)]
    elif kind == "transfer":
        form.department.choices = department_choices(db.session)


class BulkTicketsView(SupportBaseView):
    route_base = "/support/bulk"
    method_permission_name = permission_map("bulk", permission="work")

    @expose("/<kind>", methods=["GET", "POST"])
    @has_access
    def bulk(self, kind):
        if kind not in KINDS:
            abort(404)
        if not is_staff(g.user):
            abort(403)
        tickets = bulk_work.visible_tickets(db.session, g.user, _numbers())
        form = BulkForm(formdata=request.form if request.method == "POST" else None)
        _offer(form, kind, tickets, g.user)
        if request.method == "POST" and tickets and form.validate_on_submit():
            done = self._do(kind, form, [t.number for t in tickets])
            if done:
                return redirect(url_for("TicketModelView.list"))
        elif request.method == "POST" and not tickets:
            flash(gettext("Select at least one ticket of your queue."), "danger")
        status = 400 if request.method == "POST" else 200
        return self.render_template("support/bulk.html", kind=kind, title=KINDS[kind],
                                    tickets=tickets, form=form), status

    def _do(self, kind, form, numbers) -> bool:
        try:
            if kind == "link":
                result = bulk_work.link(db.session, g.user, numbers, form.known_issue.data)
            elif kind == "assign":
                result = bulk_work.assign(db.session, g.user, numbers, form.assignee.data or None)
            elif kind == "transfer":
                result = bulk_work.transfer(db.session, g.user, numbers, form.department.data,
                                            form.note.data)
            else:
                if not form.note.data:
                    form.note.errors = [gettext("Write a note for the clerk's history.")]
                    return False
                result = bulk_work.close(db.session, g.user, numbers, form.note.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.text(), "danger")
            return False
        if result.done:
            flash(gettext("Done for %(numbers)s.",
                          numbers="، ".join(format_number(n) for n in result.done)), "success")
        if result.refused:
            flash(gettext("Not allowed for %(numbers)s.",
                          numbers="، ".join(format_number(n) for n in result.refused)), "danger")
        return True

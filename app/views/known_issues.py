"""The known issues' screen (issue 19): list, show, add, edit for support; the show page lists
the linked tickets, links more by number and posts the resolution to all of them."""
from flask import abort, flash, g, redirect, url_for
from flask_appbuilder import ModelView, expose, has_access
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from app.domain import known_issues, suggestions
from app.domain.errors import DomainError
from app.domain.known_issue_resolution import post_resolution
from app.extensions import db
from app.forms.known_issue import LinkNumbersForm, ResolutionForm
from app.models import KnownIssue
from app.persian.dates import format_datetime, format_number
from app.views.reader_forms import ReaderFormsMixin
from app.web.datamodel import HamrahSQLAInterface


def _departments():
    return known_issues.changeable_department_ids(g.user)


class KnownIssueModelView(ReaderFormsMixin, ModelView):
    datamodel = HamrahSQLAInterface(KnownIssue)
    class_permission_name = "Known issues"
    method_permission_name = {"link": "edit", "unlink": "edit", "resolve": "edit"}
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    base_filters = [["id", known_issues.KnownIssueStaffFilter, None]]
    list_title = _l("Known issues")
    show_title = add_title = edit_title = _l("Known issue")
    label_columns = {
        "title": _l("Title"), "description": _l("Description"), "department": _l("Department"),
        "status_label": _l("Status"), "status": _l("Status"),
        "published": _l("Published (clerks see it)"), "announcement": _l("Announcement"),
        "created_by": _l("Created by"), "created_at": _l("Created at"),
        "resolved_at": _l("Resolved at"), "resolution": _l("Resolution"),
    }
    description_columns = {
        "published": _l("Clerks see a published known issue on their tickets, while writing a "
                        "new ticket and on the announcements board."),
    }
    list_columns = ["title", "department", "status_label", "published", "created_at"]
    add_columns = edit_columns = ["title", "description", "department", "published",
                                  "announcement"]
    show_columns = ["title", "description", "department", "status_label", "published",
                    "announcement", "created_by", "created_at", "resolved_at", "resolution"]
    search_columns = ["title", "description", "department", "published", "status"]
    add_form_query_rel_fields = edit_form_query_rel_fields = {
        "department": [["id", FilterInFunction, _departments]]}
    formatters_columns = {"created_at": format_datetime, "resolved_at": format_datetime}
    show_template = "known_issues/show.html"
    base_order = ("created_at", "desc")

    def _check(self, item) -> None:
        department = item.department.id if item.department is not None else item.department_id
        if not department or not known_issues.may_change(g.user, department):
            raise known_issues.KnownIssueRefused()

    def pre_add(self, item):
        self._check(item)
        item.created_by_id = g.user.id
        item.status = "open"
        item.description = item.description or ""

    def pre_update(self, item):
        self._check(item)
        item.description = item.description or ""

    def _issue_or_404(self, pk) -> KnownIssue:
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            abort(404)
        return item

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        return self._render_show(pk)

    def _render_show(self, pk, link_form=None, resolution_form=None, status=200):
        issue = self._issue_or_404(pk)
        widgets = self._show(pk)
        tickets = known_issues.linked_tickets(db.session, issue, g.user)
        return self.render_template(
            self.show_template, pk=pk, title=self.show_title, widgets=widgets,
            related_views=self._related_views, issue=issue,
            tickets=tickets, similar=suggestions.similar_tickets(
                db.session, g.user, issue.text, issue.department_id,
                unlinked_only=True, limit=10),
            link_form=link_form or LinkNumbersForm(formdata=None),
            resolution_form=(resolution_form or ResolutionForm(formdata=None)).fresh(),
        ), status

    @expose("/link/<int:pk>", methods=["POST"])
    @has_access
    def link(self, pk):
        issue = self._issue_or_404(pk)
        form = LinkNumbersForm()
        if not form.validate_on_submit():
            return self._render_show(pk, link_form=form, status=400)
        try:
            numbers = known_issues.parse_numbers(form.numbers.data)
            linked = known_issues.link_numbers(db.session, g.user, issue, numbers)
        except DomainError as error:
            db.session.rollback()
            form.numbers.errors = [error.text()]
            return self._render_show(pk, link_form=form, status=error.http_status)
        flash(ngettext("%(num)s ticket linked.", "%(num)s tickets linked.", len(linked)),
              "success")
        return redirect(url_for(".show", pk=pk))

    @expose("/unlink/<int:pk>/<int:number>", methods=["POST"])
    @has_access
    def unlink(self, pk, number):
        issue = self._issue_or_404(pk)
        try:
            known_issues.unlink(db.session, g.user, issue, number)
            flash(gettext("The ticket was unlinked."), "success")
        except DomainError as error:
            db.session.rollback()
            flash(error.text(), "danger")
        return redirect(url_for(".show", pk=pk))

    @expose("/resolve/<int:pk>", methods=["POST"])
    @has_access
    def resolve(self, pk):
        issue = self._issue_or_404(pk)
        form = ResolutionForm()
        if not form.validate_on_submit() or not form.key.data:
            return self._render_show(pk, resolution_form=form, status=400)
        try:
            result = post_resolution(db.session, g.user, issue, form.body.data,
                                     close=bool(form.close.data), idempotency_key=form.key.data)
        except DomainError as error:
            db.session.rollback()
            form.body.errors = [error.text()]
            return self._render_show(pk, resolution_form=form, status=error.http_status)
        flash(ngettext("The resolution was posted to %(num)s ticket.",
                       "The resolution was posted to %(num)s tickets.", len(result.posted)),
              "success")
        if result.failed:
            flash(gettext("Not posted to %(numbers)s; post the same form again to retry them.",
                          numbers="، ".join(format_number(n) for n in result.failed)), "danger")
        return redirect(url_for(".show", pk=pk))

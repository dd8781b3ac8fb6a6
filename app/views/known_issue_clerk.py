"""Told before they ask (issue 19, item 7): the new-ticket form's suggestions as JSON, and
following a known issue instead of writing (app/domain/known_issue_follow.py)."""
from flask import flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext

from app.domain import known_issue_follow
from app.domain.errors import DomainError
from app.extensions import db
from app.persian.text import whole_number
from app.views.support_base import SupportBaseView, permission_map

QUERY_MAX = 200


class KnownIssueClerkView(SupportBaseView):
    route_base = "/support/known-issues"
    method_permission_name = permission_map("suggest", "follow")

    @expose("/suggest")
    @has_access
    def suggest(self):
        text = (request.args.get("q") or "")[:QUERY_MAX]
        issues = known_issue_follow.matching(
            db.session, text, whole_number(request.args.get("department"), max_digits=9))
        return jsonify(result=[{
            "id": issue.id, "title": issue.title, "status": str(issue.status_label),
            "description": (issue.description or "")[:200],
            "follow_url": url_for(".follow", issue_id=issue.id)} for issue in issues])

    @expose("/<int:issue_id>/follow", methods=["POST"])
    @has_access
    def follow(self, issue_id):
        try:
            ticket = known_issue_follow.follow(db.session, g.user, issue_id)
        except DomainError as error:
            db.session.rollback()
            self.flash_error(error)
            return redirect(url_for("NewTicketView.new_ticket"))
        flash(gettext("You follow this known issue: its answer will come to this ticket."),
              "success")
        return redirect(url_for("TicketPageView.show", number=ticket.number))

"""The live ticket page's and message box's polls (issue 18, items 3 and 4).

`GET /support/tickets/<number>/live?after=<message id>` answers 304 when the reader's
version of the ticket (app/domain/live.py: one statement through the ticket scope) and,
for support, who else has it open, still match `If-None-Match`; else the messages after
`after`, rendered with the thread's own macro, and the status. Support's polls are also
their presence heartbeats (`state=viewing|typing`, app/domain/presence.py).
`GET /support/inbox/live?numbers=...` gives the statuses of the message box's rows.
Plain requests against the database: any worker of any node answers.
"""
from flask import abort, current_app, g, get_template_attribute, request
from flask_appbuilder import expose, has_access
from flask_babel import get_locale, gettext

from app.domain import presence as presence_rules
from app.domain.live import row_states, ticket_version, version_of
from app.domain.roles import is_staff
from app.domain.thread import mark_opened, messages_after
from app.extensions import db
from app.persian.dates import format_number
from app.persian.text import whole_number
from app.views.support_base import SupportBaseView, permission_map
from app.web.polled_json import etag_of, polled_json

MAX_ROWS = 100


def poll_seconds() -> float:
    return float(current_app.config.get("LIVE_POLL_SECONDS", 10))


def make_etag(*parts) -> str:
    """The poll's ETag: the parts, in the reader's language (the answer holds its words)."""
    return etag_of(*parts, get_locale())


def page_context(ticket, thread, staff: bool) -> dict:
    """What the ticket page carries for its poll. Support's page has no version: its first
    poll, at once, writes the heartbeat and brings who else is there."""
    version = version_of(ticket, thread)
    return {"live_etag": "" if staff else make_etag(version.tag()),
            "live_after": version.last_message_id,
            "live_interval_ms": int(poll_seconds() * 1000), "presence": []}


class TicketLiveView(SupportBaseView):
    route_base = "/support"
    method_permission_name = permission_map("live", "leave", "inbox_live")

    @expose("/tickets/<int:number>/live")
    @has_access
    def live(self, number):
        version = ticket_version(db.session, g.user, number)
        if version is None:
            abort(404)
        staff = is_staff(g.user)
        people = None
        if staff:
            presence_rules.heartbeat(db.session, version.ticket_id, g.user,
                                     request.args.get("state", presence_rules.VIEWING))
            people = presence_rules.others_present(
                db.session, version.ticket_id, g.user,
                seconds=presence_rules.expiry_seconds(poll_seconds()))
            db.session.commit()
        etag = make_etag(version.tag(), *([[(p.user_id, p.state) for p in people]]
                                          if people is not None else []))
        return polled_json(etag, lambda: self._changes(version, people, staff))

    @expose("/tickets/<int:number>/leave", methods=["POST"])
    @has_access
    def leave(self, number):
        """Support left the page (a beacon on `pagehide`, with the CSRF token): at once out of
        the others' presence list instead of after two intervals."""
        version = ticket_version(db.session, g.user, number)
        if version is None:
            abort(404)
        presence_rules.leave(db.session, version.ticket_id, g.user)
        db.session.commit()
        return current_app.response_class(status=204)

    @staticmethod
    def _changes(version, people, staff: bool) -> dict:
        from app.domain.access import get_visible_ticket

        after = whole_number(request.args.get("after"), typed=False) or 0
        fresh = messages_after(db.session, version.ticket_id, g.user, after)
        ticket = get_visible_ticket(db.session, g.user, version.number)
        message = get_template_attribute("support/_live.html", "message")
        badge = get_template_attribute("support/_macros.html", "status_badge")
        cell = get_template_attribute("support/_live.html", "status_cell")
        payload = {
            "last_message_id": max([after, *(m.id for m in fresh)]),
            "messages": [str(message(m, fresh=True)) for m in fresh],
            "status": ticket.status,
            "status_badge": str(badge(ticket)),
            "status_cell": str(cell(ticket, staff)),
            "announce": [gettext("New message from %(name)s", name=m.author.shown_name)
                         for m in fresh],
            "status_notice": gettext("Status: %(status)s", status=ticket.status_label),
        }
        if people is not None:
            payload["presence"] = str(get_template_attribute(
                "support/_live.html", "presence_list")(people))
            payload["present"] = len(people)
        elif any(m.from_support for m in fresh):  # shown on the clerk's open page: seen
            mark_opened(db.session, ticket, g.user)
        return payload

    @expose("/inbox/live")
    @has_access
    def inbox_live(self):
        numbers = [whole_number(n, typed=False) or 0 for n in request.args.get("numbers", "").split(",")]
        numbers = [n for n in numbers if n][:MAX_ROWS]
        rows = row_states(db.session, g.user, numbers)
        etag = make_etag([(r.number, r.status, r.unread_answer) for r in rows])
        return polled_json(etag, lambda: self._rows(rows))

    @staticmethod
    def _rows(rows) -> dict:
        from app.models import TicketStatus

        badge = get_template_attribute("support/_macros.html", "status_badge")
        return {"rows": [{
            "number": r.number, "status": r.status, "unread": r.unread_answer,
            "status_badge": str(badge(_Shown(r.status, TicketStatus(r.status).label))),
            "notice": gettext("Ticket %(number)s: %(status)s", number=format_number(r.number),
                              status=TicketStatus(r.status).label),
        } for r in rows]}


class _Shown:
    """What the status badge macro reads of a ticket."""

    def __init__(self, status, label):
        self.status, self.status_label = status, label

"""E-mail the outbox gave up on, for managers: the reason, and queueing it again.

Read-only but for one action, "Queue again" (`can_requeue`, on one row or many), which calls
`app/domain/outbox.requeue`: that resets only rows that are still given up and writes the
audit event, so an id typed into the action's URL cannot touch any other e-mail.
"""
from flask import flash, redirect, url_for
from flask_appbuilder import ModelView
from flask_appbuilder.actions import action
from flask_appbuilder.models.filters import BaseFilter
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from app.domain.outbox import requeue as requeue_given_up
from app.extensions import db
from app.infra.mail_outbox import given_up_criterion
from app.models.outbox import OutboxMessage
from app.persian.dates import format_datetime, format_number
from app.views.reader_forms import ReaderFormsMixin
from app.views.widgets import LocalDatesMixin
from app.web.datamodel import HamrahSQLAInterface

KIND_LABELS = {"ticket_created": _l("New ticket"), "support_answer": _l("Support's answer")}


def kind_label(value: str) -> str:
    return str(KIND_LABELS.get(value, value))


class GivenUpFilter(BaseFilter):
    """Base filter: only e-mails given up (read at each request: MAIL_MAX_ATTEMPTS, now)."""

    name = "given up"
    arg_name = None

    def apply(self, query, value):
        return query.filter(given_up_criterion())


class OutboxModelView(ReaderFormsMixin, LocalDatesMixin, ModelView):
    datamodel = HamrahSQLAInterface(OutboxMessage)
    class_permission_name = "Undelivered e-mail"
    base_permissions = ["can_list", "can_show", "can_requeue"]
    method_permission_name = {"requeue": "requeue"}  # the action's permission: can_requeue
    base_filters = [["id", GivenUpFilter, lambda: None]]
    list_title = _l("Undelivered e-mail")
    show_title = _l("Undelivered e-mail")
    label_columns = {
        "recipient": _l("Recipient"), "subject": _l("Subject"), "kind": _l("Kind"),
        "ticket.number": _l("Ticket number"), "attempts": _l("Attempts"),
        "last_error": _l("Reason"), "created_at": _l("Created on"),
    }
    list_columns = ["created_at", "recipient", "subject", "kind", "ticket.number", "attempts",
                    "last_error"]
    show_columns = list_columns + ["body"]
    label_columns["body"] = _l("Text")
    search_columns = ["created_at", "recipient", "subject", "kind", "last_error"]
    formatters_columns = {"created_at": format_datetime, "kind": kind_label,
                          "ticket.number": format_number, "attempts": format_number}
    base_order = ("created_at", "desc")
    page_size = 50

    @action("requeue", _l("Queue again"), _l("Send the selected e-mails again?"), "fa-repeat",
            multiple=True, single=True)
    def requeue(self, items):
        items = items if isinstance(items, list) else [items]
        done = requeue_given_up(db.session, [item.id for item in items if item is not None])
        if done:
            flash(ngettext("%(count)s e-mail queued again.", "%(count)s e-mails queued again.",
                           len(done), count=format_number(len(done))), "success")
        else:
            flash(gettext("Nothing was queued again: the e-mail is no longer given up."),
                  "warning")
        return redirect(url_for(f"{self.endpoint}.list"))

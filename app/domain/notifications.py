"""Notifications caused by ticket events: e-mails queued in the outbox of the same transaction.

`app.domain.tickets` calls the hooks after a flush and before its commit. They only add
`OutboxMessage` rows (no commit, no network): the e-mail exists exactly when the change was
saved, and `hamrah notify` sends it later. With `MAIL_SERVER` empty they do nothing.

Texts are English msgids rendered with `gettext` under the recipient's locale (Persian
unless the user has another), so the Persian wording lives in the Babel catalogue.
Internal notes never reach these hooks, and the only message text a mail carries is
support's public answer that caused it.
"""
import logging

from flask import current_app, has_app_context
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.domain.roles import AGENT
from app.models import HamrahUser, OutboxMessage
from app.models.user import user_department
from app.persian.text import persian_digits

log = logging.getLogger(__name__)

TICKET_PATH = "/support/tickets/{number}"


def mail_enabled() -> bool:
    return has_app_context() and bool(current_app.config.get("MAIL_SERVER"))


def ticket_link(ticket) -> str:
    """Absolute link to the ticket page, from PUBLIC_BASE_URL (there is no request in a worker)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    return base.rstrip("/") + TICKET_PATH.format(number=ticket.number)


def recipient_locale(user) -> str:
    """The user's language when the model has one (a later `locale` column), else the default."""
    return getattr(user, "locale", None) or current_app.config.get("BABEL_DEFAULT_LOCALE") or "fa"


def _number(ticket, locale: str) -> str:
    return persian_digits(ticket.number) if locale.startswith("fa") else str(ticket.number)


def department_agents(session, ticket) -> list[HamrahUser]:
    """Active users with role Agent in the ticket's department who have an e-mail address."""
    from flask_appbuilder.security.sqla.models import Role

    query = (
        select(HamrahUser)
        .join(user_department, user_department.c.user_id == HamrahUser.id)
        .where(user_department.c.department_id == ticket.department_id,
               HamrahUser.active.is_(True), HamrahUser.roles.any(Role.name == AGENT))
        .order_by(HamrahUser.id)
    )
    return [user for user in session.scalars(query) if (user.email or "").strip()]


def _new_ticket_mail(ticket, user) -> tuple[str, str]:
    locale = recipient_locale(user)
    with force_locale(locale):
        number = _number(ticket, locale)
        subject = gettext("New ticket %(number)s: %(subject)s", number=number,
                          subject=ticket.subject)
        lines = [
            gettext("A new ticket was registered for %(department)s.",
                    department=ticket.department.display_name() if ticket.department else ""),
            "",
            gettext("Number: %(number)s", number=number),
            gettext("Subject: %(subject)s", subject=ticket.subject),
            gettext("Office: %(office)s", office=ticket.office.name if ticket.office else ""),
            gettext("From: %(name)s", name=ticket.creator.shown_name if ticket.creator else ""),
            "",
            gettext("Open the ticket: %(link)s", link=ticket_link(ticket)),
        ]
    return subject, "\n".join(lines) + "\n"


def _answer_mail(ticket, message, user) -> tuple[str, str]:
    locale = recipient_locale(user)
    with force_locale(locale):
        number = _number(ticket, locale)
        subject = gettext("Ticket %(number)s answered: %(subject)s", number=number,
                          subject=ticket.subject)
        lines = [
            gettext("Support answered your ticket %(number)s (%(subject)s):", number=number,
                    subject=ticket.subject),
            "",
            message.body,
            "",
            gettext("Read the answer and reply: %(link)s", link=ticket_link(ticket)),
        ]
    return subject, "\n".join(lines) + "\n"


def _queue(session, kind: str, ticket, mails: list[tuple[str, str, str]]) -> None:
    for recipient, subject, body in mails:
        subject = " ".join(subject.split())[:300]  # one line: a header cannot hold line breaks
        session.add(OutboxMessage(recipient=recipient, subject=subject, body=body,
                                  kind=kind, ticket_id=ticket.id))


def _compose_safely(kind: str, ticket, compose) -> list[tuple[str, str, str]]:
    """A bug in composing a mail must not cost the clerk the ticket: log it and send nothing.

    Database errors are re-raised: the transaction is broken and the caller must know.
    """
    try:
        return compose()
    except SQLAlchemyError:
        raise
    except Exception:
        log.exception("Could not compose %s e-mail for ticket %s", kind, ticket.number)
        return []


def on_ticket_created(session, ticket) -> None:
    """Called inside the transaction that creates `ticket`: mail the department's agents."""
    if not mail_enabled():
        return

    def compose():
        mails, seen = [], set()
        for agent in department_agents(session, ticket):
            address = agent.email.strip()
            if agent.id == ticket.creator_id or address.lower() in seen:
                continue
            seen.add(address.lower())
            mails.append((address, *_new_ticket_mail(ticket, agent)))
        return mails

    _queue(session, "ticket_created", ticket, _compose_safely("ticket_created", ticket, compose))


def on_support_answer(session, ticket, message) -> None:
    """Called inside the transaction that adds support's public answer `message`: mail the clerk."""
    if not mail_enabled() or message.is_internal:  # belt and braces: notes never get here
        return

    def compose():
        clerk = ticket.creator
        address = (clerk.email or "").strip() if clerk is not None else ""
        if not address or not clerk.active or clerk.id == message.author_id:
            return []
        return [(address, *_answer_mail(ticket, message, clerk))]

    _queue(session, "support_answer", ticket, _compose_safely("support_answer", ticket, compose))

"""Who may frame a page: decided by what the page is and who reads it, never by its URL.

Only the clerk's screens are embedded in host pages (the widget's popup and what it opens):
they may be framed by ourselves and the configured `HOST_ORIGINS`. Every other response,
staff pages first of all (the agent's ticket page too, though it shares its URL with the
clerk's), says `frame-ancestors 'none'` and `X-Frame-Options: DENY`.

- The widget's frame check (`/support/frame`, which asks whether the frame keeps a cookie before
  any token is spent), the popup and the sign-in page are the same for everyone who reaches
  them (the clerk signs in inside the popup's frame when no host token came): framable
  whoever reads them.
- The clerk's pages (new ticket, message box, ticket page, announcements, attachments) are
  framable only when the reader is a clerk and nothing more: an agent, manager or supervisor
  reading the same endpoint gets `'none'`, and so does a visitor not signed in (who is only
  ever redirected to the sign-in page, itself framable).
"""
from flask import current_app, g, request

from app.domain.roles import is_clerk_only

# Endpoints (FAB's "<View>.<method>") the widget's frame shows to anyone.
FRAMABLE_FOR_ANYONE = frozenset({"PopupView.popup", "PopupView.frame", "AuthDBView.login"})
# The clerk's screens: framable when the reader is a clerk only.
FRAMABLE_FOR_CLERKS = frozenset({
    "NewTicketView.new_ticket",
    "InboxView.inbox",
    "TicketPageView.show", "TicketPageView.reply", "TicketPageView.rate",
    "AnnouncementBoardView.board", "AnnouncementBoardView.read",
    "AttachmentView.download",
})


def framable(endpoint: str | None, user) -> bool:
    if endpoint in FRAMABLE_FOR_ANYONE:
        return True
    return endpoint in FRAMABLE_FOR_CLERKS and is_clerk_only(user)


def frame_ancestors() -> str | None:
    """The `frame-ancestors` sources of this request's response, or None: never framed."""
    if not framable(request.endpoint, g.get("user")):
        return None
    return " ".join(["'self'", *current_app.config.get("HOST_ORIGINS", [])])

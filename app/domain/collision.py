"""Two people answering one ticket at once (issue 18, item 4): a reply written without the
messages that came meanwhile is held, not sent.

The ticket page's reply form and the API's reply carry the id of the last message the writer
saw (`last_seen_message_id`). `app/domain/tickets.add_reply` checks it *after* taking the
ticket's lock (app/domain/ticket_lock.py), so of two replies sent at once the second always
sees the first: it is held with `NewerMessages` (the ticket page shows the new messages and
keeps the text; the API answers 409 with them), and sent when the writer sends it again with
the newer id — their confirmation. Without the id (older clients) nothing is checked.
Only messages the writer may read count, and never the writer's own.
"""
from flask_babel import lazy_gettext as _l

from app.domain.errors import DomainError
from app.domain.thread import messages_after


class NewerMessages(DomainError):
    message = _l("New messages arrived on this ticket after the last one you saw. Read them; "
                 "your reply was not sent: send it again to confirm.")
    http_status = 409

    def __init__(self, messages):
        super().__init__()
        self.messages = messages

    @property
    def newest_id(self) -> int:
        return max(m.id for m in self.messages)


def check_last_seen(session, ticket, writer, last_seen_message_id: int | None) -> None:
    """Raise `NewerMessages` when messages `writer` has not seen came after their last one.
    Call with the ticket locked."""
    if last_seen_message_id is None:
        return
    newer = [m for m in messages_after(session, ticket.id, writer, last_seen_message_id)
             if m.author_id != writer.id]
    if newer:
        raise NewerMessages(newer)

"""Creating tickets and adding to their threads: one transaction per write.

Attachment files are written before the commit and removed again if the
transaction fails, so no file is left without its row nor a row without its file.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.domain import notifications
from app.domain import status as status_machine
from app.domain.attachments import IncomingFile, check_file, clean_filename, sha256_hex
from app.domain.collision import check_last_seen
from app.domain.errors import DomainError
from app.domain.numbering import next_ticket_number
from app.domain.roles import CLERK, is_staff, reads_notes, role_names
from app.domain.ticket_lock import lock_ticket
from app.infra.file_storage import get_storage
from app.models import Attachment, Message, RelatedCase, StatusChange, Ticket, TicketStatus
from app.models.base import utcnow


class ReadOnlyTicket(DomainError):
    http_status = 403
    message = _l("You can read this ticket and add internal notes, not reply to it.")


class OfficeRequired(DomainError):
    http_status = 403
    message = _l("Only office users can register tickets.")


class NotesRefused(DomainError):
    http_status = 403
    message = _l("Only support staff and supervisors write internal notes.")


@dataclass
class NewTicket:
    subject: str
    department_id: int
    body: str
    tracking_number: str | None = None
    national_id: str | None = None
    activity: str | None = None
    related_cases: list[tuple[str | None, str | None]] = field(default_factory=list)
    files: list[IncomingFile] = field(default_factory=list)


def _attach(session, message: Message, files: list[IncomingFile], written: list[str]) -> None:
    storage = get_storage()
    for incoming in files:
        content_type = check_file(incoming)
        stored_name = storage.save(incoming.data)
        written.append(stored_name)
        session.add(Attachment(
            message=message, original_name=clean_filename(incoming.name), stored_name=stored_name,
            size=len(incoming.data), content_type=content_type, sha256=sha256_hex(incoming.data),
        ))


def _undo(session, written: list[str]) -> None:
    """Roll back and remove the files already written: no file without its row."""
    session.rollback()
    storage = get_storage()
    for stored_name in written:
        storage.delete(stored_name)


def _attach_or_undo(session, message: Message, files: list[IncomingFile]) -> list[str]:
    written: list[str] = []
    try:
        _attach(session, message, files, written)
    except Exception:
        _undo(session, written)
        raise
    return written


def _commit_or_clean(session, written: list[str]) -> None:
    try:
        session.commit()
    except Exception:
        _undo(session, written)
        raise


def create_ticket(session, creator, data: NewTicket, *, now: datetime | None = None,
                  idempotency_key: str | None = None, commit: bool = True) -> Ticket:
    """Register a clerk's ticket with its first message, files, related cases and history."""
    now = now or utcnow()
    if creator.office_id is None:  # support staff and supervisors: a ticket needs an office
        raise OfficeRequired()
    for incoming in data.files:  # refuse bad files before anything is written
        check_file(incoming)
    ticket = Ticket(
        number=next_ticket_number(session), subject=data.subject.strip(),
        department_id=data.department_id, office_id=creator.office_id, creator_id=creator.id,
        tracking_number=data.tracking_number or None, national_id=data.national_id or None,
        activity=data.activity or None, status=TicketStatus.NEW.value,
        created_at=now, updated_at=now, last_activity_at=now, idempotency_key=idempotency_key,
    )
    ticket.related_cases = [
        RelatedCase(tracking_number=t or None, national_id=n or None)
        for t, n in data.related_cases if t or n
    ]
    session.add(ticket)
    message = Message(ticket=ticket, author_id=creator.id, body=data.body.strip(), created_at=now,
                      from_support=is_staff(creator))
    session.add(message)
    session.add(StatusChange(ticket=ticket, from_status=None, to_status=TicketStatus.NEW.value,
                             changed_by_id=creator.id, changed_at=now))
    written = _attach_or_undo(session, message, data.files)
    session.flush()
    notifications.on_ticket_created(session, ticket)
    if commit:
        _commit_or_clean(session, written)
    return ticket


def add_reply(session, ticket: Ticket, author, body: str, files: list[IncomingFile] = (),
              *, internal: bool = False, now: datetime | None = None,
              commit: bool = True, last_seen_message_id: int | None = None) -> Message:
    """Add a message; support replies answer the ticket, clerk replies send it back to support.

    Internal notes (support and supervisors) change no status; a supervisor writes nothing else.
    With `last_seen_message_id`, a reply written before newer messages came is held
    (app/domain/collision.py: `NewerMessages`), checked under the ticket's lock."""
    now = now or utcnow()
    if internal and not reads_notes(author):
        raise NotesRefused()
    if not internal and not (is_staff(author) or CLERK in role_names(author)):
        raise ReadOnlyTicket()  # a supervisor: read-only, notes aside
    for incoming in files:
        check_file(incoming)
    lock_ticket(session, ticket)  # internal notes too: one writer of the thread at a time
    check_last_seen(session, ticket, author, last_seen_message_id)
    from_support = is_staff(author)
    if not internal:
        event = status_machine.Event.AGENT_REPLIED if from_support else status_machine.Event.CLERK_REPLIED
        status_machine.apply_event(session, ticket, event, author, now=now)
        if from_support:
            ticket.unread_answer = True
            ticket.first_answered_at = ticket.first_answered_at or now
    message = Message(ticket=ticket, author_id=author.id, body=body.strip(), created_at=now,
                      is_internal=internal, from_support=from_support)
    session.add(message)
    written = _attach_or_undo(session, message, list(files))
    if from_support and not internal:
        session.flush()
        notifications.on_support_answer(session, ticket, message)
    if commit:
        _commit_or_clean(session, written)
    return message

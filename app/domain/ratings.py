"""Rating how a ticket was answered: the clerk side only, after an answer, changeable until closed."""
from flask_babel import lazy_gettext as _l

from app.domain.errors import DomainError
from app.domain.roles import CLERK, role_names
from app.domain.ticket_lock import lock_ticket
from app.models import Rating, TicketStatus
from app.models.base import utcnow

MIN_STARS, MAX_STARS = 1, 5
REASON_REQUIRED_BELOW = 3


class RatingRefused(DomainError):
    message = _l("This ticket cannot be rated.")


class RatingNotYet(RatingRefused):
    message = _l("You can rate the ticket once support has answered it.")


class RatingClosed(RatingRefused):
    message = _l("The ticket is closed; its rating can no longer change.")


class RatingOutOfRange(RatingRefused):
    message = _l("Choose between 1 and 5 stars.")


class RatingNeedsReason(RatingRefused):
    message = _l("Please tell us briefly what was wrong (needed for 1 or 2 stars).")


def can_rate(ticket, user) -> bool:
    return (CLERK in role_names(user) and ticket.first_answered_at is not None
            and ticket.status != TicketStatus.CLOSED.value)


def rate_ticket(session, ticket, user, stars, reason: str | None = None) -> Rating:
    """Set or change the ticket's one rating. `ticket` must come from the scoped query."""
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        raise RatingOutOfRange() from None
    if not MIN_STARS <= stars <= MAX_STARS:
        raise RatingOutOfRange()
    if CLERK not in role_names(user):
        raise RatingRefused()
    lock_ticket(session, ticket)  # a reopen or close at the same time is seen, not raced
    if ticket.first_answered_at is None:
        raise RatingNotYet()
    if ticket.status == TicketStatus.CLOSED.value:
        raise RatingClosed()
    reason = (reason or "").strip()[:500] or None
    if stars < REASON_REQUIRED_BELOW and not reason:
        raise RatingNeedsReason()
    rating = ticket.rating or Rating(ticket=ticket)
    rating.stars, rating.reason = stars, reason
    rating.rated_by_id, rating.rated_at = user.id, utcnow()
    session.add(rating)
    session.commit()
    return rating

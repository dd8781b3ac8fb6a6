"""All models, imported once so that the shared metadata is complete."""
from app.models import search  # noqa: F401  (search index objects)
from app.models.announcement import Announcement, AnnouncementRead  # noqa: F401
from app.models.audit import AuditEvent  # noqa: F401
from app.models.canned_reply import CannedReply  # noqa: F401
from app.models.department import Department  # noqa: F401
from app.models.holiday import Holiday  # noqa: F401
from app.models.host_token import UsedHostToken  # noqa: F401
from app.models.known_issue import (  # noqa: F401
    KnownIssue,
    KnownIssueResolution,
    KnownIssueResolutionTicket,
    KnownIssueTicket,
)
from app.models.login_lockout import LoginLockout  # noqa: F401
from app.models.message import Attachment, Message  # noqa: F401
from app.models.office import Office  # noqa: F401
from app.models.outbox import OutboxMessage  # noqa: F401
from app.models.rating import Rating  # noqa: F401
from app.models.region import Region  # noqa: F401
from app.models.ticket import (  # noqa: F401
    RelatedCase,
    StatusChange,
    Ticket,
    TicketCounter,
    TicketStatus,
)
from app.models.ticket_activity import TicketActivity, TicketLink  # noqa: F401
from app.models.ticket_presence import TicketPresence  # noqa: F401
from app.models.user import HamrahUser  # noqa: F401

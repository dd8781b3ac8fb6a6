"""All models, imported once so that the shared metadata is complete."""
from app.models.announcement import Announcement, AnnouncementRead  # noqa: F401
from app.models.department import Department  # noqa: F401
from app.models.host_token import UsedHostToken  # noqa: F401
from app.models.message import Attachment, Message  # noqa: F401
from app.models.office import Office  # noqa: F401
from app.models.rating import Rating  # noqa: F401
from app.models.ticket import (  # noqa: F401
    RelatedCase,
    StatusChange,
    Ticket,
    TicketCounter,
    TicketStatus,
)
from app.models.user import HamrahUser  # noqa: F401

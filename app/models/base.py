"""Column helpers shared by our models."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """Naive UTC timestamp: every time we store is UTC (FAB's AuditMixin stores local time)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)

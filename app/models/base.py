"""Column helpers shared by our models."""
import re
from datetime import datetime, timezone

# What an idempotency key column (String(64)) holds: 1 to 64 printable ASCII characters.
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,64}")


def utcnow() -> datetime:
    """Naive UTC timestamp: every time we store is UTC (FAB's AuditMixin stores local time)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)

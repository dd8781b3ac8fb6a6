"""Notifications caused by ticket events (filled in by the notifications work)."""


def on_ticket_created(session, ticket) -> None:
    """Called inside the transaction that creates `ticket`."""


def on_support_answer(session, ticket, message) -> None:
    """Called inside the transaction that adds support's public answer `message`."""

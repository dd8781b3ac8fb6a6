"""A real SMTP server for the e-mail tests (pytest plugin, named in tests/conftest.py).

aiosmtpd on a free 127.0.0.1 port, started per test; it can be stopped and started again
on the same port (a new Controller each time: a stopped one's event loop is closed).
"down" is a port nothing listens on. The worker is the `notify` command, run in the test's
app context.
"""
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app.cli.notify import notify_command
from app.extensions import db
from app.models import OutboxMessage

BASE_URL = "https://support.example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every received message, parsed; refuses the addresses in
    `refuse` (550) and drops the connection instead of accepting the next `drop` messages."""

    def __init__(self):
        self.messages = []
        self.raw = []  # (recipients, the bytes as received): for tests that parse them their own way
        self.refuse = set()
        self.drop = 0
        self.mail_config = None  # set by the `mail_on` fixture

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop:
            self.drop -= 1
            server.transport.close()  # gone before saying "250"
            return "421 never read"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        self.raw.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def to(self, address):
        return [m for rcpt, m in self.messages if address in rcpt]


class MailServer:
    def __init__(self, inbox: Inbox):
        self.inbox, self.port, self.controller = inbox, free_port(), None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server():
    """(server, inbox): `server.stop()` and `server.start()` take it down and up again."""
    inbox = Inbox()
    server = MailServer(inbox)
    server.start()
    yield server, inbox
    server.stop()


@pytest.fixture
def mail_config(app):
    """Set app.config for the test (the app lives for the whole session) and restore it."""
    saved = {}

    def configure(**settings):
        for key, value in settings.items():
            saved.setdefault(key, app.config.get(key))
            app.config[key] = value

    configure(MAIL_FROM="hamrah@support.example.org", PUBLIC_BASE_URL=BASE_URL + "/",
              MAIL_USE_TLS=False, MAIL_USERNAME="", MAIL_TIMEOUT=5, MAIL_RETRY_SECONDS=60,
              MAIL_MAX_ATTEMPTS=3)
    yield configure
    app.config.update(saved)


@pytest.fixture
def mail_on(mail_config, smtp_server):
    server, inbox = smtp_server
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    inbox.mail_config = mail_config
    return inbox


def notify(runner, *args):
    result = runner.invoke(notify_command, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

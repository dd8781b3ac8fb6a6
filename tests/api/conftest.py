"""API clients: `api("clerk")` logs in through /api/v1/security/login and sends the JWT."""
import pytest
from sqlalchemy import select

from app.domain.attachments import IncomingFile
from app.domain.tickets import add_reply
from app.extensions import db
from app.models import HamrahUser, Ticket
from tests.helpers import PDF

API = "/api/v1"


class ApiClient:
    """A test client that sends `Authorization: Bearer <jwt>` on every request."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def open(self, method, url, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url, **kwargs):
        return self.open("POST", url, **kwargs)

    def put(self, url, **kwargs):
        return self.open("PUT", url, **kwargs)


def login_token(client, username, password=None):
    response = client.post(f"{API}/security/login", json={
        "username": username, "password": password or username, "provider": "db"})
    assert response.status_code == 200, response.data[:300]
    return response.json["access_token"]


@pytest.fixture
def api(app):
    def make(username):
        client = app.test_client()
        return ApiClient(client, login_token(client, username))

    return make


def user(username) -> HamrahUser:
    return db.session.scalars(select(HamrahUser).filter_by(username=username)).one()


def ticket_by_number(number) -> Ticket:
    db.session.expire_all()
    return db.session.scalars(select(Ticket).filter_by(number=number)).one()


def add_message(number, username, body="پیام", *, internal=False, files=()):
    """A message written through the service (as the UI would), returning its attachments."""
    message = add_reply(db.session, ticket_by_number(number), user(username), body,
                        [IncomingFile(name=name, data=data) for name, data in files],
                        internal=internal)
    return message


def attachment_of(number, username="agent", internal=False):
    message = add_message(number, username, "پیوست", internal=internal,
                          files=[("scan.pdf", PDF)])
    return message.attachments[0].id


def assert_field_messages(errors):
    """Every field's messages are a list of whole sentences (not a bare or split string)."""
    assert isinstance(errors, dict) and errors
    for value in errors.values():
        if isinstance(value, dict):
            assert_field_messages(value)
        else:
            assert isinstance(value, list) and value, errors
            assert all(isinstance(m, str) and len(m) > 3 for m in value), errors

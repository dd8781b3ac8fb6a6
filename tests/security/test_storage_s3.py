"""S3-compatible attachment storage, against moto's S3 server on 127.0.0.1 (no real S3 runs
here or in CI; moto speaks the same HTTP API that boto3 talks to AWS, MinIO or Ceph)."""
import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.infra.s3_storage import S3Storage
from app.models import Attachment, Message, Ticket
from tests.helpers import PDF, PNG, new_ticket_form, upload
from tests.security.conftest import count, login

BUCKET = "hamrah-test-attachments"


@pytest.fixture(scope="module")
def s3_server():
    pytest.importorskip("moto.server")
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_app(make_app, s3_server):
    other = make_app(ATTACHMENT_STORAGE="s3", S3_BUCKET=BUCKET, S3_ENDPOINT_URL=s3_server,
                     S3_ACCESS_KEY="test", S3_SECRET_KEY="test", S3_REGION="us-east-1",
                     S3_PREFIX="att/")
    with other.app_context():
        from app.infra.file_storage import get_storage

        storage = get_storage()
        assert isinstance(storage, S3Storage)
        existing = [b["Name"] for b in storage.client.list_buckets()["Buckets"]]
        if BUCKET not in existing:
            storage.client.create_bucket(Bucket=BUCKET)
        for item in storage.client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
            storage.client.delete_object(Bucket=BUCKET, Key=item["Key"])
    return other


def _keys(app) -> set[str]:
    with app.app_context():
        from app.infra.file_storage import get_storage

        listing = get_storage().client.list_objects_v2(Bucket=BUCKET)
        return {item["Key"] for item in listing.get("Contents", [])}


def test_storage_round_trip(s3_app):
    with s3_app.app_context():
        from app.infra.file_storage import get_storage

        storage = get_storage()
        name = storage.save(PDF)
        assert storage.read(name) == PDF
        storage.delete(name)
        storage.delete(name)  # idempotent
        with pytest.raises(ValueError):
            storage.read("../../secret")


def test_upload_and_download_through_the_pages(s3_app):
    client = s3_app.test_client()
    login(client, "clerk")
    response = client.post("/support/tickets/1004481/reply", content_type="multipart/form-data",
                           data={"body": "پیوست", "attachments": [upload(PDF, "scan.pdf")]})
    assert response.status_code == 302
    attachment = db.session.scalars(select(Attachment)).one()
    assert _keys(s3_app) == {"att/" + attachment.stored_name}
    download = client.get(f"/support/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_a_failed_commit_removes_the_objects(s3_app):
    state = {"armed": False}

    def boom(_session):
        if state["armed"]:
            state["armed"] = False
            raise RuntimeError("commit failed")

    client = s3_app.test_client()
    login(client, "clerk")
    messages = count(Message)
    event.listen(db.session, "before_commit", boom)
    s3_app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        state["armed"] = True
        response = client.post("/support/new", content_type="multipart/form-data", data={
            **new_ticket_form(), "attachments": [upload(PDF, "a.pdf"), upload(PNG, "b.png")]})
    finally:
        event.remove(db.session, "before_commit", boom)
        s3_app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert _keys(s3_app) == set()
    assert count(Attachment) == 0 and count(Ticket) == 3 and count(Message) == messages


def test_s3_needs_a_bucket():
    with pytest.raises(ValueError):
        S3Storage("", client=object())

"""No orphan files: a worker SIGKILLed between writing an attachment's file and committing its
row leaves the file behind; `hamrah attachments sweep` removes such files after a grace
period, leaves young ones and known ones alone, reports rows whose file is missing, and is
safe to run on several nodes at once and against S3.

On the code before it, the killed worker's file stayed for good (no command removed it)."""
import os
import select as select_module
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from app.domain.attachment_sweep import sweep
from app.extensions import db
from app.infra.file_storage import get_storage
from app.models import Attachment
from tests.helpers import PDF, last_ticket_number, new_ticket_form, run_at_once, upload
from tests.security.conftest import login
from tests.security.test_storage_s3 import BUCKET, s3_app, s3_server  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parents[2]
HOUR = 3600

KILLED_WORKER = """
import sys
from app import create_app
from app.domain.attachments import IncomingFile
from app.domain.tickets import NewTicket, create_ticket
from app.extensions import db
from app.models import Department, HamrahUser
from config import TestConfig

app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=sys.argv[1], ATTACHMENT_DIR=sys.argv[2])
with app.app_context():
    clerk = db.session.query(HamrahUser).filter_by(username="clerk").one()
    department = db.session.query(Department).first()
    create_ticket(db.session, clerk, NewTicket(subject="killed", department_id=department.id,
                  body="in flight", files=[IncomingFile("a.pdf", b"%PDF-1.4 killed")]),
                  commit=False)
    print("file written, not committed", flush=True)
    sys.stdin.read()  # the parent SIGKILLs us here, mid-transaction
"""


def _files(app) -> set[str]:
    return set(os.listdir(app.config["ATTACHMENT_DIR"]))


def _age(app, name, seconds):
    path = os.path.join(app.config["ATTACHMENT_DIR"], name)
    past = time.time() - seconds
    os.utime(path, (past, past))


def _stored_names() -> set[str]:
    return set(db.session.scalars(select(Attachment.stored_name)))


def test_a_sigkilled_worker_leaves_a_file_that_the_sweep_removes(app):
    before = _files(app)
    with subprocess.Popen(
            [sys.executable, "-c", KILLED_WORKER, app.config["SQLALCHEMY_DATABASE_URI"],
             app.config["ATTACHMENT_DIR"]],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL) as worker:
        try:
            ready, _, _ = select_module.select([worker.stdout], [], [], 180)
            assert ready, "the worker never wrote its file"
            assert worker.stdout.readline().startswith(b"file written")
            os.kill(worker.pid, signal.SIGKILL)
            assert worker.wait(timeout=30) == -signal.SIGKILL
        finally:
            if worker.poll() is None:
                worker.kill()
    db.session.remove()
    orphans = _files(app) - before - _stored_names()
    assert len(orphans) == 1  # the file is there, its row is not
    report = sweep(db.session, timedelta(0))
    assert orphans <= set(report.removed)  # (files of earlier tests' wiped rows go too)
    assert not set(report.removed) & _stored_names()
    assert not orphans & _files(app)


def test_the_sweep_keeps_known_and_young_files_and_reports_missing_ones(app, as_user, runner):
    clerk = as_user("clerk")
    response = clerk.post("/support/new", data=new_ticket_form(attachments=[upload(PDF, "a.pdf")]),
                          content_type="multipart/form-data")
    assert response.status_code == 302
    known = next(iter(_stored_names()))
    storage = get_storage()
    old_orphan, young_orphan = storage.save(b"old"), storage.save(b"young")
    stale_part = "A" * 32 + ".part"
    Path(app.config["ATTACHMENT_DIR"], stale_part).write_bytes(b"half")
    for name in (known, old_orphan, stale_part):
        _age(app, name, 2 * HOUR)
    lost = storage.save(b"lost")  # a row whose file is gone
    attachment = db.session.scalars(select(Attachment)).first()
    db.session.add(Attachment(message_id=attachment.message_id, original_name="lost.pdf",
                              stored_name=lost, size=4, content_type="application/pdf",
                              sha256="0" * 64, created_at=attachment.created_at - timedelta(hours=2)))
    db.session.commit()
    storage.delete(lost)

    result = runner.invoke(args=["hamrah", "attachments", "sweep", "--grace-minutes", "60"])
    assert result.exit_code == 0, result.output
    assert f"Removed orphan file {old_orphan}" in result.output
    assert f"has no file ({lost})" in result.output
    files = _files(app)
    assert old_orphan not in files and stale_part not in files
    assert known in files and young_orphan in files
    assert last_ticket_number() > 0


def test_two_sweeps_at_once_remove_each_orphan_once_and_fail_nowhere(app):
    storage = get_storage()
    orphans = {storage.save(f"orphan {i}".encode()) for i in range(40)}
    for name in orphans:
        _age(app, name, 2 * HOUR)
    removed, errors = run_at_once(
        app, lambda _node: sweep(db.session, timedelta(hours=1)).removed, 2)
    assert errors == []
    assert orphans <= set(removed)
    assert not orphans & _files(app)


def test_the_sweep_works_against_s3(s3_app):  # noqa: F811 (fixture)
    client = s3_app.test_client()
    login(client, "clerk")
    response = client.post("/support/new", data=new_ticket_form(attachments=[upload(PDF, "a.pdf")]),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    with s3_app.app_context():
        storage = get_storage()
        orphan = storage.save(b"orphan in the bucket")
        known = _stored_names()
        report = sweep(db.session, timedelta(0), now=None)
        assert report.removed == [orphan]
        keys = {item["Key"] for item in storage.client.list_objects_v2(
            Bucket=BUCKET).get("Contents", [])}
        assert keys == {"att/" + name for name in known}
        db.session.remove()

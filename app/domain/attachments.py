"""Attachment checks: type by content (magic bytes), size limits, safe names, safe downloads.

Files live outside `static/` under random names (`app/infra/file_storage.py`) and are only
served through a permission-checked download.
"""
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.domain.errors import DomainError
from app.infra.file_storage import get_storage

# (magic prefix, content type, extension)
_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
]


class AttachmentRejected(DomainError):
    message = _l("The file %(name)s was not accepted.")


class AttachmentTooLarge(AttachmentRejected):
    http_status = 413
    message = _l("The file %(name)s is larger than %(limit)s MB.")


class AttachmentTypeNotAllowed(AttachmentRejected):
    message = _l("The file %(name)s is not an allowed type (PDF, JPEG, PNG or TIFF).")


@dataclass
class IncomingFile:
    name: str
    data: bytes


def sniff_content_type(data: bytes) -> str | None:
    for prefix, content_type in _SIGNATURES:
        if data.startswith(prefix):
            return content_type
    return None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_filename(name: str) -> str:
    """The user's file name without path parts, control or bidi-override characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = _UNSAFE.sub("", name).strip().lstrip(".")
    return name[:200] or "file"


def check_file(incoming: IncomingFile) -> str:
    """Validate one file against the configured limits; return its content type."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    name = clean_filename(incoming.name)
    if len(incoming.data) > limit:
        raise AttachmentTooLarge(name=name, limit=round(limit / (1024 * 1024), 1))
    content_type = sniff_content_type(incoming.data)
    if content_type is None or content_type not in current_app.config["ATTACHMENT_TYPES"]:
        raise AttachmentTypeNotAllowed(name=name)
    return content_type


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def send_attachment(attachment):
    """The download response: always a download, with the stored type and no sniffing."""
    from io import BytesIO

    from flask import send_file

    data = get_storage().read(attachment.stored_name)
    response = send_file(BytesIO(data), mimetype=attachment.content_type, as_attachment=True,
                         download_name=attachment.original_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response

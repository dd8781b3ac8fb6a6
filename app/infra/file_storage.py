"""Where attachment files are kept: a local directory, or an S3-compatible store.

A small interface (`save(data) -> stored_name`, `read`, `delete`) so that an object store
can replace the local directory when several servers share the files.
"""
import os
import re
import secrets
from datetime import datetime, timezone

from flask import current_app

# Stored names are random tokens, whatever the storage; a local write in progress is the token
# plus ".part".
STORED_NAME = re.compile(r"[A-Za-z0-9_-]{16,64}")
_LISTED = re.compile(STORED_NAME.pattern + r"(\.part)?")


def new_stored_name() -> str:
    return secrets.token_urlsafe(24)


class LocalStorage:
    """Files in one local directory, named by random tokens."""

    def __init__(self, root: str):
        self.root = root
        os.makedirs(root, exist_ok=True)

    def _path(self, stored_name: str) -> str:
        if not _LISTED.fullmatch(stored_name):
            raise ValueError("bad stored name")
        return os.path.join(self.root, stored_name)

    def save(self, data: bytes) -> str:
        stored_name = new_stored_name()
        path = self._path(stored_name)
        with open(path + ".part", "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(path + ".part", path)
        return stored_name

    def read(self, stored_name: str) -> bytes:
        with open(self._path(stored_name), "rb") as handle:
            return handle.read()

    def delete(self, stored_name: str) -> None:
        try:
            os.remove(self._path(stored_name))
        except FileNotFoundError:
            pass

    def ready(self) -> bool:
        return os.path.isdir(self.root) and os.access(self.root, os.W_OK)

    def listing(self):
        """(stored name, last modified in UTC) of every file, `.part` leftovers of killed
        writes included (their name ends in `.part`; `delete` removes them too)."""
        with os.scandir(self.root) as entries:
            for entry in entries:
                if _LISTED.fullmatch(entry.name) and entry.is_file():
                    try:
                        modified = entry.stat().st_mtime
                    except FileNotFoundError:  # removed meanwhile (another node's sweep)
                        continue
                    yield entry.name, datetime.fromtimestamp(modified, timezone.utc)


def get_storage():
    """The configured storage: `ATTACHMENT_STORAGE` "local" (default) or "s3"."""
    storage = current_app.extensions.get("hamrah_storage")
    if storage is None:
        config = current_app.config
        if config.get("ATTACHMENT_STORAGE", "local") == "s3":
            from app.infra.s3_storage import S3Storage

            storage = S3Storage.from_config(config)
        else:
            storage = LocalStorage(config["ATTACHMENT_DIR"])
        current_app.extensions["hamrah_storage"] = storage
    return storage

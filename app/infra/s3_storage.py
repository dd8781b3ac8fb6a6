"""Attachment files in an S3-compatible object store (AWS S3, MinIO, Ceph, ...).

Several app servers can then share the attachments, which a local directory cannot do.
Same interface as `LocalStorage`: `save(data) -> stored_name`, `read`, `delete`.
"""
from app.infra.file_storage import STORED_NAME, new_stored_name


class S3Storage:
    """Objects named `<prefix><random token>` in one bucket; the token is the stored name."""

    def __init__(self, bucket: str, *, prefix: str = "", endpoint_url: str | None = None,
                 access_key: str | None = None, secret_key: str | None = None,
                 region: str | None = None, client=None):
        if not bucket:
            raise ValueError("ATTACHMENT_STORAGE=s3 needs S3_BUCKET")
        self.bucket = bucket
        self.prefix = prefix
        if client is None:
            import boto3  # only needed when S3 is configured
            from botocore.config import Config as BotoConfig

            client = boto3.client(
                "s3", endpoint_url=endpoint_url, aws_access_key_id=access_key,
                aws_secret_access_key=secret_key, region_name=region,
                config=BotoConfig(retries={"max_attempts": 3, "mode": "standard"},
                                  connect_timeout=10, read_timeout=60),
            )
        self.client = client  # boto3 clients are thread-safe

    @classmethod
    def from_config(cls, config) -> "S3Storage":
        return cls(config["S3_BUCKET"], prefix=config.get("S3_PREFIX", ""),
                   endpoint_url=config.get("S3_ENDPOINT_URL"),
                   access_key=config.get("S3_ACCESS_KEY"),
                   secret_key=config.get("S3_SECRET_KEY"), region=config.get("S3_REGION"))

    def _key(self, stored_name: str) -> str:
        if not STORED_NAME.fullmatch(stored_name or ""):
            raise ValueError("bad stored name")
        return self.prefix + stored_name

    def save(self, data: bytes) -> str:
        stored_name = new_stored_name()
        # Private object; the bytes are only ever served through the permission-checked download.
        self.client.put_object(Bucket=self.bucket, Key=self._key(stored_name), Body=data,
                               ContentType="application/octet-stream")
        return stored_name

    def read(self, stored_name: str) -> bytes:
        response = self.client.get_object(Bucket=self.bucket, Key=self._key(stored_name))
        return response["Body"].read()

    def delete(self, stored_name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(stored_name))  # idempotent

    def ready(self) -> bool:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except Exception:  # noqa: BLE001 - unreachable, missing bucket or refused: not ready
            return False
        return True

    def listing(self):
        """(stored name, last modified in UTC) of every object under the prefix."""
        for page in self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                name = item["Key"][len(self.prefix):]
                if STORED_NAME.fullmatch(name):
                    yield name, item["LastModified"]

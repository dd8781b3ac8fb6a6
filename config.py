"""Configuration: every setting reads the environment, with safe development defaults.

README's "Configuration" section lists each setting and its environment variable.
"""
import hashlib
import os
import socket

from flask_babel import lazy_gettext

BASE_DIR = os.path.abspath(os.path.dirname(__file__))
DEFAULT_SECRET_KEY = "dev-only-change-me"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


class Config:
    # --- core ---------------------------------------------------------------
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", "sqlite:///" + os.path.join(BASE_DIR, "instance", "hamrah.db")
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL: allow parallel query plans (off: they slow our short statements down).
    PG_PARALLEL_QUERY = _bool("PG_PARALLEL_QUERY", False)
    # Refuse to start with the default SECRET_KEY (set HAMRAH_ENV=production).
    ENV_NAME = os.environ.get("HAMRAH_ENV", "development")
    # Names this server in every response's X-Hamrah-Node header (which node answered).
    NODE_NAME = os.environ.get("HAMRAH_NODE") or socket.gethostname()

    # --- Flask-AppBuilder ---------------------------------------------------
    # Shown in the navbar and titles; translated unless set in the environment.
    APP_NAME = os.environ.get("APP_NAME") or lazy_gettext("Hamrah Support")
    FAB_SECURITY_MANAGER_CLASS = "app.web.security_manager.HamrahSecurityManager"
    FAB_CREATE_DB = False  # migrations own the schema; `hamrah init` fills the security tables
    FAB_UPDATE_PERMS = _bool("FAB_UPDATE_PERMS", False)  # permissions are synced by `hamrah init`
    FAB_ADD_SECURITY_PERMISSION_VIEW = True
    FAB_ADD_SECURITY_VIEW_MENU_VIEW = True
    FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW = True
    FAB_API_MAX_PAGE_SIZE = 100
    FAB_API_SWAGGER_UI = True  # OpenAPI document at /api/v1/_openapi, Swagger UI at /swagger/v1
    JWT_ACCESS_TOKEN_EXPIRES = int(os.environ.get("JWT_ACCESS_TOKEN_EXPIRES", "900"))
    # API tokens are signed with their own key (HS256 wants at least 32 bytes); derived from
    # SECRET_KEY unless set.
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY") or hashlib.sha256(
        b"hamrah-jwt:" + SECRET_KEY.encode()).hexdigest()
    FAB_PASSWORD_HASH_METHOD = os.environ.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None

    # --- language ------------------------------------------------------------
    BABEL_DEFAULT_LOCALE = os.environ.get("BABEL_DEFAULT_LOCALE", "fa")
    BABEL_TRANSLATION_DIRECTORIES = os.path.join(BASE_DIR, "translations")
    LANGUAGES = {
        "fa": {"flag": "ir", "name": "فارسی"},
        "en": {"flag": "gb", "name": "English"},
    }
    TIMEZONE = os.environ.get("HAMRAH_TIMEZONE", "Asia/Tehran")

    # --- tickets -------------------------------------------------------------
    TICKET_NUMBER_START = int(os.environ.get("TICKET_NUMBER_START", "1004481"))
    # e.g. "https://host.example/cases/{tracking_number}"; empty hides the link.
    CASE_DOCUMENTS_URL = os.environ.get("CASE_DOCUMENTS_URL", "")

    # --- attachments ---------------------------------------------------------
    ATTACHMENT_DIR = os.environ.get(
        "ATTACHMENT_DIR", os.path.join(BASE_DIR, "instance", "attachments")
    )
    ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
    ATTACHMENT_TYPES = _list("ATTACHMENT_TYPES", "application/pdf,image/jpeg,image/png,image/tiff")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(20 * 1024 * 1024)))

    # --- host integration ----------------------------------------------------
    HOST_ORIGINS = _list("HOST_ORIGINS")
    HOST_TOKEN_SECRET = os.environ.get("HOST_TOKEN_SECRET", "")
    HOST_TOKEN_MAX_AGE = int(os.environ.get("HOST_TOKEN_MAX_AGE", "300"))
    # The widget's badge: seconds between polls of /support/unread (a host page may set
    # data-poll-seconds; at least 5), and how long the read-only badge token it polls with lives.
    WIDGET_POLL_SECONDS = int(os.environ.get("WIDGET_POLL_SECONDS", "60"))
    WIDGET_BADGE_TOKEN_MAX_AGE = int(os.environ.get("WIDGET_BADGE_TOKEN_MAX_AGE", "43200"))
    # The demo case screen at /support/demo-host (signs in the demo clerk): off in production.
    DEMO_HOST_ENABLED = _bool("DEMO_HOST_ENABLED", os.environ.get("HAMRAH_ENV") != "production")

    # Adds X-SQL-Statements to every response (bench/ and its tests); off in production.
    SQL_COUNT_HEADER = _bool("SQL_COUNT_HEADER", False)
    # Seconds a worker reuses role permissions, departments, canned replies, announcements and
    # holidays (app/infra/reference_cache.py); its own writes show at once. 0: always ask.
    REFERENCE_CACHE_SECONDS = float(os.environ.get("REFERENCE_CACHE_SECONDS", "30"))
    # Seconds between the live ticket page's (and message box's) polls for new messages,
    # status and, for support, who else has the ticket open; paused while the tab is hidden.
    LIVE_POLL_SECONDS = float(os.environ.get("LIVE_POLL_SECONDS", "10"))

    # --- cookies -------------------------------------------------------------
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)

    # --- e-mail notifications (outbox, sent by `hamrah notify`) ------------------
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")  # empty: no e-mail at all
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)  # STARTTLS
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("MAIL_FROM", "hamrah@localhost")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))  # seconds per SMTP operation
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))  # doubles per failure
    # Links in e-mails point here (the address users open the helpdesk at).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    # --- response targets (SLA), dashboard and export ------------------------------
    # Working week in TIMEZONE: hours as 8, 7.5 or "7:30". Saturday-Wednesday run from
    # start to end, Thursday from start to SLA_THURSDAY_END (not after start: Thursday off).
    SLA_WORKDAY_START = os.environ.get("SLA_WORKDAY_START", "8")
    SLA_WORKDAY_END = os.environ.get("SLA_WORKDAY_END", "16")
    SLA_THURSDAY_END = os.environ.get("SLA_THURSDAY_END", "12")
    SLA_DAYS_OFF = os.environ.get("SLA_DAYS_OFF", "fri")  # comma-separated: sat,sun,...,fri
    EXPORT_MAX_ROWS = int(os.environ.get("EXPORT_MAX_ROWS", "50000"))  # CSV/Excel export cap
    REPORT_MAX_DAYS = int(os.environ.get("REPORT_MAX_DAYS", "366"))  # longest dashboard range
    # Medians use at most this many (newest) tickets of the range; the page says when.
    REPORT_MAX_TICKETS = int(os.environ.get("REPORT_MAX_TICKETS", "100000"))

    # --- web security, rate limits, attachment storage (app/web/hardening.py) ----
    # Number of reverse proxies in front whose X-Forwarded-For/-Proto/-Host we trust (0: none).
    TRUST_PROXY = int(os.environ.get("TRUST_PROXY", "0"))
    HSTS_MAX_AGE = int(os.environ.get("HSTS_MAX_AGE", "31536000"))  # sent on HTTPS only; 0: off
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    # e.g. redis://127.0.0.1:6379/0 (shared by every worker); memory:// counts per process.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    AUTH_RATE_LIMITED = True  # FAB: limit POST /login/ per client address
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    # Failed sign-ins per username (any address): a lockout against password guessing.
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "10 per 15 minutes")
    TICKET_RATE_LIMIT = os.environ.get("TICKET_RATE_LIMIT", "20 per hour")  # new tickets, per user
    REPLY_RATE_LIMIT = os.environ.get("REPLY_RATE_LIMIT", "120 per hour")  # replies, per user
    LIST_MAX_PAGE_SIZE = int(os.environ.get("LIST_MAX_PAGE_SIZE", "100"))  # FAB list `psize_...`
    ATTACHMENT_STORAGE = os.environ.get("ATTACHMENT_STORAGE", "local")  # "local" or "s3"
    S3_BUCKET = os.environ.get("S3_BUCKET", "")
    S3_PREFIX = os.environ.get("S3_PREFIX", "attachments/")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None  # None: AWS itself
    S3_ACCESS_KEY = os.environ.get("S3_ACCESS_KEY") or None  # None: boto3's usual lookup
    S3_SECRET_KEY = os.environ.get("S3_SECRET_KEY") or None
    S3_REGION = os.environ.get("S3_REGION") or None


class TestConfig(Config):
    TESTING = True
    JWT_SECRET_KEY = hashlib.sha256(b"hamrah-jwt:test-secret").hexdigest()
    SQL_COUNT_HEADER = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing in tests only
    RATELIMIT_ENABLED = False  # the rate-limit tests build their own app with limits on
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")

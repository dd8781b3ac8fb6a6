"""Configuration: every setting reads the environment, with safe development defaults.

README's "Configuration" section lists each setting and its environment variable.
"""
import os

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
    # Refuse to start with the default SECRET_KEY (set HAMRAH_ENV=production).
    ENV_NAME = os.environ.get("HAMRAH_ENV", "development")

    # --- Flask-AppBuilder ---------------------------------------------------
    APP_NAME = os.environ.get("APP_NAME", "Hamrah Support")
    FAB_SECURITY_MANAGER_CLASS = "app.security.HamrahSecurityManager"
    FAB_CREATE_DB = False  # migrations own the schema; `hamrah init` fills the security tables
    FAB_UPDATE_PERMS = _bool("FAB_UPDATE_PERMS", False)  # permissions are synced by `hamrah init`
    FAB_ADD_SECURITY_PERMISSION_VIEW = True
    FAB_ADD_SECURITY_VIEW_MENU_VIEW = True
    FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW = True
    FAB_API_MAX_PAGE_SIZE = 100
    FAB_API_SWAGGER_UI = True  # OpenAPI document at /api/v1/_openapi, Swagger UI at /swagger/v1
    JWT_ACCESS_TOKEN_EXPIRES = int(os.environ.get("JWT_ACCESS_TOKEN_EXPIRES", "900"))
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
    # The demo case screen at /support/demo-host (signs in the demo clerk): off in production.
    DEMO_HOST_ENABLED = _bool("DEMO_HOST_ENABLED", os.environ.get("HAMRAH_ENV") != "production")

    # --- cookies -------------------------------------------------------------
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing in tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")

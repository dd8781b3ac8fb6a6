"""REST API for host applications (Flask-AppBuilder ModelRestApi + JWT).

JWT from `POST /api/v1/security/login` (FAB's SecurityApi, AUTH_DB); OpenAPI document at
`/api/v1/_openapi`, Swagger UI at `/swagger/v1` (FAB_API_SWAGGER_UI).
"""
from flask import current_app, has_request_context, request
from flask_babel import get_babel


def register_apis(appbuilder) -> None:
    """Every API in one place, like `register_views`."""
    from app.api.announcements import AnnouncementApi
    from app.api.attachments import AttachmentApi
    from app.api.departments import DepartmentApi
    from app.api.known_issues import KnownIssueApi
    from app.api.messages import MessageApi
    from app.api.ratings import RatingApi
    from app.api.tickets import TicketApi

    for api in (TicketApi, MessageApi, AttachmentApi, RatingApi, DepartmentApi,
                AnnouncementApi, KnownIssueApi):
        appbuilder.add_api(api)
    _api_locale(get_babel())
    _jwt_errors(appbuilder.sm.jwt_manager)


def _jwt_errors(jwt) -> None:
    """Token failures answer like every other API refusal (JSON `message`, 401)."""
    from app.api.errors import unauthorized

    for register in (jwt.unauthorized_loader, jwt.invalid_token_loader,
                     jwt.expired_token_loader, jwt.user_lookup_error_loader):
        register(unauthorized)


def _api_locale(babel) -> None:
    """API requests speak `_l_` or Accept-Language (FAB's selector reads `_l_`, then the
    session, and writes the session: no cookie for a stateless JWT client)."""
    original = babel.locale_selector

    def select_locale():
        if has_request_context() and request.path.startswith("/api/"):
            languages = current_app.config["LANGUAGES"]
            wanted = request.args.get("_l_")
            if wanted in languages:
                return wanted
            return (request.accept_languages.best_match(list(languages))
                    or current_app.config["BABEL_DEFAULT_LOCALE"])
        return original() if original else None

    babel.locale_selector = select_locale

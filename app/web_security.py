"""Web hardening: security headers, CSP, error pages, rate limits (filled in by the security work)."""


def init_web_security(app) -> None:
    """Register the app-wide security hooks."""

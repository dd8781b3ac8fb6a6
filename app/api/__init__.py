"""REST API for host applications (Flask-AppBuilder ModelRestApi + JWT)."""


def register_apis(appbuilder) -> None:
    """Every API in one place, like `register_views`."""

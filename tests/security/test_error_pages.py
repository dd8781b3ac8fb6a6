"""Translated error pages for the web, JSON under /api/, never a bare werkzeug page."""
import io

import pytest
from flask import abort
from werkzeug.exceptions import InternalServerError

from app.web.error_pages import render_error


def _is_our_page(response, code):
    html = response.data.decode()
    return (response.status_code == code and f'data-status="{code}"' in html
            and 'id="error-message"' in html and response.mimetype == "text/html")


def test_404_page(as_user):
    response = as_user("clerk").get("/support/nothing-here")
    assert _is_our_page(response, 404)


def test_404_out_of_scope_ticket_is_the_same_page(as_user):
    response = as_user("clerk3").get("/support/tickets/1004481")
    assert _is_our_page(response, 404)
    assert "1004481" not in response.data.decode() and "اصلاح مشخصات" not in response.data.decode()


def test_403_page(as_user):
    response = as_user("clerk").post("/support/tickets/1004481/close")
    assert _is_our_page(response, 403)


def test_anonymous_404_page_renders(client):
    assert _is_our_page(client.get("/nope"), 404)


def test_pages_are_translated(as_user):
    english = as_user("clerk")
    english.get("/lang/en")
    persian = as_user("clerk")
    persian.get("/lang/fa")
    en = english.get("/nope").data.decode()
    fa = persian.get("/nope").data.decode()
    assert 'lang="en"' in en and 'lang="fa"' in fa and 'dir="rtl"' in fa
    assert "The page or item you asked for was not found." in en


def test_413_page_states_the_limits(app, as_user):
    """Bodies stay under werkzeug's 500 KB spool threshold (no temporary files in tests)."""
    clerk = as_user("clerk")
    clerk.get("/lang/en")
    app.config["MAX_CONTENT_LENGTH"] = 300 * 1024
    try:
        response = clerk.post("/support/tickets/1004481/reply", content_type="multipart/form-data",
                              data={"body": "x", "attachments": [(io.BytesIO(
                                  b"%PDF-" + b"0" * (400 * 1024)), "big.pdf")]})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 20 * 1024 * 1024
    assert _is_our_page(response, 413)
    text = response.data.decode()
    assert "at most 0.3 MB may be sent at once" in text and "each file may be at most 5 MB" in text


@pytest.mark.parametrize("code", [400, 403, 404, 413, 429, 500])
def test_every_page_renders(app, code):
    with app.test_request_context("/support/x"):
        app.preprocess_request()
        response, status = render_error(code)
    assert status == code and f'data-status="{code}"' in response


@pytest.mark.parametrize("code", [403, 404, 413, 429, 500])
def test_api_paths_get_json(app, code):
    with app.test_request_context("/api/v1/whatever"):
        response, status = render_error(code)
    assert status == code and response.is_json and response.json["message"]


def test_api_404_is_json(client):
    response = client.get("/api/v1/no-such-route")
    assert response.status_code == 404 and response.is_json


def test_500_handler_rolls_back_and_shows_the_page(app):
    from app.web.error_pages import _handle_500

    with app.test_request_context("/support/inbox"):
        app.preprocess_request()
        error = InternalServerError(original_exception=RuntimeError("boom"))
        response, status = _handle_500(error)
    assert status == 500 and 'data-status="500"' in response and "boom" not in response


def test_abort_inside_a_request_uses_the_page(app):
    with app.test_request_context("/support/x"):
        app.preprocess_request()
        try:
            abort(403)
        except Exception as error:  # noqa: BLE001
            response = app.handle_user_exception(error)
    assert response[1] == 403

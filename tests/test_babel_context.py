"""app/web/babel_context.py answers exactly as Flask-Babel's own lookup."""
import flask_babel
from flask_babel import force_locale, get_locale, gettext

from app.web import babel_context


def test_same_namespace_as_flask_babel_inside_a_request(app):
    with app.test_request_context("/"):
        ours = babel_context.current_babel_context()
        assert ours is babel_context._original()
        assert ours is not None


def test_none_outside_an_app_context():
    """In a thread of its own (the test itself runs inside the demo data's app context)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        answers = pool.submit(lambda: (babel_context.current_babel_context(),
                                       babel_context._original())).result()
    assert answers == (None, None)


def test_installed_and_locale_switching_still_works(app):
    assert flask_babel._get_current_context is babel_context.current_babel_context
    with app.test_request_context("/"):
        with force_locale("en"):
            assert str(get_locale()) == "en" and gettext("Message box") == "Message box"
        with force_locale("fa"):
            assert str(get_locale()) == "fa" and gettext("Message box") == "صندوق پیام"

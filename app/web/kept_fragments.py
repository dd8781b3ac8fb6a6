"""HTML that depends only on the reader's language, rendered once per language and kept.

Every page repeats the same asset links and scripts, and the ticket lists the same filter
box; rendering them (two dozen URL builds, translations, template calls) cost a tenth of a
short page's CPU. They are kept in the reference cache, so anything that changes reference
data drops them too. The one part that changes on every response, the CSP nonce of the inline
and linked scripts, is kept as a mark and replaced by the response's own nonce at each use.
"""
from collections.abc import Callable

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from app.infra.reference_cache import cached
from app.web.hardening import csp_nonce

NONCE_MARK = "\x00nonce\x00"


def kept_markup(key: tuple, render: Callable[[], str]) -> Markup:
    """`render()`'s HTML, rendered once per `key`, language and mount point (its URLs start
    with the request's script root), with this response's nonce."""
    nonce = csp_nonce()
    html = cached(("kept_markup", *key, str(get_locale()), request.script_root),
                  lambda: str(render()).replace(nonce, NONCE_MARK))
    return Markup(html.replace(NONCE_MARK, nonce))


def kept_template(name: str, **context) -> Markup:
    """Jinja global: a fragment template whose output depends only on the language and on
    `context` (hashable values), e.g. `{{ kept_template('appbuilder/_head_js.html') }}`."""
    return kept_markup((name, *sorted(context.items())), lambda: render_template(
        name, appbuilder=current_app.appbuilder, **context))


def init_kept_fragments(app) -> None:
    app.jinja_env.globals["kept_template"] = kept_template

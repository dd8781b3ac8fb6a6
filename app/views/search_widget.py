"""FAB's filter box, rendered once per language and kept while no filter is active.

The box holds a rendered field and the filter names for every search column: about a tenth
of a ticket list page's CPU, for the same HTML on every unfiltered page. The choices of its
drop-downs (departments, offices) come from the reference cache, and so does this copy: it is
dropped with them when reference data changes (app/services/reference_cache.py). The page's
CSP nonce is put in at each use.
"""
from flask_appbuilder.widgets import SearchWidget
from flask_babel import get_locale
from markupsafe import Markup

from app.services.reference_cache import cached
from app.web_security import csp_nonce

NONCE_MARK = "\x00nonce\x00"


class KeptSearchWidget(SearchWidget):
    def __call__(self, **kwargs):
        if self.filters.get_filters_values():  # filters in the URL: render them as FAB does
            return super().__call__(**kwargs)
        nonce = csp_nonce()
        key = ("search_widget", self.template_args["route_base"], str(get_locale()))
        html = cached(key, lambda: str(super(KeptSearchWidget, self).__call__(**kwargs))
                      .replace(nonce, NONCE_MARK))
        return Markup(html.replace(NONCE_MARK, nonce))

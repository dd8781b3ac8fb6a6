"""FAB's filter box, rendered once per language and kept while no filter is active.

The box holds a rendered field and the filter names for every search column: about a tenth
of a ticket list page's CPU, for the same HTML on every unfiltered page. The choices of its
drop-downs (departments, offices) come from the reference cache, and so does this copy
(app/web/kept_fragments.py): it is dropped with them when reference data changes.
"""
from flask_appbuilder.widgets import SearchWidget

from app.web.kept_fragments import kept_markup


class KeptSearchWidget(SearchWidget):
    def __call__(self, **kwargs):
        if self.filters.get_filters_values():  # filters in the URL: render them as FAB does
            return super().__call__(**kwargs)
        return kept_markup(("search_widget", self.template_args["route_base"]),
                           lambda: super(KeptSearchWidget, self).__call__(**kwargs))

"""The whole menu, in one function."""
from flask_babel import lazy_gettext as _l

from app.views.announcements import AnnouncementModelView
from app.views.departments import DepartmentModelView
from app.views.offices import OfficeModelView
from app.views.tickets import TicketModelView


def register_views(appbuilder) -> None:
    appbuilder.add_view(TicketModelView, "Tickets", label=_l("Tickets"), icon="fa-ticket",
                        category="Support desk", category_label=_l("Support desk"),
                        category_icon="fa-life-ring")
    appbuilder.add_view(DepartmentModelView, "Departments", label=_l("Departments"),
                        icon="fa-sitemap", category="Settings", category_label=_l("Settings"),
                        category_icon="fa-cog")
    appbuilder.add_view(OfficeModelView, "Offices", label=_l("Offices"), icon="fa-building",
                        category="Settings")
    appbuilder.add_view(AnnouncementModelView, "Announcements", label=_l("Announcements"),
                        icon="fa-bullhorn", category="Settings")

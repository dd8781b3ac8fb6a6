"""The whole menu, in one function."""
from flask_babel import lazy_gettext as _l

from app.views.announcements import AnnouncementModelView
from app.views.board import AnnouncementBoardView
from app.views.departments import DepartmentModelView
from app.views.inbox import InboxView
from app.views.new_ticket import NewTicketView
from app.views.offices import OfficeModelView
from app.views.popup import PopupView
from app.views.ticket_page import AttachmentView, TicketPageView
from app.views.tickets import TicketModelView


def register_views(appbuilder) -> None:
    # The clerk's journey (and everyone's message box)
    appbuilder.add_view(InboxView, "Message box", label=_l("Message box"), icon="fa-inbox")
    appbuilder.add_view(NewTicketView, "New ticket", label=_l("Register new ticket"),
                        icon="fa-plus")
    appbuilder.add_view(AnnouncementBoardView, "Announcements and messages",
                        label=_l("Announcements and messages"), icon="fa-bullhorn")
    appbuilder.add_view_no_menu(TicketPageView)
    appbuilder.add_view_no_menu(AttachmentView)
    appbuilder.add_view_no_menu(PopupView)
    # Support staff
    appbuilder.add_view(TicketModelView, "Tickets", label=_l("Tickets"), icon="fa-ticket",
                        category="Support desk", category_label=_l("Support desk"),
                        category_icon="fa-life-ring")
    # Managers
    appbuilder.add_view(DepartmentModelView, "Departments", label=_l("Departments"),
                        icon="fa-sitemap", category="Settings", category_label=_l("Settings"),
                        category_icon="fa-cog")
    appbuilder.add_view(OfficeModelView, "Offices", label=_l("Offices"), icon="fa-building",
                        category="Settings")
    appbuilder.add_view(AnnouncementModelView, "Announcements", label=_l("Announcements"),
                        icon="fa-bullhorn", category="Settings")

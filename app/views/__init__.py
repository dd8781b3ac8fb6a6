"""The whole menu, in one function."""
from flask_babel import lazy_gettext as _l

from app.views.announcements import AnnouncementModelView
from app.views.audit import AuditEventModelView
from app.views.board import AnnouncementBoardView
from app.views.bulk_tickets import BulkTicketsView
from app.views.canned_replies import CannedReplyModelView
from app.views.dashboard import DashboardView
from app.views.departments import DepartmentModelView
from app.views.holidays import HolidayModelView
from app.views.inbox import InboxView
from app.views.known_issue_clerk import KnownIssueClerkView
from app.views.known_issue_ticket import KnownIssueTicketView
from app.views.known_issues import KnownIssueModelView
from app.views.login_lockouts import LoginLockoutModelView
from app.views.new_ticket import NewTicketView
from app.views.offices import OfficeModelView
from app.views.outbox import OutboxModelView
from app.views.popup import PopupView
from app.views.regions import RegionModelView
from app.views.ticket_live import TicketLiveView
from app.views.ticket_page import AttachmentView, TicketPageView
from app.views.ticket_work import TicketWorkView
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
    appbuilder.add_view_no_menu(TicketLiveView)
    appbuilder.add_view_no_menu(TicketWorkView)
    appbuilder.add_view_no_menu(KnownIssueTicketView)
    appbuilder.add_view_no_menu(BulkTicketsView)
    appbuilder.add_view_no_menu(KnownIssueClerkView)
    appbuilder.add_view_no_menu(PopupView)
    # Support staff
    appbuilder.add_view(TicketModelView, "Tickets", label=_l("Tickets"), icon="fa-ticket",
                        category="Support desk", category_label=_l("Support desk"),
                        category_icon="fa-life-ring")
    appbuilder.add_view(KnownIssueModelView, "Known issues", label=_l("Known issues"),
                        icon="fa-exclamation-circle", category="Support desk")
    appbuilder.add_view(DashboardView, "Dashboard", label=_l("Dashboard"), icon="fa-bar-chart",
                        category="Support desk")
    # Managers
    appbuilder.add_view(DepartmentModelView, "Departments", label=_l("Departments"),
                        icon="fa-sitemap", category="Settings", category_label=_l("Settings"),
                        category_icon="fa-cog")
    appbuilder.add_view(OfficeModelView, "Offices", label=_l("Offices"), icon="fa-building",
                        category="Settings")
    appbuilder.add_view(RegionModelView, "Regions", label=_l("Regions"), icon="fa-map",
                        category="Settings")
    appbuilder.add_view(AnnouncementModelView, "Announcements", label=_l("Announcements"),
                        icon="fa-bullhorn", category="Settings")
    appbuilder.add_view(CannedReplyModelView, "Canned replies", label=_l("Canned replies"),
                        icon="fa-comment", category="Settings")
    appbuilder.add_view(HolidayModelView, "Holidays", label=_l("Holidays"), icon="fa-calendar",
                        category="Settings")
    appbuilder.add_view(AuditEventModelView, "Audit log", label=_l("Audit log"),
                        icon="fa-shield", category="Security")
    appbuilder.add_view(LoginLockoutModelView, "Sign-in lockouts", label=_l("Sign-in lockouts"),
                        icon="fa-lock", category="Security")
    appbuilder.add_view(OutboxModelView, "Undelivered e-mail", label=_l("Undelivered e-mail"),
                        icon="fa-envelope", category="Settings")

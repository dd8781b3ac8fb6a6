"""Announcements and messages (اطلاعیه‌ها و پیغام‌ها) for everyone signed in."""
from flask import abort, g
from flask_appbuilder import expose, has_access
from flask_babel import lazy_gettext as _l

from app.domain import announcements, known_issue_follow
from app.extensions import db
from app.views.support_base import SupportBaseView, permission_map


class AnnouncementBoardView(SupportBaseView):
    route_base = "/support/announcements"
    class_permission_name = "Announcements board"
    default_view = "board"
    method_permission_name = permission_map("board", "read")

    @expose("/")
    @has_access
    def board(self):
        return self.render_template(
            "support/announcements.html", title=_l("Announcements and messages"),
            items=announcements.list_for(db.session, g.user),
            known_issues=known_issue_follow.published_open(db.session, limit=50))

    @expose("/<int:announcement_id>")
    @has_access
    def read(self, announcement_id):
        item = announcements.get_visible(db.session, g.user, announcement_id)
        if item is None:
            abort(404)
        announcements.mark_read(db.session, g.user, item)
        return self.render_template("support/announcement.html", title=item.title, item=item)

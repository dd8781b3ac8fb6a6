"""Announcements the caller's audience includes (published, not expired), and marking read."""
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect

from app.api.base import ApiDocsMixin, api_user, operation, parse_id, path_param, result_of
from app.api.errors import ApiNotFound, safe
from app.api.schemas import AnnouncementOut, announcement_out
from app.domain import announcements
from app.extensions import db

_ID = path_param("announcement_id", "Announcement id")
_ONE = result_of("AnnouncementOut")


class AnnouncementApi(ApiDocsMixin, BaseApi):
    route_base = "/api/v1/announcements"
    resource_name = "announcements"
    openapi_spec_tag = "Announcements"
    class_permission_name = "Announcements API"
    method_permission_name = {"get_list": "read", "get": "read", "mark_read": "write"}
    openapi_spec_component_schemas = (AnnouncementOut,)
    openapi_operations = {
        "get_list": {"get": operation(
            "Visible announcements, newest first, with the unread flag", errors=(401, 403),
            result=result_of("AnnouncementOut", many=True, unread={"type": "integer"}))},
        "get": {"get": operation("One visible announcement (does not mark it read)",
                                 params=[_ID], result=_ONE)},
        "mark_read": {"post": operation("Mark an announcement read", params=[_ID], result=_ONE)},
    }

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        rows = announcements.list_for(db.session, api_user())
        return self.response(200, count=len(rows), unread=sum(1 for _a, unread in rows if unread),
                             result=[announcement_out(a, unread) for a, unread in rows])

    @expose("/<announcement_id>", methods=["GET"])
    @protect()
    @safe
    def get(self, announcement_id):
        announcement = self._visible(announcement_id)
        unread = any(a.id == announcement.id and unread
                     for a, unread in announcements.list_for(db.session, api_user()))
        return self.response(200, result=announcement_out(announcement, unread))

    @expose("/<announcement_id>/read", methods=["POST"])
    @protect()
    @safe
    def mark_read(self, announcement_id):
        announcement = self._visible(announcement_id)
        announcements.mark_read(db.session, api_user(), announcement)
        return self.response(200, result=announcement_out(announcement, False))

    @staticmethod
    def _visible(raw_id):
        announcement = announcements.get_visible(db.session, api_user(), parse_id(raw_id))
        if announcement is None:
            raise ApiNotFound()
        return announcement

"""E-mail the outbox gave up on, for managers: the reason, and queueing it again."""
from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _l

from app.models.outbox import OutboxMessage
from app.web.datamodel import HamrahSQLAInterface


class OutboxModelView(ModelView):
    datamodel = HamrahSQLAInterface(OutboxMessage)
    class_permission_name = "Undelivered e-mail"
    base_permissions = ["can_list", "can_show"]
    list_title = _l("Undelivered e-mail")

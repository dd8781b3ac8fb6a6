"""Tickets for host applications: list, show, create (idempotent), status lookup, close/reopen.

Tickets are addressed by their number, never by primary key; a ticket outside the
caller's scope answers 404 exactly like one that does not exist.
"""

from flask import url_for
from flask_appbuilder.api import ModelRestApi, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.security.decorators import protect
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.api.base import (
    IDEMPOTENCY_HEADER,
    NUMBER,
    Q_PARAM,
    ApiDocsMixin,
    ApiTicketAccessFilter,
    api_user,
    idempotency_key,
    link,
    load,
    operation,
    request_data,
    result_of,
    rison_args,
    scoped_ticket,
)
from app.api.errors import safe
from app.api.schemas import (
    RatingOut,
    TicketCreateIn,
    TicketListArgs,
    TicketListItem,
    TicketOut,
    TicketStatusOut,
    new_ticket,
)
from app.domain import status as status_machine
from app.domain.case_lookup import case_ticket_ids
from app.domain.errors import DomainError
from app.domain.roles import is_staff
from app.domain.search_filter import TicketTextFilter
from app.domain.tickets import OfficeRequired, create_ticket
from app.extensions import db
from app.models import Ticket
from app.web.ticket_datamodel import TicketInterface


class CaseFilter(BaseFilter):
    """A tracking number / national ID on the ticket or on one of its related cases (as the
    message box search finds them)."""

    name = "case"
    arg_name = "eq"

    def apply(self, query, value):
        case = {self.column_name: value or None}
        return query.filter(Ticket.id.in_(case_ticket_ids(**case, related_cases=True)))


# filter column of the API -> (model column, filter class)
_FILTERS = {
    "status": ("status", FilterEqual),
    "department": ("department_id", FilterEqual),
    "number": ("number", FilterEqual),
    "tracking_number": ("tracking_number", CaseFilter),
    "national_id": ("national_id", CaseFilter),
    "text": ("subject", TicketTextFilter),
}


class TicketApiInterface(TicketInterface):
    """The web list's capped count, and the creator joined too (the API lists show it)."""
    eager_loads = TicketInterface.eager_loads + ("creator",)


class StaffOnly(DomainError):
    http_status = 403
    message = _l("Only support staff can do this.")


def _first_ticket(user, key: str | None):
    if not key:
        return None
    return db.session.scalars(
        select(Ticket).filter_by(creator_id=user.id, idempotency_key=key)).first()


_MULTIPART_TICKET = {"type": "object", "required": ["subject", "department_id", "body"],
                     "properties": {
                         "subject": {"type": "string"}, "department_id": {"type": "integer"},
                         "body": {"type": "string"}, "tracking_number": {"type": "string"},
                         "national_id": {"type": "string"}, "activity": {"type": "string"},
                         "related_cases": {"type": "string", "description": "JSON list"},
                         "files": {"type": "array",
                                   "items": {"type": "string", "format": "binary"}}}}
_NEW_NUMBER = {"number": "$response.body#/result/number"}
# After a create, a client (and schemathesis' stateful phase) can follow the new number.
_CREATED_LINKS = {
    "GetTicket": link("/api/v1/tickets/{number}", "get", **_NEW_NUMBER),
    "GetStatus": link("/api/v1/tickets/{number}/status", "get", **_NEW_NUMBER),
    "GetMessages": link("/api/v1/tickets/{number}/messages", "get", **_NEW_NUMBER),
    "Reply": link("/api/v1/tickets/{number}/messages", "post", **_NEW_NUMBER),
    "Rate": link("/api/v1/tickets/{number}/rating", "put", **_NEW_NUMBER),
}
_KEY_PARAM = {"in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
              "schema": {"type": "string", "maxLength": 64},
              "description": "Same key from the same user returns the first ticket (200)."}


class TicketApi(ApiDocsMixin, ModelRestApi):
    """FAB's model API for tickets, with our scope, our schemas and number-addressed routes."""

    route_base = "/api/v1/tickets"
    resource_name = "tickets"
    openapi_spec_tag = "Tickets"
    datamodel = TicketApiInterface(Ticket)
    class_permission_name = "Tickets API"
    method_permission_name = {"get_list": "read", "get": "read", "status": "read",
                              "post": "create", "close": "close", "reopen": "close"}
    include_route_methods = {"get_list", "get", "post", "status", "close", "reopen"}
    base_filters = [["id", ApiTicketAccessFilter, None]]
    base_order = ("last_activity_at", "desc")
    page_size = 20
    list_columns = show_columns = add_columns = edit_columns = ["number"]
    # Our schemas, not FAB's generated ones (which would expose primary keys and users).
    list_model_schema = TicketListItem()
    show_model_schema = TicketOut()
    add_model_schema = edit_model_schema = TicketCreateIn()
    openapi_spec_component_schemas = (TicketListItem, TicketOut, TicketCreateIn,
                                      TicketStatusOut, TicketListArgs, RatingOut)
    _list_result = result_of("TicketListItem", many=True, page={"type": "integer"},
                             page_size={"type": "integer"})
    openapi_operations = {
        "get_list": {"get": operation(
            "Tickets the caller may see, newest activity first. q: (page, page_size <= 100, "
            "order_column, order_direction, filters:!((col:status,opr:eq,value:new))); "
            "filter columns: status, department, number, tracking_number, national_id.",
            params=[Q_PARAM], result=_list_result, errors=(400, 401, 403))},
        "get": {"get": operation("One ticket by number", params=[NUMBER],
                                 result=result_of("TicketOut"))},
        "post": {"post": operation(
            "Register a ticket with its case context and related cases (clerks); 200 with "
            "the first ticket when the Idempotency-Key was used before",
            params=[_KEY_PARAM], body="TicketCreateIn", multipart=_MULTIPART_TICKET, ok=201,
            result=result_of("TicketOut"), also_ok=(200,), errors=(400, 401, 403, 413),
            links=_CREATED_LINKS)},
        "status": {"get": operation(
            "Status lookup for host apps: status, label, last activity, unread answer",
            params=[NUMBER], result=result_of("TicketStatusOut"))},
        "close": {"post": operation("Close a ticket (support staff)", params=[NUMBER],
                                    result=result_of("TicketStatusOut"))},
        "reopen": {"post": operation("Reopen a closed ticket (support staff)", params=[NUMBER],
                                     result=result_of("TicketStatusOut"))},
    }

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self, **_kwargs):
        """FAB's query machinery with validated arguments; a too large page_size is capped."""
        args = load(TicketListArgs(), rison_args())
        page, page_size = self._sanitize_page_args(args.get("page"), args.get("page_size"))
        filters = self.datamodel.get_filters()
        for item in args.get("filters") or []:
            column, filter_class = _FILTERS[item["col"]]
            filters.add_filter(column, filter_class, item["value"])
        count, tickets = self.datamodel.query(
            filters.get_joined_filters(self._base_filters),
            args.get("order_column", self.base_order[0]),
            args.get("order_direction", self.base_order[1]), page=page, page_size=page_size)
        return self.response(200, count=count, page=page, page_size=page_size,
                             result=TicketListItem(many=True).dump(tickets))

    @expose("/<number>", methods=["GET"])
    @protect()
    @safe
    def get(self, number):
        return self.response(200, result=TicketOut().dump(scoped_ticket(number)))

    @expose("/<number>/status", methods=["GET"])
    @protect()
    @safe
    def status(self, number):
        return self.response(200, result=TicketStatusOut().dump(scoped_ticket(number)))

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """Create through `create_ticket`; an `Idempotency-Key` seen before returns that ticket."""
        user = api_user()
        key = idempotency_key()
        first = _first_ticket(user, key)
        if first is not None:
            return self.response(200, result=TicketOut().dump(first))
        data, files = request_data()
        values = load(TicketCreateIn(), data)
        if user.office_id is None:
            raise OfficeRequired()
        try:
            ticket = create_ticket(db.session, user, new_ticket(values, files),
                                   idempotency_key=key)
        except IntegrityError:  # the same key sent twice at once: the other request won
            db.session.rollback()
            first = _first_ticket(user, key)
            if first is None:
                raise
            return self.response(200, result=TicketOut().dump(first))
        response = self.response(201, result=TicketOut().dump(ticket))
        response.headers["Location"] = url_for(".get", number=ticket.number)
        return response

    @expose("/<number>/close", methods=["POST"])
    @protect()
    @safe
    def close(self, number):
        return self._staff_event(number, status_machine.Event.CLOSED)

    @expose("/<number>/reopen", methods=["POST"])
    @protect()
    @safe
    def reopen(self, number):
        return self._staff_event(number, status_machine.Event.REOPENED)

    def _staff_event(self, number, event):
        ticket = scoped_ticket(number)
        user = api_user()
        if not is_staff(user):  # the permission already says so; the rule says it again
            raise StaffOnly()
        status_machine.apply_event(db.session, ticket, event, user)
        db.session.commit()
        return self.response(200, result=TicketStatusOut().dump(ticket))

"""Rating how a ticket was answered: set or change it (the clerk side, via `rate_ticket`)."""
from flask_appbuilder.api import BaseApi, expose
from flask_appbuilder.security.decorators import protect

from app.api.base import NUMBER, ApiDocsMixin, api_user, json_body, load, operation, result_of, scoped_ticket
from app.api.errors import safe
from app.api.schemas import RatingIn, RatingOut
from app.domain.ratings import rate_ticket
from app.extensions import db


class RatingApi(ApiDocsMixin, BaseApi):
    route_base = "/api/v1/tickets"
    resource_name = "rating"
    openapi_spec_tag = "Ratings"
    class_permission_name = "Ratings API"
    method_permission_name = {"put": "write"}
    openapi_spec_component_schemas = (RatingIn, RatingOut)
    openapi_operations = {"put": {"put": operation(
        "Set or change the rating (1-5 stars; a reason for 1 or 2), after support answered "
        "and until the ticket is closed", params=[NUMBER], body="RatingIn",
        result=result_of("RatingOut"))}}

    @expose("/<number>/rating", methods=["PUT"])
    @protect()
    @safe
    def put(self, number):
        """The range, the 'answered yet' and 'closed' rules are the service's (DomainErrors)."""
        ticket = scoped_ticket(number)
        values = load(RatingIn(), json_body())
        rating = rate_ticket(db.session, ticket, api_user(), values["stars"], values.get("reason"))
        return self.response(200, result=RatingOut().dump(rating))

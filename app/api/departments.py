"""Active departments, for the host's ticket form (names in the request's language)."""
from flask_appbuilder.api import ModelRestApi, expose
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import protect

from app.api.base import ApiDocsMixin, operation, result_of
from app.api.errors import safe
from app.api.schemas import DepartmentOut
from app.models import Department


class ActiveFilter(BaseFilter):
    name = "active"
    arg_name = "active"

    def apply(self, query, value):
        return query.filter(Department.active.is_(True))


class DepartmentApi(ApiDocsMixin, ModelRestApi):
    route_base = "/api/v1/departments"
    resource_name = "departments"
    openapi_spec_tag = "Departments"
    datamodel = SQLAInterface(Department)
    class_permission_name = "Departments API"
    method_permission_name = {"get_list": "read"}
    include_route_methods = {"get_list"}
    base_filters = [["active", ActiveFilter, None]]
    list_columns = show_columns = add_columns = edit_columns = ["id"]
    list_model_schema = show_model_schema = add_model_schema = edit_model_schema = DepartmentOut()
    openapi_spec_component_schemas = (DepartmentOut,)
    openapi_operations = {"get_list": {"get": operation(
        "Active departments in their display order", errors=(401, 403),
        result=result_of("DepartmentOut", many=True))}}

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self, **_kwargs):
        """A handful of rows: no paging or filter arguments to abuse."""
        count, departments = self.datamodel.query(self._base_filters, "ordering", "asc")
        return self.response(200, count=count, result=DepartmentOut(many=True).dump(departments))

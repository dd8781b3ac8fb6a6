"""List filters on numbers and codes take Persian and Arabic-Indic digits (issue 17, item 2).

Demo: 1004481 has tracking number 99010294000080 and national ID 0499370899, 1004482 has
tracking number 99010294000081, 1004483 neither. FAB numbers each column's filters: text
columns 0 starts with, 1 ends with, 2 contains, 3 equal; number columns 0 equal,
1 greater, 2 smaller, 3 not equal.
"""
import pytest

from app.forms.fields import to_ascii_number
from app.persian.text import typed_number
from tests.conftest import ticket_numbers

LIST = "/ticketmodelview/list/"


@pytest.mark.parametrize(("argument", "value", "expected"), [
    ("_flt_3_tracking_number", "۹۹۰۱۰۲۹۴۰۰۰۰۸۰", {"1004481"}),
    ("_flt_3_tracking_number", "٩٩٠١٠٢٩٤٠٠٠٠٨١", {"1004482"}),
    ("_flt_0_tracking_number", "۹۹۰۱۰۲۹۴۰۰۰۰۸", {"1004481", "1004482"}),
    ("_flt_1_tracking_number", "۰۸۱", {"1004482"}),
    ("_flt_2_tracking_number", "۲۹۴۰۰۰۰۸۰", {"1004481"}),
    ("_flt_3_national_id", "۰۴۹۹۳۷۰۸۹۹", {"1004481"}),
    ("_flt_2_national_id", "٣٧٠٨", {"1004481"}),
    ("_flt_3_national_id", " ۰۴۹۹۳۷۰۸۹۹ ", {"1004481"}),  # spaces around, as pasted
    ("_flt_0_number", "۱۰۰۴۴۸۲", {"1004482"}),
    ("_flt_1_number", "١٠٠٤٤٨١", {"1004482", "1004483"}),
    ("_flt_3_number", "۱۰۰۴۴۸۱", {"1004482", "1004483"}),
])
def test_typed_digits_find_the_ticket(as_user, argument, value, expected):
    response = as_user("manager").get(LIST, query_string={argument: value})
    assert response.status_code == 200
    assert ticket_numbers(response.data) == expected


@pytest.mark.parametrize(("argument", "value"), [
    ("_flt_0_number", "-۱۰۰۴۴۸۱"),  # a sign stays a sign
    ("_flt_0_number", "۱۰۰۴۴۸۱٫۵"),  # a fraction is no ticket number
    ("_flt_0_number", "۱۰۰۴۴۸۱a"),
    ("_flt_3_tracking_number", "۹۹۰۱۰۲۹۴۰۰۰۰۸۰a"),  # a letter stays a letter
    ("_flt_3_tracking_number", "-۹۹۰۱۰۲۹۴۰۰۰۰۸۰"),
    ("_flt_3_national_id", "۰۴۹۹۳۷۰۸۹۹.۰"),
])
def test_normalising_digits_never_makes_an_invalid_value_match(as_user, argument, value):
    response = as_user("manager").get(LIST, query_string={argument: value})
    assert response.status_code == 200
    assert ticket_numbers(response.data) == set()


def test_one_digit_rule_for_forms_and_filters():
    assert typed_number(" ۱۲۳ ") == "123" and typed_number("١٢٣") == "123"
    assert typed_number("-۱") == "-1" and typed_number("۱٫۵") == "1.5"
    assert typed_number("۱۲a") == "12a" and typed_number("۱ ۲") == "1 2"
    assert to_ascii_number("-۱٫۵") == "-1.5" and to_ascii_number(None) is None


def test_office_codes_filter_in_any_digits(app):
    from app.views.offices import OfficeModelView
    from app.web.list_filters import typed_value

    datamodel = OfficeModelView.datamodel
    assert typed_value(datamodel, "code", "۱۰۰۱") == "1001"
    assert typed_value(datamodel, "name", "۱۰۰۱") == "۱۰۰۱"  # names are text as typed
    query = datamodel.get_filters(["code"])
    query.add_filter_index("code", 3, "۱۰۰۱")
    count, offices = datamodel.query(query)
    assert [office.code for office in offices] == ["1001"]

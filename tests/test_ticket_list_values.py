"""The ticket lists read each value once (app/web/ticket_datamodel.py `_list_value`) with
FAB's rules, and format each distinct value of a column once per page
(app/views/ticket_list.py `_page_cells`)."""
import enum
from types import SimpleNamespace

from markupsafe import Markup

from app.views.ticket_list import _page_cells
from app.web.ticket_datamodel import _list_value


class Colour(enum.Enum):
    RED = "red"


def test_values_follow_fabs_rules():
    item = SimpleNamespace(name="a", office=SimpleNamespace(code="1001"), office_none=None,
                           colour=Colour.RED, shout=lambda: "A!")
    assert _list_value(item, "name") == "a"
    assert _list_value(item, "office.code") == "1001"
    assert _list_value(item, "office_none.code") == ""  # a broken path is an empty cell
    assert _list_value(item, "colour") == "red"
    assert _list_value(item, "shout") == "A!"


def test_a_property_is_read_once():
    reads = []

    class Item:
        @property
        def due(self):
            reads.append(1)
            return "soon"

    _list_value(Item(), "due")
    assert len(reads) == 1


def test_page_cells_format_each_distinct_value_once_and_tell_objects_apart():
    calls = []

    def formatter(value):
        calls.append(value)
        return f"<{value}>"

    cell = _page_cells([formatter, None])
    assert cell(0, "x") == Markup("&lt;x&gt;") and cell(0, "x") == Markup("&lt;x&gt;")
    assert calls == ["x"]
    assert cell(1, 7) == Markup("۷") and cell(1, None) == Markup("")  # reader's digits
    first, second = [1.5], [2.5]  # unhashable objects: told apart by identity
    assert cell(1, first) != cell(1, second)
    assert cell(1, first) == Markup("۱٫۵")  # a list, in the reader's digits

"""HTML kept per language and mount point (app/web/kept_fragments.py): the ticket list's filter
box while no filter is active (app/views/search_widget.py), rendered afresh when the URL
carries filters; the pages' asset links and the menu."""
import json
import re

from app.extensions import db
from app.models import Department
from tests.helpers import department_id


def _filters_script(html: bytes):
    """The five JSON arguments of FAB's `new AdminFilters(...)`: the last is the active ones."""
    script = re.search(r"new AdminFilters\((.*?)\);", html.decode(), re.S).group(1)
    return json.loads("[" + script.split(",", 1)[1] + "]")


def test_unfiltered_lists_show_the_filter_box_in_the_readers_language(as_user):
    agent = as_user("agent")
    agent.get("/lang/en")
    english = agent.get("/ticketmodelview/list/").data
    assert _filters_script(english)[3] == []
    agent.get("/lang/fa")
    persian = agent.get("/ticketmodelview/list/").data
    labels = _filters_script(persian)[0]
    assert labels["number"] != _filters_script(english)[0]["number"]  # not the English copy
    assert _filters_script(persian)[3] == []


def test_a_filtered_list_shows_its_active_filters(as_user):
    agent = as_user("agent")
    agent.get("/ticketmodelview/list/")  # the unfiltered box is kept
    page = agent.get("/ticketmodelview/list/?_flt_0_number=1004481").data
    active = _filters_script(page)[3]
    assert active and active[0][0] == "number" and "1004481" in str(active[0])


def test_a_renamed_department_shows_in_the_kept_box(as_user):
    agent = as_user("agent")
    agent.get("/ticketmodelview/list/")
    department = db.session.get(Department, department_id())
    department.name = "میز پشتیبانی تازه"
    db.session.commit()
    assert "میز پشتیبانی تازه" in agent.get("/ticketmodelview/list/").data.decode()


def test_kept_fragments_follow_the_mount_point(as_user):
    """An app mounted under a prefix (SCRIPT_NAME) links its assets and menu under it, even
    after the same fragments were kept for requests without the prefix."""
    agent = as_user("agent")
    assert b'href="/static/css/hamrah.css"' in agent.get("/ticketmodelview/list/").data
    mounted = agent.get("/ticketmodelview/list/", base_url="http://localhost/helpdesk").data
    assert b'href="/helpdesk/static/css/hamrah.css"' in mounted
    assert b'href="/static/css/hamrah.css"' not in mounted
    assert b'href="/helpdesk/support/inbox' in mounted  # the kept menu too

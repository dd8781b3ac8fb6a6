"""The live ticket page's one state-changing request (leaving: out of the presence list) needs
the CSRF token like every form; the polls are reads of the reader's own scope."""
import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import TicketPresence


def _presence_rows() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(TicketPresence))


def test_leaving_without_the_token_is_refused(as_user, csrf_on):
    csrf_on.config["WTF_CSRF_ENABLED"] = False
    agent = as_user("agent")
    csrf_on.config["WTF_CSRF_ENABLED"] = True
    page = agent.get("/support/tickets/1004481").data.decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    agent.get("/support/tickets/1004481/live")
    assert _presence_rows() == 1
    assert agent.post("/support/tickets/1004481/leave").status_code == 400
    assert _presence_rows() == 1
    assert agent.post("/support/tickets/1004481/leave",
                      data={"csrf_token": token}).status_code == 204
    assert _presence_rows() == 0

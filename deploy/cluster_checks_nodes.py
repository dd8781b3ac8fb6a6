"""Cluster checks 1-3 (deploy/cluster_check.py): both nodes serve one application.

1. journey      the clerk's journey through nginx, served by both nodes
2. reference    a change made on node1 (department, announcement, role) shows on node2
3. limits       the ticket and failed sign-in limits hold exactly across both nodes
"""
import re
import secrets

from cluster_client import (
    BALANCER,
    ENV,
    NODES,
    Browser,
    Forms,
    create_ticket,
    csrf,
    expect,
    fields_of,
    login_outcome,
    new_ticket_data,
    sql,
    ticket_number,
    unique_pdf,
)
from cluster_users import LIMIT_CLERK, LOCK_CLERK

# --- 1. the clerk's journey through the balancer ------------------------------------------

def check_journey():
    clerk = Browser(BALANCER, "clerk").sign_in("clerk")
    pdf = unique_pdf("journey")
    created = create_ticket(clerk, pdf)
    number = ticket_number(created)
    created_on = created.headers.get("X-Hamrah-Node")

    agent = Browser(BALANCER, "agent").sign_in("agent")
    page = agent.get(f"/support/tickets/{number}")
    answer = f"پاسخ کارشناس از خوشه {secrets.token_hex(4)}"
    replied = agent.post(f"/support/tickets/{number}/reply",
                         data={"csrf_token": csrf(page.text), "body": answer})
    expect(replied.status_code == 302, f"agent's reply answered {replied.status_code}")

    shown = clerk.get(f"/support/tickets/{number}")
    expect(answer in shown.text, "the clerk's ticket page does not show the agent's answer")
    links = re.findall(r'href="(/support/attachments/\d+)"', shown.text)
    expect(links, "no attachment link on the clerk's ticket page")
    download = None
    for _ in range(6):  # round robin: the next one or two requests reach the other node
        download = clerk.get(links[0])
        if download.headers.get("X-Hamrah-Node") != created_on:
            break
    expect(download.headers.get("X-Hamrah-Node") != created_on,
           f"every download came from {created_on}, the node that stored the file")
    expect(download.content == pdf, "the downloaded attachment differs from the uploaded bytes")
    served = set(clerk.nodes + agent.nodes)
    expect(served >= {"node1", "node2"}, f"only {served} served the journey")
    return (f"ticket {number} created on {created_on}, answered, attachment downloaded intact "
            f"from {download.headers.get('X-Hamrah-Node')}; clerk's requests by node "
            f"{ {n: clerk.nodes.count(n) for n in sorted(set(clerk.nodes))} }")


# --- 2. reference data changed on node1 shows on node2 --------------------------------------

def fab_add(manager: Browser, view: str, values: dict, base: str) -> None:
    page = manager.get(f"/{view}/add", base)
    form = Forms(page.text).form(f"/{view}/add") if f"/{view}/add" in page.text else \
        Forms(page.text).forms[-1]
    data = dict(fields_of(form))
    data.update(values)
    response = manager.post(f"/{view}/add", base, data=data)
    expect(response.status_code == 302,
           f"manager's add on /{view}/add answered {response.status_code} "
           f"{re.findall(r'help-block[^>]*>([^<]+)', response.text)[:3]}")


def check_reference():
    node1, node2 = NODES["node1"], NODES["node2"]
    token = secrets.token_hex(3)
    manager = Browser(node1, "manager").sign_in("manager")
    clerk = Browser(node2, "clerk").sign_in("clerk")
    agent2 = Browser(node2, "agent2").sign_in("agent2")
    dept_name, title = f"بخش خوشه {token}", f"اطلاعیه خوشه {token}"
    # node2 has read (and cached) the reference data before the change
    expect(dept_name not in clerk.get("/support/new").text, "department present before it was added")
    expect(title not in clerk.get("/support/announcements/").text, "announcement present before")
    before = agent2.get("/departmentmodelview/list/", status=None)
    expect(before.status_code != 200, "agent2 (Agent) already reaches the Departments screen")
    results = []

    fab_add(manager, "departmentmodelview", {"name": dept_name, "name_en": f"Cluster {token}",
                                             "active": "y", "ordering": "9"}, node1)
    expect(dept_name in clerk.get("/support/new").text,
           "node2's new-ticket form does not offer the department added on node1")
    results.append("department")

    fab_add(manager, "announcementmodelview", {"title": title, "body": "متن " + title,
                                               "for_everyone": "y"}, node1)
    expect(title in clerk.get("/support/announcements/").text,
           "node2's announcement board does not show the announcement added on node1")
    results.append("announcement")

    agent2_id = sql("select id from ab_user where username = 'agent2'")[0][0]
    manager_role = sql("select id from ab_role where name = 'Manager'")[0][0]
    page = manager.get(f"/users/edit/{agent2_id}")
    form = Forms(page.text).form(f"/users/edit/{agent2_id}") if f"/users/edit/{agent2_id}" in \
        page.text else Forms(page.text).forms[-1]
    data = fields_of(form) + [("roles", str(manager_role))]
    edited = manager.post(f"/users/edit/{agent2_id}", data=data)
    expect(edited.status_code == 302, f"manager's role change answered {edited.status_code}")
    after = agent2.get("/departmentmodelview/list/", status=None)
    expect(after.status_code == 200 and dept_name in after.text,
           f"node2 does not let agent2 (now Manager) into Departments: {after.status_code}")
    results.append("role change")
    nodes = ({"manager": set(manager.nodes), "clerk": set(clerk.nodes), "agent2": set(agent2.nodes)})
    return f"{', '.join(results)} made on node1 showed on node2 at its next request ({nodes})"


# --- 3. limits across both nodes -----------------------------------------------------------

def limit_count(setting: str) -> int:
    return int(ENV[setting].split()[0])


def check_ticket_limit():
    allowed = limit_count("TICKET_RATE_LIMIT")
    clerk = Browser(BALANCER, LIMIT_CLERK).sign_in(LIMIT_CLERK)  # one session, both nodes
    answers = []
    for attempt in range(allowed + 2):
        node = ("node1", "node2")[attempt % 2]
        data = new_ticket_data(clerk, NODES[node])
        response = create_ticket(clerk, unique_pdf("limit"), NODES[node], data)
        answers.append((node, response.status_code))
    codes = [code for _, code in answers]
    created = sql("select count(*) from ticket t join ab_user u on u.id = t.creator_id "
                  "where u.username = %s", LIMIT_CLERK)[0][0]
    expect(codes == [302] * allowed + [429, 429] and created == allowed,
           f"TICKET_RATE_LIMIT {ENV['TICKET_RATE_LIMIT']!r}: answers {answers}, {created} created")
    return f"{ENV['TICKET_RATE_LIMIT']!r}: alternating nodes, answers {codes}, {created} tickets"


def lockout_row(username: str):
    """(id, failures, locked_until) of the username's row in login_lockout, or None."""
    rows = sql("select id, failures, locked_until from login_lockout where username = %s", username)
    return rows[0] if rows else None


def check_login_limit():
    """Failures on both nodes count as one (app/domain/login_lockout.py): the right password
    signs in until the limit is reached (and forgets the failures), `allowed` failures in a row
    lock the username on both nodes, and a manager on node2 lifts the lockout."""
    allowed = limit_count("LOGIN_FAILURE_LIMIT")
    answers = []

    def attempt(i, password):
        node = ("node1", "node2")[i % 2]
        outcome = login_outcome(Browser(NODES[node], LOCK_CLERK).login(LOCK_CLERK, password))
        answers.append((node, "right" if password is None else "wrong", outcome))
        return outcome

    def shown():
        return [a[0] + " " + a[1] + ": " + a[2] for a in answers]

    for i in range(allowed - 1):
        expect(attempt(i, "wrong-password") == "wrong password",
               f"failure {i + 1} was not an ordinary refusal: {answers}")
    expect(attempt(allowed - 1, None) == "signed in",
           f"the right password was refused after {allowed - 1} failures: {answers}")
    expect(lockout_row(LOCK_CLERK) is None,
           f"a sign-in did not forget the earlier failures: {lockout_row(LOCK_CLERK)}")
    for n in range(allowed):  # alternating nodes, so the count is shared or the lock never comes
        expect(attempt(allowed + n, "wrong-password") == "wrong password",
               f"failure {n + 1} of {allowed} in a row refused early: {answers}")
    locked = [attempt(2 * allowed, None), attempt(2 * allowed + 1, None)]  # both nodes
    expect(all(outcome == "refused 429" for outcome in locked),
           f"not refused with 429 after {allowed} failures ({ENV['LOGIN_FAILURE_LIMIT']!r}): {answers}")
    row = lockout_row(LOCK_CLERK)
    expect(row is not None and row[1] == allowed and row[2] is not None,
           f"login_lockout after {allowed} failures: (id, failures, locked_until) = {row}")

    manager = Browser(NODES["node2"], "manager").sign_in("manager")
    page = manager.get("/loginlockoutmodelview/list/")
    expect(LOCK_CLERK in page.text, f"{LOCK_CLERK} is not on node2's /loginlockoutmodelview/list/")
    lifted = manager.post("/loginlockoutmodelview/action_post", data={
        "action": "lift", "rowid": str(row[0]), "csrf_token": csrf(page.text)})
    expect(lifted.status_code == 302,
           f"the manager's lift on node2 answered {lifted.status_code}")
    expect(lockout_row(LOCK_CLERK) is None,
           f"login_lockout still holds {LOCK_CLERK} after the lift: {lockout_row(LOCK_CLERK)}")
    after = login_outcome(Browser(NODES["node1"], LOCK_CLERK).login(LOCK_CLERK))
    expect(after == "signed in", f"after the lift on node2, node1 answered {after} to the right password")
    return (f"{ENV['LOGIN_FAILURE_LIMIT']!r}: {allowed - 1} failures, a sign-in (failures forgotten), "
            f"{allowed} failures, then the right password refused on both nodes: {shown()}; "
            f"login_lockout row {row[0]} with {row[1]} failures; lifted by the manager on node2, "
            f"then {LOCK_CLERK} signed in on node1")

"""Checks of the two-node cluster that `sh deploy/cluster.sh test` starts (run by it).

Each check is a function that prints PASS or FAIL with its reason; the exit status is 1 when
any failed. They talk HTTP to nginx (the balancer) or to a node directly, and read
PostgreSQL, S3 and the SMTP sink's files to see what really happened:

1. journey      the clerk's journey through nginx, served by both nodes
2. reference    a change made on node1 (department, announcement, role) shows on node2
3. limits       the ticket and failed sign-in limits hold exactly across both nodes
4. node-kill    node2 SIGKILLed during a create-and-reply load: acknowledged writes survive
5. mail-once    every outbox row's e-mail reached the SMTP server exactly once

(Run in this order: the mail check counts everything the others sent.)
Every request has a timeout and every loop a bound. Only .venv packages are used.

    CLUSTER_RUN=deploy/.run .venv/bin/python deploy/cluster_check.py [check names...]
    .venv/bin/python deploy/cluster_check.py users   # (cluster.sh) the checks' extra users
"""
import email
import glob
import html.parser
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from urllib.parse import urljoin, urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.environ.get("CLUSTER_RUN") or os.path.join(ROOT, "deploy", ".run")
CLUSTER_SH = os.environ.get("CLUSTER_SH") or os.path.join(ROOT, "deploy", "cluster.sh")
VENV = os.path.join(ROOT, ".venv", "bin")
TIMEOUT = 30  # seconds, every HTTP request
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

LOAD_CLERKS = [f"clerk-load-{n}" for n in range(1, 9)]
LIMIT_CLERK = "clerk-limit"
LOCK_CLERK = "clerk-lock"


def read_env(path: str) -> dict[str, str]:
    """KEY="value" lines (the node env files cluster.sh writes)."""
    values = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            match = re.match(r'^([A-Z0-9_]+)="(.*)"$', line.strip())
            if match:
                values[match[1]] = match[2]
    return values


# --- setup mode: extra users, made with the app itself ------------------------------------

def create_users() -> None:
    """Clerks of office 1001 for the load and the limit checks (password = username)."""
    sys.path.insert(0, ROOT)
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.domain.roles import CLERK
    from app.extensions import db
    from app.models import HamrahUser, Office

    app = create_app("config.Config")
    with app.app_context():
        office = db.session.scalars(select(Office).filter_by(code="1001")).one()
        role = app.appbuilder.sm.find_role(CLERK)
        for name in LOAD_CLERKS + [LIMIT_CLERK, LOCK_CLERK]:
            if db.session.scalars(select(HamrahUser).filter_by(username=name)).first():
                continue
            db.session.add(HamrahUser(
                username=name, first_name=name, last_name="-", display_name=name,
                email=f"{name}@example.org", active=True, roles=[role], office_id=office.id,
                password=generate_password_hash(
                    name, method=app.config["FAB_PASSWORD_HASH_METHOD"])))
        db.session.commit()
    print(f"users ready: {', '.join(LOAD_CLERKS + [LIMIT_CLERK, LOCK_CLERK])}")


if __name__ == "__main__" and sys.argv[1:] == ["users"]:
    create_users()
    sys.exit(0)

# --- the checks' world ----------------------------------------------------------------------
import boto3  # noqa: E402  (not needed by the setup mode above)
import psycopg  # noqa: E402
import requests  # noqa: E402

ENV = read_env(os.path.join(RUN, "node1.env"))
BALANCER = f"http://127.0.0.1:{os.environ.get('CLUSTER_PORT', '18080')}"
NODES = {"node1": f"http://127.0.0.1:{os.environ.get('NODE1_PORT', '18081')}",
         "node2": f"http://127.0.0.1:{os.environ.get('NODE2_PORT', '18082')}"}
DB = psycopg.connect(ENV["DATABASE_URL"].replace("+psycopg", ""), autocommit=True)
S3 = boto3.client("s3", endpoint_url=ENV["S3_ENDPOINT_URL"], region_name=ENV["S3_REGION"],
                  aws_access_key_id=ENV["S3_ACCESS_KEY"],
                  aws_secret_access_key=ENV["S3_SECRET_KEY"])


class CheckFailed(Exception):
    pass


def expect(condition, reason: str) -> None:
    if not condition:
        raise CheckFailed(reason)


def sql(query: str, *args):
    return DB.execute(query, args).fetchall()


def unique_pdf(label: str) -> bytes:
    return PDF + f"% {label} {secrets.token_hex(8)}\n".encode()


class Forms(html.parser.HTMLParser):
    """The fields of every <form> of a page: {form id or action: [(name, value), ...]}."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = None
        self._option = None
        self._textarea = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"id": a.get("id"), "action": a.get("action"), "fields": [],
                               "options": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((a["name"], a.get("value", "y")))
            elif kind not in ("file", "submit", "button"):
                fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a.get("name")
            self.forms[-1]["options"][self._select] = []
        elif tag == "option" and self._select:
            self._option = [a.get("value", ""), "", "selected" in a]
            self.forms[-1]["options"][self._select].append(self._option)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
            fields.append(self._textarea)

    def handle_data(self, data):
        if self._option is not None:
            self._option[1] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.forms:
            for value, _text, selected in self.forms[-1]["options"].get(self._select, []):
                if selected:
                    self.forms[-1]["fields"].append((self._select, value))
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            if self._textarea is not None:
                self._textarea[:] = [self._textarea[0], self._textarea[1]]
            self._textarea = None

    def form(self, containing: str) -> dict:
        """The first form whose id or action contains `containing`."""
        for form in self.forms:
            if containing in (form["id"] or "") or containing in (form["action"] or ""):
                return form
        raise CheckFailed(f"no form '{containing}' on the page")


def fields_of(form: dict, drop: set[str] = frozenset()) -> list[tuple[str, str]]:
    return [(name, value) for name, value in form["fields"] if name not in drop]


def csrf(text: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', text)
    if not match:
        raise CheckFailed("no csrf_token on the page")
    return match[1]


class Browser:
    """One person's cookies; every answer's X-Hamrah-Node is remembered."""

    def __init__(self, base: str, who: str):
        self.base, self.who = base, who
        self.session = requests.Session()
        self.nodes: list[str] = []

    def request(self, method, path, base=None, **kwargs):
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        response = self.session.request(method, urljoin(base or self.base, path), **kwargs)
        self.nodes.append(response.headers.get("X-Hamrah-Node", "?"))
        return response

    def get(self, path, base=None, status=200, **kwargs):
        response = self.request("GET", path, base, **kwargs)
        if status is not None:
            expect(response.status_code == status,
                   f"{self.who}: GET {path} answered {response.status_code}, expected {status}")
        return response

    def post(self, path, base=None, **kwargs):
        return self.request("POST", path, base, **kwargs)

    def login(self, username, password=None, base=None):
        page = self.get("/login/", base)
        return self.post("/login/", base, data={
            "username": username, "password": password or username, "csrf_token": csrf(page.text)})

    def sign_in(self, username, base=None):
        response = self.login(username, base=base)
        expect(signed_in(response), f"sign-in of {username} answered {response.status_code} "
               f"{response.headers.get('Location', '')}, expected a 302 away from /login/")
        return self


def signed_in(response) -> bool:
    """FAB answers a sign-in with a 302: to the login page again when it failed."""
    path = urlsplit(response.headers.get("Location", "")).path
    return response.status_code == 302 and not path.rstrip("/").endswith("/login")


def login_outcome(response) -> str:
    if signed_in(response):
        return "signed in"
    if response.status_code in (200, 302):
        return "wrong password"  # the form again, or a redirect to it
    return f"refused {response.status_code}"


def ticket_number(response) -> int:
    match = re.search(r"/support/tickets/(\d+)$", response.headers.get("Location", ""))
    expect(response.status_code == 302 and match,
           f"expected a 302 to the new ticket, got {response.status_code} "
           f"{response.headers.get('Location', '')}")
    return int(match[1])


def department_id(name_en="Technical support") -> int:
    return sql("select id from department where name_en = %s", name_en)[0][0]


def new_ticket_data(browser: Browser, base=None, subject="آزمون خوشه", body="متن آزمون خوشه"):
    page = browser.get("/support/new", base)
    form = Forms(page.text).form("new-ticket-form")
    data = dict(fields_of(form))  # csrf_token, submission_id, the related cases' empty fields
    data.update({"subject": subject, "department": str(department_id()), "body": body,
                 "tracking_number": "99010294000099", "national_id": "0499370899",
                 "submission_id": "cluster-" + secrets.token_hex(8)})
    return data


def create_ticket(browser, pdf: bytes, base=None, data=None):
    data = data or new_ticket_data(browser, base)
    return browser.post("/support/new", base, data=data,
                        files=[("attachments", ("scan.pdf", pdf, "application/pdf"))])


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


def check_login_limit():
    allowed = limit_count("LOGIN_FAILURE_LIMIT")
    answers = []

    def attempt(i, password):
        node = ("node1", "node2")[i % 2]
        outcome = login_outcome(Browser(NODES[node], LOCK_CLERK).login(LOCK_CLERK, password))
        answers.append((node, "right" if password is None else "wrong", outcome))
        return outcome

    for i in range(allowed - 1):
        expect(attempt(i, "wrong-password") == "wrong password",
               f"failure {i + 1} was not an ordinary refusal: {answers}")
    expect(attempt(allowed - 1, None) == "signed in",
           f"the right password was refused after {allowed - 1} failures: {answers}")
    expect(attempt(allowed, "wrong-password") == "wrong password",
           f"failure {allowed} refused early: {answers}")
    locked = [attempt(allowed + 1, None), attempt(allowed + 2, None)]  # both nodes
    expect(all(outcome != "signed in" for outcome in locked),
           f"signed in after {allowed} failures ({ENV['LOGIN_FAILURE_LIMIT']!r}): {answers}")
    return (f"{ENV['LOGIN_FAILURE_LIMIT']!r}: {allowed - 1} failures, a sign-in, failure {allowed}, "
            f"then the right password refused on both nodes: {[a[0] + ' ' + a[1] + ': ' + a[2] for a in answers]}")


# --- 4. one node SIGKILLed under load -------------------------------------------------------

def node_pids(node: str) -> list[int]:
    """The node's gunicorn master (from cluster.sh's PID file) and its workers."""
    master = None
    with open(os.path.join(RUN, "pids"), encoding="utf-8") as file:
        for line in file:
            name, pid = line.split()
            if name == f"{node}-web":
                master = int(pid)
    expect(master is not None, f"no PID recorded for {node}")
    workers = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    return [master] + [int(p) for p in workers.stdout.split()]


def check_node_kill():
    total, threads_n, kill_after = 60, 4, 16
    lock = threading.Lock()
    state = {"started": 0, "done": 0, "in_flight": 0, "killed": None, "in_flight_at_kill": None}
    acked_tickets, acked_replies, failures, nodes_after_kill = [], [], [], []

    clerks = []
    for name in LOAD_CLERKS:
        browser = Browser(BALANCER, name).sign_in(name)
        browser.token = csrf(browser.get("/support/new").text)  # the session's token serves all
        clerks.append(browser)

    def kill_node2():
        pids = node_pids("node2")
        for pid in pids:
            try:
                os.kill(pid, 9)
            except ProcessLookupError:
                pass
        state["killed"] = pids
        state["killed_at"] = time.monotonic()
        state["in_flight_at_kill"] = state["in_flight"]

    def worker(index):
        mine = clerks[index * 2:index * 2 + 2]
        last_ticket = {}
        for n in range(total // threads_n):
            browser = mine[(n // 2) % 2]  # create, reply to it; the other clerk; ...
            with lock:
                if state["started"] >= total:
                    return
                state["started"] += 1
                state["in_flight"] += 1
            kind = "reply" if n % 2 == 1 and browser.who in last_ticket else "create"
            begun = time.monotonic()
            try:
                if kind == "create":
                    pdf = unique_pdf(browser.who)
                    data = {"csrf_token": browser.token, "subject": "بار خوشه",
                            "department": str(department_id()), "body": "آزمون بار",
                            "submission_id": "load-" + secrets.token_hex(8)}
                    response = browser.post("/support/new", data=data, files=[
                        ("attachments", ("load.pdf", pdf, "application/pdf"))])
                    if response.status_code == 302:
                        number = ticket_number(response)
                        last_ticket[browser.who] = number
                        with lock:
                            acked_tickets.append((browser.who, data["submission_id"], number, pdf))
                else:
                    number = last_ticket[browser.who]
                    body = f"پاسخ بار {secrets.token_hex(8)}"
                    response = browser.post(f"/support/tickets/{number}/reply",
                                            data={"csrf_token": browser.token, "body": body})
                    if response.status_code == 302:
                        with lock:
                            acked_replies.append((number, body))
                outcome = response.status_code
                node = response.headers.get("X-Hamrah-Node")
            except requests.RequestException as error:
                outcome, node = type(error).__name__, None
            with lock:
                state["in_flight"] -= 1
                state["done"] += 1
                if outcome != 302:
                    failures.append((kind, outcome))
                if state["killed"] is not None and node and begun > state["killed_at"]:
                    nodes_after_kill.append(node)
                if state["done"] == kill_after and state["killed"] is None:
                    kill_node2()

    started = time.monotonic()
    workers = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads_n)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=150)
    expect(not any(t.is_alive() for t in workers), "the load did not finish within 150 s")
    expect(state["killed"], "node2 was never killed")
    elapsed = time.monotonic() - started

    problems = []
    for who, key, number, pdf in acked_tickets:
        rows = sql("select t.number, a.stored_name from ticket t join ab_user u on u.id = t.creator_id "
                   "join message m on m.ticket_id = t.id join attachment a on a.message_id = m.id "
                   "where u.username = %s and t.idempotency_key = %s", who, key)
        if len(rows) != 1 or rows[0][0] != number:
            problems.append(f"ticket {number} ({key}): {len(rows)} rows")
            continue
        body = S3.get_object(Bucket=ENV["S3_BUCKET"],
                             Key=ENV.get("S3_PREFIX", "attachments/") + rows[0][1])["Body"].read()
        if body != pdf:
            problems.append(f"ticket {number}: S3 object differs")
    for number, body in acked_replies:
        count = sql("select count(*) from message m join ticket t on t.id = m.ticket_id "
                    "where t.number = %s and m.body = %s", number, body)[0][0]
        if count != 1:
            problems.append(f"reply on {number}: {count} rows")
    expect(not problems, "acknowledged writes missing or doubled: " + "; ".join(problems[:5]))
    allowed = state["in_flight_at_kill"]
    expect(len(failures) <= allowed,
           f"{len(failures)} failed requests ({failures}) but only {allowed} were in flight at the kill")
    expect(nodes_after_kill and set(nodes_after_kill) == {"node1"},
           f"after the kill answers came from {set(nodes_after_kill)}")
    summary = (f"{state['done']} requests in {elapsed:.1f} s, node2 (pids {state['killed']}) killed "
               f"after {kill_after}; {len(acked_tickets)} tickets and {len(acked_replies)} replies "
               f"acknowledged, each once in PostgreSQL with its S3 object; {len(failures)} failed "
               f"{failures} (in flight at the kill: {allowed})")
    # node2 back: nginx sends it requests again once its fail_timeout has passed
    restart = subprocess.run(["sh", CLUSTER_SH, "start-node", "node2"], capture_output=True,
                             text=True, timeout=90)
    expect(restart.returncode == 0, f"node2 did not restart: {restart.stderr[-500:]}")
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and seen != {"node1", "node2"}:
        seen.add(requests.get(BALANCER + "/healthz", timeout=5).headers.get("X-Hamrah-Node"))
        time.sleep(0.2)
    expect(seen == {"node1", "node2"}, f"after restarting node2 nginx only reached {seen}")
    return summary + "; node2 restarted and back in rotation"


def sweep_orphans():
    """`hamrah attachments sweep` (being added by others): run it when it exists."""
    env = {**os.environ, **ENV}
    probe = subprocess.run([os.path.join(VENV, "flask"), "--app", "run", "hamrah", "attachments",
                            "--help"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    if probe.returncode != 0:
        print("NOTE  attachments sweep: `hamrah attachments sweep` does not exist yet; skipped")
        return
    sweep = subprocess.run([os.path.join(VENV, "flask"), "--app", "run", "hamrah", "attachments",
                            "sweep"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    print(f"NOTE  attachments sweep: exit {sweep.returncode}: {(sweep.stdout + sweep.stderr).strip()[-300:]}")


# --- 5. every e-mail exactly once ----------------------------------------------------------

def check_mail_once():
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        waiting = sql("select count(*) from outbox_message where sent_at is null")[0][0]
        if waiting == 0:
            break
        time.sleep(1)
    rows = sql("select id, recipient, kind, sent_at is not null from outbox_message order by id")
    unsent = [r[0] for r in rows if not r[3]]
    expect(not unsent, f"{len(unsent)} outbox rows still unsent after 60 s: {unsent[:10]}")
    time.sleep(1)  # a message the server accepted is on disk before the worker marks it sent
    seen: dict[int, int] = {}
    strangers = 0
    for path in sorted(glob.glob(os.path.join(RUN, "mail", "*.eml"))):
        with open(path, "rb") as file:
            message = email.message_from_bytes(file.read())
        match = re.match(r"<hamrah-outbox-(\d+)@", message.get("Message-ID", ""))
        if match:
            seen[int(match[1])] = seen.get(int(match[1]), 0) + 1
        else:
            strangers += 1
    ids = {r[0] for r in rows}
    doubled = {i: n for i, n in seen.items() if n > 1}
    missing = sorted(ids - set(seen))
    expect(not doubled and not missing and not strangers and set(seen) == ids,
           f"{len(rows)} outbox rows, {sum(seen.values())} messages: doubled {doubled}, "
           f"missing {missing[:10]}, unknown {strangers}")
    kinds = {}
    for _id, _recipient, kind, _sent in rows:
        kinds[kind] = kinds.get(kind, 0) + 1
    expect(kinds.get("ticket_created"), "no new-ticket e-mail to the department's agents")
    workers = {}
    for node in ("node1", "node2"):
        with open(os.path.join(RUN, node, "notify.log"), encoding="utf-8") as file:
            workers[node] = sum(int(m) for m in re.findall(r"E-mails sent: (\d+)", file.read()))
    expect(all(workers.values()), f"one outbox worker sent nothing ({workers}): not a race")
    return (f"{len(rows)} outbox rows {kinds}, {sum(seen.values())} messages received, each once; "
            f"sent by worker: {workers}")


CHECKS = [("journey", check_journey), ("reference", check_reference),
          ("ticket-limit", check_ticket_limit), ("login-limit", check_login_limit),
          ("node-kill", check_node_kill), ("mail-once", check_mail_once)]


def main(names: list[str]) -> int:
    failed = 0
    for name, check in CHECKS:
        if names and name not in names:
            continue
        started = time.monotonic()
        try:
            detail = check()
            print(f"PASS  {name} ({time.monotonic() - started:.1f} s): {detail}", flush=True)
        except CheckFailed as error:
            failed += 1
            print(f"FAIL  {name} ({time.monotonic() - started:.1f} s): {error}", flush=True)
        except Exception as error:  # noqa: BLE001 - a crash of a check is its failure
            failed += 1
            print(f"FAIL  {name} ({time.monotonic() - started:.1f} s): {type(error).__name__}: "
                  f"{error}", flush=True)
        if name == "node-kill":
            sweep_orphans()
    print(f"{'FAILED' if failed else 'PASSED'}: {failed} of "
          f"{len([c for c in CHECKS if not names or c[0] in names])} checks failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What the cluster checks talk with (deploy/cluster_check.py): the node environment, PostgreSQL,
S3, and a small browser for the app's HTML pages (forms, CSRF, signing in, new tickets).

Importing it reads node1's environment file (written by cluster.sh) and connects to the
cluster's database. Every request has a timeout.
"""
import html.parser
import os
import re
import secrets
from urllib.parse import urljoin, urlsplit

import boto3
import psycopg
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.environ.get("CLUSTER_RUN") or os.path.join(ROOT, "deploy", ".run")
CLUSTER_SH = os.environ.get("CLUSTER_SH") or os.path.join(ROOT, "deploy", "cluster.sh")
VENV = os.path.join(ROOT, ".venv", "bin")
TIMEOUT = 30  # seconds, every HTTP request
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def read_env(path: str) -> dict[str, str]:
    """KEY="value" lines (the node env files cluster.sh writes)."""
    values = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            match = re.match(r'^([A-Z0-9_]+)="(.*)"$', line.strip())
            if match:
                values[match[1]] = match[2]
    return values


# --- the checks' world ----------------------------------------------------------------------

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

"""Every page a signed-in role can reach, found the way a person would: from the home page,
the support pages and every link on them (issue 17, item 6).

`crawl(browsing, seeds, visit)` opens each page once per URL shape (digits in the path are one
shape: /users/show/1 and /users/show/2 are one page) and calls `visit(path)` while the page is
open, so each check (the Persian text crawl, axe-core) reads the page it was handed. Links that
change something or leave the HTML world (sign-out, language switch, delete, downloads, exports,
the API) are not followed.
"""
import re
from urllib.parse import urlsplit

# GET links that change state or are not pages: never followed.
NOT_PAGES = re.compile(
    r"^/(logout|lang|api|static|swagger|back|healthz|readyz|favicon\.ico)(/|$)"
    r"|/(delete|download|export|action|attachments)/|/widget\.js$")
MAX_PAGES = 120
# Error pages are pages too: opened on purpose, read whatever their status.
ERROR_PAGES = ["/no-such-page", "/support/tickets/999999999"]

# Where each kind of user starts; pages a role may not open are answered with a redirect or
# 403 and dropped.
SEEDS = {
    "anonymous": ["/login/", "/no-such-page"],
    "clerk": ["/", "/support/demo-host", "/support/popup", "/support/new", "/support/inbox",
              "/support/announcements/", "/users/userinfo/", "/userinfoeditview/form",
              "/resetmypassword/form", *ERROR_PAGES],
    "agent": ["/", "/ticketmodelview/list/", "/dashboard/", "/users/userinfo/",
              "/userinfoeditview/form", "/resetmypassword/form", *ERROR_PAGES],
    "supervisor": ["/", "/ticketmodelview/list/", "/dashboard/", "/support/announcements/",
                   "/users/userinfo/", "/resetmypassword/form", *ERROR_PAGES],
    "manager": ["/", "/ticketmodelview/list/", "/dashboard/", "/users/userinfo/",
                "/userinfoeditview/form", "/resetmypassword/form", *ERROR_PAGES],
}
ROLES = list(SEEDS)


def page_shape(path: str) -> str:
    return re.sub(r"\d+", "{n}", path)


def _same_site_paths(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    origin = urlsplit(base_url).netloc
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc == origin and parts.path:
            paths.append(parts.path)
    return paths


class Crawled:
    """What a crawl opened: `visited`, the pages read, in order; `refused`, the URLs it tried
    that answered otherwise (another role's page, a redirect), whose failed loads the browser
    reports as console errors that are the crawl's own doing."""

    def __init__(self):
        self.visited: list[str] = []
        self.refused: set[str] = set()

    def unexpected_errors(self, errors: list[str], base_url: str) -> list[str]:
        """`errors` less the failed loads of the pages the crawl tried on purpose."""
        tried = {base_url + p for p in self.refused} | {base_url + p for p in ERROR_PAGES}
        return [e for e in errors if not (e.split(" at ")[0].endswith(
            ("status of 403 (FORBIDDEN)", "status of 404 (NOT FOUND)"))
            and e.rsplit(" at ", 1)[-1] in tried)]


def crawl(browsing, seeds: list[str], visit) -> Crawled:
    """Opens the seeds and every page linked from them (breadth first, one page per shape,
    at most MAX_PAGES); `visit(path)` runs on each page that answered 200 with HTML (or is
    one of ERROR_PAGES)."""
    page = browsing.page
    queue, seen_shapes, crawled = list(seeds), set(), Crawled()
    visited = crawled.visited
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        shape = page_shape(path)
        if shape in seen_shapes or NOT_PAGES.search(path):
            continue
        seen_shapes.add(shape)
        response = page.goto(browsing.url(path))
        if (response is None or (response.status != 200 and path not in ERROR_PAGES)
                or "text/html" not in response.headers.get("content-type", "")
                or urlsplit(page.url).path != path):  # redirected: not this role's page
            crawled.refused.add(path)
            continue
        visit(path)
        visited.append(path)
        queue.extend(p for p in _same_site_paths(page, browsing.base_url)
                     if page_shape(p) not in seen_shapes)
    return crawled

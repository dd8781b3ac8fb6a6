"""End-to-end fixtures: the real app under gunicorn on a fresh SQLite file, Debian's chromium.

Run alone with `sh scripts/e2e.sh` (or `.venv/bin/python -m pytest e2e`). Every page a test
opens goes through `Browsing`, which records console errors, page errors and every request
URL, so the suite can fail on a CSP violation or on a request that leaves 127.0.0.1.
"""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
# The app tree to serve: this checkout, or a copy of it (E2E_APP_ROOT) to try a change on.
APP_ROOT = Path(os.environ.get("E2E_APP_ROOT") or ROOT).resolve()
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LANGUAGES = ["fa", "en"]
TIMEOUT_MS = 15_000
ALLOWED_HOST = "127.0.0.1"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def to_persian_digits(text: str) -> str:
    return str(text).translate(PERSIAN_DIGITS)


def to_ascii_digits(text: str) -> str:
    return str(text).translate(ASCII_DIGITS)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((ALLOWED_HOST, 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    """Poll the login page until the server answers (a start-up check, not a test wait)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the app did not answer {url} in {seconds}s:\n{log.read_text()[-3000:]}")


def _app_env(workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "HAMRAH_"))}
    for name in ("TEST_DATABASE_URL", "HOST_TOKEN_SECRET", "MAIL_SERVER", "CASE_DOCUMENTS_URL"):
        env.pop(name, None)
    env.update({
        "DATABASE_URL": f"sqlite:///{workdir / 'hamrah.db'}",
        "ATTACHMENT_DIR": str(workdir / "attachments"),
        "SECRET_KEY": "e2e-" + os.urandom(16).hex(),
        "PYTHONUNBUFFERED": "1",
    })
    return env


@contextlib.contextmanager
def served_app(**settings):
    """Fresh SQLite file + `hamrah init` + `hamrah demo`, then gunicorn on a free port; yields
    the base URL and stops the server at the end. `settings`: more environment variables
    (LIVE_POLL_SECONDS="1", HOST_ORIGINS=...)."""
    workdir = Path(tempfile.mkdtemp(prefix="hamrah-e2e-"))
    env = {**_app_env(workdir), **settings}
    log = workdir / "server.log"
    process = None
    try:
        for command in ("init", "demo"):
            done = subprocess.run([str(VENV_BIN / "flask"), "--app", "run", "hamrah", command],
                                  cwd=APP_ROOT, env=env, capture_output=True, text=True,
                                  timeout=180)
            if done.returncode:
                raise RuntimeError(f"hamrah {command} failed:\n{done.stdout}\n{done.stderr}"
                                   [-4000:])
        port = _free_port()
        base_url = f"http://{ALLOWED_HOST}:{port}"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"{ALLOWED_HOST}:{port}",
                 "--access-logfile", "-", "run:app"],
                cwd=APP_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        _wait_until_up(base_url + "/login/", process, log)
        yield base_url
    finally:
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if os.environ.get("E2E_KEEP_SERVER_LOG"):
            print(f"\nserver log: {log}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    """The suite's shared server: scenarios that write (the journey) share its data."""
    with served_app() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def demo_server():
    """A server holding only the demo data, for tests that read every page and must not see
    what other modules typed (English subjects on Persian pages, say)."""
    with served_app() as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.exit(f"{CHROMIUM} is missing: apt-get install -y chromium (scripts/e2e.sh does)", 2)
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        # Requests to any other host are recorded (and fail the suite) but never leave the
        # machine: they go to a proxy address where nothing listens.
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            proxy={"server": f"http://{ALLOWED_HOST}:9", "bypass": ALLOWED_HOST})
        yield chromium
        chromium.close()


def _is_known_noise(message) -> bool:
    """Chromium asks every site for /favicon.ico; the app has none (reported), so its 404 is no
    page error. Nothing else is forgiven."""
    return (message.text.startswith("Failed to load resource")
            and message.location.get("url", "").endswith("/favicon.ico"))


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == ALLOWED_HOST


class Browsing:
    """One user's browser context, in one language, with everything it saw recorded."""

    def __init__(self, browser, base_url: str, lang: str, who: str):
        self.base_url, self.lang, self.who = base_url, lang, who
        self.context = browser.new_context(viewport={"width": 1280, "height": 900},
                                           locale="fa-IR" if lang == "fa" else "en-US")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("page", self._watch)
        self.page = self.context.new_page()

    def _watch(self, page) -> None:
        page.on("console", lambda message: self.errors.append(
            f"{self.who} console {message.text} at {message.location.get('url')}")
            if message.type == "error" and not _is_known_noise(message) else None)
        page.on("pageerror", lambda error: self.errors.append(f"{self.who} pageerror {error}"))

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, f"GET {path}: {response and response.status}"
        return response

    def use_language_url(self) -> None:
        """Switch with FAB's GET /lang/<code>; the app keeps it in the session."""
        self.page.goto(self.url(f"/lang/{self.lang}"))

    def login(self, username: str) -> None:
        self.goto("/login/")
        self.page.fill("#username", username)
        self.page.fill("#password", username)
        self.page.locator("form [type=submit]").first.click()
        expect(self.page).not_to_have_url(self.url("/login/"))
        expect(self.page.locator(".navbar")).to_be_visible()

    def switch_language_in_navbar(self) -> None:
        """The navbar's language menu, as a person would use it."""
        if self.page.evaluate("document.documentElement.lang") == self.lang:
            return
        self.page.locator(".navbar .hamrah-language > a.dropdown-toggle").click()
        self.page.locator(f".navbar .hamrah-language .dropdown-menu a[lang='{self.lang}']").click()
        expect(self.page.locator("html")).to_have_attribute("lang", self.lang)

    def shot(self, step: str, page=None) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        (page or self.page).screenshot(path=str(SCREENSHOTS / f"{self.lang}-{step}.png"),
                                       full_page=True)

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not _local(u)]

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module", params=LANGUAGES)
def lang(request):
    return request.param


@pytest.fixture(scope="module")
def browsing(browser, server, lang):
    """Opens contexts for the module's language; all of them are checked and closed at the end."""
    opened: list[Browsing] = []

    def open_as(who: str) -> Browsing:
        b = Browsing(browser, server, lang, f"{lang}/{who}")
        opened.append(b)
        return b

    open_as.opened = opened
    yield open_as
    for b in opened:
        b.close()

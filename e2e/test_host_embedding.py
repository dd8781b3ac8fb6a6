"""The widget on a host page of another site (issue 18, items 1, 2, 6; issue 17, item 5).

The app runs on 127.0.0.1; a second small server on `localhost` (another *site*: browsers drop
the app's `SameSite=Lax` cookie in a frame there) serves the demo case screen, fetched from the
app with a fresh host token each time. The same page on 127.0.0.1 is the same-site host.
Timings of the widget (script to button, click to the popup's first paint) are printed and
written to e2e/timings/widget.json: a measurement reported in bench/README.md, not a test.
"""
import json
import os
import re
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import TIMEOUT_MS, _free_port, served_app, to_ascii_digits
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

TIMINGS = Path(__file__).resolve().parent / "timings" / "widget.json"
POLL_SECONDS = 5  # the widget's lowest polling interval
DEPARTMENT = ("Technical support", "پشتیبانی فنی")  # the demo agent's department
TEXT = {"fa": {"subject": "خطای استعلام کد ملی از صفحه میزبان",
               "body": "استعلام کد ملی پاسخ نمی دهد", "answer": "استعلام دوباره فعال شد"},
        "en": {"subject": "National ID lookup fails from the host page",
               "body": "The national ID lookup does not answer.",
               "answer": "The lookup works again."}}


class _HostPage(BaseHTTPRequestHandler):
    """GET /case?mode=..&lang=..: the app's demo case screen (absolute URLs to 127.0.0.1)."""

    app_url = ""

    def do_GET(self):  # noqa: N802 (http.server's name)
        query = self.path.partition("?")[2]
        params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
        url = f"{self.app_url}/support/demo-host?mode={params.get('mode', 'dialog')}&poll={POLL_SECONDS}"
        with urllib.request.urlopen(url, timeout=10) as response:
            html = response.read().decode()
        if params.get("lang") == "en":
            html = html.replace('<html lang="fa" dir="rtl">', '<html lang="en" dir="ltr">')
        body = html.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def sites():
    """(app URL on 127.0.0.1, host URL on localhost), the host's origin in HOST_ORIGINS."""
    host_port = _free_port()
    host_url = f"http://localhost:{host_port}"
    previous = os.environ.get("HOST_ORIGINS")
    os.environ["HOST_ORIGINS"] = host_url
    try:
        with served_app() as app_url:
            handler = type("Host", (_HostPage,), {"app_url": app_url})
            httpd = ThreadingHTTPServer(("127.0.0.1", host_port), handler)
            thread = threading.Thread(target=httpd.serve_forever, daemon=True)
            thread.start()
            try:
                yield app_url, host_url
            finally:
                httpd.shutdown()
                httpd.server_close()
    finally:
        if previous is None:
            os.environ.pop("HOST_ORIGINS", None)
        else:
            os.environ["HOST_ORIGINS"] = previous


@pytest.fixture(scope="module", params=["fa", "en"])
def lang(request):
    return request.param


@pytest.fixture
def context_for(browser, lang):
    opened = []

    def make(app_url):
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      locale="fa-IR" if lang == "fa" else "en-US")
        context.set_default_timeout(TIMEOUT_MS)
        errors = []
        context.on("page", lambda p: p.on("pageerror", lambda e: errors.append(str(e))))
        context.errors = errors
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{app_url}/lang/{lang}")  # the app's language for this browser
        opened.append(context)
        return context, page

    yield make
    for context in opened:
        assert not context.errors, context.errors
        context.close()


def shot(page, lang, name):
    folder = Path(__file__).resolve().parent / "screenshots"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{lang}-host-{name}.png"))


def record_timing(name: str, value: float) -> None:
    print(f"\nwidget timing {name}: {value:.1f} ms")
    TIMINGS.parent.mkdir(exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    data[name] = round(value, 1)
    TIMINGS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def host_page(page, host_url, lang, mode="dialog"):
    if "localhost" in host_url:
        page.goto(f"{host_url}/case?mode={mode}&lang={lang}")
    else:  # the same page on the app's own origin: the same-site host
        page.goto(f"{host_url}/support/demo-host?mode={mode}&poll={POLL_SECONDS}")
    expect(page.locator("#hamrah-support-button")).to_be_visible()
    page.evaluate("""() => { window.__events = {created: [], unread: []};
        HamrahSupport.onTicketCreated(n => window.__events.created.push(n));
        HamrahSupport.onUnread(d => window.__events.unread.push(d.total)); }""")


def forge_message(page, message: dict) -> None:
    """Post a message the widget must ignore (wrong origin or not from its frame or window);
    returns once the widget's listener, registered first, has seen it."""
    page.evaluate("""m => new Promise(done => {
        window.addEventListener('message', () => done(), {once: true});
        window.postMessage(m, '*'); })""", message)


def active_in_dialog(page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('#hamrah-support-box')")


def tab_until(page, frame, selector, limit=80, key="Tab"):
    """Press Tab until the frame's focused element matches the selector (keyboard only)."""
    for _ in range(limit):
        if frame.evaluate(f"() => document.activeElement.matches({json.dumps(selector)})"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{selector} never got the focus by {key}")


def pick_department(page, frame) -> None:
    """Focus the department list and move through it with the arrow key until ours."""
    tab_until(page, frame, "#department")
    for _ in range(10):
        label = frame.evaluate("() => { const s = document.activeElement;"
                               " return s.options[s.selectedIndex].text.trim(); }")
        if label in DEPARTMENT:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError("the department list never reached technical support")


def submit_ticket_in(target, lang) -> str:
    """Fill and submit the new-ticket form in a window or frame; the new number (ASCII)."""
    target.locator("#popup-new-ticket").click()
    expect(target.locator("#subject")).to_be_visible()
    options = [o.strip() for o in target.locator("#department option").all_inner_texts()]
    target.locator("#department").select_option(label=next(o for o in options if o in DEPARTMENT))
    target.locator("#subject").fill(TEXT[lang]["subject"])
    target.locator("#body").fill(TEXT[lang]["body"])
    target.locator("#register-ticket").click()
    expect(target.locator("#ticket-number")).to_be_visible()
    return to_ascii_digits(target.locator("#ticket-number").inner_text().strip())


def agent_answers(context_for, app_url, number, lang) -> None:
    _, page = context_for(app_url)
    page.goto(f"{app_url}/login/")
    page.fill("#username", "agent")
    page.fill("#password", "agent")
    page.locator("form [type=submit]").first.click()
    expect(page.locator(".navbar")).to_be_visible()
    page.goto(f"{app_url}/support/tickets/{number}")
    page.locator("#reply-form textarea[name=body]").fill(TEXT[lang]["answer"])
    page.locator("#send-reply").click()
    expect(page.locator(".thread")).to_contain_text(TEXT[lang]["answer"])


def badge_total(page) -> int:
    text = page.locator("#hamrah-support-badge").inner_text()
    return int(to_ascii_digits(text).rstrip("+") or 0)


def first_paint(frame) -> float:
    """The frame's first contentful paint, in epoch ms; the browser records the entry a moment
    after the paint, so a page just seen may not have it yet."""
    frame.wait_for_function(
        "() => performance.getEntriesByName('first-contentful-paint').length > 0", timeout=10000)
    return frame.evaluate("() => performance.timeOrigin"
                          " + performance.getEntriesByName('first-contentful-paint')[0].startTime")


def test_dialog_pattern_on_a_same_site_host(sites, context_for, lang):
    app_url, _ = sites
    _, page = context_for(app_url)
    host_page(page, app_url, lang)
    timing = page.evaluate("""() => { const m = n => performance.getEntriesByName(n)[0].startTime;
        return m('hamrah-support:button') - m('hamrah-support:script'); }""")
    record_timing(f"{lang} script to button", timing)
    page.locator("#hamrah-support-button").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#hamrah-support-box")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("role", "dialog")
    expect(dialog).to_have_attribute("aria-modal", "true")
    assert dialog.get_attribute("aria-label").strip()
    assert active_in_dialog(page)  # focus moved in
    frame = page.frame_locator("#hamrah-support-frame")
    expect(frame.locator("#popup-new-ticket")).to_be_visible()  # signed in inside the frame
    paint = first_paint(page.frame(url=lambda u: "/support/popup" in u))
    opened = page.evaluate("() => performance.timeOrigin"
                           " + performance.getEntriesByName('hamrah-support:open')[0].startTime")
    record_timing(f"{lang} click to popup first paint (dialog)", paint - opened)
    probed = page.evaluate("() => performance.timeOrigin"
                           " + performance.getEntriesByName('hamrah-support:probed')[0].startTime")
    record_timing(f"{lang} click to the frame's answer (dialog, part of the above)", probed - opened)
    shot(page, lang, "dialog")
    forge_message(page, {"hamrah": 1, "type": "close"})  # same origin, but not the frame
    forge_message(page, {"hamrah": 1, "type": "created", "number": 1})
    expect(dialog).to_be_visible()
    assert page.evaluate("() => window.__events.created") == []
    for key in ["Tab"] * 3 + ["Shift+Tab"] * 6:
        page.keyboard.press(key)
        assert active_in_dialog(page), f"{key} left the dialog"
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#hamrah-support-button")).to_be_focused()
    # Esc while the focus is inside the frame: the popup asks the host to close
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    inner = page.frame(url=lambda u: "/support/popup" in u)
    expect(frame.locator("html")).to_have_attribute("data-host-bridge", "ready")
    assert inner.evaluate("() => document.hasFocus()")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("#hamrah-support-button")).to_be_focused()


def test_keyboard_only_clerk_journey(sites, context_for, lang):
    app_url, _ = sites
    _, page = context_for(app_url)
    host_page(page, app_url, lang)
    button = page.locator("#hamrah-support-button")
    for _ in range(30):  # Tab through the case screen to the support button
        if page.evaluate("() => document.activeElement.id") == "hamrah-support-button":
            break
        page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    frame = page.frame_locator("#hamrah-support-frame")
    expect(frame.locator("#popup-new-ticket")).to_be_visible()
    popup = page.frame(url=lambda u: "/support/popup" in u)
    page.keyboard.press("Tab")
    tab_until(page, popup, "#popup-new-ticket")
    page.keyboard.press("Enter")
    expect(frame.locator("#subject")).to_be_visible()
    form = page.frame(url=lambda u: "/support/new" in u)
    pick_department(page, form)
    tab_until(page, form, "#subject")
    page.keyboard.type(TEXT[lang]["subject"])
    tab_until(page, form, "#body")
    page.keyboard.type(TEXT[lang]["body"])
    tab_until(page, form, "#register-ticket")
    page.keyboard.press("Enter")
    expect(frame.locator("#ticket-number")).to_be_visible()
    number = to_ascii_digits(frame.locator("#ticket-number").inner_text().strip())
    assert number.isdigit()
    page.wait_for_function("n => window.__events.created.includes(n)", arg=int(number))
    ticket = page.frame(url=lambda u: "/support/tickets/" in u)
    tab_until(page, ticket, "#back")
    page.keyboard.press("Enter")
    expect(frame.locator(f"tr[data-number='{number}']")).to_be_visible()
    expect(frame.locator("html")).to_have_attribute("data-host-bridge", "ready")
    page.keyboard.press("Escape")
    expect(page.locator("#hamrah-support-dialog")).to_be_hidden()
    expect(button).to_be_focused()


def test_other_site_default_mode_falls_back_to_a_window(sites, context_for, lang):
    app_url, host_url = sites
    context, page = context_for(app_url)
    host_page(page, host_url, lang)
    carried = []  # the page of every request carrying the host's sign-in token

    def watch(request):
        if "token=" in request.url:
            try:
                carried.append(request.frame.page)
            except PlaywrightError:  # a new window's first navigation: no frame yet
                carried.append("new window")
    context.on("request", watch)
    with context.expect_page() as popup_info:
        page.locator("#hamrah-support-button").click()
    window = popup_info.value
    note = page.locator("#hamrah-support-note")
    expect(note).to_be_visible()
    assert note.inner_text().strip()
    expect(page.locator("#hamrah-support-dialog")).to_have_count(0)
    # the frame never spent the token: the window signed in with it
    expect(window.locator("#popup-new-ticket")).to_be_visible()
    assert carried in (["new window"], [window]), carried  # never the host page's frame
    expect(window.locator("html")).to_have_attribute("lang", lang)
    shot(page, lang, "fallback")
    forge_message(page, {"hamrah": 1, "type": "created", "number": 1})  # the host's own origin
    assert page.evaluate("() => window.__events.created") == []
    number = submit_ticket_in(window, lang)
    page.wait_for_function("n => window.__events.created.includes(n)", arg=int(number))
    # the badge: set by the window's badge token, changed when an agent answers
    expect(page.locator("#hamrah-support-badge")).to_be_visible()
    before = badge_total(page)
    window.close()
    agent_answers(context_for, app_url, number, lang)
    expect(page.locator("#hamrah-support-badge")).not_to_have_text(
        page.locator("#hamrah-support-badge").inner_text(), timeout=(POLL_SECONDS + 10) * 1000)
    assert badge_total(page) == before + 1
    assert page.evaluate("() => window.__events.unread.slice(-1)[0]") == before + 1
    # polling stops while the tab is hidden and comes back with it
    assert page.evaluate("() => HamrahSupport.polling()")
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', {configurable: true,
        get: () => true}); document.dispatchEvent(new Event('visibilitychange')); }""")
    assert not page.evaluate("() => HamrahSupport.polling()")
    page.evaluate("""() => { Object.defineProperty(document, 'hidden', {configurable: true,
        get: () => false}); document.dispatchEvent(new Event('visibilitychange')); }""")
    assert page.evaluate("() => HamrahSupport.polling()")
    shot(page, lang, "badge")


def test_other_site_window_mode_reaches_a_ticket(sites, context_for, lang):
    app_url, host_url = sites
    context, page = context_for(app_url)
    host_page(page, host_url, lang, mode="window")
    with context.expect_page() as popup_info:
        page.locator("#hamrah-support-button").click()
    window = popup_info.value
    expect(window.locator("#popup-new-ticket")).to_be_visible()
    paint = first_paint(window)
    opened = page.evaluate("() => performance.timeOrigin"
                           " + performance.getEntriesByName('hamrah-support:open')[0].startTime"
                           " || 0")
    if opened:
        record_timing(f"{lang} click to popup first paint (window)", paint - opened)
    expect(page.locator("#hamrah-support-note")).to_have_count(0)
    number = submit_ticket_in(window, lang)
    page.wait_for_function("n => window.__events.created.includes(n)", arg=int(number))


def test_host_api_open_with_another_case(sites, context_for, lang):
    app_url, _ = sites
    _, page = context_for(app_url)
    host_page(page, app_url, lang)
    page.locator("#hamrah-support-button").click()
    frame = page.frame_locator("#hamrah-support-frame")
    expect(frame.locator("#popup-new-ticket")).to_be_visible()
    page.keyboard.press("Escape")
    page.evaluate("() => HamrahSupport.open({trackingNumber: '12345678901234',"
                  " nationalId: '0012345679', activity: 'x'})")
    expect(page.locator("#hamrah-support-box")).to_be_visible()
    expect(frame.locator("#popup-new-ticket")).to_have_attribute(
        "href", re.compile(r"tracking_number=12345678901234"))
    expect(frame.locator(".case-context")).to_be_visible()


def test_other_site_answer_known_before_the_click_opens_the_window_in_it(sites, context_for,
                                                                          lang):
    app_url, host_url = sites
    context, page = context_for(app_url)
    host_page(page, host_url, lang)
    page.locator("#hamrah-support-button").focus()  # the widget asks the frame now
    page.wait_for_function("() => performance.getEntriesByName('hamrah-support:probed').length")
    expect(page.locator("#hamrah-support-dialog")).to_be_hidden()  # asked, nothing shown
    with context.expect_page() as popup_info:
        page.keyboard.press("Enter")
    expect(popup_info.value.locator("#popup-new-ticket")).to_be_visible()
    expect(page.locator("#hamrah-support-note")).to_be_visible()


def test_no_serious_axe_finding_on_the_host_page_with_the_widget(sites, context_for, lang):
    """The demo case screen with the button, with the dialog open, and with the fallback note."""
    from test_accessibility import AXE, FAILING_IMPACTS, axe_findings

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run sh scripts/e2e.sh (it runs npm ci in e2e/)")
    app_url, host_url = sites
    context, page = context_for(app_url)

    def serious():
        return [f for f in axe_findings(page) if f["impact"] in FAILING_IMPACTS]

    host_page(page, app_url, lang)
    assert not serious()
    page.locator("#hamrah-support-button").click()
    expect(page.frame_locator("#hamrah-support-frame").locator("#popup-new-ticket")).to_be_visible()
    assert not serious()
    host_page(page, host_url, lang)
    with context.expect_page():
        page.locator("#hamrah-support-button").click()
    expect(page.locator("#hamrah-support-note")).to_be_visible()
    assert not serious()

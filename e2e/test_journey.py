"""The clerk's journey and the agent's answer, in a real browser, in Persian and in English.

The scenarios of issue 8 run in order for one language, then again for the other (the
`lang` fixture is module-scoped): each later scenario works on the ticket the first one
registered. Screenshots of every step go to e2e/screenshots/<lang>-<step>.png.
"""
import re

import pytest
from conftest import to_ascii_digits, to_persian_digits
from playwright.sync_api import expect

TRACKING_NUMBER = "99010294000080"  # the demo host's case
NATIONAL_ID = "0499370899"
TECHNICAL_SUPPORT = ("Technical support", "پشتیبانی فنی")  # the demo agent's department
PDF_BYTES = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
             b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
             b"%%EOF\n")
TEXT = {
    "fa": {"subject": "خطای کد ملی – تمدید پروانه تاکسیرانی (آزمون)",
           "body": "کد ملی صحیح نمی باشد و نیاز به ویرایش دارد",
           "canned_title": "درخواست تصویر کارت ملی",
           "canned_body": "تصویر شناسنامه یا کارت ملی پیوست شود",
           "edit": "— با سپاس، پشتیبانی فنی",
           "reply": "تصویر کارت ملی را پیوست کردم؛ لطفاً بررسی کنید.",
           "announcement": "اطلاعیه آزمون: به‌روزرسانی سامانه"},
    "en": {"subject": "National ID error – taxi licence renewal (e2e)",
           "body": "The national ID is wrong and needs to be edited.",
           "canned_title": "Ask for the ID card",
           "canned_body": "Please attach a scan of the birth certificate or national ID card.",
           "edit": "Thank you, technical support.",
           "reply": "I attached the ID card; please check it.",
           "announcement": "Test notice: system update"},
}


@pytest.fixture(scope="module")
def journey(browsing):
    """What the scenarios of one language share: the clerk's context and the new ticket."""
    return {"clerk": browsing("clerk")}


def need_ticket(journey) -> str:
    if "number" not in journey:
        pytest.skip("needs the ticket registered by scenario 1")
    return journey["number"]


def number_pattern(number: str) -> re.Pattern:
    """A cell showing the number in ASCII or Persian digits."""
    return re.compile(rf"^\s*({number}|{to_persian_digits(number)})\s*$")


def status_badge(page_or_frame, status: str):
    return page_or_frame.locator(f".ticket-header .ticket-status.status-{status}")


def select_by_label(select, labels) -> None:
    options = [o.strip() for o in select.locator("option").all_inner_texts()]
    wanted = next((o for o in options if o in labels), None)
    assert wanted, f"none of {labels} among the options {options}"
    select.select_option(label=wanted)


def submit_fab_form(b, form_path: str) -> None:
    """Save a generated add form; fail with what the browser or the server objected to."""
    page = b.page
    invalid = page.eval_on_selector_all("form :invalid", "els => els.map(e => e.name)")
    assert not invalid, f"the browser will not submit {form_path}; required but empty: {invalid}"
    with page.expect_navigation():
        page.locator("form .well [type=submit]").click()
    errors = [t for t in page.locator(".help-block").all_inner_texts() if t.strip()]
    assert form_path not in page.url, f"{form_path} was refused: {errors}"


def test_1_new_ticket_from_the_host_widget(journey, lang):
    clerk = journey["clerk"]
    page = clerk.page
    clerk.use_language_url()
    clerk.goto("/support/demo-host")
    clerk.shot("1a-demo-host")
    page.locator("#hamrah-support-button").click()
    expect(page.locator("#hamrah-support-frame")).to_be_visible()
    frame = page.frame_locator("#hamrah-support-frame")
    expect(frame.locator("html")).to_have_attribute("lang", lang)
    expect(frame.locator("#popup-new-ticket")).to_be_visible()
    clerk.shot("1b-popup")

    frame.locator("#popup-new-ticket").click()
    expect(frame.locator("#tracking_number")).to_have_value(TRACKING_NUMBER)
    expect(frame.locator("#national_id")).to_have_value(NATIONAL_ID)
    select_by_label(frame.locator("#department"), TECHNICAL_SUPPORT)
    frame.locator("#subject").fill(TEXT[lang]["subject"])
    frame.locator("#body").fill(TEXT[lang]["body"])
    frame.locator("#attachments").set_input_files(
        files=[{"name": "scan.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    clerk.shot("1c-form")
    frame.locator("#register-ticket").click()

    number_cell = frame.locator("#ticket-number")
    expect(number_cell).to_be_visible()
    number = to_ascii_digits(number_cell.inner_text().strip())
    assert number.isdigit(), number_cell.inner_text()
    expect(status_badge(frame, "new")).to_be_visible()
    expect(frame.locator(".thread .message").first).to_contain_text(TEXT[lang]["body"])
    expect(frame.locator(".thread .attachments a")).to_contain_text("scan.pdf")
    clerk.shot("1d-ticket")
    journey["number"] = number


def test_2_find_it_in_the_message_box_by_persian_digits(journey, lang):
    number = need_ticket(journey)
    clerk = journey["clerk"]
    page = clerk.page
    clerk.goto("/support/inbox")
    page.locator("#inbox-q").fill(to_persian_digits(number))
    page.locator("#inbox-q").press("Enter")
    rows = page.locator(".inbox-table tbody tr[data-number]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-number", number)
    clerk.shot("2a-inbox-search")
    rows.first.locator(".view-details").click()
    expect(page.locator("#ticket-number")).to_have_text(number_pattern(number))
    expect(page.locator(".thread .message.from-clerk")).to_contain_text(TEXT[lang]["body"])
    clerk.shot("2b-thread")


def test_3_agent_answers_with_a_canned_reply(journey, lang, browsing):
    number = need_ticket(journey)
    text = TEXT[lang]
    manager = browsing("manager")
    manager.use_language_url()
    manager.login("manager")
    manager.goto("/cannedreplymodelview/add")
    manager.page.locator("#title").fill(text["canned_title"])
    manager.page.locator("#body").fill(text["canned_body"])
    manager.page.locator("#active").check()
    manager.shot("3a-canned-add")
    submit_fab_form(manager, "/cannedreplymodelview/add")
    manager.goto("/cannedreplymodelview/list/")  # FAB went back to the page before the form
    expect(manager.page.get_by_text(text["canned_title"])).to_be_visible()
    journey["manager"] = manager

    agent = browsing("agent")
    page = agent.page
    agent.login("agent")
    agent.switch_language_in_navbar()
    agent.goto("/ticketmodelview/list/")
    page.locator("#quick-waiting").click()
    expect(page).to_have_url(re.compile(r"quick=waiting"))
    row = page.locator("table tbody tr").filter(
        has=page.locator("td", has_text=number_pattern(number)))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(text["subject"])
    agent.shot("3b-queue")
    row.locator("a.ticket-link").click()  # the number opens the ticket page
    expect(page.locator("#ticket-number")).to_have_text(number_pattern(number))
    expect(status_badge(page, "read")).to_be_visible()
    agent.shot("3c-agent-opened")

    page.locator("#canned-select").select_option(label=text["canned_title"])
    page.locator("#insert-canned").click()
    reply = page.locator("#reply-form textarea[name=body]")
    expect(reply).to_have_value(text["canned_body"])
    reply.fill(f"{text['canned_body']}\n{text['edit']}")
    agent.shot("3d-canned-inserted")
    page.locator("#send-reply").click()
    expect(status_badge(page, "answered")).to_be_visible()
    expect(page.locator(".thread .message.from-support").last).to_contain_text(text["edit"])
    agent.shot("3e-answered")
    journey["answered"] = True


def test_4_clerk_sees_the_answer_rates_and_replies(journey, lang):
    number = need_ticket(journey)
    if not journey.get("answered"):
        pytest.skip("needs the answer of scenario 3")
    clerk = journey["clerk"]
    page = clerk.page
    clerk.goto("/support/inbox")
    row = page.locator(f".inbox-table tr[data-number='{number}']")
    expect(row).to_have_class(re.compile(r"\bunread\b"))
    expect(row.locator(".unread-mark")).to_be_visible()
    clerk.shot("4a-unread")
    row.locator(".view-details").click()
    expect(page.locator(".thread .message.from-support").last).to_contain_text(TEXT[lang]["edit"])

    rating = page.locator("#rating-form")
    expect(rating).to_be_visible()
    rating.locator("label[for='star4']").click()
    expect(page.locator("#star4")).to_be_checked()
    clerk.shot("4b-four-stars")
    with page.expect_navigation():
        page.locator("#register-rating").click()
    expect(page.locator("#rating-form #star4")).to_be_checked()  # as stored, after the reload
    expect(page.locator("#rating-form")).to_contain_text(to_persian_digits(4) if lang == "fa"
                                                         else "4")

    page.locator("#reply-form textarea[name=body]").fill(TEXT[lang]["reply"])
    page.locator("#send-reply").click()
    expect(status_badge(page, "clerk_replied")).to_be_visible()
    expect(page.locator(".thread .message.from-clerk").last).to_contain_text(TEXT[lang]["reply"])
    clerk.shot("4c-clerk-replied")
    clerk.goto("/support/inbox")
    expect(page.locator(f".inbox-table tr[data-number='{number}']")).not_to_have_class(
        re.compile(r"\bunread\b"))


def _badge_count(locator) -> int:
    return int(to_ascii_digits(locator.inner_text().strip())) if locator.count() else 0


def test_5a_manager_publishes_an_announcement(journey, lang, browsing):
    title = TEXT[lang]["announcement"]
    manager = journey.get("manager")
    if manager is None:
        manager = journey["manager"] = browsing("manager")
        manager.use_language_url()
        manager.login("manager")
    manager.goto("/announcementmodelview/add")
    manager.page.locator("#title").fill(title)
    manager.page.locator("#body").fill(title + "\n" + TEXT[lang]["body"])
    expect(manager.page.locator("#for_everyone")).to_be_checked()
    manager.shot("5a-announcement-add")
    submit_fab_form(manager, "/announcementmodelview/add")
    manager.goto("/announcementmodelview/list/")
    expect(manager.page.get_by_text(title)).to_be_visible()


# Each language's reader has the demo announcement (and any published above) still unread.
READERS = {"fa": "clerk2", "en": "clerk3"}


def test_5b_announcement_badge_clears_when_read(lang, browsing):
    reader = browsing(READERS[lang])
    page = reader.page
    reader.use_language_url()
    reader.login(READERS[lang])
    reader.goto("/support/popup")
    badge = page.locator("#popup-announcements .badge")
    navbar_badge = page.locator(".navbar a[href*='/support/announcements'] .badge")
    expect(badge).to_be_visible()
    before = _badge_count(badge)
    assert before >= 1
    if navbar_badge.count():  # the navbar shows one too (not required)
        expect(navbar_badge).to_have_text(number_pattern(str(before)))
    reader.shot("5b-popup-badge")

    page.locator("#popup-announcements").click()
    unread = page.locator(".announcements .list-group-item.unread")
    expect(unread).to_have_count(before)
    reader.shot("5c-board")
    unread.first.click()
    expect(page.locator(".announcement h1")).to_be_visible()
    reader.shot("5d-announcement")
    reader.goto("/support/popup")
    if before > 1:
        expect(badge).to_have_text(number_pattern(str(before - 1)))
        for _ in range(before - 1):  # read the others too: then the badge goes
            reader.goto("/support/announcements/")
            unread.first.click()
            expect(page.locator(".announcement h1")).to_be_visible()
        reader.goto("/support/popup")
    expect(page.locator("#popup-announcements")).to_be_visible()
    expect(badge).to_have_count(0)
    expect(navbar_badge).to_have_count(0)
    reader.shot("5e-badge-cleared")
    reader.goto("/support/announcements/")
    expect(unread).to_have_count(0)


def _check_direction(b, lang: str, step: str) -> None:
    page = b.page
    expected = "rtl" if lang == "fa" else "ltr"
    assert page.evaluate("document.documentElement.dir") == expected, page.url
    brand = page.locator(".navbar-brand").first
    expect(brand).to_be_visible()
    box = brand.bounding_box()
    width = page.viewport_size["width"]
    if lang == "fa":
        assert box["x"] >= width / 2, f"{page.url}: brand at x={box['x']} of {width} (not right)"
    else:
        assert box["x"] + box["width"] <= width / 2, \
            f"{page.url}: brand at x={box['x']} of {width} (not left)"
    b.shot(step)


def test_6_direction_console_and_network(journey, lang, browsing):
    visitor = browsing("visitor")
    visitor.use_language_url()
    visitor.goto("/login/")
    _check_direction(visitor, lang, "6a-login")
    clerk = journey["clerk"]
    for path, step in (("/support/popup", "6b-popup"), ("/support/inbox", "6c-inbox")):
        clerk.goto(path)
        _check_direction(clerk, lang, step)
    if "number" in journey:
        clerk.goto(f"/support/tickets/{journey['number']}")
        _check_direction(clerk, lang, "6d-ticket")
    manager = journey.get("manager")
    if manager is not None:
        manager.goto("/ticketmodelview/list/")
        _check_direction(manager, lang, "6e-ticket-list")

    opened = browsing.opened
    errors = [e for b in opened for e in b.errors]
    assert not errors, "console or page errors:\n" + "\n".join(errors)
    foreign = sorted({u for b in opened for u in b.foreign_requests()})
    assert not foreign, "requests that left 127.0.0.1:\n" + "\n".join(foreign)
    assert sum(len(b.requests) for b in opened) > 20  # the recorder did record

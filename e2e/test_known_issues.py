"""Known issues in a real browser, in Persian and in English (issue 19): the agent creates a
published known issue; a clerk typing a new ticket's subject is told about it before they
ask, follows it by keyboard, and gets the resolution the agent posts once.
Screenshots go to e2e/screenshots/<lang>-ki-*.png."""
import re

import pytest
from conftest import Browsing
from playwright.sync_api import expect

TEXT = {
    "fa": {"title": "قطعی سامانه‌ی استعلام پلاک", "description": "استعلام پلاک از صبح پاسخ نمی‌دهد.",
           "typed": "استعلام پلاک", "resolution": "سامانه‌ی استعلام پلاک دوباره برقرار شد."},
    "en": {"title": "Plate inquiry service down", "description": "The plate inquiry fails since morning.",
           "typed": "plate inquiry", "resolution": "The plate inquiry service is back."},
}


@pytest.fixture(scope="module")
def people(browser, demo_server, lang):
    opened = {}
    for who in ("agent", "clerk"):
        b = Browsing(browser, demo_server, lang, f"{lang}/{who}")
        b.use_language_url()
        b.login(who)
        b.use_language_url()
        opened[who] = b
    yield opened
    for b in opened.values():
        assert not b.errors, b.errors
        assert not b.foreign_requests(), b.foreign_requests()
        b.close()


def test_told_before_they_ask(people, lang):
    text = TEXT[lang]
    agent, clerk = people["agent"], people["clerk"]
    page = agent.page
    agent.goto("/knownissuemodelview/add")
    page.locator("#title").fill(text["title"])
    page.locator("#description").fill(text["description"])
    page.evaluate("""() => { const s = document.querySelector('#department');
        s.selectedIndex = [...s.options].findIndex(o => o.value); s.dispatchEvent(new Event('change')); }""")
    page.locator("#published").check()
    with page.expect_navigation():
        page.locator("form .well [type=submit]").click()
    agent.goto("/knownissuemodelview/list/")
    expect(page.locator("table.table-bordered")).to_contain_text(text["title"])
    agent.shot("ki-1-list")

    cpage = clerk.page
    clerk.goto("/support/new")
    cpage.locator("#subject").press_sequentially(text["typed"], delay=30)
    suggestions = cpage.locator("#known-issue-suggestions")
    expect(suggestions).to_be_visible()
    # best match first (the demo's published known issue shares a word in Persian)
    expect(suggestions.locator(".known-issue-suggestion").first).to_contain_text(text["title"])
    expect(cpage.locator("#known-issue-suggestions-status")).not_to_be_empty()
    clerk.shot("ki-2-suggestions")
    cpage.locator("#subject").press("ArrowDown")
    follow = suggestions.locator("button.follow-known-issue").first
    expect(follow).to_be_focused()
    with cpage.expect_navigation():
        cpage.keyboard.press("Enter")
    expect(cpage.locator("#known-issue-line")).to_contain_text(text["title"])
    number = re.search(r"/support/tickets/(\d+)", cpage.url).group(1)
    clerk.shot("ki-3-followed")

    agent.goto("/knownissuemodelview/list/")
    with page.expect_navigation():
        page.locator("table.table-bordered a[href*='/knownissuemodelview/show/']").first.click()
    expect(page.locator(f"tr.linked-ticket[data-number='{number}']")).to_be_visible()
    page.locator("#resolution-form #body").fill(text["resolution"])
    agent.shot("ki-4-show")
    with page.expect_navigation():
        page.locator("#post-resolution").click()
    expect(page.locator("#known-issue-resolved")).to_be_visible()
    agent.goto(f"/support/tickets/{number}")
    expect(page.locator("#known-issue-panel")).to_contain_text(text["title"])
    agent.shot("ki-5-agent-ticket")

    clerk.goto(f"/support/tickets/{number}")
    expect(cpage.locator(".thread .message.from-support").last).to_contain_text(text["resolution"])
    expect(cpage.locator("#known-issue-line")).to_be_visible()
    clerk.shot("ki-6-answered")

"""The Jalali date picker's "today" is the day in the application's zone (TIMEZONE, Tehran by
default), not the browser's (issue 17, item 2).

At 21:00 UTC on 6 December 2026 it is already 00:30 on 7 December in Tehran: 16 Azar 1405.
A browser set to UTC still has 6 December (15 Azar); the picker must mark the 16th.
"""
from datetime import datetime, timezone

from conftest import TIMEOUT_MS
from playwright.sync_api import expect

TEHRAN_PAST_MIDNIGHT = datetime(2026, 12, 6, 21, 0, tzinfo=timezone.utc)


def test_today_follows_the_configured_zone_not_the_browsers(browser, server):
    context = browser.new_context(timezone_id="UTC", locale="fa-IR",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.clock.set_fixed_time(TEHRAN_PAST_MIDNIGHT)
        page.goto(server + "/login/")
        page.fill("#username", "manager")
        page.fill("#password", "manager")
        page.locator("form [type=submit]").first.click()
        expect(page).not_to_have_url(server + "/login/")
        page.goto(server + "/lang/fa")
        page.goto(server + "/holidaymodelview/add")
        assert page.evaluate("new Date().getUTCDate()") == 6  # the browser's own day
        page.locator("input.hamrah-jalali").first.focus()
        expect(page.locator(".jalali-picker .jp-today")).to_have_text("۱۶")
        expect(page.locator(".jalali-picker .jp-head strong")).to_contain_text("آذر ۱۴۰۵")
    finally:
        context.close()

"""Every page each demo role can reach, in Persian, reads in Persian (issue 17, item 6).

The crawl (e2e/crawl.py) opens each page; this test reads its text (hidden text too: filter
menus, dialogs and options show up the moment someone opens them) and the attributes people
hear or see (title, placeholder, aria-label, alt, button values) and fails on:
- a word in the Latin alphabet that is not on the allow-list below,
- a Latin digit (every number on a Persian page is in Persian digits),
- a raw Python value (True, False, None: Latin words, so the first rule catches them).
Text marked `dir="ltr"` is skipped: usernames, e-mail addresses, IP addresses and other values
that are Latin by nature are isolated that way by the display layer (app/web/display.py).
"""
import re

import pytest
from conftest import Browsing
from crawl import ROLES, SEEDS, crawl

# Latin words a Persian reader does meet on these pages, and why.
ALLOWED_WORDS = {
    "PDF", "JPG", "JPEG", "PNG", "GIF", "DOC", "DOCX", "XLS", "XLSX", "CSV", "ZIP", "TXT", "TIFF",  # file formats
    "Vazirmatn",  # the bundled font's name, in the font credit
    "Hamrah", "Support",  # the product's name in its logo
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_']*")
LATIN_DIGIT = re.compile(r"[0-9]+")

# Text nodes and spoken or shown attributes, outside scripts, styles and dir="ltr" islands.
READ_PAGE = """() => {
  const skip = el => el.closest('script, style, noscript, template, [dir="ltr"]');
  const out = [];
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (text && !skip(node.parentElement)) out.push(text);
  }
  for (const el of document.querySelectorAll(
      '[title], [placeholder], [aria-label], img[alt], input[type=submit][value], '
      + 'input[type=button][value], button[value]')) {
    if (skip(el)) continue;
    for (const name of ['title', 'placeholder', 'aria-label', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
    if (el.matches('input[type=submit], input[type=button]') && el.value) out.push(el.value);
  }
  out.push(document.title);
  return out;
}"""


def latin_findings(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        words = [w for w in LATIN_WORD.findall(text) if w not in ALLOWED_WORDS]
        if words or LATIN_DIGIT.search(text):
            found.append(text[:120])
    return found


def test_the_allow_list_check_catches_what_it_should():
    assert latin_findings(["بله", "فایل PDF", "Vazirmatn"]) == []
    assert latin_findings(["None"]) == ["None"]
    assert latin_findings(["True"]) == ["True"]
    assert latin_findings(["صفحه 2"]) == ["صفحه 2"]
    assert latin_findings(["can add on Announcements"]) == ["can add on Announcements"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_reads_in_persian(browser, demo_server, role):
    b = Browsing(browser, demo_server, "fa", f"fa/{role}")
    findings: dict[str, list[str]] = {}
    try:
        b.use_language_url()
        if role != "anonymous":
            b.login(role)

        def visit(path):
            texts = b.page.evaluate(READ_PAGE)
            if found := latin_findings(texts):
                findings[path] = sorted(set(found))

        crawled = crawl(b, SEEDS[role], visit)
    finally:
        b.close()
    assert len(crawled.visited) >= (2 if role == "anonymous" else 5), crawled.visited
    report = "\n".join(f"{path}: {found}" for path, found in findings.items())
    assert not findings, f"Latin words or digits on Persian pages ({role}):\n{report}"
    assert not crawled.unexpected_errors(b.errors, demo_server), b.errors

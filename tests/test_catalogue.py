"""The Persian catalogue (translations/fa/LC_MESSAGES/messages.po): complete, consistent
with the code, and actually used when pages are rendered.

When a test here fails because a string is missing, run (from the project root):

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot . \\
      && .venv/bin/pybabel update -i translations/messages.pot -d translations -l fa

then translate the new entries (no empty msgstr, no `#, fuzzy` left) and compile:

    .venv/bin/pybabel compile -d translations
"""
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PO = TRANSLATIONS / "fa" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
EXTRACT_ARGS = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext"]

# %(name)s, %(minute)02d, ... ; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]")
ARABIC_YEH_KAF = re.compile("[\u064a\u0643\u0649]")  # ي ك ى: Persian uses ی ک
ZWNJ = "\u200c"


def _pybabel(*args, **kwargs):
    """Runs pybabel with the interpreter running the tests (the project's virtualenv)."""
    return subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], cwd=ROOT,
                          capture_output=True, text=True, **kwargs)


def _ensure_compiled():
    """Compile the catalogue when the .mo is missing or older than the .po.

    scripts/setup.sh (run by scripts/test.sh) already compiles; this covers a bare
    `pytest` after editing the .po. It runs while pytest collects, i.e. before any test
    renders a page: flask-babel caches a loaded catalogue for the life of the process.
    """
    if PO.exists() and (not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime):
        result = _pybabel("compile", "-d", str(TRANSLATIONS), "-D", "messages")
        assert result.returncode == 0, result.stderr


_ensure_compiled()


def _ids(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _show(message):
    return _ids(message)[0]


@pytest.fixture(scope="module")
def catalogue():
    with PO.open("rb") as f:
        return read_po(f, locale="fa")


@pytest.fixture(scope="module")
def messages(catalogue):
    return [m for m in catalogue if m.id]


# --- the catalogue itself -------------------------------------------------------------

def test_catalogue_is_persian_with_one_plural_form(catalogue, messages):
    assert str(catalogue.locale) == "fa"
    # Persian nouns stay singular after a number («۳ دقیقه»); FAB's fa catalogue also has
    # nplurals=1, and it must match: flask-babel uses the first catalogue's plural rule.
    assert catalogue.num_plurals == 1
    assert len(messages) > 100


def test_no_empty_translation(messages):
    empty = [_show(m) for m in messages
             if len(_strings(m)) == 0 or any(not s.strip() for s in _strings(m))]
    assert not empty, f"untranslated msgids in {PO.name}: {empty}"


def test_no_fuzzy_translation(messages):
    fuzzy = [_show(m) for m in messages if m.fuzzy]
    assert not fuzzy, f"fuzzy entries (check the translation, then drop the flag): {fuzzy}"


def test_plural_entries_have_every_form(catalogue, messages):
    for message in messages:
        if message.pluralizable:
            assert len(_strings(message)) == catalogue.num_plurals, _show(message)


def test_placeholders_match(messages):
    wrong = []
    for message in messages:
        expected = sorted(PLACEHOLDER.findall(_ids(message)[0]))
        for plural_id in _ids(message)[1:]:  # msgid_plural may differ only in wording
            assert sorted(PLACEHOLDER.findall(plural_id)) == expected, _show(message)
        for string in _strings(message):
            if sorted(PLACEHOLDER.findall(string)) != expected:
                wrong.append((_show(message), string))
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


def test_babel_checkers_pass(catalogue):
    """Babel's own checks (python-format and plural forms), as `pybabel compile` runs them."""
    problems = [(_show(m), [str(e) for e in errors]) for m, errors in catalogue.check()]
    assert not problems, problems


def test_persian_letters_and_zwnj(messages):
    """Persian yeh and kaf (ی ک), not Arabic ones; ZWNJ only between letters."""
    wrong = []
    for message in messages:
        for string in _strings(message):
            if ARABIC_YEH_KAF.search(string):
                wrong.append(("Arabic yeh/kaf", string))
            if re.search(rf"(^|\s){ZWNJ}|{ZWNJ}(\s|$)", string):
                wrong.append(("ZWNJ next to a space", string))
            if re.search(r"(^|\s)ن?می ", string):
                wrong.append(("«می» needs a ZWNJ, not a space", string))
            if unicodedata.normalize("NFC", string) != string:
                wrong.append(("not NFC", string))
    assert not wrong, wrong


# --- the catalogue and the code ------------------------------------------------------

def test_catalogue_has_every_string_of_the_code(tmp_path, catalogue):
    """Re-extract the code's strings (same command as the README) and find each in the .po."""
    pot = tmp_path / "messages.pot"
    result = _pybabel(*EXTRACT_ARGS, "-o", str(pot), ".", timeout=300)
    assert result.returncode == 0, result.stderr
    with pot.open("rb") as f:
        extracted = [m for m in read_po(f) if m.id]
    assert len(extracted) > 100  # babel.cfg really scans app/ and its templates

    missing = []
    for message in extracted:
        found = catalogue.get(_ids(message)[0])
        if found is None or _ids(found) != _ids(message):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            missing.append(f"{' / '.join(_ids(message))}  ({where})")
    assert not missing, (
        "strings in the code that translations/fa/LC_MESSAGES/messages.po does not have; run "
        "the extract + update commands in this module's docstring and translate them:\n"
        + "\n".join(missing))


def test_fab_overrides_are_real_fab_strings(tmp_path):
    """app/web/fab_strings.py only helps when its msgids are spelled exactly as FAB's."""
    import flask_appbuilder

    from app.web import fab_strings

    cfg = tmp_path / "fab.cfg"
    cfg.write_text("[python: **.py]\n[jinja2: **.html]\n")
    pot = tmp_path / "fab.pot"
    result = _pybabel("extract", "-F", str(cfg), "-k", "lazy_gettext",
                      "-k", "lazy_formatter_gettext", "-o", str(pot),
                      str(Path(flask_appbuilder.__file__).parent), timeout=300)
    assert result.returncode == 0, result.stderr
    with pot.open("rb") as f:
        fab_ids = {_ids(m)[0] for m in read_po(f) if m.id}
    assert len(fab_ids) > 100
    unknown = [lazy._args[0] for lazy in fab_strings.FAB_OVERRIDES
               if lazy._args[0] not in fab_ids]
    assert not unknown, f"not (or no longer) FAB strings: {unknown}"


def test_compiled_catalogue_is_current():
    assert MO.exists(), "run: .venv/bin/pybabel compile -d translations"
    assert MO.stat().st_mtime >= PO.stat().st_mtime, "run: .venv/bin/pybabel compile -d translations"


# --- rendered pages ------------------------------------------------------------------

def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_login_page_in_persian(client):
    html = _text(client.get("/login/"))
    for word in ["ورود", "نام کاربری", "رمز عبور",
                 "نام کاربری و رمز عبور خود را در زیر وارد کنید"]:
        assert word in html, word
    assert "Enter your login and password below" not in html


def test_failed_login_uses_our_override_of_fab(client):
    response = client.post("/login/", data={"username": "clerk", "password": "wrong"},
                           follow_redirects=True)
    html = _text(response)
    assert "نام کاربری یا رمز عبور نادرست است" in html  # ours, not FAB's «ورود نامعتبر»
    assert "Invalid login" not in html


def test_message_box_in_persian(as_user):
    html = _text(as_user("clerk").get("/support/inbox"))
    for word in ["صندوق پیام", "ثبت تیکت جدید", "شماره", "موضوع", "تاریخ ثبت", "کد دفتر",
                 "بخش", "وضعیت", "کاربر", "عملیات", "جستجو", "خروج"]:
        assert word in html, word
    for english in ["Message box", "Register new ticket", "Office code", "Logout"]:
        assert english not in html, english


def test_new_ticket_form_in_persian(as_user):
    html = _text(as_user("clerk").get("/support/new"))
    for word in ["ارسال تیکت پشتیبانی", "موضوع", "بخش", "شماره پیگیری", "کد ملی", "متن پیام",
                 "پیوست", "ثبت تیکت", "نکات مهم در ثبت تیکت", "پرونده\u200cهای مرتبط"]:
        assert word in html, word
    for english in ["Send support ticket", "Message text", "Register ticket"]:
        assert english not in html, english


def test_generated_list_page_uses_our_overrides(as_user):
    html = _text(as_user("manager").get("/users/list/"))
    assert "فهرست کاربران" in html  # ours; FAB's catalogue says «لیست کاربران»
    assert "لیست کاربران" not in html


def test_english_stays_english(as_user):
    client = as_user("clerk")
    assert client.get("/lang/en").status_code == 302
    html = _text(client.get("/support/inbox"))
    assert "Message box" in html
    assert "صندوق پیام" not in html

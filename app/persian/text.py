"""Persian text and digit normalisation: one place, used by forms, search and the API.

Clerks type with Arabic or Persian keyboards (ي/ی, ك/ک), with or without the
zero-width non-joiner, and with Persian or Arabic digits; all must match.
"""
import re

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_LETTERS = str.maketrans({
    "ي": "ی", "ى": "ی", "ئ": "ی",
    "ك": "ک",
    "ة": "ه", "ۀ": "ه", "ہ": "ه",
    "أ": "ا", "إ": "ا", "ٱ": "ا",
    "ؤ": "و",
})
# ZWNJ, ZWJ, kashida (tatweel), Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef).
_IGNORED = re.compile("[\u200c\u200d\u0640\u064b-\u065f\u0670]")
_SPACES = re.compile(r"\s+")


def ascii_digits(value: str) -> str:
    """Persian (۰-۹) and Arabic (٠-٩) digits to ASCII."""
    return value.translate(_DIGITS)


def typed_number(value: str) -> str:
    """A number or code as typed, in ASCII: Persian/Arabic-Indic digits and the Persian
    decimal separator (٫) converted, surrounding spaces dropped, nothing else touched. A sign,
    a point or a letter still reaches the validator or the filter, so "-۱" is never 1 and
    "۱۲a" never 12 (`digits_only` is for fields where separators are known to be noise)."""
    return ascii_digits(value).replace("\u066b", ".").strip()


def whole_number(value, max_digits: int = 18, *, typed: bool = True) -> int | None:
    """A whole number, or None for anything else, longer than `max_digits` included (18 fit a
    BIGINT). `typed`: as a person types it, in any digits (`typed_number`); else a value our
    own pages send, ASCII only. Only ASCII digits count in the end: `str.isdigit` also takes
    «²», which `int` refuses."""
    text = "" if value is None else typed_number(str(value)) if typed else str(value).strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= max_digits else None


def persian_digits(value) -> str:
    return str(value).translate(_PERSIAN_DIGITS)


def normalize_text(value: str | None) -> str:
    """Search form of a text: unified letters, no ZWNJ/kashida/diacritics, ASCII digits, lowercase."""
    if not value:
        return ""
    value = _IGNORED.sub("", value.translate(_LETTERS))
    return _SPACES.sub(" ", ascii_digits(value)).strip().lower()


def digits_only(value: str | None) -> str:
    """ASCII digits of a number the user typed, dropping spaces and separators."""
    return re.sub(r"[\s\-_/]", "", ascii_digits(value or ""))


# Affixes written apart, joined or with a ZWNJ: «می خواهم», «میخواهم», «می‌خواهم» are one word.
# Only common inflections, in their normalised form (so «مي» is «می»). A few are also words
# («تر» wet, «ای» O): after a word they are still joined, in the index and the query alike,
# so the two always agree; the cost is that «کاغذ تر» no longer finds «تر» elsewhere in a
# text. «ب» (بروم / ب روم) is left out: a lone «ب» is as often a typo or an abbreviation.
JOINING_PREFIXES = frozenset({"می", "نمی"})  # present and imperfect verbs
JOINING_SUFFIXES = frozenset({
    "ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان",  # plurals
    "تر", "ترین",  # comparative, superlative
    "ای", "ام", "ایم", "اید", "اند",  # indefinite «ای» and the verb «to be» after «ه»
})


def join_affixes(words: list[str]) -> list[str]:
    """The words with each affix written apart joined to its word: ["می", "خواهم"] and
    ["پرونده", "ها"] give ["میخواهم"] and ["پروندهها"]: the form `normalize_text` gives the
    ZWNJ and joined spellings. Words are normalised (`normalize_text`) words, in order."""
    joined: list[str] = []
    open_prefix = False
    for word in words:
        if joined and (open_prefix or word in JOINING_SUFFIXES):
            joined[-1] += word
            open_prefix = False
        else:
            joined.append(word)
            open_prefix = word in JOINING_PREFIXES
    return joined

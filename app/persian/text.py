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

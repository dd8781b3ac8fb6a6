"""Numbers put into translated messages read in the reader's digits, without a needless ".0".

Messages are built with numbers all over the code («بیش از %(limit)s مگابایت», «بین
%(min)s تا %(max)s»); formatting each one at each call site is how «5.0» and «10000» reached
Persian pages. This Flask-Babel domain does it once, for every gettext, ngettext and lazy
string: a number given for a `%(name)s` field is written with `format_number` (a `%(name)d`
field keeps the number). One domain per application also keeps the loaded catalogues across
requests: Flask-Babel's default made a new domain, and read the catalogues again, per request.
"""
import re
from decimal import Decimal

from flask_babel import Domain

from app.persian.dates import format_number

_TEXT_FIELD = re.compile(r"%\((\w+)\)s")


def _with_reader_numbers(message: str, variables: dict) -> str:
    if not variables:
        return message
    fields = set(_TEXT_FIELD.findall(message))
    shown = {
        name: format_number(value)
        if name in fields and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)
        else value
        for name, value in variables.items()
    }
    return message % shown


class ReaderDigitsDomain(Domain):
    def gettext(self, string, **variables):
        return _with_reader_numbers(self.get_translations().ugettext(string), variables)

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        message = self.get_translations().ungettext(singular, plural, num)
        return _with_reader_numbers(message, variables)

    def pgettext(self, context, string, **variables):
        return _with_reader_numbers(self.get_translations().upgettext(context, string), variables)

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        message = self.get_translations().unpgettext(context, singular, plural, num)
        return _with_reader_numbers(message, variables)


def install(app) -> None:
    """Every app context of `app` uses one `ReaderDigitsDomain` (app/web/babel_context.py)."""
    app.extensions["hamrah_babel_domain"] = ReaderDigitsDomain(
        domain=app.config.get("BABEL_DOMAIN", "messages"))

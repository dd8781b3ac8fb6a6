"""An audit event's details in the reader's language.

The log stores its details as fixed English notation (app/domain/audit.py, so that a
record reads the same whatever the language of the person who caused it): `roles: +[Clerk]
-[]`, `permissions: +[can_add on Offices; ...]`, `active: True -> False`, `POST /login/`,
`3 failed sign-ins`. Here that notation is read back and shown with role, permission and
view names, fields and values in the reader's words; text it does not know stays as stored.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.persian.dates import is_persian
from app.web.display import display_text, permission_on_view_label, role_label

_FIELDS = {
    "roles": _l("Roles"), "permissions": _l("Permissions"), "name": _l("Name"),
    "username": _l("Username"), "active": _l("Active"),
}
_CHANNELS = {
    "POST /login/": _l("sign-in form"),
    "POST /api/v1/security/login": _l("sign-in through the API"),
}
_PERMISSION_ON_VIEW = re.compile(r"^(\w+) on (.+)$")
_LIST_CHANGE = re.compile(r"^(\w+): \+\[(.*)\] -\[(.*)\]$")
_LIST = re.compile(r"^(\w+): \[(.*)\]$")
_SCALAR_CHANGE = re.compile(r"^(\w+): (.+) -> (.+)$")
_FAILURES = re.compile(r"^(\d+) failed sign-ins(?: within (.+))?$")


def _item(field: str, text: str) -> str:
    if field == "roles":
        return role_label(text)
    match = _PERMISSION_ON_VIEW.match(text)
    if field == "permissions" and match:
        return permission_on_view_label(match[1], match[2])
    return text


def _items(field: str, text: str) -> str:
    separator = "; " if field == "permissions" else ", "
    return display_text([_item(field, part.strip()) for part in text.split(separator) if part.strip()])


def _value(text: str):
    literal = {"True": True, "False": False, "None": None}
    return display_text(literal[text]) if text in literal else text.strip("'")


def _part(text: str) -> str:
    if text == "password changed":
        return _("password changed")
    if text in _CHANNELS:
        return str(_CHANNELS[text])
    if match := _FAILURES.match(text):
        return _("%(count)s failed sign-ins", count=int(match[1]))
    if (match := _LIST_CHANGE.match(text)) and match[1] in _FIELDS:
        return _("%(field)s: added %(added)s; removed %(removed)s", field=_FIELDS[match[1]],
                 added=_items(match[1], match[2]) or "—", removed=_items(match[1], match[3]) or "—")
    if (match := _LIST.match(text)) and match[1] in _FIELDS:
        return f"{_FIELDS[match[1]]}: {_items(match[1], match[2])}"
    if (match := _SCALAR_CHANGE.match(text)) and match[1] in _FIELDS:
        return _("%(field)s: %(old)s → %(new)s", field=_FIELDS[match[1]], old=_value(match[2]),
                 new=_value(match[3]))
    return text


def audit_detail(text: str | None) -> str:
    separator = "؛ " if is_persian() else "; "
    return separator.join(_part(part) for part in _top_level_parts(text or ""))


def _top_level_parts(text: str) -> list[str]:
    """`a: +[x; y] -[]; b: 1 -> 2` split at the "; " outside brackets."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(text):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if depth == 0 and text.startswith("; ", at):
            parts.append(text[start:at])
            start = at + 2
    parts.append(text[start:])
    return [part for part in parts if part]

"""FAB's list filters, taking values as people type them.

- Text filters (starts with, ends with, contains and their negations) search the typed text
  literally: FAB hands the value to LIKE as it is, so «50%» also found «5000 off», «a_b»
  found «axb», and on PostgreSQL a trailing «\\» was an invalid pattern (a 500). Here `%`,
  `_` and `\\` are escaped and the escape character is named in the SQL.
- Number columns, and the text columns an interface names in `code_columns` (tracking
  numbers, national IDs, office codes: stored in ASCII digits), take Persian and
  Arabic-Indic digits (`typed_number`: a sign, a point or a letter still reaches the filter
  as typed, so "-۱" never matches 1).

The filter shapes are FAB's own (same operators, same order, same SQL but for the ESCAPE
clause), so the lists use the same indexes as before.
"""
from flask_appbuilder.models.sqla.filters import (
    FilterContains,
    FilterEndsWith,
    FilterEqual,
    FilterGreater,
    FilterIn,
    FilterNotContains,
    FilterNotEndsWith,
    FilterNotEqual,
    FilterNotIn,
    FilterNotStartsWith,
    FilterSmaller,
    FilterStartsWith,
    get_field_setup_query,
)

from app.persian.text import typed_number

LIKE_ESCAPE = "\\"


def escape_like(text: str) -> str:
    """`text` as a LIKE pattern that matches exactly it (with `escape=LIKE_ESCAPE`)."""
    return (text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
            .replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_"))


def typed_value(datamodel, column_name: str, value):
    """The filter value in the column's stored digits (see the module docstring)."""
    if isinstance(value, (list, tuple)):
        return [typed_value(datamodel, column_name, item) for item in value]
    if not isinstance(value, str):
        return value
    if column_name in getattr(datamodel, "code_columns", ()):
        return typed_number(value)
    try:
        numeric = datamodel.is_integer(column_name) or datamodel.is_float(column_name)
    except Exception:  # noqa: BLE001 - a dotted or unknown column: leave the value alone
        numeric = False
    return typed_number(value) if numeric else value


class _TypedValue:
    def apply(self, query, value):
        return super().apply(query, typed_value(self.datamodel, self.column_name, value))


class _LiteralLike:
    """`template` places the escaped value: "{}%" starts with, "%{}" ends with, "%{}%" contains."""

    template = "%{}%"
    negated = False

    def apply(self, query, value):
        value = typed_value(self.datamodel, self.column_name, value)
        query, field = get_field_setup_query(query, self.model, self.column_name)
        matches = field.ilike(self.template.format(escape_like(str(value))), escape=LIKE_ESCAPE)
        return query.filter(~matches if self.negated else matches)


class LiteralStartsWith(_LiteralLike, FilterStartsWith):
    template = "{}%"


class LiteralNotStartsWith(_LiteralLike, FilterNotStartsWith):
    template, negated = "{}%", True


class LiteralEndsWith(_LiteralLike, FilterEndsWith):
    template = "%{}"


class LiteralNotEndsWith(_LiteralLike, FilterNotEndsWith):
    template, negated = "%{}", True


class LiteralContains(_LiteralLike, FilterContains):
    pass


class LiteralNotContains(_LiteralLike, FilterNotContains):
    negated = True


class TypedEqual(_TypedValue, FilterEqual):
    pass


class TypedNotEqual(_TypedValue, FilterNotEqual):
    pass


class TypedGreater(_TypedValue, FilterGreater):
    pass


class TypedSmaller(_TypedValue, FilterSmaller):
    pass


class TypedIn(_TypedValue, FilterIn):
    pass


class TypedNotIn(_TypedValue, FilterNotIn):
    pass


# FAB's filter -> ours, for every column kind in FAB's conversion table.
OUR_FILTERS = {ours.__bases__[-1]: ours for ours in (
    LiteralStartsWith, LiteralNotStartsWith, LiteralEndsWith, LiteralNotEndsWith,
    LiteralContains, LiteralNotContains,
    TypedEqual, TypedNotEqual, TypedGreater, TypedSmaller, TypedIn, TypedNotIn,
)}
